"""A claim page's structured data: schema.org ``ClaimReview`` and page records, as JSON safe in a script element."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from markupsafe import Markup

from sitegen.model import Verdict

if TYPE_CHECKING:
    from sitegen.model import Claim, SiteInfo, Source

__all__ = ["claim_jsonld", "json_for_script"]


def json_for_script(data: object) -> Markup:
    """JSON safe to embed in a <script> element: no '<', '>' or '&' survive literally."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=None)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def claim_jsonld(claim: Claim, *, site: SiteInfo, url: str) -> list[dict[str, object]]:
    """The ``ClaimReview`` and the page record for a claim page published at ``url``."""
    claimed: dict[str, object] = {"@type": "Claim", "text": claim.statement}
    if site.reviewed_work:
        work = site.reviewed_work
        appearance: dict[str, object] = {"@type": "CreativeWork", "name": work.title, "description": work.description}
        if work.url:
            appearance["url"] = work.url
        claimed["appearance"] = appearance
    rating: dict[str, object] = {"@type": "Rating", "alternateName": claim.verdict.label, "ratingValue": len(Verdict) - claim.verdict.rank,
              "bestRating": len(Verdict), "worstRating": 1, "ratingExplanation": claim.summary}
    review: dict[str, object] = {"@context": "https://schema.org", "@type": "ClaimReview", "claimReviewed": claim.quote or claim.statement,
              "reviewRating": rating, "itemReviewed": claimed,
              "author": {"@type": "Organization", "name": f"{site.name} contributors"},
              "datePublished": claim.history[0].date.isoformat(), "url": url}
    page: dict[str, object] = {"@context": "https://schema.org", "@type": site.page_type(claim.kind), "name": claim.title,
            "lastReviewed": claim.reviewed.date.isoformat(), "about": {"@type": "Thing", "name": claim.statement},
            "url": url, "citation": [_citation(c.source) for c in claim.evidence]}
    return [review, page]


def _citation(source: Source) -> dict[str, object]:
    entry: dict[str, object] = {"@type": "CreativeWork", "name": source.title}
    if source.year:
        entry["datePublished"] = str(source.year)
    if source.link:
        entry["url"] = source.link
    return entry
