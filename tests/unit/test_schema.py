"""The committed JSON Schemas match the model, are draft-07, and agree with the validator."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest

from sitegen.catalog import load_catalog
from sitegen.model import EvidenceLevel
from sitegen.schema import RECORD_TYPES, schema_text
from sitegen.source import read_yaml
from tests.conftest import ROOT, write_tree

FILES = {"claim": "claims/*/*.yaml", "sources": "claims/sources/*.yaml", "topics": "claims/topics.yaml", "site": "claims/site.yaml"}


def _as_json(value: object) -> object:
    return json.loads(json.dumps(value, default=lambda o: o.isoformat() if isinstance(o, dt.date) else str(o)))


def _validator(record: str) -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(json.loads(schema_text(record)), format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def _load(text: str) -> object:
    """Plain values as sitegen reads them (an impossible date stays text)."""
    return _as_json(read_yaml(text.encode("utf-8"), "x.yaml").value)


@pytest.mark.parametrize("record", sorted(RECORD_TYPES))
def test_committed_schema_is_in_sync(record: str) -> None:
    committed = (ROOT / "schema" / f"{record}.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(record), f"run: sitegen schema {record} > schema/{record}.schema.json"


@pytest.mark.parametrize("record", sorted(RECORD_TYPES))
def test_schema_is_valid_draft_07(record: str) -> None:
    schema = json.loads(schema_text(record))
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.Draft7Validator.check_schema(schema)


@pytest.mark.parametrize("record", sorted(RECORD_TYPES))
def test_every_repo_file_satisfies_its_schema(record: str) -> None:
    validator = _validator(record)
    paths = [p for p in ROOT.glob(FILES[record]) if record != "claim" or p.parent.name != "sources"]
    assert paths
    for path in paths:
        errors = list(validator.iter_errors(_load(path.read_text(encoding="utf-8"))))
        assert not errors, f"{path}: {errors[0].message}"


def test_every_claim_file_has_the_schema_header() -> None:
    for path in ROOT.glob("claims/*/*.yaml"):
        if path.parent.name != "sources":
            assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../../schema/claim.schema.json\n"), path


FIELD_CASES = [
    ("verdict: insufficient-evidence", "verdict: maybe"),
    ("title: The herb relieves low mood", "titel: The herb relieves low mood"),
    ("id: herb-relieves-low-mood", "id: Herb_Relieves"),
    ("  date: 2026-01-10\n  next_due", "  date: 2026-13-10\n  next_due"),
    ("summary: Users say it helps, but no trial has tested it.", "summary: [a, b]"),
    ("evidence_level: observational", ""),
]


@pytest.mark.parametrize(("old", "new"), FIELD_CASES)
def test_schema_and_validator_agree(project: Path, old: str, new: str) -> None:
    path = project / "claims/efficacy-claims/herb-relieves-low-mood.yaml"
    validator = _validator("claim")
    good = path.read_text(encoding="utf-8")
    assert not list(validator.iter_errors(_load(good)))
    assert load_catalog(project / "claims", root=project, today=dt.date(2026, 11, 25)).error_count == 0
    bad = good.replace(old, new)
    assert bad != good
    write_tree(project, {"claims/efficacy-claims/herb-relieves-low-mood.yaml": bad})
    schema_fails = bool(list(validator.iter_errors(_load(bad))))
    validator_fails = load_catalog(project / "claims", root=project, today=dt.date(2026, 11, 25)).error_count > 0
    assert schema_fails and validator_fails


CERTAINTY_BLOCK = "certainty:\n  rating: moderate\n  lowered:\n    - domain: imprecision\n      reason: One small trial with few liver events.\n"


@pytest.mark.parametrize("level", list(EvidenceLevel))
@pytest.mark.parametrize("with_certainty", [True, False], ids=["with-certainty", "without-certainty"])
def test_schema_requires_certainty_exactly_where_the_validator_does(project: Path, level: EvidenceLevel, with_certainty: bool) -> None:
    """Draft-07 if/then/else: certainty required unless evidence_level is none (SG220), forbidden when it is (SG221)."""
    path = project / "claims/safety/herb-harms-liver.yaml"
    text = path.read_text(encoding="utf-8")
    assert CERTAINTY_BLOCK in text
    text = text.replace("evidence_level: rct", f"evidence_level: {level.value}")
    text = text if with_certainty else text.replace(CERTAINTY_BLOCK, "")
    path.write_text(text, encoding="utf-8")
    codes = {p.code for p in load_catalog(project / "claims", root=project, today=dt.date(2026, 11, 25)).problems
             if p.where.path.endswith("herb-harms-liver.yaml")}
    schema_rejects = bool(list(_validator("claim").iter_errors(_load(path.read_text(encoding="utf-8")))))
    assert schema_rejects is bool(codes & {"SG220", "SG221"}), (codes, schema_rejects)
    assert schema_rejects is (with_certainty is (level is EvidenceLevel.NONE))
