"""Certainty and time rules for one claim: the stated rating, its steps, the verdict, ``as_of``.

The tables these rules apply (start per level, what a verdict allows) are in
``sitegen.grading``; this module only compares a record with them.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sitegen.grading import ALLOWED_CERTAINTY, START_OF_LEVEL, expected_rating, is_allowed
from sitegen.model import (
    Certainty,
    CertaintyAssessment,
    CertaintyStep,
    ClaimKind,
    Direction,
    EvidenceLevel,
    LoweringDomain,
    RaisingDomain,
    Verdict,
)
from sitegen.problems import Problem, Severity

if TYPE_CHECKING:
    from sitegen.validate.checker import Checked, Checker
    from sitegen.validate.facts import ClaimFacts, Grading

__all__ = ["build_certainty", "check_certainty", "check_dates", "stale_as_of"]


def _steps(block: Checked, key: str) -> tuple[Checked, ...]:
    steps = block.get(key) or ()
    assert isinstance(steps, tuple)
    return steps


def _check_rating(chk: Checker, level: EvidenceLevel, block: Checked) -> Certainty | None:
    start = START_OF_LEVEL[level]
    assert start is not None
    rating = block["rating"]
    down, up = len(_steps(block, "lowered")), len(_steps(block, "raised"))
    expected = expected_rating(start, down, up)
    if expected is None:
        chk.add("SG222", f"{down} step(s) down and {up} up from the start '{start}' ({level}) go past the end of the scale",
                ("certainty", "rating"), "certainty runs from high to very-low: remove the steps that go beyond it")
        return None
    if rating is not expected:
        chk.add("SG222", f"rating '{rating}' does not follow from the start '{start}' for {level} with {down} step(s) down and {up} up: "
                f"that gives '{expected}'", ("certainty", "rating"),
                f"write rating: {expected}, or add or remove steps so that each level moved has a domain and a reason")
        return None
    return rating


def check_certainty(chk: Checker, raw: Checked) -> None:
    """SG220-SG223: certainty present exactly when there is evidence, derivable, and fitting the verdict."""
    level, verdict, block = raw["evidence_level"], raw["verdict"], raw.get("certainty")
    assert isinstance(level, EvidenceLevel) and isinstance(verdict, Verdict)
    if level is EvidenceLevel.NONE:
        if block is not None:
            chk.add("SG221", "a claim with evidence level 'none' has no certainty to rate", ("certainty",),
                    "remove the certainty block: the page says 'no evidence' instead", at_key=True)
        return
    if block is None:
        chk.add("SG220", f"missing 'certainty': every claim with evidence level '{level}' states its certainty and why", (),
                f"add 'certainty:' with 'rating: {START_OF_LEVEL[level]}' (the start for {level}), then a step for each level moved")
        return
    rating = _check_rating(chk, level, block)
    if rating is not None and not is_allowed(verdict, rating):
        allowed = " or ".join(c.value for c in Certainty if c in ALLOWED_CERTAINTY[verdict])
        chk.add("SG223", f"verdict '{verdict}' cannot stand beside '{rating}' certainty (it needs {allowed})", ("verdict",),
                "the certainty says how sure the evidence lets us be: choose a verdict that fits it, or recheck the steps")


def check_dates(chk: Checker, raw: Checked) -> None:
    """SG224, SG225: a legal claim says how recent its sources are; the review is not older than that."""
    as_of = raw.get("as_of")
    if as_of is None:
        if raw["kind"] is ClaimKind.LEGAL:
            chk.add("SG224", "missing 'as_of': a legal claim must say up to which date its sources were checked", (),
                    "add 'as_of: YYYY-MM-DD', the latest date for which you checked the law and the official records")
        return
    reviewed = raw["reviewed"]
    assert isinstance(reviewed, dict) and isinstance(as_of, dt.date)
    if reviewed["date"] < as_of:
        chk.add("SG225", f"the review date {reviewed['date']} is earlier than 'as_of' {as_of}", ("reviewed", "date"),
                "the sources cannot have been checked after the review: correct 'as_of' or the review date")


def build_certainty(level: EvidenceLevel, block: Checked | None) -> CertaintyAssessment:
    """The typed assessment of a checked record (level ``none``: no rating, no start)."""
    start = START_OF_LEVEL[level]
    if block is None or start is None:
        return CertaintyAssessment(None, start)
    steps = [CertaintyStep(Direction.LOWERED, LoweringDomain(s["domain"]), str(s["reason"])) for s in _steps(block, "lowered")]
    steps += [CertaintyStep(Direction.RAISED, RaisingDomain(s["domain"]), str(s["reason"])) for s in _steps(block, "raised")]
    return CertaintyAssessment(Certainty(block["rating"]), start, tuple(steps))


def _months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    for candidate in (day.day, 30, 29, 28):  # the same day of the month, or its last day
        try:
            return dt.date(year, month + 1, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


def stale_as_of(facts: ClaimFacts, grading: Grading, *, today: dt.date, max_age_months: int) -> Problem | None:
    """SG314 (warning): a legal claim whose sources were last checked too long ago."""
    if grading.kind is not ClaimKind.LEGAL or grading.as_of is None or grading.as_of >= _months_before(today, max_age_months):
        return None
    assert grading.as_of_at is not None, "an as_of is always placed"
    return Problem("SG314", Severity.WARNING, f"the sources were last checked on {grading.as_of}, more than {max_age_months} months ago",
                   facts.at(grading.as_of_at), "check the law and official records again, then move 'as_of' and 'reviewed.date' forward")
