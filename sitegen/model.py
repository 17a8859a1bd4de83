"""Typed, frozen records of the catalogue; the vocabularies they use live in ``sitegen.vocabulary``
and are importable from here too."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, NewType

from sitegen.vocabulary import (
    DESIGNS_OF_LEVEL,
    Certainty,
    ClaimKind,
    Direction,
    EvidenceLevel,
    LoweringDomain,
    Marker,
    PageType,
    Population,
    RaisingDomain,
    SourceType,
    Stance,
    StudyDesign,
    Verdict,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from sitegen.problems import Location

__all__ = [
    "DEFAULT_CAUTION",
    "DEFAULT_PAGE_TYPES",
    "DESIGNS_OF_LEVEL",
    "Catalog",
    "Certainty",
    "CertaintyAssessment",
    "CertaintyStep",
    "Citation",
    "Claim",
    "ClaimId",
    "ClaimKind",
    "Direction",
    "EvidenceLevel",
    "HistoryEntry",
    "LoweringDomain",
    "Marker",
    "PageType",
    "Population",
    "RaisingDomain",
    "Review",
    "ReviewedWork",
    "SiteInfo",
    "Source",
    "SourceId",
    "SourceType",
    "Stance",
    "StudyDesign",
    "Topic",
    "Verdict",
]

DEFAULT_AS_OF_MAX_AGE_MONTHS = 6
"""How old a legal claim's ``as_of`` may be before a warning, unless site.yaml says otherwise."""

ClaimId = NewType("ClaimId", str)
SourceId = NewType("SourceId", str)


@dataclass(frozen=True, slots=True)
class Source:
    """A checked reference that claims cite by id."""

    id: SourceId
    type: SourceType
    authors: tuple[str, ...]
    title: str
    container: str
    year: int | None
    design: StudyDesign
    population: Population
    origin: Location
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    pmid: str | None = None
    url: str | None = None
    verified_against: str | None = None
    note: str | None = None

    @property
    def doi_url(self) -> str | None:
        return f"https://doi.org/{self.doi}" if self.doi else None

    @property
    def pubmed_url(self) -> str | None:
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else None

    @property
    def link(self) -> str | None:
        """The best address for a reader: DOI, then PubMed, then the URL."""
        return self.doi_url or self.pubmed_url or self.url


@dataclass(frozen=True, slots=True)
class Citation:
    """One source cited by a claim, with its stance towards the statement."""

    source: Source
    stance: Stance
    note: str


@dataclass(frozen=True, slots=True)
class Review:
    """When a claim was last reviewed and when it is due again."""

    date: dt.date
    next_due: dt.date

    def is_overdue(self, today: dt.date) -> bool:
        return today > self.next_due


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """A dated change to a claim."""

    date: dt.date
    change: str


@dataclass(frozen=True, slots=True)
class CertaintyStep:
    """One step of one level from the starting certainty, with the reviewer's reason."""

    direction: Direction
    domain: LoweringDomain | RaisingDomain
    reason: str


@dataclass(frozen=True, slots=True)
class CertaintyAssessment:
    """The reviewer's certainty judgement: where it starts, each step, where it ends.

    ``rating`` and ``start`` are ``None`` for evidence level ``none``: there is no
    evidence whose certainty could be rated.
    """

    rating: Certainty | None
    start: Certainty | None
    steps: tuple[CertaintyStep, ...] = ()

    @property
    def lowered(self) -> tuple[CertaintyStep, ...]:
        return tuple(s for s in self.steps if s.direction is Direction.LOWERED)

    @property
    def raised(self) -> tuple[CertaintyStep, ...]:
        return tuple(s for s in self.steps if s.direction is Direction.RAISED)


@dataclass(frozen=True, slots=True)
class Claim:
    """One assertion, graded."""

    id: ClaimId
    title: str
    kind: ClaimKind
    topic: str
    statement: str
    verdict: Verdict
    evidence_level: EvidenceLevel
    summary: str
    evidence: tuple[Citation, ...]
    certainty: CertaintyAssessment
    reviewed: Review
    history: tuple[HistoryEntry, ...]
    origin: Location
    as_of: dt.date | None = None
    """The date up to which the sources were checked (required for legal claims)."""
    quote: str | None = None
    details: str | None = None
    caveats: tuple[str, ...] = ()
    related: tuple[ClaimId, ...] = ()

    @property
    def is_efficacy(self) -> bool:
        """Efficacy claims always carry the caution notice and the needs-research flag."""
        return self.kind is ClaimKind.EFFICACY


@dataclass(frozen=True, slots=True)
class Topic:
    """A group of claims with its own page."""

    id: str
    title: str
    description: str
    origin: Location


@dataclass(frozen=True, slots=True)
class ReviewedWork:
    """The publication under review."""

    title: str
    description: str
    url: str | None = None
    kind: str = "article"
    """What it is, in a few lower-case words ("article", "set of marketing claims"): pages say "What the KIND says"."""


DEFAULT_CAUTION = (
    "this is a claim that something treats or relieves a health condition. It is not medical advice. "
    "Do not start, stop or change any treatment without talking to a qualified clinician."
)
"""The caution notice on every efficacy claim, unless ``site.yaml`` words it otherwise."""

DEFAULT_PAGE_TYPES: Mapping[ClaimKind, PageType] = {
    ClaimKind.PHYSIOLOGY: PageType.MEDICAL_WEB_PAGE,
    ClaimKind.PHARMACOLOGY: PageType.MEDICAL_WEB_PAGE,
    ClaimKind.EFFICACY: PageType.MEDICAL_WEB_PAGE,
    ClaimKind.SAFETY: PageType.MEDICAL_WEB_PAGE,
    ClaimKind.LEGAL: PageType.WEB_PAGE,
    ClaimKind.TREATMENT: PageType.MEDICAL_WEB_PAGE,
}
"""The schema.org page type of a claim page, by kind, unless ``site.yaml`` sets ``page_types``."""


@dataclass(frozen=True, slots=True)
class SiteInfo:
    """Site-wide settings read from ``site.yaml``; everything but the name and description is optional."""

    name: str
    description: str
    reviewed_work: ReviewedWork | None = None
    crisis_text: str | None = None
    """The help or crisis line shown on efficacy claim pages and by the ``crisis`` marker (none: not shown)."""
    crisis_url: str | None = None
    caution_text: str = DEFAULT_CAUTION
    page_types: tuple[tuple[ClaimKind, PageType], ...] = ()
    """Overrides of ``DEFAULT_PAGE_TYPES``, as (kind, schema.org type) pairs."""

    def page_type(self, kind: ClaimKind) -> PageType:
        """The schema.org type of the page of a claim of this kind."""
        return dict(self.page_types).get(kind, DEFAULT_PAGE_TYPES[kind])
    as_of_max_age_months: int = DEFAULT_AS_OF_MAX_AGE_MONTHS
    """How old a legal claim's ``as_of`` may be before the validator warns (SG314)."""


@dataclass(frozen=True, slots=True)
class Catalog:
    """Everything validated: claims and sources sorted by id, topics in reading order."""

    site: SiteInfo
    topics: tuple[Topic, ...]
    claims: tuple[Claim, ...]
    sources: tuple[Source, ...]

    def claims_by_topic(self) -> dict[str, tuple[Claim, ...]]:
        """Claims grouped by topic id, in one pass; every topic present."""
        groups: dict[str, list[Claim]] = {t.id: [] for t in self.topics}
        for claim in self.claims:
            groups.setdefault(claim.topic, []).append(claim)
        return {k: tuple(v) for k, v in groups.items()}
