"""Bookkeeping of a partial rebuild: which pages changed, and the complete search index."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from markupsafe import Markup

from sitegen.incremental import (
    PAGE_ONLY_FIELDS,
    PageChanges,
    carry_over,
    compare_pages,
    edits_in_place,
    is_unchanged_page,
    merge_search_entries,
    pages_showing,
)
from sitegen.page import GeneratedPage
from sitegen.site import Rewrite, build_site_output, page_only_fields, rewrite_edited
from sitegen.templating import environment
from sitegen.urls import claim_uri
from tests.conftest import PROJECT_TODAY

if TYPE_CHECKING:
    from pathlib import Path

    from sitegen.model import Catalog


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


def _with_claim(catalog: Catalog, index: int, **changes: object) -> Catalog:
    claims = list(catalog.claims)
    claims[index] = replace(claims[index], **changes)
    return replace(catalog, claims=tuple(claims))


def test_edits_in_place_are_the_claims_changed_only_in_the_given_fields(catalog: Catalog) -> None:
    safety = next(i for i, c in enumerate(catalog.claims) if c.id == "herb-harms-liver")
    edited = _with_claim(catalog, safety, statement="New words.", caveats=("One more.",))
    assert edits_in_place(catalog, edited, PAGE_ONLY_FIELDS) == (edited.claims[safety],)
    assert edits_in_place(catalog, catalog, PAGE_ONLY_FIELDS) == ()
    assert edits_in_place(catalog, _with_claim(catalog, safety, title="Other"), PAGE_ONLY_FIELDS) is None
    assert edits_in_place(catalog, replace(catalog, claims=catalog.claims[:1]), PAGE_ONLY_FIELDS) is None
    assert edits_in_place(catalog, replace(catalog, topics=catalog.topics[::-1]), PAGE_ONLY_FIELDS) is None


def test_pages_showing_an_edited_claim_include_those_relating_to_it(catalog: Catalog) -> None:
    safety = next(c for c in catalog.claims if c.id == "herb-harms-liver")
    assert {c.id for c in pages_showing(catalog, [safety])} == {"herb-harms-liver", "herb-relieves-low-mood"}


def test_no_page_but_its_own_shows_a_claims_page_only_fields(catalog: Catalog) -> None:
    """What lets a live preview rewrite only the claim's page: every other page, fragment and file stays the same."""
    changed = catalog
    for index in range(len(catalog.claims)):
        changed = _with_claim(changed, index, statement="Other words.", summary="Another summary. Two.", details="More.", caveats=("New.",))

    def everything_else(of: Catalog) -> list[object]:
        output = build_site_output(of, today=PROJECT_TODAY, site_url="https://example.org/")
        renderer = output.renderer
        others = [page for page in output.pages if page.uri not in {claim_uri(c) for c in of.claims}]
        fragments = [renderer.fragment(name, "index.md") for name in ("evidence-map", "topics", "claims-table", "crisis", "rubric")]
        links = renderer.flag_mentions('<a href="claims/efficacy-claims/herb-relieves-low-mood/">x</a>', "index.md")
        return [others, fragments, links, [(uri, text) for uri, text in output.files if not uri.startswith("claims.")]]

    assert everything_else(changed) == everything_else(catalog)
    assert page_only_fields(environment(None)) == PAGE_ONLY_FIELDS


def test_a_template_override_that_shows_a_field_elsewhere_makes_it_shared(tmp_path: Path) -> None:
    (tmp_path / "topic_page.html.j2").write_text('{{ claims | map(attribute="summary") | join }}\n', encoding="utf-8")
    assert page_only_fields(environment(tmp_path)) == PAGE_ONLY_FIELDS - {"summary"}


def test_carry_over_keeps_unchanged_values_as_they_were(catalog: Catalog) -> None:
    edited = replace(catalog.claims[0], statement="Other words.")
    merged = carry_over(catalog, [edited])
    assert merged.claims[0] is edited and merged.claims[1:] == catalog.claims[1:] and merged.claims[1] is catalog.claims[1]
    assert merged.sources is catalog.sources


def test_a_hand_written_page_is_rendered_again_when_its_text_fragments_or_linked_claims_change() -> None:
    nothing, something = PageChanges(frozenset(), frozenset({"a.md"}), frozenset()), PageChanges(frozenset({"a.md"}), frozenset(), frozenset())
    assert is_unchanged_page("# Hi", "# Hi", "# Hi", something)
    assert not is_unchanged_page("# Hi", "# Hi", "# Hello", nothing)
    assert not is_unchanged_page("# Hi", "# Hi", None, nothing)
    assert not is_unchanged_page("[a](claims/x/a/)", "[a](claims/x/a/)", "[a](claims/x/a/)", something)
    assert is_unchanged_page("[a](claims/x/a/)", "[a](claims/x/a/)", "[a](claims/x/a/)", nothing)
    assert not is_unchanged_page("<!-- material/tags -->", "<!-- material/tags -->", "<!-- material/tags -->", nothing)


def test_rewrite_after_a_statement_edit_is_the_claim_page_and_the_claim_exports(catalog: Catalog) -> None:
    output = build_site_output(catalog, today=PROJECT_TODAY)
    safety = next(i for i, c in enumerate(catalog.claims) if c.id == "herb-harms-liver")

    def rewrite(of: Catalog) -> Rewrite | None:
        return rewrite_edited(catalog, of, page_only=PAGE_ONLY_FIELDS, pages={p.uri: p for p in output.pages}, files=dict(output.files),
                              today=PROJECT_TODAY, overrides_dir=None, site_url=None)

    found = rewrite(_with_claim(catalog, safety, statement="New words."))
    assert found is not None
    assert [page.uri for page in found.pages] == ["claims/safety/herb-harms-liver.md"]
    assert [uri for uri, _ in found.files] == ["claims.json", "claims.csv"]
    assert found.efficacy == (("herb-relieves-low-mood", "claims/efficacy-claims/herb-relieves-low-mood/"),)
    assert rewrite(_with_claim(catalog, safety, title="Other")) is None
    unchanged = rewrite(catalog)
    assert unchanged is not None and (unchanged.pages, unchanged.files) == ((), ())
