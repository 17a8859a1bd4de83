"""The MkDocs adapter: validate in ``on_config``, add generated pages in ``on_files``.

Generated pages skip Markdown conversion: their HTML is already built by the core, so
``on_page_markdown`` hands MkDocs an empty body and ``on_page_content`` puts ours back.
The same pages, written out by ``sitegen render``, build identically through Markdown.
"""

from __future__ import annotations

import gzip
import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File
from mkdocs.structure.toc import get_toc
from mkdocs.utils import nest_paths

from sitegen.catalog import CACHE_DIR, LoadResult, load_catalog
from sitegen.clock import build_date
from sitegen.errors import SitegenError
from sitegen.incremental import PageChanges, SearchEntry, compare_pages, merge_search_entries
from sitegen.outdir import Protected, check_output_dir
from sitegen.problems import format_problem_page, format_text
from sitegen.render import claims_nav
from sitegen.site import CSS_URI, MISSING_ADDRESS, SiteOutput, build_site_output, data_date
from sitegen.sitecheck import check_site
from sitegen.validate.pages import check_page_markers

if TYPE_CHECKING:
    from collections.abc import Sequence

    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page
    from mkdocs.utils.templates import TemplateContext

    from sitegen.model import Catalog
    from sitegen.problems import Problem
    from sitegen.render import GeneratedPage

log = get_plugin_logger(__name__)


def _toc_tokens(headings: tuple[tuple[int, str, str], ...]) -> list[Any]:
    """Nest (level, id, text) headings into the tokens MkDocs builds a table of contents from."""
    tokens: list[Any] = []
    for level, anchor, text in headings:
        token = {"level": level, "id": anchor, "name": text, "html": text, "data-toc-label": "", "children": []}
        parent = tokens[-1]["children"] if tokens and level > tokens[-1]["level"] else tokens
        parent.append(token)
    return tokens


def _auto_nav(hand_written: list[str], catalog: Catalog) -> list[Any]:
    """Home, then the claims by topic (order and titles of topics.yaml), the map and sources, then the other pages as MkDocs lists them."""
    home = [uri for uri in hand_written if uri == "index.md"]
    return [*home, *claims_nav(catalog), *nest_paths([uri for uri in hand_written if uri != "index.md"])]  # type: ignore[no-untyped-call]


class SitegenConfig(Config):  # type: ignore[no-untyped-call]
    """Options of the ``sitegen`` plugin in ``mkdocs.yml``."""

    claims_dir = c.Type(str, default="claims")
    """The folder of claim records, relative to mkdocs.yml."""
    overrides_dir = c.Optional(c.Type(str))
    """A folder of templates that take precedence over sitegen's own."""
    strict = c.Type(bool, default=False)
    """Fail the build on content warnings (as 'sitegen validate --strict')."""
    cache_dir = c.Type(str, default=CACHE_DIR)
    """Where checked claim files are remembered between builds, relative to mkdocs.yml; '' turns it off."""


class SitegenPlugin(BasePlugin[SitegenConfig]):  # type: ignore[no-untyped-call]
    """Turns claim records into pages of the MkDocs site."""

    def __init__(self) -> None:
        super().__init__()
        self._output: SiteOutput | None = None
        self._generated: dict[str, GeneratedPage] = {}
        self._preloaded: tuple[Path, LoadResult] | None = None
        self._is_serving = False
        self._problem_page: str | None = None
        self._served_uris: set[str] = set()
        self._address_warned = False
        self.caution_violations: tuple[Problem, ...] = ()
        """The last build's caution-contract problems (paths relative to the site), for ``sitegen build``'s exit code."""

    def use_catalog(self, claims_dir: Path, result: LoadResult) -> None:
        """Reuse a catalogue the caller already loaded from ``claims_dir`` (``sitegen build``)."""
        self._preloaded = (Path(os.path.abspath(claims_dir)), result)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._output = None
        self._generated = {}
        self._is_serving = command == "serve"
        self._served_uris = set()
        # a dirty live preview renders and writes again only the pages whose output changed
        self._incremental = command == "serve" and dirty
        self._previous: dict[str, GeneratedPage] = {}
        self._meta: dict[str, tuple[Any, str | None]] = {}  # each page's front matter and title, as last read
        self._search: dict[str, list[SearchEntry]] = {}
        self._fingerprint = ""
        self._handwritten: dict[str, str] = {}
        self._changes = PageChanges(frozenset(), frozenset(), frozenset())
        self._address_warned = False
        self.caution_violations = ()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).parent
        self._claims_dir = root / self.config.claims_dir
        if not config.use_directory_urls:
            raise PluginError("sitegen needs 'use_directory_urls: true' (the default) in mkdocs.yml")
        self._refuse_output_over_input(config, root)
        preloaded, self._preloaded = self._preloaded, None  # used once: a serve rebuild reads again
        if preloaded and preloaded[0] == Path(os.path.abspath(self._claims_dir)):
            result = preloaded[1]
        else:
            try:
                cache = root / self.config.cache_dir if self.config.cache_dir else None
                result = load_catalog(self._claims_dir, root=root, cache_dir=cache)
            except SitegenError as exc:
                raise PluginError(str(exc)) from exc
        for problem in result.problems:
            (log.error if problem.is_error else log.warning)(format_text([problem]).rstrip())
        failed = result.error_count or (self.config.strict and result.warning_count)
        self._problem_page = None
        if (failed or result.catalog is None) and self._is_serving:  # serve the problems instead of hanging
            self._problem_page, self._output = format_problem_page(result.problems), None
            return config
        if failed or result.catalog is None:
            raise PluginError(f"{len(result.problems)} claim problem(s); run 'sitegen validate' for details")
        overrides = root / self.config.overrides_dir if self.config.overrides_dir else None
        previous = self._output if self._incremental else None
        self._output = build_site_output(result.catalog, today=build_date(), overrides_dir=overrides, previous=previous, site_url=config.site_url)
        if not config.site_url and not self._address_warned:
            self._address_warned = True  # once per process, not on every serve rebuild
            log.warning(MISSING_ADDRESS)
        self._sitemap_date = data_date(result.catalog)
        config.extra_css.append(CSS_URI)
        return config

    def _refuse_output_over_input(self, config: MkDocsConfig, root: Path) -> None:
        """MkDocs empties site_dir before building: never let that be the claims or template folders."""
        overrides = [root / self.config.overrides_dir] if self.config.overrides_dir else []
        inputs = [Protected("the claims folder", self._claims_dir), *(Protected("a template folder", f) for f in overrides)]
        try:
            check_output_dir(Path(config.site_dir), inputs, force=True)
        except SitegenError as exc:
            raise PluginError(str(exc)) from exc

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if self._problem_page is None:
            self._check_markers(files.documentation_pages(), config)
        if self._problem_page is not None:
            return self._problem_files(files, config)
        assert self._output is not None
        fingerprint = _site_fingerprint(config, self._output)
        everything = not self._incremental or fingerprint != self._fingerprint
        self._changes = compare_pages(self._previous, self._output.pages, everything=everything)
        self._fingerprint = fingerprint
        if self._incremental:
            self._mark_handwritten(files, everything=everything)
        self._generated = {}
        for page in self._output.pages:
            file = File.generated(config, page.uri, content=page.markdown)
            file.edit_uri = f"../{page.edit_path}" if page.edit_path else None
            if page.uri in self._changes.unchanged:
                setattr(file, "is_modified", _unmodified)  # noqa: B010 - its HTML from the last build stays
            files.append(file)
            self._generated[page.uri] = page
        for uri, content in self._output.files:
            files.append(File.generated(config, uri, content=content))
        hand_written = [f for f in files.documentation_pages() if f.src_uri not in self._generated]
        if config.nav is None:  # no hand-typed nav (which always wins)
            config.nav = _auto_nav([f.src_uri for f in hand_written], self._output.renderer.catalog)
        self._served_uris |= {f.src_uri for f in files.documentation_pages()}
        for uri in self._changes.removed:  # a deleted or renamed claim: its old page must not be served
            Path(File.generated(config, uri, content="").abs_dest_path).unlink(missing_ok=True)
        return files

    def _problem_files(self, files: Files, config: MkDocsConfig) -> Files:
        """While serving invalid content: every page a reader may have open shows the problems (and live-reloads)."""
        uris = sorted(self._served_uris | {f.src_uri for f in files.documentation_pages()} | {"index.md"})
        assert self._problem_page is not None
        self._generated, self._previous, self._fingerprint = {}, {}, ""  # the next good build renders every page again
        kept = [f for f in files if not f.is_documentation_page()]
        return type(files)([*kept, *(File.generated(config, uri, content=self._problem_page) for uri in uris)])

    def _check_markers(self, pages: Sequence[File], config: MkDocsConfig) -> None:
        """An unknown ``<!-- sitegen:... -->`` marker in a hand-written page fails the build (or, serving, shows the problem page)."""
        docs = Path(os.path.relpath(config.docs_dir, Path(config.config_file_path).parent)).as_posix()
        problems = [p for f in pages for p in check_page_markers(f.content_string, f"{docs}/{f.src_uri}")]
        for problem in problems:
            log.error(format_text([problem]).rstrip())
        if problems and self._is_serving:
            self._problem_page = format_problem_page(problems)
        elif problems:
            raise PluginError(f"{len(problems)} unknown page marker(s): " + "; ".join(f"{p.where} {p.message}" for p in problems))

    def _mark_handwritten(self, files: Files, *, everything: bool) -> None:
        """A hand-written page is rendered again when its text or a generated fragment in it changed."""
        assert self._output is not None
        seen: dict[str, str] = {}
        for file in files.documentation_pages():
            text = file.content_string
            seen[file.src_uri] = self._output.renderer.expand_markers(text, file.src_uri) if "sitegen:" in text else text
            # links to claims get flags from the claims' data: such a page follows every change of a generated page
            links_claims = "claims/" in text and bool(self._changes.changed)
            is_same = not everything and self._handwritten.get(file.src_uri) == seen[file.src_uri] and _TAGS_MARKER not in text and not links_claims
            setattr(file, "is_modified", _unmodified if is_same else _modified)  # noqa: B010 - MkDocs asks the file whether to render it
        self._handwritten = seen

    @event_priority(110)
    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        """Before tags and nav are rendered, give the pages not rendered again their titles and tags."""
        tags: Any = config.plugins.get("material/tags")
        skipped = [file for file in files.documentation_pages() if self._incremental and not file.is_modified() and file.src_uri in self._meta]
        for file in skipped:
            assert file.page is not None
            file.page.markdown, file.page.meta, file.page._title_from_render = "", *self._meta[file.src_uri]  # as last read
            file.page.update_date = self._sitemap_date.isoformat()
            if tags is not None and hasattr(tags, "mappings"):
                tags.mappings.add(file.page, "")
        self._page_order = [file.page.url for file in files.documentation_pages() if file.page is not None]  # the home page is ''
        self._kept_urls = frozenset(file.page.url for file in skipped if file.page is not None)
        found = getattr(getattr(tags, "mappings", None), "data", None)
        if self._kept_urls and isinstance(found, dict):  # tags in page order, as a full build collects them
            tags.mappings.data = {url: found[url] for url in [*self._page_order, *found] if url in found}
        return env

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self._output is None:  # the problem page
            return markdown
        page.update_date = self._sitemap_date.isoformat()
        if page.file.src_uri in self._generated:
            return ""
        return self._output.renderer.expand_markers(markdown, page.file.src_uri)

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        generated = self._generated.get(page.file.src_uri)
        if generated is None:
            return html
        # Material drops the first entry as the page's h1 and lists its children
        top: Any = {"level": 1, "id": "page-title", "name": generated.title, "html": "", "data-toc-label": "", "children": _toc_tokens(generated.headings)}
        page.toc = get_toc([top])
        return str(generated.body)

    @event_priority(100)
    def _index_short_text(self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation) -> TemplateContext:
        """Before the search plugin runs, show it the page's short search entry."""
        generated = self._generated.get(page.file.src_uri)
        if generated is not None and generated.search_body is not None:
            page.content = str(generated.search_body)
        return context

    @event_priority(-100)
    def _restore_body(self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation) -> TemplateContext:
        """After indexing, put the full page back for rendering; flag claim links in hand-written pages.

        Hand-written pages are flagged here, not in ``on_page_content``, because the tags
        plugin fills its listings in only after every page is converted.
        """
        self._meta[page.file.src_uri] = (page.meta, page._title_from_render)
        generated = self._generated.get(page.file.src_uri)
        if generated is not None:
            page.content = str(generated.body)
        elif self._output is not None and page.content:
            page.content = self._output.renderer.flag_mentions(page.content, page.file.src_uri)
        return context

    on_page_context = CombinedEvent(_index_short_text, _restore_body)

    @event_priority(50)
    def _complete_search(self, *, config: MkDocsConfig) -> None:
        """Before the search plugin writes its index, add back the entries of pages not rendered again."""
        search = config.plugins.get("material/search") or config.plugins.get("search")
        index = getattr(search, "search_index", None)
        field = "entries" if hasattr(index, "entries") else "_entries"
        fresh = getattr(index, field, None)
        if not self._incremental or not isinstance(fresh, list):
            return
        merged, self._search = merge_search_entries(self._page_order, fresh, self._search, self._kept_urls)
        setattr(index, field, merged)
        if search is not None and hasattr(search, "search_index_prev"):
            search.search_index_prev = None  # Material's own merge assumes a single changed page

    def _remember(self, *, config: MkDocsConfig) -> None:
        """What the next rebuild compares against."""
        self._previous = dict(self._generated)

    def _finish(self, *, config: MkDocsConfig) -> None:
        """Zero the sitemap's gzip timestamp (identical builds, identical bytes), then check the caution contract.

        Only the file MkDocs itself compresses: a ``.gz`` among the pages is the author's, copied as is.
        """
        sitemap = Path(config.site_dir) / "sitemap.xml.gz"
        if sitemap.is_file():
            sitemap.write_bytes(gzip.compress(gzip.decompress(sitemap.read_bytes()), compresslevel=9, mtime=0))
        if self._output is None:
            return  # the problem page: there are no claims to check
        try:
            violations = check_site(Path(config.site_dir), label="")
        except SitegenError as exc:
            raise PluginError(str(exc)) from exc
        self.caution_violations = violations
        for problem in violations:
            log.error(f"{problem.where}: {problem.code} {problem.message}")
        if violations:
            raise PluginError(f"{len(violations)} efficacy claim(s) shown without the caution notice or the needs-research flag; "
                              "the templates must render both (see the log above, or run 'sitegen check-site')")

    on_post_build = CombinedEvent(_complete_search, _finish, _remember)

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: object) -> LiveReloadServer:
        server.watch(str(self._claims_dir))
        return server


_TAGS_MARKER = "<!-- material/tags"  # a tags listing changes with any page's tags: always rendered


def _modified() -> bool:
    return True


def _unmodified() -> bool:
    return False


def _site_fingerprint(config: MkDocsConfig, output: SiteOutput) -> str:
    """Whatever, besides a page's own text, shapes every page: configuration, theme overrides, an automatic nav."""
    digest = hashlib.blake2b(Path(config.config_file_path).read_bytes(), digest_size=16)
    custom = config.theme.custom_dir
    for path in sorted(Path(custom).rglob("*")) if custom else ():
        digest.update(f"{path}\0{path.stat().st_mtime_ns}\0".encode())
    in_nav = _nav_paths(config.nav) if config.nav is not None else None  # None: every page is in the sidebar
    for page in output.pages:
        if in_nav is None or page.uri in in_nav:
            digest.update(f"{page.uri}\0{page.title}\0".encode())
    return digest.hexdigest()


def _nav_paths(nav: object) -> set[str]:
    if isinstance(nav, str):
        return {nav}
    items = nav.values() if isinstance(nav, dict) else nav if isinstance(nav, list) else ()
    return {path for item in items for path in _nav_paths(item)}


__all__ = ["SitegenConfig", "SitegenPlugin"]
