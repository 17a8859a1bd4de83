"""The field tables of every record type: names, value kinds, whether required, meaning.

These tables are data. ``validate.py`` enforces them and ``schema.py`` turns them into
JSON Schema, so the editor's completion and the validator cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from sitegen.vocabulary import (
    Certainty,
    ClaimKind,
    EvidenceLevel,
    LoweringDomain,
    PageType,
    Population,
    RaisingDomain,
    SourceType,
    Stance,
    StudyDesign,
    Verdict,
)

if TYPE_CHECKING:
    from sitegen.vocabulary import Vocabulary

__all__ = [
    "CERTAINTY_FIELDS",
    "CITATION_FIELDS",
    "CLAIM_FIELDS",
    "HISTORY_FIELDS",
    "REVIEW_FIELDS",
    "SITE_FIELDS",
    "SOURCE_FIELDS",
    "TOPIC_FIELDS",
    "Field",
    "ValueKind",
]


class ValueKind(StrEnum):
    """The shape a field's value must have."""

    TEXT = "text"
    SHORT_TEXT = "short-text"
    SLUG = "slug"
    DATE = "date"
    YEAR = "year"
    MONTHS = "months"
    URL = "url"
    DOI = "doi"
    PMID = "pmid"
    ENUM = "enum"
    TEXT_LIST = "text-list"
    SLUG_LIST = "slug-list"
    RECORD = "record"
    RECORD_LIST = "record-list"


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a record."""

    name: str
    kind: ValueKind
    description: str
    is_required: bool = True
    choices: type[Vocabulary] | None = None
    record: tuple[Field, ...] = ()
    elsewhere: tuple[type[Vocabulary], str] | None = None
    """Values that belong in another field (the vocabulary and that field's name), for the hint."""


REVIEW_FIELDS = (
    Field("date", ValueKind.DATE, "The date the claim was last reviewed (YYYY-MM-DD)."),
    Field("next_due", ValueKind.DATE, "The date by which the claim must be reviewed again (after 'date')."),
)

HISTORY_FIELDS = (
    Field("date", ValueKind.DATE, "When the change was made (YYYY-MM-DD)."),
    Field("change", ValueKind.TEXT, "What changed and why, in plain text."),
)

CITATION_FIELDS = (
    Field("source", ValueKind.SLUG, "The id of a source in the source registry."),
    Field("stance", ValueKind.ENUM, "How this source bears on the claim's statement.", choices=Stance),
    Field("note", ValueKind.TEXT, "What this source adds, in your own words (plain text)."),
)

LOWERED_FIELDS = (
    Field("domain", ValueKind.ENUM, "Why certainty is rated down one step.", choices=LoweringDomain, elsewhere=(RaisingDomain, "raised")),
    Field("reason", ValueKind.TEXT, "What in the evidence for this statement makes this step necessary (plain text)."),
)

RAISED_FIELDS = (
    Field("domain", ValueKind.ENUM, "Why certainty is rated up one step.", choices=RaisingDomain, elsewhere=(LoweringDomain, "lowered")),
    Field("reason", ValueKind.TEXT, "What in the evidence for this statement justifies this step (plain text)."),
)

CERTAINTY_FIELDS = (
    Field("rating", ValueKind.ENUM, "The certainty reached: the start for the evidence level, moved one place per step.", choices=Certainty),
    Field("lowered", ValueKind.RECORD_LIST, "Steps down, one entry per level (list a domain twice for 'very serious').",
          is_required=False, record=LOWERED_FIELDS),
    Field("raised", ValueKind.RECORD_LIST, "Steps up, one entry per level.", is_required=False, record=RAISED_FIELDS),
)

CLAIM_FIELDS = (
    Field("id", ValueKind.SLUG, "Permanent lower-case slug; equal to the file name without .yaml."),
    Field("title", ValueKind.SHORT_TEXT, "A short headline (at most 120 characters)."),
    Field("kind", ValueKind.ENUM, "What the claim is about.", choices=ClaimKind),
    Field("topic", ValueKind.SLUG, "The id of a topic in topics.yaml; equal to the folder the file is in."),
    Field("statement", ValueKind.TEXT, "The claim restated neutrally as one testable sentence."),
    Field("quote", ValueKind.TEXT, "The reviewed work's own words, verbatim.", is_required=False),
    Field("verdict", ValueKind.ENUM, "How well the evidence supports the statement.", choices=Verdict),
    Field("evidence_level", ValueKind.ENUM, "The strongest kind of evidence that tests the statement.", choices=EvidenceLevel),
    Field("certainty", ValueKind.RECORD, "How sure the evidence lets us be, with a reason for each step; required unless evidence_level is none.",
          is_required=False, record=CERTAINTY_FIELDS),
    Field("as_of", ValueKind.DATE, "The date up to which the sources were checked (YYYY-MM-DD); required for legal claims.", is_required=False),
    Field("summary", ValueKind.TEXT, "What the evidence says, in plain language."),
    Field("details", ValueKind.TEXT, "Optional technical detail, one click away.", is_required=False),
    Field("evidence", ValueKind.RECORD_LIST, "The sources cited, each with a stance and a note.", record=CITATION_FIELDS),
    Field("caveats", ValueKind.TEXT_LIST, "Limits of the evidence or of the verdict.", is_required=False),
    Field("related", ValueKind.SLUG_LIST, "Ids of other claims a reader should see next.", is_required=False),
    Field("reviewed", ValueKind.RECORD, "When the claim was reviewed and is due again.", record=REVIEW_FIELDS),
    Field("history", ValueKind.RECORD_LIST, "Dated changes, oldest first.", record=HISTORY_FIELDS),
)

SOURCE_FIELDS = (
    Field("id", ValueKind.SLUG, "Lower-case slug, unique across all source files."),
    Field("type", ValueKind.ENUM, "What kind of publication this is.", choices=SourceType),
    Field("authors", ValueKind.TEXT_LIST, "Author names (Surname Initials) or one organisation."),
    Field("title", ValueKind.TEXT, "The title as published."),
    Field("container", ValueKind.TEXT, "Journal, publisher, agency or website."),
    Field("year", ValueKind.YEAR, "Year of publication (omit only for undated web pages).", is_required=False),
    Field("volume", ValueKind.SHORT_TEXT, "Volume, as published.", is_required=False),
    Field("issue", ValueKind.SHORT_TEXT, "Issue, as published.", is_required=False),
    Field("pages", ValueKind.SHORT_TEXT, "Pages or article number, as published.", is_required=False),
    Field("doi", ValueKind.DOI, "DOI without the https://doi.org/ prefix.", is_required=False),
    Field("pmid", ValueKind.PMID, "PubMed identifier (digits, quoted).", is_required=False),
    Field("url", ValueKind.URL, "An https:// or http:// address.", is_required=False),
    Field("design", ValueKind.ENUM, "The study design.", choices=StudyDesign),
    Field("population", ValueKind.ENUM, "Who or what was studied.", choices=Population),
    Field("verified_against", ValueKind.URL, "Where the details were checked.", is_required=False),
    Field("note", ValueKind.TEXT, "Anything a reader should know about the source.", is_required=False),
)

TOPIC_FIELDS = (
    Field("id", ValueKind.SLUG, "Lower-case slug; the folder of its claims."),
    Field("title", ValueKind.SHORT_TEXT, "The topic's page title."),
    Field("description", ValueKind.TEXT, "One or two sentences shown on the topic page."),
)

_WORK_FIELDS = (
    Field("title", ValueKind.TEXT, "The title of the work under review."),
    Field("description", ValueKind.TEXT, "What the work is."),
    Field("url", ValueKind.URL, "Where the work is published.", is_required=False),
    Field("kind", ValueKind.SHORT_TEXT, "What it is, in lower case, as in 'What the KIND says' (default: article).", is_required=False),
)

_CRISIS_FIELDS = (
    Field("text", ValueKind.TEXT, "The help or crisis notice shown by the crisis marker and on every efficacy claim."),
    Field("url", ValueKind.URL, "A help or crisis service address.", is_required=False),
)

_PAGE_TYPE_FIELDS = tuple(
    Field(kind.value, ValueKind.ENUM, f"The schema.org type of the page of a {kind.value} claim.", is_required=False, choices=PageType)
    for kind in ClaimKind
)

SITE_FIELDS = (
    Field("name", ValueKind.SHORT_TEXT, "The site's name."),
    Field("description", ValueKind.TEXT, "One sentence saying what the site is."),
    Field("reviewed_work", ValueKind.RECORD, "The publication under review (optional).", is_required=False, record=_WORK_FIELDS),
    Field("crisis_help", ValueKind.RECORD, "Where a reader in crisis can get help now (optional: none shown without it).",
          is_required=False, record=_CRISIS_FIELDS),
    Field("caution_notice", ValueKind.TEXT, "The words after 'Caution:' on every efficacy claim (default: a not-medical-advice notice).",
          is_required=False),
    Field("page_types", ValueKind.RECORD, "The schema.org page type for claims of each kind (default: MedicalWebPage; legal: WebPage).",
          is_required=False, record=_PAGE_TYPE_FIELDS),
    Field("as_of_max_age_months", ValueKind.MONTHS, "Warn when a legal claim's as_of is older than this many months (default 6).",
          is_required=False),
)
