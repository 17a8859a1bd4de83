"""``sitegen build`` and ``sitegen serve``: the only core-side code that imports MkDocs, lazily."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen.errors import SitegenError
from sitegen.standalone import read_mkdocs_config
from sitegen.swap import replace_dir

if TYPE_CHECKING:
    from collections.abc import Callable

    from sitegen.catalog import LoadResult

__all__ = ["build_site", "serve_site"]


class _ErrorLog(logging.Handler):
    """Keeps the warnings and errors MkDocs logs during a build, so a failure can say what went wrong."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_site(
    config_file: Path, *, site_dir: Path | None = None, strict: bool = False, preloaded: tuple[Path, LoadResult] | None = None,
    on_warning: Callable[[str], None] | None = None,
) -> Path:
    """Build with MkDocs into a fresh folder and swap it in only on success.

    ``on_warning`` receives each warning MkDocs or the plugin logged, after a successful build.

    Raises:
        SitegenError: the configuration is missing or broken, or MkDocs aborted.
    """
    from mkdocs import exceptions
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from sitegen.plugin import SitegenPlugin

    if not config_file.is_file():
        raise SitegenError(f"configuration not found: {config_file}")
    plain = read_mkdocs_config(config_file)
    target = site_dir or config_file.parent / str(plain.get("site_dir") or "site")

    def fill(folder: Path) -> None:
        errors = _ErrorLog()
        logging.getLogger("mkdocs").addHandler(errors)
        try:
            config = load_config(str(config_file), site_dir=str(folder), strict=strict)
            if "sitegen" not in config.plugins:
                raise SitegenError(f"{config_file} does not enable the sitegen plugin: add '- sitegen' under 'plugins:'")
            plugin = config.plugins["sitegen"]
            config.plugins.on_startup(command="build", dirty=False)
            if preloaded is not None and isinstance(plugin, SitegenPlugin):
                plugin.use_catalog(*preloaded)
            try:
                build(config)
            finally:
                config.plugins.on_shutdown()
            if on_warning is not None:
                for message in errors.messages:
                    on_warning(message)
        except exceptions.Abort as exc:
            raise SitegenError("\n".join([f"the MkDocs build failed: {exc}", *errors.messages])) from exc
        except exceptions.ConfigurationError as exc:
            raise SitegenError(f"{config_file} is not a valid MkDocs configuration: {exc}") from exc
        finally:
            logging.getLogger("mkdocs").removeHandler(errors)

    replace_dir(target, fill)
    return target


def serve_site(config_file: Path, *, dev_addr: str) -> None:
    """Run MkDocs' live-reloading server; claims are watched by the plugin."""
    from mkdocs.commands.serve import serve

    if not config_file.is_file():
        raise SitegenError(f"configuration not found: {config_file}")
    serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True)
