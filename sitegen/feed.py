"""The Atom feed of claim changes (``feed.xml``), built from each claim's ``history``.

A pure, deterministic function of the catalogue: entries newest first, no build time in
it (the feed's ``updated`` is the newest change), and absolute links when the site has an
address. Without one, links are site-relative and ids are URNs that never change.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from sitegen.changes import changes_of
from sitegen.urls import CHANGES_URI, claim_uri, page_url

if TYPE_CHECKING:
    from sitegen.changes import Change
    from sitegen.model import Catalog

__all__ = ["FEED_URI", "atom_feed"]

FEED_URI = "feed.xml"
_EPOCH = dt.date(1970, 1, 1)


def _stamp(date: dt.date) -> str:
    return f"{date.isoformat()}T00:00:00Z"


def _summary(change: Change) -> str:
    # Feed readers show entries out of the site's context: efficacy claims keep their flags.
    flags = "Caution: not medical advice. Needs research. " if change.claim.is_efficacy else ""
    return f"{flags}Verdict: {change.claim.verdict.label}. {change.text}"


def atom_feed(catalog: Catalog, *, site_url: str | None = None) -> str:
    """The Atom 1.0 document listing every claim change.

    Args:
        catalog: a validated catalogue.
        site_url: the site's published address (``https://…/``); links are relative without it.

    Returns:
        The feed as XML text, the same bytes for the same catalogue and address.
    """
    base = site_url.rstrip("/") + "/" if site_url else ""
    changes = changes_of(catalog)
    updated = max((ch.date for ch in changes), default=_EPOCH)
    feed_id = base + FEED_URI if base else "urn:sitegen:feed"
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"<id>{escape(feed_id)}</id>",
        f"<title>{escape(catalog.site.name)}: what changed</title>",
        f"<subtitle>{escape(catalog.site.description)}</subtitle>",
        f"<updated>{_stamp(updated)}</updated>",
        f"<author><name>{escape(catalog.site.name)} contributors</name></author>",
        f"<link rel=\"self\" type=\"application/atom+xml\" href={quoteattr(base + FEED_URI)}/>",
        f"<link rel=\"alternate\" type=\"text/html\" href={quoteattr(base + page_url(CHANGES_URI))}/>",
    ]
    for change in changes:
        url = base + page_url(claim_uri(change.claim))
        entry_id = f"{url}#change-{change.number}" if base else f"urn:sitegen:claim:{change.claim.id}:change:{change.number}"
        lines += [
            "<entry>",
            f"<id>{escape(entry_id)}</id>",
            f"<title>{escape(change.claim.title)}</title>",
            f"<updated>{_stamp(change.date)}</updated>",
            f"<link rel=\"alternate\" type=\"text/html\" href={quoteattr(url)}/>",
            f"<summary type=\"text\">{escape(_summary(change))}</summary>",
            "</entry>",
        ]
    return "\n".join([*lines, "</feed>", ""])
