"""The grading tables: arithmetic of steps, the verdict-certainty table against every record and golden."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sitegen.grading import ALLOWED_CERTAINTY, START_OF_LEVEL, expected_rating, hedge, is_allowed
from sitegen.model import Certainty, EvidenceLevel, Verdict
from tests.conftest import ROOT

GOLDEN_DIR = ROOT / "tests" / "golden" / "validate"


@pytest.mark.parametrize(
    ("start", "down", "up", "rating"),
    [
        (Certainty.HIGH, 0, 0, Certainty.HIGH),
        (Certainty.HIGH, 3, 0, Certainty.VERY_LOW),
        (Certainty.HIGH, 4, 0, None),
        (Certainty.LOW, 0, 1, Certainty.MODERATE),
        (Certainty.LOW, 0, 3, None),
        (Certainty.VERY_LOW, 1, 1, Certainty.VERY_LOW),
    ],
)
def test_each_step_moves_one_level(start: Certainty, down: int, up: int, rating: Certainty | None) -> None:
    assert expected_rating(start, down, up) is rating


def test_start_levels_follow_grade() -> None:
    assert START_OF_LEVEL[EvidenceLevel.RCT] is START_OF_LEVEL[EvidenceLevel.SYSTEMATIC_REVIEW] is Certainty.HIGH
    assert START_OF_LEVEL[EvidenceLevel.OBSERVATIONAL] is Certainty.LOW
    assert START_OF_LEVEL[EvidenceLevel.NONE] is None
    assert set(START_OF_LEVEL) == set(EvidenceLevel)


@pytest.mark.parametrize(
    ("verdict", "forbidden"),
    [
        (Verdict.WELL_ESTABLISHED, {Certainty.LOW, Certainty.VERY_LOW}),
        (Verdict.INSUFFICIENT_EVIDENCE, {Certainty.HIGH, Certainty.MODERATE}),
        (Verdict.UNCERTAIN, {Certainty.HIGH}),
        (Verdict.SUPPORTED, set()),
        (Verdict.NOT_SUPPORTED, set()),
        (Verdict.MISLEADING, set()),
    ],
)
def test_verdict_certainty_table(verdict: Verdict, forbidden: set[Certainty]) -> None:
    assert set(Certainty) - ALLOWED_CERTAINTY[verdict] == forbidden
    assert is_allowed(verdict, None), "level none goes with any verdict"


def test_every_rating_has_its_hedged_wording() -> None:
    words = {Certainty.HIGH: "confident", Certainty.MODERATE: "probably", Certainty.LOW: "may", Certainty.VERY_LOW: "very uncertain"}
    for rating, word in words.items():
        assert word in hedge(rating)
    assert "No evidence" in hedge(None)


def _claim_files() -> list[Path]:
    return sorted(p for p in (ROOT / "claims").glob("*/*.yaml") if p.parent.name != "sources")


def _verdict_and_rating(record: object) -> tuple[Verdict, Certainty] | None:
    if not isinstance(record, dict) or not isinstance(record.get("certainty"), dict):
        return None
    try:
        return Verdict(record.get("verdict")), Certainty(record["certainty"].get("rating"))
    except ValueError:
        return None


def test_every_real_record_fits_the_verdict_certainty_table() -> None:
    checked = 0
    for path in _claim_files():
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        if record.get("evidence_level") == "none":
            assert "certainty" not in record, f"{path.name}: level none has no certainty"
            continue
        pair = _verdict_and_rating(record)
        assert pair is not None, f"{path.name}: no certainty rating"
        assert is_allowed(*pair), f"{path.name}: verdict {pair[0]} beside certainty {pair[1]}"
        checked += 1
    assert checked >= 40, "the real site has rated claims"


def _golden_claims() -> list[tuple[str, object, set[str]]]:
    cases = []
    for path in sorted(GOLDEN_DIR.glob("*.yaml")):
        case = yaml.safe_load(path.read_text(encoding="utf-8"))
        for relative, text in (case.get("files") or {}).items():
            if text is None or "/sources/" in relative or relative.count("/") != 2:
                continue
            try:
                record = yaml.safe_load(text)
            except (yaml.YAMLError, RecursionError, ValueError):  # the goldens hold broken files on purpose
                continue
            codes = {c for c, p, *_ in case["problems"] or [] if p == relative}
            cases.append((f"{path.stem}:{relative}", record, codes))
    return cases


def test_every_golden_agrees_with_the_verdict_certainty_table() -> None:
    """A golden claim has SG223 exactly when its verdict and rating break the table."""
    seen = {True: 0, False: 0}
    for name, record, codes in _golden_claims():
        pair = _verdict_and_rating(record)
        if pair is None or "SG222" in codes:  # a rating that does not follow is not compared with the verdict
            continue
        allowed = is_allowed(*pair)
        assert ("SG223" in codes) is not allowed, f"{name}: {pair[0]} beside {pair[1]}, problems {sorted(codes)}"
        seen[allowed] += 1
    assert seen[True] >= 20 and seen[False] >= 3, seen


def test_schema_documents_the_grading_tables() -> None:
    from sitegen.schema import build_schema

    properties = build_schema("claim")["properties"]
    assert "well-established needs high or moderate" in properties["verdict"]["description"]
    assert "insufficient-evidence needs low or very-low" in properties["verdict"]["description"]
    assert "observational low" in properties["evidence_level"]["description"]
