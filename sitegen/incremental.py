"""What a live-preview rebuild must redo: pure bookkeeping for the plugin, no MkDocs here.

Between two rebuilds the plugin keeps the generated pages and the search entries of the
previous one. A page whose generated text is unchanged keeps its written HTML and its
search entries; everything else is rendered again, and pages that went away are removed.
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from sitegen.model import Catalog, Claim
    from sitegen.page import GeneratedPage

__all__ = [
    "PAGE_ONLY_FIELDS", "PageChanges", "SearchEntry", "carry_over", "compare_pages", "edits_in_place", "is_unchanged_page",
    "merge_search_entries", "pages_showing", "site_fingerprint", "stamp_files",
]

SearchEntry = dict[str, object]


@dataclass(frozen=True, slots=True)
class PageChanges:
    """Which generated pages (by source URI) are new or different, unchanged, or gone."""

    changed: frozenset[str]
    unchanged: frozenset[str]
    removed: frozenset[str]


def compare_pages(previous: Mapping[str, GeneratedPage], pages: Iterable[GeneratedPage], *, everything: bool = False) -> PageChanges:
    """Compare this build's pages with the last build's; ``everything`` marks all as changed."""
    current = {page.uri: page for page in pages}
    unchanged = frozenset() if everything else frozenset(uri for uri, page in current.items() if previous.get(uri) == page)
    return PageChanges(frozenset(current) - unchanged, unchanged, frozenset(previous) - frozenset(current))


PAGE_ONLY_FIELDS = frozenset({"statement", "summary", "details", "caveats"})
"""Claim fields that the built-in templates show only on the claim's own page (and in the exports)."""


def edits_in_place(previous: Catalog, current: Catalog, fields: frozenset[str]) -> tuple[Claim, ...] | None:
    """The claims changed since ``previous`` if no change reaches beyond ``fields``; else ``None``.

    A live preview then rewrites only those claims' pages (and those of claims relating to
    them): every other page shows nothing that changed. A change to anything else (another
    field, an added, removed or moved claim, a source, a topic, the site) needs a whole rebuild.
    """
    if len(previous.claims) != len(current.claims) or replace(current, claims=previous.claims) != previous:
        return None
    edited = []
    for old, new in zip(previous.claims, current.claims, strict=True):
        if old is new or old == new:
            continue
        if old.id != new.id or replace(new, **{name: getattr(old, name) for name in fields}) != old:
            return None
        edited.append(new)
    return tuple(edited)


def carry_over(previous: Catalog, edited: Sequence[Claim]) -> Catalog:
    """``previous`` with the ``edited`` claims in place: equal to the new catalogue, and every unchanged value the same object.

    Work kept for an object (an export's text of a claim) then serves the next load too.
    """
    by_id = {claim.id: claim for claim in edited}
    return replace(previous, claims=tuple(by_id.get(claim.id, claim) for claim in previous.claims))


def pages_showing(current: Catalog, edited: Sequence[Claim]) -> tuple[Claim, ...]:
    """The claims whose pages show an edited claim: the edited ones and those that list one as related."""
    ids = {claim.id for claim in edited}
    return tuple(c for c in current.claims if c.id in ids or not ids.isdisjoint(c.related))


def stamp_files(paths: Iterable[Path]) -> tuple[tuple[str, int, int], ...]:
    """(path, modification time, size) of every file under ``paths``: what a live preview compares to see an edit."""
    stamps = []
    for path in paths:
        for file in sorted(path.rglob("*")) if path.is_dir() else [path]:
            with contextlib.suppress(OSError):  # gone since it was listed: the next stamp differs anyway
                stat = file.stat()
                stamps.append((str(file), stat.st_mtime_ns, stat.st_size))
    return tuple(stamps)


TAGS_MARKER = "<!-- material/tags"
"""Where Material lists pages by tag: such a listing changes with any page's tags, so it is always rendered."""


def is_unchanged_page(text: str, expanded: str, last: str | None, changes: PageChanges) -> bool:
    """Whether a hand-written page renders as last time: the same text with the same generated fragments in it.

    Args:
        text: the page's Markdown.
        expanded: the same with its ``<!-- sitegen:... -->`` markers replaced.
        last: ``expanded`` as it was at the last build (``None``: new page).
        changes: the generated pages' changes; links to claims get flags from the claims'
            data, so a page linking to them follows every change of a generated page.
    """
    links_claims = "claims/" in text and bool(changes.changed)
    return last == expanded and TAGS_MARKER not in text and not links_claims


def site_fingerprint(config_file: Path, custom_dir: str | None, nav: object, pages: Iterable[GeneratedPage]) -> str:
    """Whatever, besides a page's own text, shapes every page: configuration, theme overrides, the titles in the nav.

    ``nav`` is the configured nav (``None``: every page is in the sidebar).
    """
    digest = hashlib.blake2b(config_file.read_bytes(), digest_size=16)
    for path in sorted(Path(custom_dir).rglob("*")) if custom_dir else ():
        digest.update(f"{path}\0{path.stat().st_mtime_ns}\0".encode())
    in_nav = _nav_paths(nav) if nav is not None else None
    for page in pages:
        if in_nav is None or page.uri in in_nav:
            digest.update(f"{page.uri}\0{page.title}\0".encode())
    return digest.hexdigest()


def _nav_paths(nav: object) -> set[str]:
    if isinstance(nav, str):
        return {nav}
    items = nav.values() if isinstance(nav, dict) else nav if isinstance(nav, list) else ()
    return {path for item in items for path in _nav_paths(item)}


def _page_of(entry: SearchEntry) -> str:
    return str(entry.get("location", "")).split("#", 1)[0]


def merge_search_entries(
    order: Sequence[str], fresh: Sequence[SearchEntry], previous: Mapping[str, Sequence[SearchEntry]], kept: frozenset[str]
) -> tuple[list[SearchEntry], dict[str, list[SearchEntry]]]:
    """The whole search index after a partial rebuild, in page order, as a full build would list it.

    Args:
        order: the URL of every page of the site, in build order.
        fresh: the entries the search plugin collected from the pages rendered this time.
        previous: the last build's entries, by page URL.
        kept: URLs of pages not rendered this time, whose last entries still hold.

    Returns:
        The complete list of entries, and the same grouped by page URL for the next rebuild.
    """
    by_page: dict[str, list[SearchEntry]] = {}
    for entry in fresh:
        by_page.setdefault(_page_of(entry), []).append(entry)
    for url in kept:
        if url not in by_page and url in previous:
            by_page[url] = list(previous[url])
    merged = [entry for url in dict.fromkeys(order) for entry in by_page.get(url, ())]
    return merged, {url: by_page[url] for url in dict.fromkeys(order) if url in by_page}
