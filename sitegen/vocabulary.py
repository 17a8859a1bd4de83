"""The closed vocabularies of the catalogue: verdicts, evidence levels, certainty, kinds, designs.

Each vocabulary is an ordered ``StrEnum``: declaration order is the documented order
(strongest evidence first, most favourable verdict first). ``label`` and ``meaning``
are the words shown to readers, contributors and editors (via the JSON Schema).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "DESIGNS_OF_LEVEL",
    "Certainty",
    "ClaimKind",
    "Direction",
    "EvidenceLevel",
    "LoweringDomain",
    "Marker",
    "PageType",
    "Population",
    "RaisingDomain",
    "SourceType",
    "Stance",
    "StudyDesign",
    "Verdict",
    "Vocabulary",
]

class Vocabulary(StrEnum):
    """A closed vocabulary whose members carry a reader-facing label and meaning."""

    @property
    def label(self) -> str:
        return _LABELS.get(self.value, self.value.replace("-", " ").capitalize())

    @property
    def meaning(self) -> str:
        return _MEANINGS[(type(self).__name__, self.value)]

    @property
    def rank(self) -> int:
        return list(type(self)).index(self)


class ClaimKind(Vocabulary):
    """What a claim is about. ``efficacy`` always gets the caution notice."""

    PHYSIOLOGY = "physiology"
    PHARMACOLOGY = "pharmacology"
    EFFICACY = "efficacy"
    SAFETY = "safety"
    LEGAL = "legal"
    TREATMENT = "treatment"


class PageType(Vocabulary):
    """The schema.org types a claim page may declare."""

    MEDICAL_WEB_PAGE = "MedicalWebPage"
    WEB_PAGE = "WebPage"
    ITEM_PAGE = "ItemPage"


class EvidenceLevel(Vocabulary):
    """The evidence ladder, strongest first; ``official-record`` stands outside it."""

    SYSTEMATIC_REVIEW = "systematic-review"
    RCT = "rct"
    OBSERVATIONAL = "observational"
    CASE_REPORTS = "case-reports"
    ANIMAL_LAB = "animal-lab"
    MECHANISM_OPINION = "mechanism-opinion"
    NONE = "none"
    CONSENSUS = "consensus"
    OFFICIAL_RECORD = "official-record"


class Certainty(Vocabulary):
    """GRADE certainty of the evidence for a claim's statement, highest first."""

    HIGH = "high"
    MODERATE = "moderate"
    LOW = "low"
    VERY_LOW = "very-low"


class LoweringDomain(Vocabulary):
    """A GRADE reason to rate certainty down one step."""

    RISK_OF_BIAS = "risk-of-bias"
    INCONSISTENCY = "inconsistency"
    INDIRECTNESS = "indirectness"
    IMPRECISION = "imprecision"
    PUBLICATION_BIAS = "publication-bias"


class RaisingDomain(Vocabulary):
    """A GRADE reason to rate certainty up one step."""

    LARGE_EFFECT = "large-effect"
    DOSE_RESPONSE = "dose-response"
    PLAUSIBLE_CONFOUNDING = "plausible-confounding"


class Marker(Vocabulary):
    """A ``<!-- sitegen:NAME -->`` marker: a hand-written page asks for a generated block."""

    CRISIS = "crisis"
    TOPICS = "topics"
    EVIDENCE_MAP = "evidence-map"
    CLAIMS_TABLE = "claims-table"
    RUBRIC = "rubric"


class Direction(Vocabulary):
    """Whether a step rates certainty down or up."""

    LOWERED = "lowered"
    RAISED = "raised"


class Verdict(Vocabulary):
    """How well the evidence supports a claim's statement, most favourable first."""

    WELL_ESTABLISHED = "well-established"
    SUPPORTED = "supported"
    UNCERTAIN = "uncertain"
    INSUFFICIENT_EVIDENCE = "insufficient-evidence"
    NOT_SUPPORTED = "not-supported"
    MISLEADING = "misleading"


class Stance(Vocabulary):
    """How a cited source bears on the claim's statement."""

    SUPPORTS = "supports"
    CONTRADICTS = "contradicts"
    CONTEXT = "context"


class SourceType(Vocabulary):
    """What kind of publication a source is."""

    JOURNAL_ARTICLE = "journal-article"
    REPORT = "report"
    REGULATORY_STATEMENT = "regulatory-statement"
    LEGISLATION = "legislation"
    WEB_PAGE = "web-page"
    NEWS_REPORT = "news-report"
    DATABASE_ENTRY = "database-entry"
    BOOK = "book"


class StudyDesign(Vocabulary):
    """The design of the study or document a source reports."""

    SYSTEMATIC_REVIEW = "systematic-review"
    META_ANALYSIS = "meta-analysis"
    RCT = "rct"
    NON_RANDOMISED_TRIAL = "non-randomised-trial"
    COHORT = "cohort"
    CASE_CONTROL = "case-control"
    CROSS_SECTIONAL_SURVEY = "cross-sectional-survey"
    ECOLOGICAL_MOMENTARY_ASSESSMENT = "ecological-momentary-assessment"
    CASE_SERIES = "case-series"
    CASE_REPORT = "case-report"
    SURVEILLANCE = "surveillance"
    ANIMAL = "animal"
    IN_VITRO = "in-vitro"
    NARRATIVE_REVIEW = "narrative-review"
    GUIDELINE = "guideline"
    REGULATORY = "regulatory"
    LEGISLATION = "legislation"
    NEWS_REPORT = "news-report"
    DATABASE_ENTRY = "database-entry"
    EXPERT_OPINION = "expert-opinion"


class Population(Vocabulary):
    """Who or what was studied."""

    HUMANS = "humans"
    ANIMALS = "animals"
    IN_VITRO = "in-vitro"
    NOT_APPLICABLE = "not-applicable"


_LABELS = {
    "rct": "Randomised controlled trial",
    "in-vitro": "Laboratory (in vitro)",
    "animal-lab": "Animal and laboratory studies",
    "case-reports": "Case reports and surveillance",
    "mechanism-opinion": "Mechanism or expert opinion",
    "none": "No evidence",
    "consensus": "Scientific consensus",
    "dose-response": "Dose-response gradient",
    "lowered": "Rated down",
    "raised": "Rated up",
    "very-low": "Very low",
    "not-applicable": "Not applicable",
    "MedicalWebPage": "MedicalWebPage",
    "WebPage": "WebPage",
    "ItemPage": "ItemPage",
    "non-randomised-trial": "Non-randomised trial",
    "ecological-momentary-assessment": "Real-time diary study",
}

_MEANINGS: dict[tuple[str, str], str] = {
    ("PageType", "MedicalWebPage"): "A page about a health topic (schema.org MedicalWebPage).",
    ("PageType", "WebPage"): "A general web page (schema.org WebPage).",
    ("PageType", "ItemPage"): "A page about one item (schema.org ItemPage).",
    ("ClaimKind", "physiology"): "How the body or brain works.",
    ("ClaimKind", "pharmacology"): "What a substance is and what it does in cells, animals or the body.",
    ("ClaimKind", "efficacy"): "A claim that something treats, prevents or relieves a condition. Always shown with a caution notice and a needs-research flag.",
    ("ClaimKind", "safety"): "Harms, risks, side effects, interactions or product quality.",
    ("ClaimKind", "legal"): "Legal or regulatory status.",
    ("ClaimKind", "treatment"): "What established, evidence-based care looks like.",
    ("EvidenceLevel", "systematic-review"): "Systematic reviews or meta-analyses of human studies.",
    ("EvidenceLevel", "rct"): "At least one randomised controlled trial in humans.",
    ("EvidenceLevel", "observational"): "Human observational data: cohorts, case-control studies, surveys (self-report).",
    ("EvidenceLevel", "case-reports"): "Case reports, case series, poison-centre and surveillance data: shows something can happen, not how often or why.",
    ("EvidenceLevel", "animal-lab"): "Animal and laboratory studies: mechanism is not clinical effect.",
    ("EvidenceLevel", "mechanism-opinion"): "Reasoning from mechanism, narrative reviews or expert opinion.",
    ("EvidenceLevel", "none"): "No relevant evidence was found.",
    ("EvidenceLevel", "consensus"): "Established scientific knowledge set out in textbooks and expert reviews, built on many studies; not used for efficacy claims.",
    ("EvidenceLevel", "official-record"): "Official records for legal and regulatory facts; not part of the evidence ladder.",
    ("Certainty", "high"): "We are confident in what the evidence shows: further research is very unlikely to change it.",
    ("Certainty", "moderate"): "What the evidence shows is probably right, but further research could change it.",
    ("Certainty", "low"): "What the evidence shows may be wrong: further research is likely to change it.",
    ("Certainty", "very-low"): "We are very uncertain about what the evidence shows: better research could change it completely.",
    ("LoweringDomain", "risk-of-bias"): "Flaws in how the studies were designed or run (for example no comparison group, self-report, self-selected samples).",
    ("LoweringDomain", "inconsistency"): "The studies disagree with each other more than chance explains.",
    ("LoweringDomain", "indirectness"): "The studies answer a different question: another population, product, outcome or comparison than the statement's.",
    ("LoweringDomain", "imprecision"): "Few people or events, so the result could easily be larger, smaller or absent.",
    ("LoweringDomain", "publication-bias"): "Studies with unwelcome results are likely missing from what was published.",
    ("RaisingDomain", "large-effect"): "The effect or association is so large and specific that bias is unlikely to explain it.",
    ("RaisingDomain", "dose-response"): "More exposure goes with more effect, a gradient that supports a real link.",
    ("RaisingDomain", "plausible-confounding"): "Every plausible bias would have made the effect smaller, yet it is still seen.",
    ("Direction", "lowered"): "Certainty rated down one level.",
    ("Direction", "raised"): "Certainty rated up one level.",
    ("Verdict", "well-established"): "Consistent, high-quality evidence; experts broadly agree.",
    ("Verdict", "supported"): "Good evidence supports it, with the limits stated in the caveats.",
    ("Verdict", "uncertain"): "Evidence points both ways or is of low quality.",
    ("Verdict", "insufficient-evidence"): "Too little evidence to judge: not shown true or false.",
    ("Verdict", "not-supported"): "The available evidence does not support it, or contradicts it.",
    ("Verdict", "misleading"): "Contains some truth but is framed so that readers are likely to draw a wrong conclusion.",
    ("Stance", "supports"): "The source supports the claim's statement.",
    ("Stance", "contradicts"): "The source contradicts the claim's statement.",
    ("Stance", "context"): "The source gives background without testing the statement.",
    ("Marker", "crisis"): "The help or crisis line from site.yaml (nothing when the site sets none).",
    ("Marker", "topics"): "The list of topics, in the order of topics.yaml, with their claim counts.",
    ("Marker", "evidence-map"): "The evidence map: claims by topic and level of evidence, as a chart and a table.",
    ("Marker", "claims-table"): "A table of every claim, with the reviewed work's words and the verdict.",
    ("Marker", "rubric"): "The verdicts, evidence levels and certainty ratings, with what each means.",
}
for _enum in (SourceType, StudyDesign, Population):
    for _member in _enum:
        _MEANINGS[(_enum.__name__, _member.value)] = _member.label + "."

DESIGNS_OF_LEVEL: Mapping[EvidenceLevel, frozenset[StudyDesign]] = {
    EvidenceLevel.SYSTEMATIC_REVIEW: frozenset({StudyDesign.SYSTEMATIC_REVIEW, StudyDesign.META_ANALYSIS}),
    EvidenceLevel.RCT: frozenset({StudyDesign.RCT, StudyDesign.SYSTEMATIC_REVIEW, StudyDesign.META_ANALYSIS}),
    EvidenceLevel.OBSERVATIONAL: frozenset(
        {
            StudyDesign.COHORT,
            StudyDesign.CASE_CONTROL,
            StudyDesign.CROSS_SECTIONAL_SURVEY,
            StudyDesign.ECOLOGICAL_MOMENTARY_ASSESSMENT,
            StudyDesign.NON_RANDOMISED_TRIAL,
            StudyDesign.SYSTEMATIC_REVIEW,
            StudyDesign.META_ANALYSIS,
        }
    ),
    EvidenceLevel.CASE_REPORTS: frozenset(
        {StudyDesign.CASE_REPORT, StudyDesign.CASE_SERIES, StudyDesign.SURVEILLANCE, StudyDesign.DATABASE_ENTRY}
    ),
    EvidenceLevel.CONSENSUS: frozenset(
        {StudyDesign.NARRATIVE_REVIEW, StudyDesign.GUIDELINE, StudyDesign.SYSTEMATIC_REVIEW, StudyDesign.META_ANALYSIS}
    ),
    EvidenceLevel.OFFICIAL_RECORD: frozenset(
        {StudyDesign.REGULATORY, StudyDesign.LEGISLATION, StudyDesign.GUIDELINE, StudyDesign.DATABASE_ENTRY}
    ),
}
"""For the levels listed, at least one cited source must have one of these designs."""
