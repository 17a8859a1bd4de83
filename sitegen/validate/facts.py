"""What the rules across files read of one claim file: a few values and the positions they report.

A claim file is checked on its own once (in a worker process, or taken from the cache); the
rules across files then run on these small records, never on the whole mapping as read.
A rule across files that needs more of a claim must add it here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sitegen.model import ClaimKind, EvidenceLevel, Stance, Verdict
from sitegen.problems import Location

if TYPE_CHECKING:
    import datetime as dt

    from sitegen.positions import PathKey, PositionMap
    from sitegen.validate.checker import Checked

__all__ = ["ClaimFacts", "Grading", "Mark", "claim_facts", "facts_from_plain", "facts_to_plain"]

Mark = tuple[int, int]
"""A 1-based line and column in the claim's file."""


@dataclass(frozen=True, slots=True)
class Grading:
    """The checked fields of a claim whose every field passed, as the rules across files read them.

    A citation's stance is placed (``stance_at``) only where a rule can report it: a
    supporting citation of an efficacy claim; ``as_of_at`` only where there is an ``as_of``.
    """

    kind: ClaimKind
    verdict: Verdict
    evidence_level: EvidenceLevel
    sources: tuple[str, ...]
    stances: tuple[Stance, ...]
    next_due: dt.date
    as_of: dt.date | None
    verdict_at: Mark
    level_at: Mark
    stance_at: tuple[Mark | None, ...]
    next_due_at: Mark
    as_of_at: Mark | None


@dataclass(frozen=True, slots=True)
class ClaimFacts:
    """One claim file as the rules across files see it.

    ``id``, ``topic``, ``related`` and ``cited`` (each evidence entry's source) are the values
    as read, as text or ``None``, whether or not other fields passed; ``grading`` is there
    only when every field passed.
    """

    path: str
    origin: Mark
    id: str | None
    id_at: Mark
    topic: str | None
    topic_at: Mark
    related: tuple[str | None, ...]
    related_at: tuple[Mark, ...]
    cited: tuple[str | None, ...]
    cited_at: tuple[Mark, ...]
    grading: Grading | None

    def at(self, mark: Mark) -> Location:
        return Location(self.path, mark[0], mark[1])


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _mark(positions: PositionMap, where: PathKey) -> Mark:
    return positions.mark(where)


def _grading(raw: Checked, positions: PositionMap) -> Grading:
    evidence, as_of = raw["evidence"], raw.get("as_of")
    stances = tuple(e["stance"] for e in evidence)
    is_efficacy = raw["kind"] is ClaimKind.EFFICACY
    return Grading(
        raw["kind"], raw["verdict"], raw["evidence_level"], tuple(e["source"] for e in evidence), stances,
        raw["reviewed"]["next_due"], as_of, _mark(positions, ("verdict",)), _mark(positions, ("evidence_level",)),
        tuple(_mark(positions, ("evidence", i, "stance")) if is_efficacy and stance is Stance.SUPPORTS else None for i, stance in enumerate(stances)),
        _mark(positions, ("reviewed", "next_due")), _mark(positions, ("as_of",)) if as_of is not None else None,
    )


def claim_facts(value: dict[str, object], raw: Checked | None, positions: PositionMap) -> ClaimFacts:
    """The facts of a claim file read as ``value``; ``raw`` is its checked fields, or ``None``."""
    related = value.get("related")
    related = related if isinstance(related, list) else []
    evidence = value.get("evidence")
    evidence = evidence if isinstance(evidence, list) else []
    cited = tuple(_text(item.get("source")) if isinstance(item, dict) else None for item in evidence)
    return ClaimFacts(
        positions.path, _mark(positions, ()), _text(value.get("id")), _mark(positions, ("id",)),
        _text(value.get("topic")), _mark(positions, ("topic",)),
        tuple(_text(item) for item in related), tuple(_mark(positions, ("related", i)) for i in range(len(related))),
        cited, tuple(_mark(positions, ("evidence", i, "source")) for i in range(len(evidence))),
        _grading(raw, positions) if raw is not None else None,
    )


def facts_to_plain(facts: ClaimFacts) -> tuple[object, ...]:
    """The facts as plain values (text, numbers, dates, tuples), which load far faster than objects."""
    grading = facts.grading
    plain_grading = None if grading is None else (
        grading.kind.value, grading.verdict.value, grading.evidence_level.value, grading.sources, tuple(s.value for s in grading.stances),
        grading.next_due, grading.as_of, grading.verdict_at, grading.level_at, grading.stance_at, grading.next_due_at, grading.as_of_at,
    )
    return (facts.path, facts.origin, facts.id, facts.id_at, facts.topic, facts.topic_at, facts.related, facts.related_at,
            facts.cited, facts.cited_at, plain_grading)


# the members by value: a lookup, where calling the enum costs a function call or two
_KINDS: dict[str, ClaimKind] = {m.value: m for m in ClaimKind}
_VERDICTS: dict[str, Verdict] = {m.value: m for m in Verdict}
_LEVELS: dict[str, EvidenceLevel] = {m.value: m for m in EvidenceLevel}
_STANCES: dict[str, Stance] = {m.value: m for m in Stance}


def facts_from_plain(plain: tuple[Any, ...]) -> ClaimFacts:
    """The facts ``facts_to_plain`` gave."""
    grading = plain[10]
    if grading is not None:
        kind, verdict, level, sources, stances, *rest = grading
        stance = _STANCES.__getitem__
        grading = Grading(_KINDS[kind], _VERDICTS[verdict], _LEVELS[level], sources, tuple(map(stance, stances)), *rest)
    path, origin, claim_id, id_at, topic, topic_at, related, related_at, cited, cited_at = plain[:10]
    return ClaimFacts(path, origin, claim_id, id_at, topic, topic_at, related, related_at, cited, cited_at, grading)
