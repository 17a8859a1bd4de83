"""Live preview: what a serve keeps of its last whole build, and rewriting one page and the search index through it."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs import utils as mkdocs_utils
from mkdocs.commands.build import get_context

from sitegen.catalog import CheckMemo
from sitegen.clock import build_date
from sitegen.incremental import PageChanges, compare_pages, merge_search_entries, site_fingerprint, stamp_files
from sitegen.plugin.pages import mark_handwritten, order_tags, page_toc
from sitegen.urls import page_url

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterator

    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation

    from sitegen.incremental import SearchEntry
    from sitegen.model import Catalog
    from sitegen.page import GeneratedPage
    from sitegen.site import Rewrite, SiteOutput


@dataclass(frozen=True, slots=True)
class Kept:
    """What a live preview keeps of its last whole build, to rewrite only an edited claim's pages."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: Environment
    catalog: Catalog
    stamps: tuple[tuple[str, int, int], ...]
    """Of everything the build read besides the claims (see ``other_inputs``), before it read them."""
    today: dt.date
    page_only: frozenset[str]
    exports: dict[str, str]


SHORTCUT_PLUGINS = frozenset({"search", "material/search", "tags", "material/tags", "sitegen"})
"""Plugins whose effect on a claim page the one-page rewrite reproduces (it runs only their page-context and post-page events)."""


def allows_shortcut(config: MkDocsConfig) -> bool:
    """Whether the one-page rewrite can stand in for a rebuild: no plugin but those it was checked against.

    Another plugin may change a page in events the rewrite does not run (reading its source,
    its Markdown or its HTML), so with any other plugin every edit takes the dirty rebuild.
    """
    return set(config.plugins) <= SHORTCUT_PLUGINS


def is_reusable(kept: Kept, overrides: Path | None) -> bool:
    """Whether the last build's objects still describe the site: same plugins, same day, same configuration, pages and templates."""
    if not allows_shortcut(kept.config) or build_date() != kept.today:
        return False
    return stamp_files(other_inputs(kept.config, overrides)) == kept.stamps


def other_inputs(config: MkDocsConfig, overrides: Path | None) -> list[Path]:
    """What a site is built from besides the claims: its configuration, pages and templates."""
    folders = [config.theme.custom_dir, overrides]
    return [Path(config.config_file_path), Path(config.docs_dir), *(Path(folder) for folder in folders if folder)]


def write_page(generated: GeneratedPage, kept: Kept) -> list[SearchEntry]:
    """Render one generated page through the last build's MkDocs objects and plugins, write it, return its search entries."""
    file = kept.files.get_file_from_path(generated.uri)
    assert file is not None and file.page is not None
    page, file.content_string = file.page, generated.markdown
    page.read_source(kept.config)  # the front matter: title, description, tags
    page.markdown = ""
    page.render(kept.config, kept.files)
    page.content, page.toc = str(generated.body), page_toc(generated)
    page.active = True
    try:
        context = get_context(kept.nav, kept.files, kept.config, page)
        with _search_index_of(kept.config) as entries:
            context = kept.config.plugins.on_page_context(context, page=page, config=kept.config, nav=kept.nav)
        html = kept.env.get_template(page.meta.get("template", "main.html")).render(context)
        html = kept.config.plugins.on_post_page(html, page=page, config=kept.config)
    finally:
        page.active = False
    mkdocs_utils.write_file(html.encode("utf-8", errors="xmlcharrefreplace"), file.abs_dest_path)
    return entries


class Preview:
    """What a live preview remembers from one build to the next, to render and write again only what changed.

    Outside a dirty live preview (``incremental`` false) every build renders every page.
    """

    def __init__(self, *, incremental: bool) -> None:
        self.incremental = incremental
        self.previous: dict[str, GeneratedPage] = {}
        self.meta: dict[str, tuple[Any, str | None]] = {}  # each page's front matter and title, as last read
        self.search: dict[str, list[SearchEntry]] = {}
        self.fingerprint = ""
        self.handwritten: dict[str, str] = {}
        self.changes = PageChanges(frozenset(), frozenset(), frozenset())
        self.memo = CheckMemo() if incremental else None  # a rebuild checks again only the files that changed
        self.memo_is_filled = False
        self.kept: Kept | None = None  # the MkDocs objects and catalogue of the last good build
        self.stamps: tuple[tuple[str, int, int], ...] = ()
        self.page_order: list[str] = []
        self.kept_urls: frozenset[str] = frozenset()

    def compare(self, files: Files, config: MkDocsConfig, output: SiteOutput) -> None:
        """Which pages changed since the last build (all of them, unless a live preview whose settings are the same)."""
        fingerprint = site_fingerprint(Path(config.config_file_path), config.theme.custom_dir, config.nav, output.pages)
        everything = not self.incremental or fingerprint != self.fingerprint
        self.changes = compare_pages(self.previous, output.pages, everything=everything)
        self.fingerprint = fingerprint
        if self.incremental:
            self.handwritten = mark_handwritten(files, output, self.handwritten, self.changes, everything=everything)

    def restore_skipped(self, files: Files, tags: Any, update_date: str | None) -> None:
        """Give the pages not rendered again their titles, front matter and tags, as last read (none while showing problems)."""
        skipped = [file for file in files.documentation_pages() if self.incremental and not file.is_modified() and file.src_uri in self.meta]
        for file in skipped:
            assert file.page is not None
            file.page.markdown, file.page.meta, file.page._title_from_render = "", *self.meta[file.src_uri]  # as last read
            if update_date is not None:
                file.page.update_date = update_date
            if tags is not None and hasattr(tags, "mappings"):
                tags.mappings.add(file.page, "")
        self.page_order = [file.page.url for file in files.documentation_pages() if file.page is not None]  # the home page is ''
        self.kept_urls = frozenset(file.page.url for file in skipped if file.page is not None)
        if self.kept_urls:
            order_tags(tags, self.page_order)

    def complete_search(self, config: MkDocsConfig) -> None:
        """Before the search plugin writes its index, add back the entries of the pages not rendered again."""
        if self.incremental:
            self._merge_into_index(config, None, self.kept_urls)

    def write_rewrite(self, rewrite: Rewrite, kept: Kept, generated: dict[str, GeneratedPage]) -> None:
        """Write the edited claims' pages (into ``generated`` too), their search entries and the exports into the served site."""
        fresh: list[SearchEntry] = []
        for page in rewrite.pages:
            generated[page.uri] = page  # the page-context hooks read it
            fresh += write_page(page, kept)
        if rewrite.pages:
            self._write_search(kept.config, fresh, {page_url(page.uri) for page in rewrite.pages})
        for uri, text in rewrite.files:
            mkdocs_utils.write_file(text.encode("utf-8"), str(Path(kept.config.site_dir) / uri))
        self.previous.update({page.uri: page for page in rewrite.pages})
        self.kept = replace(kept, catalog=rewrite.catalog, exports={**kept.exports, **dict(rewrite.files)})

    def _write_search(self, config: MkDocsConfig, fresh: list[SearchEntry], rewritten: set[str]) -> None:
        """Put the entries of the pages just rewritten into the site's search index, and write it again."""
        search = self._merge_into_index(config, fresh, frozenset(self.search) - rewritten)
        if search is not None:
            search.on_post_build(config=config)

    def _merge_into_index(self, config: MkDocsConfig, fresh: list[SearchEntry] | None, kept: frozenset[str]) -> Any:
        """Make the site's search entries ``fresh`` (``None``: those indexed by this build) plus the last entries of the ``kept`` pages.

        Returns:
            The search plugin, or ``None`` when it keeps no list of entries (nothing was changed).
        """
        search, index, field = _search_of(config)
        current = getattr(index, field, None)
        if not isinstance(current, list):
            return None
        merged, self.search = merge_search_entries(self.page_order, current if fresh is None else fresh, self.search, kept)
        setattr(index, field, merged)
        if hasattr(search, "search_index_prev"):
            search.search_index_prev = None  # Material's own merge assumes a single changed page
        return search


def _search_of(config: MkDocsConfig) -> tuple[Any, Any, str]:
    """The search plugin (Material's or MkDocs'), its index, and the name of the index's list of entries."""
    search: Any = config.plugins.get("material/search") or config.plugins.get("search")
    index = getattr(search, "search_index", None)
    return search, index, "entries" if hasattr(index, "entries") else "_entries"


@contextmanager
def _search_index_of(config: MkDocsConfig) -> Iterator[list[SearchEntry]]:
    """Within the block, the search plugin indexes into the list yielded instead of the site's index."""
    search, index, field = _search_of(config)
    if not isinstance(getattr(index, field, None), list):
        yield []
        return
    search.search_index = type(index)(**index.config)
    try:
        yield getattr(search.search_index, field)
    finally:
        search.search_index = index
