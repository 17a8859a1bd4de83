"""``sitegen build`` and ``sitegen serve``: the only core-side code that imports MkDocs, lazily."""

from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitegen.config import PLUGIN_NAME, plugin_name
from sitegen.errors import CautionContractError, SitegenError
from sitegen.outdir import check_output_dir, write_output

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from sitegen.catalog import LoadResult
    from sitegen.config import ProjectLayout

__all__ = ["build_site", "serve_site"]


def _same_folder(first: Path, second: Path) -> bool:
    try:
        return os.path.samefile(first, second)
    except OSError:  # one is missing: loading the catalogue reports that
        return first == second


def _claims_override(layout: ProjectLayout) -> dict[str, Any]:
    """Options for ``load_config`` that make the plugin read ``layout.claims_dir`` (none if it already does).

    ``plugins:`` is passed as MkDocs reads it, in its mapping form: MkDocs consumes the
    entries of the list form, and ``serve`` loads the configuration again on every change.
    """
    if _same_folder(layout.claims_dir, layout.configured_claims_dir):
        return {}
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.utils.yaml import get_yaml_loader, yaml_load

    loader = get_yaml_loader(config=MkDocsConfig(config_file_path=str(layout.config_file)))
    with open(layout.config_file, "rb") as handle:
        entries = yaml_load(handle, loader).get("plugins") or []
    plugins: dict[str, Any] = {}
    for entry in entries:
        name = plugin_name(entry)
        if name in plugins:
            raise SitegenError(f"--claims-dir cannot be applied: {layout.config_file} lists plugin {name!r} twice; "
                               "set the sitegen plugin's claims_dir there instead")
        plugins[name] = (entry.get(name) if isinstance(entry, dict) else None) or {}
    plugins[PLUGIN_NAME] = {**plugins[PLUGIN_NAME], "claims_dir": str(layout.claims_dir)}
    return {"plugins": plugins}


class _ErrorLog(logging.Handler):
    """Keeps the warnings and errors MkDocs logs during a build, so a failure can say what went wrong."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _mkdocs_errors(config_file: Path) -> Iterator[_ErrorLog]:
    """Turn MkDocs' own failures into ``SitegenError`` naming the configuration file or what MkDocs logged."""
    from mkdocs import exceptions

    errors = _ErrorLog()
    logging.getLogger("mkdocs").addHandler(errors)
    try:
        yield errors
    except exceptions.ConfigurationError as exc:
        raise SitegenError(f"{config_file} is not a valid MkDocs configuration: {exc}") from exc
    except exceptions.Abort as exc:
        raise SitegenError("\n".join([f"the MkDocs build failed: {exc}", *errors.messages])) from exc
    finally:
        logging.getLogger("mkdocs").removeHandler(errors)


def build_site(
    layout: ProjectLayout, *, target: Path, root: Path, strict: bool = False, force: bool = False, preloaded: LoadResult | None = None,
    on_warning: Callable[[str], None] | None = None,
) -> Path:
    """Build with MkDocs into a fresh folder and swap it in for ``target`` only on success.

    Args:
        layout: the project's folders; the plugin reads ``layout.claims_dir``.
        target: the output folder, checked by ``outdir.check_output_dir``.
        root: the project root (protected like every input).
        strict: fail on MkDocs warnings and content warnings.
        force: replace a non-empty folder that sitegen did not write.
        preloaded: the catalogue the caller already loaded from ``layout.claims_dir``.

    ``on_warning`` receives each warning MkDocs or the plugin logged, after a successful build.

    Raises:
        SitegenError: the target is refused, the configuration is broken, or MkDocs aborted.
        CautionContractError: the built pages show an efficacy claim without its flags (the previous site is kept).
    """
    from mkdocs import exceptions
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from sitegen.plugin import SitegenPlugin

    layout.require_docs_dir()

    def fill(folder: Path) -> None:
        with _mkdocs_errors(layout.config_file) as errors:
            config = load_config(str(layout.config_file), site_dir=str(folder), strict=strict, **_claims_override(layout))
            plugin = config.plugins[PLUGIN_NAME]
            config.plugins.on_startup(command="build", dirty=False)
            if preloaded is not None and isinstance(plugin, SitegenPlugin):
                plugin.use_catalog(layout.claims_dir, preloaded)
            try:
                build(config)
            except exceptions.Abort as exc:
                violations = plugin.caution_violations if isinstance(plugin, SitegenPlugin) else ()
                if violations:  # the built pages break the caution contract: content problems, exit 1
                    raise CautionContractError(violations) from exc
                raise
            finally:
                config.plugins.on_shutdown()
            if on_warning is not None:
                for message in errors.messages:
                    on_warning(message)

    return write_output(target, layout.inputs(root), fill, force=force)


def serve_site(layout: ProjectLayout, *, root: Path, dev_addr: str) -> None:
    """Run MkDocs' live-reloading server; claims are watched by the plugin.

    MkDocs serves from a temporary folder, but a configured ``site_dir`` that would
    swallow input is refused here too, as ``build`` would.

    Raises:
        SitegenError: the configuration is broken or the first build failed.
    """
    from mkdocs.commands.serve import serve

    check_output_dir(layout.site_dir, layout.inputs(root), force=True)
    layout.require_docs_dir()
    with _mkdocs_errors(layout.config_file):
        # dirty: after an edit the plugin has only the pages whose output changed rendered again
        serve(config_file=str(layout.config_file), dev_addr=dev_addr, livereload=True, build_type="dirty", **_claims_override(layout))
