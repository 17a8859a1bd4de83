"""Grading knowledge as data: where certainty starts, how it moves, what a verdict allows.

The validator, the templates, the exports, the schema documentation and the methodology
page all read these tables; none of them keeps its own copy. The rating scale and the
domains are the closed vocabularies in ``sitegen.model`` (``Certainty``,
``LoweringDomain``, ``RaisingDomain``); their reader-facing wording is each member's
``meaning``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitegen.model import Certainty, EvidenceLevel, Verdict

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "ALLOWED_CERTAINTY",
    "NEEDS_RESEARCH",
    "NO_EVIDENCE_WORDING",
    "RATINGS",
    "START_OF_LEVEL",
    "START_REASONS",
    "expected_rating",
    "hedge",
    "is_allowed",
    "start_text",
    "verdict_rule_text",
]

RATINGS: tuple[Certainty, ...] = tuple(Certainty)
"""The rating scale, highest first: each step moves one place along it."""

START_OF_LEVEL: Mapping[EvidenceLevel, Certainty | None] = {
    EvidenceLevel.SYSTEMATIC_REVIEW: Certainty.HIGH,
    EvidenceLevel.RCT: Certainty.HIGH,
    EvidenceLevel.OBSERVATIONAL: Certainty.LOW,
    EvidenceLevel.CASE_REPORTS: Certainty.VERY_LOW,
    EvidenceLevel.ANIMAL_LAB: Certainty.VERY_LOW,
    EvidenceLevel.MECHANISM_OPINION: Certainty.VERY_LOW,
    EvidenceLevel.NONE: None,
    EvidenceLevel.CONSENSUS: Certainty.HIGH,
    EvidenceLevel.OFFICIAL_RECORD: Certainty.HIGH,
}
"""The starting certainty of each evidence level, as in GRADE; ``None``: no evidence to rate."""

START_REASONS: Mapping[EvidenceLevel, str] = {
    EvidenceLevel.SYSTEMATIC_REVIEW: "Randomised trials and their systematic reviews start high, as in GRADE.",
    EvidenceLevel.RCT: "Randomised trials start high, as in GRADE; their flaws are rated down one by one.",
    EvidenceLevel.OBSERVATIONAL: "Observational studies start low, as in GRADE: people who chose an exposure differ in other ways too.",
    EvidenceLevel.CASE_REPORTS: "Case reports and surveillance start very low: they show that something can happen, not how often or why.",
    EvidenceLevel.ANIMAL_LAB: "Animal and laboratory work starts very low for any statement about people.",
    EvidenceLevel.MECHANISM_OPINION: "Reasoning from mechanism and expert opinion start very low.",
    EvidenceLevel.NONE: "With no evidence there is nothing to rate: the page says so instead.",
    EvidenceLevel.CONSENSUS: (
        "Textbook science replicated across many independent lines of work starts high. "
        "Efficacy claims cannot use this level (SG310)."
    ),
    EvidenceLevel.OFFICIAL_RECORD: (
        "An official record starts high as evidence of what the document says or what the authority did, "
        "not of whether its content is true: a statement that goes further is rated down for indirectness."
    ),
}
"""Why each level starts where it does, for the methodology page and the schema documentation."""

NEEDS_RESEARCH: Mapping[EvidenceLevel, str] = {
    EvidenceLevel.SYSTEMATIC_REVIEW: (
        "Trials in people have tested this claim and been reviewed systematically; whether the result holds for a given "
        "person, how long it lasts and what risks come with it still need research."
    ),
    EvidenceLevel.RCT: (
        "Randomised trials in people have tested this claim, but no systematic review has yet weighed them together; "
        "whether the result holds up, for whom, for how long and at what risk still needs research."
    ),
    EvidenceLevel.OBSERVATIONAL: (
        "No adequate randomised trial in people has tested this claim; observational studies cannot establish that it "
        "causes the effect, so it is not established."
    ),
    EvidenceLevel.CASE_REPORTS: (
        "No controlled study in people has tested this claim; case reports cannot show that it works, so it is not established."
    ),
    EvidenceLevel.ANIMAL_LAB: (
        "This claim has not been tested in people; animal and laboratory studies cannot show that it works in humans, "
        "so it is not established."
    ),
    EvidenceLevel.MECHANISM_OPINION: (
        "No study in people has tested this claim; reasoning from how it acts and expert opinion cannot show that it works, "
        "so it is not established."
    ),
    EvidenceLevel.NONE: "No study has tested this claim, so it is not established.",
    EvidenceLevel.CONSENSUS: (
        "Agreement among experts is not a test: only trials in people can show that this works, so it is not established."
    ),
    EvidenceLevel.OFFICIAL_RECORD: (
        "An official record shows what an authority said or did, not how well this works; that needs trials in people, "
        "so it is not established."
    ),
}
"""What the needs-research flag on an efficacy claim's page says, by the claim's evidence level: a whole
sentence that fits every verdict, so a page never claims trials that its level rules out, or denies them."""

ALLOWED_CERTAINTY: Mapping[Verdict, frozenset[Certainty]] = {
    Verdict.WELL_ESTABLISHED: frozenset({Certainty.HIGH, Certainty.MODERATE}),
    Verdict.SUPPORTED: frozenset(Certainty),
    Verdict.UNCERTAIN: frozenset({Certainty.MODERATE, Certainty.LOW, Certainty.VERY_LOW}),
    Verdict.INSUFFICIENT_EVIDENCE: frozenset({Certainty.LOW, Certainty.VERY_LOW}),
    Verdict.NOT_SUPPORTED: frozenset(Certainty),
    Verdict.MISLEADING: frozenset(Certainty),
}
"""Which certainty ratings each verdict can stand beside; any verdict may go with level ``none``."""

NO_EVIDENCE_WORDING = "No evidence: no study tests this statement, so there is no certainty to rate."


def expected_rating(start: Certainty, lowered: int, raised: int) -> Certainty | None:
    """The rating reached from ``start`` after the given number of steps down and up.

    Returns:
        The rating, or ``None`` when the steps go past the top or the bottom of the scale.
    """
    index = RATINGS.index(start) + lowered - raised
    return RATINGS[index] if 0 <= index < len(RATINGS) else None


def is_allowed(verdict: Verdict, rating: Certainty | None) -> bool:
    """Whether ``verdict`` can stand beside ``rating`` (``None``: level ``none``)."""
    return rating is None or rating in ALLOWED_CERTAINTY[verdict]


def hedge(rating: Certainty | None) -> str:
    """The hedged sentence a page shows for a rating (GRADE wording), or the no-evidence sentence."""
    return NO_EVIDENCE_WORDING if rating is None else rating.meaning


def _ratings(ratings: frozenset[Certainty]) -> str:
    names = [r.value for r in RATINGS if r in ratings]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def verdict_rule_text() -> str:
    """The verdict-certainty table in one line, for the schema documentation."""
    limited = [f"{v.value} needs {_ratings(allowed)}" for v, allowed in ALLOWED_CERTAINTY.items() if allowed != frozenset(Certainty)]
    return "; ".join(limited) + "; the others go with any certainty"


def start_text() -> str:
    """The starting certainty of each evidence level in one line, for the schema documentation."""
    return "; ".join(f"{level.value} {start.value if start else 'none'}" for level, start in START_OF_LEVEL.items())
