"""Problems in the MkDocs log, and the problem page a live preview shows instead of stopping."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs import utils as mkdocs_utils
from mkdocs.commands.build import get_context
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File

from sitegen.errors import SitegenError
from sitegen.problems import format_text
from sitegen.sitecheck import check_pages, check_site
from sitegen.validate.pages import check_page_markers

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation

    from sitegen.catalog import LoadResult
    from sitegen.problems import Problem

log = get_plugin_logger("sitegen.plugin")  # the adapter's one logger, whichever of its modules logs


def report(result: LoadResult) -> None:
    """Log each problem as 'sitegen validate' prints it."""
    for problem in result.problems:
        (log.error if problem.is_error else log.warning)(format_text([problem]).rstrip())


def caution_problems(site_dir: Path, claims: Sequence[tuple[str, str]] | None) -> tuple[Problem, ...]:
    """Check the caution contract on the whole site, or only on the pages of ``claims`` (id, url); log what fails."""
    try:
        violations = check_site(site_dir, label="") if claims is None else check_pages(site_dir, claims, label="")
    except SitegenError as exc:
        raise PluginError(str(exc)) from exc
    for problem in violations:
        log.error(f"{problem.where}: {problem.code} {problem.message}")
    return violations


def marker_problems(pages: Sequence[File], config: MkDocsConfig) -> list[Problem]:
    """The unknown ``<!-- sitegen:... -->`` markers in hand-written pages, logged."""
    docs = Path(os.path.relpath(config.docs_dir, Path(config.config_file_path).parent)).as_posix()
    problems = [p for f in pages for p in check_page_markers(f.content_string, f"{docs}/{f.src_uri}")]
    for problem in problems:
        log.error(format_text([problem]).rstrip())
    return problems


def problem_files(files: Files, config: MkDocsConfig, served: Iterable[str], text: str) -> Files:
    """While serving invalid content: every page a reader may have open (``served``, or in ``files``) shows the problems."""
    uris = sorted({*served, *(f.src_uri for f in files.documentation_pages()), "index.md"})
    kept = [f for f in files if not f.is_documentation_page()]
    return type(files)([*kept, *(File.generated(config, uri, content=text) for uri in uris)])


def write_problem_pages(config: MkDocsConfig, files: Files, nav: Navigation, env: Environment, text: str) -> None:
    """Replace every page just built by the problem page (rendered once for each folder depth: links differ by depth)."""
    rendered: dict[str, bytes] = {}
    for file in files.documentation_pages():
        assert file.page is not None
        depth = mkdocs_utils.get_relative_url(".", file.page.url)
        if depth not in rendered:
            file.content_string = text
            file.page.read_source(config)
            file.page.render(config, files)
            template = env.get_template("main.html")
            rendered[depth] = template.render(get_context(nav, files, config, file.page)).encode("utf-8", "xmlcharrefreplace")
        mkdocs_utils.write_file(rendered[depth], file.abs_dest_path)
