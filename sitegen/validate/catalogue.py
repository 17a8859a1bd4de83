"""Cross-record rules: unique ids, resolved references, grading and freshness."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sitegen.model import (
    DEFAULT_AS_OF_MAX_AGE_MONTHS,
    Citation,
    Claim,
    ClaimId,
    ClaimKind,
    EvidenceLevel,
    HistoryEntry,
    Review,
    Source,
    Stance,
    Verdict,
)
from sitegen.problems import Problem, Severity
from sitegen.validate.certainty import build_certainty, stale_as_of
from sitegen.validate.checker import error
from sitegen.validate.evidence import evidence_problems

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable, Mapping

    from sitegen.model import Topic
    from sitegen.problems import Location
    from sitegen.validate.checker import Checked
    from sitegen.validate.claim import PendingClaim

__all__ = ["SourceDamage", "check_catalog"]


def _check_citations(pending: PendingClaim, sources: Mapping[str, Source], broken: SourceDamage) -> list[Problem]:
    """Unknown sources; a source whose own record is broken is reported there only, not here again."""
    problems = []
    for i in range(pending.count("evidence")):
        source_id = pending.text_at("evidence", i, "source")
        if source_id is None or source_id in sources or source_id in broken.ids:
            continue
        guess = difflib.get_close_matches(source_id, [*sources, *broken.ids], n=1)
        if guess:
            hint = f"did you mean '{guess[0]}'?"
        elif broken.has_unreadable_file:
            hint = "a source file could not be read (see its error): fix that first"
        else:
            hint = "add the source to claims/sources/ first"
        problems.append(error("SG303", f"unknown source '{source_id}'", pending.checker.positions.at(("evidence", i, "source")), hint))
    return problems


@dataclass(frozen=True, slots=True)
class SourceDamage:
    """Sources that exist but failed their own checks, and whether a whole source file was unreadable."""

    ids: frozenset[str] = frozenset()
    has_unreadable_file: bool = False


def _citations(raw: Checked, sources: Mapping[str, Source]) -> tuple[Citation, ...]:
    return tuple(
        Citation(sources[item["source"]], Stance(item["stance"]), item["note"])
        for item in raw["evidence"]
    )


def _build_claim(pending: PendingClaim, raw: Checked, citations: tuple[Citation, ...]) -> Claim:
    reviewed = raw["reviewed"]
    return Claim(
        id=ClaimId(str(raw["id"])), title=str(raw["title"]), kind=ClaimKind(raw["kind"]), topic=str(raw["topic"]),
        statement=str(raw["statement"]), verdict=Verdict(raw["verdict"]), evidence_level=EvidenceLevel(raw["evidence_level"]),
        summary=str(raw["summary"]), evidence=citations, certainty=build_certainty(raw["evidence_level"], raw.get("certainty")),
        as_of=raw.get("as_of"),
        reviewed=Review(reviewed["date"], reviewed["next_due"]),
        history=tuple(HistoryEntry(h["date"], h["change"]) for h in raw["history"]),
        origin=pending.checker.location, quote=raw.get("quote"), details=raw.get("details"),
        caveats=tuple(raw.get("caveats") or ()), related=tuple(ClaimId(r) for r in raw.get("related") or ()),
    )


def _duplicates(items: Iterable[tuple[str, Location]], code: str, what: str) -> list[Problem]:
    first: dict[str, Location] = {}
    problems = []
    for key, where in items:
        if key in first:
            problems.append(error(code, f"{what} '{key}' is already defined at {first[key]}", where, "ids must be unique: rename one of them"))
            problems.append(error(code, f"{what} '{key}' is defined again at {where}", first[key], "ids must be unique: rename one of them"))
        else:
            first[key] = where
    return problems


def check_catalog(
    pending: list[PendingClaim], sources: list[Source], topics: list[Topic], *, today: dt.date,
    unreadable: frozenset[str] = frozenset(), as_of_max_age_months: int = DEFAULT_AS_OF_MAX_AGE_MONTHS,
    broken_sources: SourceDamage = SourceDamage(),
) -> tuple[list[Claim], list[Source], list[Problem]]:
    """Cross-record rules: unique ids, resolved references, grading and freshness.

    A claim citing a broken source (``broken_sources``) gets no error of its own: the
    source's record already has one, and telling the claim to add it would mislead.
    """
    problems = _duplicates([(s.id, s.origin) for s in sources], "SG306", "source")
    source_index: dict[str, Source] = {s.id: s for s in sources}
    ids = [(p.text_at("id"), p.checker.positions.at(("id",))) for p in pending]
    problems += _duplicates([(i, where) for i, where in ids if i], "SG301", "claim")
    claim_ids = {i for i, _ in ids if i} | unreadable  # an unreadable file's claim still exists
    topic_ids = {t.id for t in topics}
    claims = []
    for item in pending:
        found = _check_citations(item, source_index, broken_sources) + _reference_problems(item, claim_ids, topic_ids)
        problems += found
        if item.raw is None or found or any(e["source"] in broken_sources.ids for e in item.raw["evidence"]):
            continue
        claim = _build_claim(item, item.raw, _citations(item.raw, source_index))
        problems += evidence_problems(claim, item.checker)
        if claim.reviewed.is_overdue(today):
            problems.append(Problem("SG302", Severity.WARNING, f"review was due on {claim.reviewed.next_due}",
                                    item.checker.positions.at(("reviewed", "next_due")), "review the claim, then move 'next_due' forward and add a history entry"))
        stale = stale_as_of(claim, item.checker.positions, today=today, max_age_months=as_of_max_age_months)
        problems += [stale] if stale else []
        claims.append(claim)
    if len(claims) == len(pending) and not unreadable:  # an unreadable claim may cite any source
        problems += _unused_sources(sources, claims)
    problems += _doi_clashes(sources)
    return sorted(claims, key=lambda c: c.id), sorted(source_index.values(), key=lambda s: s.id), problems


def _reference_problems(item: PendingClaim, claim_ids: set[str], topic_ids: set[str]) -> list[Problem]:
    problems = []
    where = item.checker.positions
    topic, own_id = item.text_at("topic"), item.text_at("id")
    if topic is not None and topic not in topic_ids:
        guess = difflib.get_close_matches(topic, sorted(topic_ids), n=1)
        problems.append(error("SG305", f"unknown topic '{topic}'", where.at(("topic",)),
                               f"did you mean '{guess[0]}'?" if guess else "add it to claims/topics.yaml"))
    for i in range(item.count("related")):
        related = item.text_at("related", i)
        if related is None:
            continue
        if related == own_id:
            problems.append(error("SG309", "a claim cannot be related to itself", where.at(("related", i)), "remove this entry"))
        elif related not in claim_ids:
            guess = difflib.get_close_matches(related, sorted(claim_ids), n=1)
            problems.append(error("SG304", f"unknown related claim '{related}'", where.at(("related", i)),
                                   f"did you mean '{guess[0]}'?" if guess else "check the claim id"))
    return problems


def _unused_sources(sources: list[Source], claims: list[Claim]) -> list[Problem]:
    cited = {c.source.id for claim in claims for c in claim.evidence}
    return [
        Problem("SG307", Severity.WARNING, f"source '{s.id}' is not cited by any claim", s.origin, "cite it from a claim or remove it")
        for s in sources
        if s.id not in cited
    ]


def _doi_clashes(sources: list[Source]) -> list[Problem]:
    problems = []
    by_doi: dict[str, Source] = {}
    for source in sources:
        if not source.doi:
            continue
        other = by_doi.setdefault(source.doi.lower(), source)
        if other is not source and other.title.casefold() != source.title.casefold():
            problems.append(error("SG308", f"DOI {source.doi} is also used by '{other.id}' with a different title", source.origin,
                                   "one of the two DOIs or titles is wrong: check both"))
    return problems
