"""Cross-record rules: unique ids, resolved references, grading and freshness."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

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
    from collections.abc import Callable, Iterable, Mapping

    from sitegen.model import Topic
    from sitegen.problems import Location
    from sitegen.validate.checker import Checked
    from sitegen.validate.facts import ClaimFacts

__all__ = ["SourceDamage", "build_claim", "check_catalog"]

T = TypeVar("T")


def _check_citations(facts: ClaimFacts, sources: Mapping[str, Source], broken: SourceDamage) -> list[Problem]:
    """Unknown sources; a source whose own record is broken is reported there only, not here again."""
    problems = []
    for source_id, mark in zip(facts.cited, facts.cited_at, strict=True):
        if source_id is None or source_id in sources or source_id in broken.ids:
            continue
        guess = difflib.get_close_matches(source_id, [*sources, *broken.ids], n=1)
        if guess:
            hint = f"did you mean '{guess[0]}'?"
        elif broken.has_unreadable_file:
            hint = "a source file could not be read (see its error): fix that first"
        else:
            hint = "add the source to claims/sources/ first"
        problems.append(error("SG303", f"unknown source '{source_id}'", facts.at(mark), hint))
    return problems


@dataclass(frozen=True, slots=True)
class SourceDamage:
    """Sources that exist but failed their own checks, and whether a whole source file was unreadable."""

    ids: frozenset[str] = frozenset()
    has_unreadable_file: bool = False


def build_claim(facts: ClaimFacts, raw: Checked, sources: Mapping[str, Source]) -> Claim:
    """The typed claim of a file whose fields and references all passed."""
    reviewed = raw["reviewed"]
    return Claim(
        id=ClaimId(str(raw["id"])), title=str(raw["title"]), kind=ClaimKind(raw["kind"]), topic=str(raw["topic"]),
        statement=str(raw["statement"]), verdict=Verdict(raw["verdict"]), evidence_level=EvidenceLevel(raw["evidence_level"]),
        summary=str(raw["summary"]),
        evidence=tuple(Citation(sources[item["source"]], Stance(item["stance"]), item["note"]) for item in raw["evidence"]),
        certainty=build_certainty(raw["evidence_level"], raw.get("certainty")), as_of=raw.get("as_of"),
        reviewed=Review(reviewed["date"], reviewed["next_due"]),
        history=tuple(HistoryEntry(h["date"], h["change"]) for h in raw["history"]),
        origin=facts.at(facts.origin), quote=raw.get("quote"), details=raw.get("details"),
        caveats=tuple(raw.get("caveats") or ()), related=tuple(ClaimId(r) for r in raw.get("related") or ()),
    )


def _duplicates(items: Iterable[tuple[str, T]], where: Callable[[T], Location], code: str, what: str) -> list[Problem]:
    """Both places of each id defined twice (``where`` gives an item's place, only for those)."""
    first: dict[str, T] = {}
    problems = []
    for key, item in items:
        if key in first:
            here, there = where(item), where(first[key])
            problems.append(error(code, f"{what} '{key}' is already defined at {there}", here, "ids must be unique: rename one of them"))
            problems.append(error(code, f"{what} '{key}' is defined again at {here}", there, "ids must be unique: rename one of them"))
        else:
            first[key] = item
    return problems


def _source_origin(source: Source) -> Location:
    return source.origin


def _id_location(facts: ClaimFacts) -> Location:
    return facts.at(facts.id_at)


def check_catalog(
    claims: list[ClaimFacts], sources: list[Source], topics: list[Topic], *, today: dt.date,
    unreadable: frozenset[str] = frozenset(), as_of_max_age_months: int = DEFAULT_AS_OF_MAX_AGE_MONTHS,
    broken_sources: SourceDamage = SourceDamage(),
) -> list[Problem]:
    """Cross-record rules: unique ids, resolved references, grading and freshness.

    A claim citing a broken source (``broken_sources``) gets no error of its own: the
    source's record already has one, and telling the claim to add it would mislead.
    """
    problems = _duplicates([(s.id, s) for s in sources], _source_origin, "SG306", "source")
    source_index: dict[str, Source] = {s.id: s for s in sources}
    problems += _duplicates([(c.id, c) for c in claims if c.id], _id_location, "SG301", "claim")
    claim_ids = {c.id for c in claims if c.id} | unreadable  # an unreadable file's claim still exists
    topic_ids = {t.id for t in topics}
    names = _Names(claim_ids, sorted(claim_ids), topic_ids, sorted(topic_ids))
    cited: set[str] = set()
    built = 0
    for facts in claims:
        found = _check_citations(facts, source_index, broken_sources) + _reference_problems(facts, names)
        problems += found
        grading = facts.grading
        if grading is None or found or any(source in broken_sources.ids for source in grading.sources):
            continue
        problems += evidence_problems(facts, grading, source_index)
        if today > grading.next_due:
            problems.append(Problem("SG302", Severity.WARNING, f"review was due on {grading.next_due}", facts.at(grading.next_due_at),
                                    "review the claim, then move 'next_due' forward and add a history entry"))
        stale = stale_as_of(facts, grading, today=today, max_age_months=as_of_max_age_months)
        problems += [stale] if stale else []
        cited.update(grading.sources)
        built += 1
    if built == len(claims) and not unreadable:  # an unreadable claim may cite any source
        problems += _unused_sources(sources, cited)
    return problems + _doi_clashes(sources)


@dataclass(frozen=True, slots=True)
class _Names:
    """The claim and topic ids references may name, as sets and sorted (for 'did you mean')."""

    claims: set[str]
    sorted_claims: list[str]
    topics: set[str]
    sorted_topics: list[str]


def _reference_problems(facts: ClaimFacts, names: _Names) -> list[Problem]:
    problems = []
    if facts.topic is not None and facts.topic not in names.topics:
        guess = difflib.get_close_matches(facts.topic, names.sorted_topics, n=1)
        problems.append(error("SG305", f"unknown topic '{facts.topic}'", facts.at(facts.topic_at),
                               f"did you mean '{guess[0]}'?" if guess else "add it to claims/topics.yaml"))
    for related, mark in zip(facts.related, facts.related_at, strict=True):
        if related is None:
            continue
        if related == facts.id:
            problems.append(error("SG309", "a claim cannot be related to itself", facts.at(mark), "remove this entry"))
        elif related not in names.claims:
            guess = difflib.get_close_matches(related, names.sorted_claims, n=1)
            problems.append(error("SG304", f"unknown related claim '{related}'", facts.at(mark),
                                   f"did you mean '{guess[0]}'?" if guess else "check the claim id"))
    return problems


def _unused_sources(sources: list[Source], cited: set[str]) -> list[Problem]:
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
