"""The MkDocs adapter: validate in ``on_config``, add generated pages in ``on_files``.

Generated pages skip Markdown conversion: their HTML is already built by the core, so
``on_page_markdown`` hands MkDocs an empty body and ``on_page_content`` puts ours back.
The same pages, written out by ``sitegen render``, build identically through Markdown.

The package is the only place that imports MkDocs (besides ``sitegen build`` and ``serve``,
lazily): ``pages`` turns generated pages into MkDocs files, ``problem_page`` logs problems and
shows them while serving, ``preview`` rewrites an edited claim's page through the last build.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File

from sitegen.catalog import CACHE_DIR, LoadResult, load_catalog
from sitegen.clock import build_date
from sitegen.errors import SitegenError
from sitegen.incremental import stamp_files
from sitegen.outdir import Protected, check_output_dir
from sitegen.plugin import pages, preview
from sitegen.plugin.problem_page import caution_problems, log, marker_problems, problem_files, report, write_problem_pages
from sitegen.problems import format_problem_page
from sitegen.site import CSS_URI, MISSING_ADDRESS, SiteOutput, build_site_output, data_date, page_only_fields, rewrite_edited

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
    from sitegen.page import GeneratedPage
    from sitegen.problems import Problem


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
        self._output, self._generated, self._served_uris = None, {}, set()
        self._is_serving = command == "serve"
        self._incremental = command == "serve" and dirty  # a dirty live preview renders and writes again only the pages whose output changed
        self._address_warned = False
        self.caution_violations = ()
        self._preview = preview.Preview(incremental=self._incremental)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        result = self._read(config)
        report(result)
        self._problem_page = None
        if self._has_failed(result) and self._is_serving:  # serve the problems instead of hanging
            self._problem_page, self._output = format_problem_page(result.problems), None
            return config
        if self._has_failed(result) or result.catalog is None:
            raise PluginError(f"{len(result.problems)} claim problem(s); run 'sitegen validate' for details")
        self._start_output(config, result.catalog)
        return config

    def _read(self, config: MkDocsConfig) -> LoadResult:
        """Check the options, then load the claims (or take the catalogue ``use_catalog`` was given)."""
        root = Path(config.config_file_path).parent
        self._claims_dir = root / self.config.claims_dir
        self._overrides = root / self.config.overrides_dir if self.config.overrides_dir else None
        if not config.use_directory_urls:
            raise PluginError("sitegen needs 'use_directory_urls: true' (the default) in mkdocs.yml")
        self._refuse_output_over_input(config, root)
        self._preview.stamps = stamp_files(preview.other_inputs(config, self._overrides)) if self._incremental else ()  # before reading anything
        preloaded, self._preloaded = self._preloaded, None  # used once: a serve rebuild reads again
        is_preloaded = preloaded is not None and preloaded[0] == Path(os.path.abspath(self._claims_dir))
        return preloaded[1] if preloaded is not None and is_preloaded else self._load(config)

    def _start_output(self, config: MkDocsConfig, catalog: Catalog) -> None:
        """Render the pages and exports of a good catalogue (only those changed, when serving)."""
        previous = self._output if self._incremental else None
        self._output = build_site_output(catalog, today=build_date(), overrides_dir=self._overrides, previous=previous, site_url=config.site_url)
        if not config.site_url and not self._address_warned:
            self._address_warned = True  # once per process, not on every serve rebuild
            log.warning(MISSING_ADDRESS)
        self._sitemap_date = data_date(catalog)
        config.extra_css.append(CSS_URI)

    def _load(self, config: MkDocsConfig) -> LoadResult:
        """Read and check the claims (only those changed, when serving).

        Serving, the cache file is read for the first load only: the memo holds the results
        from then on, and an edit is not worth writing the file again (the next build checks it).
        """
        root = Path(config.config_file_path).parent
        cache = root / self.config.cache_dir if self.config.cache_dir and not self._preview.memo_is_filled else None
        try:
            result = load_catalog(self._claims_dir, root=root, cache_dir=cache, memo=self._preview.memo)
        except SitegenError as exc:
            raise PluginError(str(exc)) from exc
        self._preview.memo_is_filled = self._preview.memo is not None
        return result

    def _has_failed(self, result: LoadResult) -> bool:
        return result.catalog is None or bool(result.error_count or (self.config.strict and result.warning_count))

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
        self._preview.compare(files, config, self._output)
        self._generated = pages.add_generated(files, config, self._output, self._preview.changes)
        hand_written = [f for f in files.documentation_pages() if f.src_uri not in self._generated]
        if config.nav is None:  # no hand-typed nav (which always wins)
            config.nav = pages.auto_nav([f.src_uri for f in hand_written], self._output.renderer.catalog)
        self._served_uris |= {f.src_uri for f in files.documentation_pages()}
        for uri in self._preview.changes.removed:  # a deleted or renamed claim: its old page must not be served
            Path(File.generated(config, uri, content="").abs_dest_path).unlink(missing_ok=True)
        return files

    def _problem_files(self, files: Files, config: MkDocsConfig) -> Files:
        """While serving invalid content: every page a reader may have open shows the problems (and live-reloads)."""
        assert self._problem_page is not None
        self._generated, self._preview.previous, self._preview.fingerprint = {}, {}, ""  # the next good build renders every page again
        return problem_files(files, config, self._served_uris, self._problem_page)

    def _check_markers(self, documents: Sequence[File], config: MkDocsConfig) -> None:
        """An unknown ``<!-- sitegen:... -->`` marker in a hand-written page fails the build (or, serving, shows the problem page)."""
        problems = marker_problems(documents, config)
        if problems and self._is_serving:
            self._problem_page = format_problem_page(problems)
        elif problems:
            raise PluginError(f"{len(problems)} unknown page marker(s): " + "; ".join(f"{p.where} {p.message}" for p in problems))

    @event_priority(110)
    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        """Before tags and nav are rendered, give the pages not rendered again their titles and tags."""
        tags: Any = config.plugins.get("material/tags")
        self._preview.restore_skipped(files, tags, None if self._output is None else self._sitemap_date.isoformat())
        self._env, self._files = env, files
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
        page.toc = pages.page_toc(generated)
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
        self._preview.meta[page.file.src_uri] = (page.meta, page._title_from_render)
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
        self._preview.complete_search(config)

    def _remember(self, *, config: MkDocsConfig) -> None:
        """What the next rebuild compares against (after a problem page: nothing, so that it renders every page)."""
        self._preview.previous = dict(self._generated) if self._output is not None else {}
        if self._output is not None and self._incremental:
            catalog = self._output.renderer.catalog
            self._preview.kept = preview.Kept(config, self._files, self._nav, self._env, catalog, self._preview.stamps, build_date(),
                                      page_only_fields(self._output.renderer.env), dict(self._output.files))
        else:
            self._preview.kept = None

    def _finish(self, *, config: MkDocsConfig) -> None:
        """Zero the sitemap's gzip timestamp (identical builds, identical bytes), then check the caution contract.

        Only the file MkDocs itself compresses: a ``.gz`` among the pages is the author's, copied as is.
        """
        sitemap = Path(config.site_dir) / "sitemap.xml.gz"
        if sitemap.is_file():
            sitemap.write_bytes(gzip.compress(gzip.decompress(sitemap.read_bytes()), compresslevel=9, mtime=0))
        if self._output is None:
            return  # the problem page: there are no claims to check
        violations = caution_problems(Path(config.site_dir), None)
        self.caution_violations = violations
        if violations and self._is_serving:  # show the problems, as for invalid content
            self._output, self._preview.fingerprint = None, ""
            write_problem_pages(config, self._files, self._nav, self._env, format_problem_page(violations))
        elif violations:
            raise PluginError(f"{len(violations)} efficacy claim(s) shown without the caution notice or the needs-research flag; "
                              "the templates must render both (see the log above, or run 'sitegen check-site')")

    on_post_build = CombinedEvent(_complete_search, _finish, _remember)

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self._nav = nav
        return nav

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: object) -> LiveReloadServer:
        server.watch(str(self._claims_dir))
        return server

    def rebuild_edited_claims(self) -> bool:
        """Live preview: after an edit only claims' own pages show, rewrite just those pages, the search index and exports.

        Returns:
            False when a whole rebuild is needed: having written nothing when anything but claim
            files changed, the claims have problems or an edit shows beyond the claim's own page;
            after writing, when the pages fail the caution check (the whole rebuild reports it).
        """
        kept = self._preview.kept
        if kept is None or not preview.is_reusable(kept, self._overrides):
            return False
        result = self._load(kept.config)
        rewrite = None if self._has_failed(result) or result.catalog is None else rewrite_edited(
            kept.catalog, result.catalog, page_only=kept.page_only, pages=self._preview.previous, files=kept.exports, today=kept.today,
            overrides_dir=self._overrides, site_url=kept.config.site_url)
        if rewrite is None:
            self._preloaded = (Path(os.path.abspath(self._claims_dir)), result)  # the whole rebuild reports its problems
            return False
        report(result)
        self._preview.write_rewrite(rewrite, kept, self._generated)
        log.info(f"Rewrote only the pages of the edited claims ({len(rewrite.pages)} page(s)), the search index and the exports")
        return not caution_problems(Path(kept.config.site_dir), rewrite.efficacy)  # else a whole rebuild reports them


__all__ = ["SitegenConfig", "SitegenPlugin"]
