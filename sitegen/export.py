"""Deterministic data exports: claims.json, claims.csv, CSL-JSON and BibTeX of the sources."""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from typing import TYPE_CHECKING

from sitegen.urls import claim_uri, page_url

if TYPE_CHECKING:
    from collections.abc import Callable

    from sitegen.model import Catalog, Claim, Source

__all__ = ["SCHEMA_VERSION", "export_files"]

SCHEMA_VERSION = "2.0"
_CSL_TYPES = {
    "journal-article": "article-journal",
    "report": "report",
    "regulatory-statement": "document",
    "legislation": "legislation",
    "web-page": "webpage",
    "news-report": "article-newspaper",
    "database-entry": "entry",
    "book": "book",
}
_BIB_TYPES = {"journal-article": "article", "book": "book", "report": "techreport"}
# The field that holds a source's container for each BibTeX type: what the standard styles
# require (a report's container is the body that issued it, a book's is its publisher).
_BIB_CONTAINER = {"article": "journal", "book": "publisher", "techreport": "institution", "misc": "howpublished"}


def _source_record(source: Source) -> dict[str, object]:
    return {
        "id": source.id, "type": source.type.value, "authors": list(source.authors), "title": source.title,
        "container": source.container, "year": source.year, "volume": source.volume, "issue": source.issue,
        "pages": source.pages, "doi": source.doi, "pmid": source.pmid, "url": source.url,
        "link": source.link, "design": source.design.value, "population": source.population.value,
    }


def _certainty_record(claim: Claim) -> dict[str, object]:
    assessment = claim.certainty
    return {
        "certainty": assessment.rating.value if assessment.rating else None,
        "certainty_start": assessment.start.value if assessment.start else None,
        "certainty_reasons": [
            {"direction": step.direction.value, "domain": step.domain.value, "reason": step.reason} for step in assessment.steps
        ],
    }


def _claim_record(claim: Claim) -> dict[str, object]:
    return {
        "id": claim.id, "title": claim.title, "kind": claim.kind.value, "topic": claim.topic,
        "statement": claim.statement, "quote": claim.quote, "verdict": claim.verdict.value,
        "evidence_level": claim.evidence_level.value, **_certainty_record(claim),
        "as_of": claim.as_of.isoformat() if claim.as_of else None,
        "summary": claim.summary, "caveats": list(claim.caveats), "related": list(claim.related),
        "caution_notice": claim.is_efficacy, "needs_research": claim.is_efficacy,
        "reviewed": claim.reviewed.date.isoformat(), "next_review_due": claim.reviewed.next_due.isoformat(),
        "url": page_url(claim_uri(claim)),
        "sources": [
            {"id": c.source.id, "title": c.source.title, "year": c.source.year, "doi": c.source.doi,
             "pmid": c.source.pmid, "url": c.source.link, "stance": c.stance.value, "note": c.note}
            for c in claim.evidence
        ],
    }


_SLOT = ': [\n    0\n  ]'
"""Where a list goes in the document, in its key's place. Each claim's text is kept (by the claim
object, see ``_kept_text``), so a live preview that changed one claim serialises that one again,
with the same bytes as one whole ``json.dumps``."""
_KEPT: dict[tuple[str, int], tuple[object, str]] = {}


def _kept_text(kind: str, value: Claim, make: Callable[[Claim], str]) -> str:
    """``make(value)``, remembered for this very object (a frozen value, so its text never changes)."""
    found = _KEPT.get((kind, id(value)))
    if found is not None and found[0] is value:
        return found[1]
    if len(_KEPT) > 1 << 17:  # objects of old loads: start again
        _KEPT.clear()
    text = make(value)
    _KEPT[(kind, id(value))] = (value, text)
    return text


def _claim_json(claim: Claim) -> str:
    """One claim as an element of the claims list, indented as ``json.dumps`` nests it."""
    return "    " + json.dumps(_claim_record(claim), ensure_ascii=False, indent=2, sort_keys=True).replace("\n", "\n    ")


@functools.lru_cache(maxsize=4)
def _sources_json(sources: tuple[Source, ...]) -> str:
    return json.dumps([_source_record(s) for s in sources], ensure_ascii=False, indent=2, sort_keys=True).replace("\n", "\n  ")


def claims_json(catalog: Catalog) -> str:
    """The versioned catalogue: every claim with its resolved sources, and every source."""
    data = {"schema_version": SCHEMA_VERSION, "site": catalog.site.name, "claims": [0] if catalog.claims else [], "sources": [0] if catalog.sources else []}
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
    if catalog.claims:  # "claims" sorts first, "sources" last
        text = text.replace('"claims"' + _SLOT, '"claims": [\n' + ",\n".join(_kept_text("json", c, _claim_json) for c in catalog.claims) + "\n  ]", 1)
    if catalog.sources:
        head, _, tail = text.rpartition('"sources"' + _SLOT)
        text = head + '"sources": ' + _sources_json(catalog.sources) + tail
    return text + "\n"


_CSV_FIELDS = ["id", "title", "kind", "topic", "verdict", "evidence_level", "certainty", "as_of", "statement", "quote", "url", "reviewed",
               "next_review_due", "sources"]


def _claim_csv(claim: Claim) -> str:
    buffer = io.StringIO()
    record = _claim_record(claim)
    row = {k: record[k] for k in _CSV_FIELDS if k != "sources"}
    row.update({k: row[k] or "" for k in ("quote", "certainty", "as_of")})
    row["sources"] = " ".join(c.source.id for c in claim.evidence)
    csv.DictWriter(buffer, fieldnames=_CSV_FIELDS, lineterminator="\n").writerow(_defuse_row(row))
    return buffer.getvalue()


def claims_csv(catalog: Catalog) -> str:
    """One row per claim, for spreadsheets."""
    buffer = io.StringIO()
    csv.DictWriter(buffer, fieldnames=_CSV_FIELDS, lineterminator="\n").writeheader()
    return buffer.getvalue() + "".join(_kept_text("csv", claim, _claim_csv) for claim in catalog.claims)


def _defuse_row(row: dict[str, object]) -> dict[str, object]:
    """Stop spreadsheet formula injection: text starting with = + - @ gets a leading quote."""
    return {k: ("'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") else v) for k, v in row.items()}


def _csl_author(name: str) -> dict[str, str]:
    parts = name.rsplit(" ", 1)
    if len(parts) == 2 and parts[1].isupper() and len(parts[1]) <= 4:
        return {"family": parts[0], "given": parts[1]}
    return {"literal": name}


def sources_csl(catalog: Catalog) -> str:
    """The sources as CSL-JSON (an array of items), as reference managers import it."""
    return _sources_csl(catalog.sources)


@functools.lru_cache(maxsize=4)
def _sources_csl(sources: tuple[Source, ...]) -> str:
    items = []
    for source in sources:
        item: dict[str, object] = {
            "id": source.id, "type": _CSL_TYPES[source.type.value], "title": source.title,
            "container-title": source.container,
            "author": [_csl_author(a) for a in source.authors],
        }
        optional = {"volume": source.volume, "issue": source.issue, "page": source.pages,
                    "DOI": source.doi, "PMID": source.pmid, "URL": source.url or source.link}
        item.update({k: v for k, v in optional.items() if v})
        if source.year:
            item["issued"] = {"date-parts": [[source.year]]}
        items.append(item)
    return json.dumps(items, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _bib_escape(text: str) -> str:
    # BibTeX counts braces even after a backslash, so braces become parentheses
    text = text.replace("\\", "/").replace("{", "(").replace("}", ")")
    return re.sub(r"([&%$#_^~])", r"\\\1", text)


def sources_bibtex(catalog: Catalog) -> str:
    """The sources as BibTeX entries keyed by source id."""
    return _sources_bibtex(catalog.sources)


@functools.lru_cache(maxsize=4)
def _sources_bibtex(sources: tuple[Source, ...]) -> str:
    entries = []
    for source in sources:
        # article, book and techreport require a year; with none recorded, @misc (never a guessed year)
        kind = _BIB_TYPES.get(source.type.value, "misc") if source.year else "misc"
        raw = {"url": source.url, "doi": source.doi}
        fields = {
            "author": " and ".join("{" + _bib_escape(a) + "}" for a in source.authors),
            "title": "{" + _bib_escape(source.title) + "}",
            _BIB_CONTAINER[kind]: _bib_escape(source.container),
            "year": str(source.year or ""),
            "volume": _bib_escape(source.volume or ""), "number": _bib_escape(source.issue or ""),
            "pages": _bib_escape(source.pages or ""), "pmid": source.pmid,
            **{k: re.sub(r"[{}\\]", "", v) for k, v in raw.items() if v},
        }
        body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items() if v)
        entries.append(f"@{kind}{{{source.id},\n{body}\n}}\n")
    return "\n".join(entries)


def export_files(catalog: Catalog) -> dict[str, str]:
    """Every export, by the site-root path it is published at."""
    return {
        "claims.json": claims_json(catalog),
        "claims.csv": claims_csv(catalog),
        "sources.json": sources_csl(catalog),
        "sources.bib": sources_bibtex(catalog),
    }
