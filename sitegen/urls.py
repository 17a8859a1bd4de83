"""Where generated pages live and how pages link to each other (MkDocs' directory URLs)."""

from __future__ import annotations

import functools
import posixpath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sitegen.model import Catalog, Claim

__all__ = [
    "CHANGES_URI",
    "CLAIMS_INDEX_URI",
    "CLAIMS_PREFIX",
    "EVIDENCE_MAP_URI",
    "SOURCES_URI",
    "TABLE_SCRIPT_URI",
    "claim_uri",
    "claims_nav",
    "page_url",
    "relative_url",
    "topic_uri",
]

CLAIMS_PREFIX = "claims"
SOURCES_URI = "sources/index.md"
EVIDENCE_MAP_URI = "evidence-map.md"
CLAIMS_INDEX_URI = f"{CLAIMS_PREFIX}/index.md"
CHANGES_URI = "changes.md"
TABLE_SCRIPT_URI = "assets/sitegen/claims-table.js"


@functools.lru_cache(maxsize=4096)
def page_url(uri: str) -> str:
    """The site-relative URL MkDocs gives a page (``use_directory_urls: true``)."""
    if not uri.endswith(".md"):
        return uri
    stem = uri[:-3]
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


@functools.lru_cache(maxsize=65536)
def relative_url(from_uri: str, to: str) -> str:
    """A link from the page at ``from_uri`` to ``to`` (a page uri or file, optional #fragment)."""
    target, _, fragment = to.partition("#")
    suffix = f"#{fragment}" if fragment else ""
    if not target:
        return suffix or "./"
    here = page_url(from_uri).rstrip("/") or "."
    there = page_url(target)
    path = posixpath.relpath(there or ".", here)
    if there.endswith("/") or not there:
        path = "./" if path == "." else path + "/"
    return path + suffix


def claims_nav(catalog: Catalog) -> list[str | dict[str, list[str]]]:
    """The generated part of a site's nav: the claims by topic, in the order of topics.yaml, then the map and sources.

    Entries are page uris: each page's title (a topic's title from topics.yaml) labels it.
    """
    return [{"Claims": [CLAIMS_INDEX_URI, *(topic_uri(t.id) for t in catalog.topics)]}, EVIDENCE_MAP_URI, SOURCES_URI]


def claim_uri(claim: Claim) -> str:
    return f"{CLAIMS_PREFIX}/{claim.topic}/{claim.id}.md"


def topic_uri(topic_id: str) -> str:
    return f"{CLAIMS_PREFIX}/{topic_id}/index.md"
