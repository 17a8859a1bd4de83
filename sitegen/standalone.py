"""``sitegen render --out DIR``: a plain MkDocs project that builds without our plugin."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from sitegen.clock import build_date
from sitegen.errors import SitegenError
from sitegen.render import MARKER
from sitegen.site import CSS_URI, build_site_output
from sitegen.swap import replace_dir

if TYPE_CHECKING:
    from sitegen.model import Catalog

__all__ = ["read_mkdocs_config", "write_standalone"]

PLUGIN_NAME = "sitegen"


class _TolerantLoader(yaml.SafeLoader):
    """Safe loading that reads ``!ENV`` as MkDocs does and keeps other unknown tags as plain text."""


def _unknown(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> object:
    return loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else None


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    """MkDocs' ``!ENV NAME`` or ``!ENV [NAME, OTHER, default]``: the first variable set, else the default."""
    if isinstance(node, yaml.ScalarNode):
        return os.environ.get(str(loader.construct_scalar(node)))
    items = [loader.construct_object(item) for item in node.value] if isinstance(node, yaml.SequenceNode) else []
    names, default = (items[:-1], items[-1]) if len(items) > 1 else (items, None)
    return next((os.environ[str(name)] for name in names if str(name) in os.environ), default)


_TolerantLoader.add_multi_constructor("", _unknown)
_TolerantLoader.add_constructor("!ENV", _env)


def read_mkdocs_config(config_file: Path) -> dict[str, object]:
    """The MkDocs configuration as plain data (for the core; MkDocs itself is not imported)."""
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader)
    except OSError as exc:
        raise SitegenError(f"cannot read {config_file}: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise SitegenError(f"{config_file} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise SitegenError(f"{config_file} must be a mapping of settings")
    return data


def _plugin_name(entry: object) -> str:
    return next(iter(entry)) if isinstance(entry, dict) else str(entry)


def _standalone_config(config: dict[str, object]) -> dict[str, object]:
    plugins = config.get("plugins") or []
    if not isinstance(plugins, list) or PLUGIN_NAME not in [_plugin_name(p) for p in plugins]:
        raise SitegenError("mkdocs.yml does not enable the sitegen plugin: add '- sitegen' under 'plugins:'")
    result = dict(config)
    result["docs_dir"] = "docs"
    result["plugins"] = [p for p in plugins if _plugin_name(p) != PLUGIN_NAME]
    result["extra_css"] = [*list(config.get("extra_css") or []), CSS_URI]  # type: ignore[call-overload]
    result.pop("site_dir", None)
    return result


def write_standalone(catalog: Catalog, *, root: Path, out: Path, config_file: Path) -> None:
    """Write ``out/mkdocs.yml`` and ``out/docs/`` (hand-written pages plus generated ones)."""
    config = read_mkdocs_config(root / config_file if not config_file.is_absolute() else config_file)
    docs_dir = root / str(config.get("docs_dir") or "docs")
    standalone = _standalone_config(config)
    site_url = config.get("site_url")
    output = build_site_output(catalog, today=build_date(), site_url=site_url if isinstance(site_url, str) and site_url else None)

    def fill(folder: Path) -> None:
        docs = folder / "docs"
        shutil.copytree(docs_dir, docs)
        for page in docs.rglob("*.md"):
            text = page.read_text(encoding="utf-8")
            if MARKER.search(text):
                page.write_text(output.renderer.expand_markers(text, page.relative_to(docs).as_posix()), encoding="utf-8")
        for generated in output.pages:
            _write(docs / generated.uri, generated.markdown)
        for uri, content in output.files:
            _write(docs / uri, content)
        custom_dir = _custom_dir(config)
        if custom_dir and (root / custom_dir).is_dir():
            shutil.copytree(root / custom_dir, folder / custom_dir)
        _write(folder / "mkdocs.yml", yaml.safe_dump(standalone, sort_keys=False, allow_unicode=True))

    replace_dir(out, fill)


def _custom_dir(config: dict[str, object]) -> str | None:
    """The theme's override folder, relative to mkdocs.yml, if it names one."""
    theme = config.get("theme")
    folder = theme.get("custom_dir") if isinstance(theme, dict) else None
    return str(folder) if folder and not Path(str(folder)).is_absolute() else None


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
