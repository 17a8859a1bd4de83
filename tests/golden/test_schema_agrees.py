"""The JSON Schema (documentation for editors) and the validator agree on the golden corpus.

For every claim and source file in every golden case: where the validator reports a
field-level problem the schema can express, the schema rejects the file too; where the
validator reports nothing for the file, the schema accepts it. Cross-record rules
(dangling ids, grading, file names) are the validator's alone.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from sitegen.schema import schema_text
from sitegen.source import read_yaml
from tests.conftest import base_files

CASES_DIR = Path(__file__).resolve().parent / "validate"
DIVERGENT = {
    # Editors read YAML 1.2, where an unquoted 2024-01-05 is text; PyYAML (YAML 1.1) reads a
    # date, and the validator asks for quotes. The schema cannot see the difference.
    "yaml11-bare-date",
}
SCHEMA_CODES = {"SG201", "SG202", "SG203", "SG204", "SG205", "SG206", "SG207", "SG208", "SG209", "SG210", "SG214", "SG220", "SG221"}


def _validator(record: str) -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(json.loads(schema_text(record)), format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def _as_json(value: object) -> object:
    return json.loads(json.dumps(value, default=lambda o: o.isoformat() if isinstance(o, dt.date) else str(o)))


def _record_of(path: str) -> str | None:
    parts = path.split("/")
    if len(parts) != 3 or parts[0] != "claims" or not path.endswith(".yaml"):
        return None
    return "sources" if parts[1] == "sources" else "claim"


def _cases() -> list[Path]:
    return sorted(CASES_DIR.glob("*.yaml"))


@pytest.mark.parametrize("case_path", _cases(), ids=lambda p: p.stem)
def test_schema_agrees_with_the_validator(case_path: Path) -> None:
    case = yaml.safe_load(case_path.read_text(encoding="utf-8"))
    files = {**base_files(), **{k: v for k, v in (case.get("files") or {}).items()}}
    problems = {(code, path) for code, path, _, _ in case["problems"]}
    read_codes = {code for code, _ in problems if code.startswith("SG1")}
    for path, text in files.items():
        record = _record_of(path)
        if record is None or text is None or path in (case.get("files_hex") or {}) or any(p == path for c, p in problems if c in read_codes):
            continue
        value = read_yaml(text.encode("utf-8"), path).value
        if value is None:
            continue
        schema_rejects = bool(list(_validator(record).iter_errors(_as_json(value))))
        codes = {code for code, where in problems if where == path}
        if case_path.stem in DIVERGENT and codes:
            assert not schema_rejects, f"{case_path.name}: no longer divergent: remove it from DIVERGENT"
        elif codes & SCHEMA_CODES:
            assert schema_rejects, f"{case_path.name}: the validator reports {sorted(codes)} in {path}, the schema accepts it"
        elif not codes:
            assert not schema_rejects, f"{case_path.name}: the validator accepts {path}, the schema rejects it"
