"""The MkDocs adapter: validate in ``on_config``, add generated pages in ``on_files``.

Generated pages skip Markdown conversion: their HTML is already built by the core, so
``on_page_markdown`` hands MkDocs an empty body and ``on_page_content`` puts ours back.
The same pages, written out by ``sitegen render``, build identically through Markdown.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File
from mkdocs.structure.toc import get_toc

from sitegen.catalog import CACHE_DIR, LoadResult, load_catalog
from sitegen.clock import build_date
from sitegen.errors import SitegenError
from sitegen.outdir import Protected, check_output_dir
from sitegen.site import CSS_URI, MISSING_ADDRESS, SiteOutput, build_site_output, data_date
from sitegen.sitecheck import check_site

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page
    from mkdocs.utils.templates import TemplateContext

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
        self._address_warned = False

    def use_catalog(self, claims_dir: Path, result: LoadResult) -> None:
        """Reuse a catalogue the caller already loaded from ``claims_dir`` (``sitegen build``)."""
        self._preloaded = (Path(os.path.abspath(claims_dir)), result)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._output = None
        self._generated = {}
        self._address_warned = False

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
            (log.error if problem.is_error else log.warning)(f"{problem.where}: {problem.code} {problem.message}")
        failed = result.error_count or (self.config.strict and result.warning_count)
        if failed or result.catalog is None:
            raise PluginError(f"{len(result.problems)} claim problem(s); run 'sitegen validate' for details")
        overrides = root / self.config.overrides_dir if self.config.overrides_dir else None
        self._output = build_site_output(result.catalog, today=build_date(), overrides_dir=overrides, site_url=config.site_url)
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
        assert self._output is not None
        self._generated = {}
        for page in self._output.pages:
            file = File.generated(config, page.uri, content=page.markdown)
            file.edit_uri = f"../{page.edit_path}" if page.edit_path else None
            files.append(file)
            self._generated[page.uri] = page
        for uri, content in self._output.files:
            files.append(File.generated(config, uri, content=content))
        return files

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self._output is not None
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
        generated = self._generated.get(page.file.src_uri)
        if generated is not None:
            page.content = str(generated.body)
        elif self._output is not None and page.content:
            page.content = self._output.renderer.flag_mentions(page.content, page.file.src_uri)
        return context

    on_page_context = CombinedEvent(_index_short_text, _restore_body)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Zero the sitemap's gzip timestamp (identical builds, identical bytes), then check the caution contract.

        Only the file MkDocs itself compresses: a ``.gz`` among the pages is the author's, copied as is.
        """
        sitemap = Path(config.site_dir) / "sitemap.xml.gz"
        if sitemap.is_file():
            sitemap.write_bytes(gzip.compress(gzip.decompress(sitemap.read_bytes()), compresslevel=9, mtime=0))
        try:
            violations = check_site(Path(config.site_dir), label="")
        except SitegenError as exc:
            raise PluginError(str(exc)) from exc
        for problem in violations:
            log.error(f"{problem.where}: {problem.code} {problem.message}")
        if violations:
            raise PluginError(f"{len(violations)} efficacy claim(s) shown without the caution notice or the needs-research flag; "
                              "the templates must render both (see the log above, or run 'sitegen check-site')")

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: object) -> LiveReloadServer:
        server.watch(str(self._claims_dir))
        return server


__all__ = ["SitegenConfig", "SitegenPlugin"]
