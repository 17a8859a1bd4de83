"""Bookkeeping of a partial rebuild: which pages changed, and the complete search index."""

from __future__ import annotations

from markupsafe import Markup

from sitegen.incremental import compare_pages, merge_search_entries
from sitegen.render import GeneratedPage


def _page(uri: str, body: str) -> GeneratedPage:
    return GeneratedPage(uri, uri, Markup(body))


def test_compare_pages() -> None:
    before = {p.uri: p for p in (_page("a.md", "1"), _page("b.md", "2"), _page("c.md", "3"))}
    changes = compare_pages(before, [_page("a.md", "1"), _page("b.md", "two"), _page("d.md", "4")])
    assert (changes.changed, changes.unchanged, changes.removed) == ({"b.md", "d.md"}, {"a.md"}, {"c.md"})
    assert compare_pages(before, before.values(), everything=True).unchanged == frozenset()


def test_merged_search_entries_keep_page_order_and_drop_removed_pages() -> None:
    previous = {"": [{"location": ""}], "a/": [{"location": "a/"}, {"location": "a/#x"}], "gone/": [{"location": "gone/"}]}
    fresh = [{"location": "b/", "text": "new"}, {"location": "", "text": "home again"}]
    merged, grouped = merge_search_entries(["", "a/", "b/"], fresh, previous, frozenset({"a/"}))
    assert merged == [{"location": "", "text": "home again"}, {"location": "a/"}, {"location": "a/#x"}, {"location": "b/", "text": "new"}]
    assert list(grouped) == ["", "a/", "b/"]
