"""The MkDocs configuration read as plain data: which folders a project reads and writes.

MkDocs itself is not imported; ``build.py`` hands the result to MkDocs when it builds.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from sitegen.errors import SitegenError
from sitegen.outdir import Protected

__all__ = ["PLUGIN_NAME", "ProjectLayout", "default_claims_dir", "plugin_name", "read_layout", "read_layout_if_enabled", "read_mkdocs_config"]

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
    """The MkDocs configuration as plain data.

    Raises:
        SitegenError: the file is missing, unreadable, not YAML or not a mapping.
    """
    if not config_file.is_file():
        raise SitegenError(f"configuration not found: {config_file}")
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader)
    except OSError as exc:
        raise SitegenError(f"cannot read {config_file}: {exc.strerror or exc}") from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise SitegenError(f"{config_file} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise SitegenError(f"{config_file} must be a mapping of settings")
    return data


def plugin_name(entry: object) -> str:
    """The name of one entry of ``plugins:`` (a bare name or a one-key mapping)."""
    return str(next(iter(entry))) if isinstance(entry, dict) and entry else str(entry)


@dataclass(frozen=True, slots=True)
class ProjectLayout:
    """Where a project keeps its configuration, pages, claims and templates, and where it builds to.

    Every path is absolute. ``claims_dir`` is the folder that is actually read: the command
    line's ``--claims-dir`` when given, else ``configured_claims_dir``, the plugin's option.
    """

    config_file: Path
    docs_dir: Path
    site_dir: Path
    claims_dir: Path
    configured_claims_dir: Path
    theme_dir: Path | None
    overrides_dir: Path | None

    def require_docs_dir(self) -> None:
        """Raise ``SitegenError`` unless ``docs_dir`` is a folder (before anything is built)."""
        if not self.docs_dir.is_dir():
            raise SitegenError(f"docs_dir not found: {self.docs_dir} (set 'docs_dir' in {self.config_file.name} or create the folder)")

    def inputs(self, root: Path) -> tuple[Protected, ...]:
        """The folders an output folder must never replace (or, for most, lie inside)."""
        return (
            Protected("the project root", root, may_hold_output=True),
            Protected("the folder of the configuration file", self.config_file.parent, may_hold_output=True),
            Protected("docs_dir", self.docs_dir),
            Protected("the claims folder", self.claims_dir),
            *(Protected("a template folder", folder) for folder in (self.theme_dir, self.overrides_dir) if folder),
        )


def _plugin_options(config: dict[str, object], config_file: Path) -> dict[str, object]:
    options = _enabled_options(config)
    if options is None:
        raise SitegenError(f"{config_file} does not enable the sitegen plugin: add '- sitegen' under 'plugins:'")
    return options


def _enabled_options(config: dict[str, object]) -> dict[str, object] | None:
    """The sitegen plugin's options (``{}`` when it has none), or ``None`` when the configuration does not enable it."""
    plugins = config.get("plugins") or []
    entry = next((e for e in plugins if plugin_name(e) == PLUGIN_NAME), None) if isinstance(plugins, list) else None
    if entry is None:
        return None
    options = entry.get(PLUGIN_NAME) if isinstance(entry, dict) else None
    return options if isinstance(options, dict) else {}


def default_claims_dir(root: Path) -> Path:
    """The claims folder every command reads unless given one: the plugin's ``claims_dir`` in ROOT/mkdocs.yml, else ROOT/claims.

    Raises:
        SitegenError: ROOT/mkdocs.yml exists but cannot be read.
    """
    config_file = root / "mkdocs.yml"
    if config_file.is_file():
        config = read_mkdocs_config(config_file)
        with contextlib.suppress(SitegenError):  # MkDocs without sitegen: the conventional folder
            return root / str(_plugin_options(config, config_file).get("claims_dir") or "claims")
    return root / "claims"


def _theme_dir(config: dict[str, object]) -> str | None:
    theme = config.get("theme")
    folder = theme.get("custom_dir") if isinstance(theme, dict) else None
    return str(folder) if folder else None


def read_layout(config_file: Path, *, claims_dir: Path | None = None) -> ProjectLayout:
    """Read ``config_file`` and resolve the project's folders (relative ones against its folder).

    Args:
        config_file: the MkDocs configuration, which must enable the sitegen plugin.
        claims_dir: the claims folder given on the command line, overriding the plugin option.

    Raises:
        SitegenError: the configuration is missing or broken, or does not enable sitegen.
    """
    config = read_mkdocs_config(config_file)
    return _layout(config, config_file, _plugin_options(config, config_file), claims_dir)


def read_layout_if_enabled(config_file: Path) -> ProjectLayout | None:
    """``read_layout`` of a configuration that enables sitegen; ``None`` for one that does not.

    Raises:
        SitegenError: the configuration is missing or broken.
    """
    config = read_mkdocs_config(config_file)
    options = _enabled_options(config)
    return None if options is None else _layout(config, config_file, options, None)


def _layout(config: dict[str, object], config_file: Path, options: dict[str, object], claims_dir: Path | None) -> ProjectLayout:
    config_file = _absolute(config_file)
    base = config_file.parent
    theme_dir, overrides_dir = _theme_dir(config), options.get("overrides_dir")
    configured = _absolute(base / str(options.get("claims_dir") or "claims"))
    return ProjectLayout(
        config_file=config_file,
        docs_dir=_absolute(base / str(config.get("docs_dir") or "docs")),
        site_dir=_absolute(base / str(config.get("site_dir") or "site")),
        claims_dir=_absolute(claims_dir if claims_dir is not None else configured),
        configured_claims_dir=configured,
        theme_dir=_absolute(base / theme_dir) if theme_dir else None,
        overrides_dir=_absolute(base / str(overrides_dir)) if overrides_dir else None,
    )


def _absolute(path: Path) -> Path:
    # abspath, not resolve: keep the path the user gave (symlinks and all) for messages
    return Path(os.path.abspath(path))
