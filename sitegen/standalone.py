"""``sitegen render --out DIR``: a plain MkDocs project that builds without our plugin."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from sitegen.clock import build_date
from sitegen.config import PLUGIN_NAME, plugin_name, read_mkdocs_config
from sitegen.markers import scan_markers
from sitegen.mdlinks import fenced_lines
from sitegen.outdir import write_output
from sitegen.site import CSS_URI, build_site_output

if TYPE_CHECKING:
    from collections.abc import Callable

    from sitegen.config import ProjectLayout
    from sitegen.model import Catalog
    from sitegen.render import Renderer

__all__ = ["write_standalone"]

_TAGS_MARKER = "<!-- material/tags -->"
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)


def _standalone_config(config: dict[str, object]) -> dict[str, object]:
    plugins = config.get("plugins") or []
    assert isinstance(plugins, list)  # read_layout has checked that the plugin is enabled
    result = dict(config)
    result["docs_dir"] = "docs"
    result["plugins"] = [p for p in plugins if plugin_name(p) != PLUGIN_NAME]
    result["extra_css"] = [*list(config.get("extra_css") or []), CSS_URI]  # type: ignore[call-overload]
    result.pop("site_dir", None)
    return result


def write_standalone(catalog: Catalog, *, layout: ProjectLayout, out: Path, root: Path, force: bool = False) -> Path:
    """Write ``out/mkdocs.yml`` and ``out/docs/`` (hand-written pages plus generated ones).

    Returns:
        The folder written.

    Raises:
        SitegenError: ``docs_dir`` is missing, or ``out`` is refused (see ``outdir.check_output_dir``).
    """
    layout.require_docs_dir()
    config = read_mkdocs_config(layout.config_file)
    standalone = _standalone_config(config)
    site_url = config.get("site_url")
    output = build_site_output(catalog, today=build_date(), overrides_dir=layout.overrides_dir,
                               site_url=site_url if isinstance(site_url, str) and site_url else None)

    def fill(folder: Path) -> None:
        docs = folder / "docs"
        shutil.copytree(layout.docs_dir, docs)
        pages = sorted(docs.rglob("*.md"))
        tags = _tags_listing(pages, docs, output.renderer) if _uses_tags(config) else None
        for page in pages:
            _complete_page(page, page.relative_to(docs).as_posix(), output.renderer, tags)
        for generated in output.pages:
            _write(docs / generated.uri, generated.markdown)
        for uri, content in output.files:
            _write(docs / uri, content)
        custom_dir = _custom_dir(config)
        if custom_dir and (layout.config_file.parent / custom_dir).is_dir():
            shutil.copytree(layout.config_file.parent / custom_dir, folder / custom_dir)
        _write(folder / "mkdocs.yml", yaml.safe_dump(standalone, sort_keys=False, allow_unicode=True))

    return write_output(out, layout.inputs(root), fill, force=force)


def _uses_tags(config: dict[str, object]) -> bool:
    plugins = config.get("plugins") or []
    return isinstance(plugins, list) and any(plugin_name(p) in ("tags", "material/tags") for p in plugins)


def _tags_listing(pages: list[Path], docs: Path, renderer: Renderer) -> Callable[[str], str]:
    """The tags listing for a page, from the claims and the hand-written pages' front matter."""
    tagged: list[tuple[str, str, tuple[str, ...]]] = []
    for page in pages:
        meta, body = _front_matter(page.read_text(encoding="utf-8"))
        tags = meta.get("tags")
        if isinstance(tags, list) and tags:
            heading = _HEADING.search(body)
            title = meta.get("title") or (heading.group(1).strip() if heading else page.stem.replace("-", " ").capitalize())
            tagged.append((str(title), page.relative_to(docs).as_posix(), tuple(str(t) for t in tags)))
    return lambda uri: renderer.tags_listing(uri, tagged)


def _front_matter(text: str) -> tuple[dict[str, object], str]:
    match = _FRONT_MATTER.match(text)
    if match is None:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return {}, text  # MkDocs, too, reads such a page as having no front matter
    return (meta if isinstance(meta, dict) else {}), text[match.end():]


def _complete_page(page: Path, uri: str, renderer: Renderer, tags: Callable[[str], str] | None) -> None:
    """What the plugins add to a hand-written page, written into its Markdown.

    Flags on links to efficacy claims, marker blocks, and in place of ``<!-- material/tags -->``
    a static listing whose links to efficacy claims carry their flags (the tags plugin's would not).
    """
    text = page.read_text(encoding="utf-8")
    completed = renderer.flag_markdown_mentions(text, uri)
    if scan_markers(completed):
        completed = renderer.expand_markers(completed, uri)
    if tags is not None and _TAGS_MARKER in completed:
        lines = completed.split("\n")
        for number, (line, is_code) in enumerate(zip(lines, fenced_lines(lines), strict=True)):
            if line.strip() == _TAGS_MARKER and not is_code:
                lines[number] = "\n" + tags(uri).strip() + "\n"
        completed = "\n".join(lines)
    if completed != text:
        page.write_text(completed, encoding="utf-8", newline="")


def _custom_dir(config: dict[str, object]) -> str | None:
    """The theme's override folder, relative to mkdocs.yml, if it names one."""
    theme = config.get("theme")
    folder = theme.get("custom_dir") if isinstance(theme, dict) else None
    return str(folder) if folder and not Path(str(folder)).is_absolute() else None


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
