"""What a live-preview rebuild must redo: pure bookkeeping for the plugin, no MkDocs here.

Between two rebuilds the plugin keeps the generated pages and the search entries of the
previous one. A page whose generated text is unchanged keeps its written HTML and its
search entries; everything else is rendered again, and pages that went away are removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from sitegen.render import GeneratedPage

__all__ = ["PageChanges", "SearchEntry", "compare_pages", "merge_search_entries"]

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
