"""``sitegen render --out DIR``: a plain MkDocs project that builds without our plugin."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from sitegen.clock import build_date
from sitegen.config import PLUGIN_NAME, plugin_name, read_mkdocs_config
from sitegen.markers import scan_markers
from sitegen.outdir import write_output
from sitegen.site import CSS_URI, build_site_output

if TYPE_CHECKING:
    from sitegen.config import ProjectLayout
    from sitegen.model import Catalog

__all__ = ["write_standalone"]

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
        for page in docs.rglob("*.md"):
            text = page.read_text(encoding="utf-8")
            if scan_markers(text):
                page.write_text(output.renderer.expand_markers(text, page.relative_to(docs).as_posix()), encoding="utf-8")
        for generated in output.pages:
            _write(docs / generated.uri, generated.markdown)
        for uri, content in output.files:
            _write(docs / uri, content)
        custom_dir = _custom_dir(config)
        if custom_dir and (layout.config_file.parent / custom_dir).is_dir():
            shutil.copytree(layout.config_file.parent / custom_dir, folder / custom_dir)
        _write(folder / "mkdocs.yml", yaml.safe_dump(standalone, sort_keys=False, allow_unicode=True))

    return write_output(out, layout.inputs(root), fill, force=force)


def _custom_dir(config: dict[str, object]) -> str | None:
    """The theme's override folder, relative to mkdocs.yml, if it names one."""
    theme = config.get("theme")
    folder = theme.get("custom_dir") if isinstance(theme, dict) else None
    return str(folder) if folder and not Path(str(folder)).is_absolute() else None


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
