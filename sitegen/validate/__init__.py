"""The only home of content rules: raw mappings become typed records or located problems.

Field-level checks follow the tables in ``sitegen.fields`` (``values``); each record type
has its own module (``claim``, ``sources``, ``topics``); where files live is ``layout``;
rules across records are ``catalogue`` and ``evidence``. Nothing here raises for bad content.
"""

from __future__ import annotations

from sitegen.validate.catalogue import SourceDamage, build_claim, check_catalog
from sitegen.validate.checker import Checker
from sitegen.validate.claim import validate_claim
from sitegen.validate.facts import ClaimFacts, Grading, claim_facts, facts_from_plain, facts_to_plain
from sitegen.validate.layout import Layout, empty_claim_problem, sort_record_files
from sitegen.validate.sources import declared_source_ids, validate_source_list
from sitegen.validate.topics import validate_site, validate_topic_list
from sitegen.validate.values import DOI, PMID, SHORT_LIMIT, SLUG, URL, check_record

__all__ = [
    "DOI",
    "PMID",
    "SHORT_LIMIT",
    "SLUG",
    "URL",
    "Checker",
    "ClaimFacts",
    "Grading",
    "Layout",
    "SourceDamage",
    "build_claim",
    "check_catalog",
    "check_record",
    "claim_facts",
    "declared_source_ids",
    "empty_claim_problem",
    "facts_from_plain",
    "facts_to_plain",
    "sort_record_files",
    "validate_claim",
    "validate_site",
    "validate_source_list",
    "validate_topic_list",
]
