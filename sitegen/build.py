"""``sitegen build`` and ``sitegen serve``: the only core-side code that imports MkDocs, lazily."""

from __future__ import annotations

import functools
import gc
import logging
import os
import shutil
import signal
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from sitegen.config import PLUGIN_NAME, plugin_name
from sitegen.errors import CautionContractError, SitegenError
from sitegen.outdir import check_output_dir, write_output

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from types import FrameType

    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer

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
    check_output_dir(layout.site_dir, layout.inputs(root), force=True)
    layout.require_docs_dir()
    with _mkdocs_errors(layout.config_file):
        _serve(layout.config_file, dev_addr=dev_addr, options=_claims_override(layout))


def _serve(config_file: Path, *, dev_addr: str, options: dict[str, Any]) -> None:
    """``mkdocs serve --dirty``, except that after an edit confined to claims' own pages the plugin rewrites just those.

    Otherwise as ``mkdocs.commands.serve.serve``: a temporary site folder, the configuration
    loaded again for each whole rebuild, the docs folder and ``mkdocs.yml`` watched. The
    temporary folder is removed however serving ends: Ctrl+C, SIGTERM, SIGHUP, or an error.
    """
    with _stop_signals_as_ctrl_c():
        site_dir = tempfile.mkdtemp(prefix="sitegen-serve-")
        try:
            _serve_from(Path(site_dir), config_file, dev_addr=dev_addr, options=options)
        finally:
            shutil.rmtree(site_dir, ignore_errors=True)


@contextmanager
def _stop_signals_as_ctrl_c() -> Iterator[None]:
    """Within the block, SIGTERM (``kill``, a process manager, a closed container) and SIGHUP (a closed terminal) stop the process as Ctrl+C does.

    Python's default for these signals ends the process at once, skipping every ``finally``; raising
    ``KeyboardInterrupt`` instead lets serve shut down and remove its temporary site folder.
    Signal handlers can only be set from the main thread: elsewhere the block changes nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    stops = [signal.SIGTERM, *([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])]  # SIGHUP: the terminal closed
    previous = {stop: signal.signal(stop, interrupt) for stop in stops}
    try:
        yield
    finally:
        for stop, handler in previous.items():
            signal.signal(stop, handler)


def _serve_from(site_dir: Path, config_file: Path, *, dev_addr: str, options: dict[str, Any]) -> None:
    """Build into ``site_dir`` and serve it, rebuilding on changes, until interrupted."""
    from mkdocs.config import load_config
    from mkdocs.livereload import LiveReloadServer


    def get_config() -> MkDocsConfig:
        return load_config(str(config_file), site_dir=str(site_dir), dev_addr=dev_addr, **options)

    config = get_config()
    config.plugins.on_startup(command="serve", dirty=True)
    plugin = config.plugins[PLUGIN_NAME]
    host, port = config.dev_addr
    mount_path = urlsplit(config.site_url or "/").path
    serve_url = f"http://{f'[{host}]' if ':' in host else host}:{port}{mount_path}"

    builder = _builder(plugin, get_config, serve_url)
    server = LiveReloadServer(builder=builder, host=host, port=port, root=str(site_dir), mount_path=mount_path)
    server.error_handler = functools.partial(_error_page, site_dir)
    try:
        builder(config)
        for path in (config.docs_dir, config.config_file_path):
            server.watch(path)
        server = config.plugins.on_serve(server, config=config, builder=builder)
        for item in config.watch:
            server.watch(item)
        _run_until_stopped(server)
    finally:
        config.plugins.on_shutdown()


def _builder(plugin: object, get_config: Callable[[], MkDocsConfig], serve_url: str) -> Callable[..., None]:
    """The rebuild MkDocs' server calls: the plugin's one-page shortcut when it suffices, else a whole dirty build."""
    from mkdocs.commands.build import build

    from sitegen.plugin import SitegenPlugin

    def builder(config: MkDocsConfig | None = None) -> None:
        if config is None:
            if isinstance(plugin, SitegenPlugin) and plugin.rebuild_edited_claims():
                return
            config = get_config()
        config.site_url = serve_url
        gc.unfreeze()  # what the last whole build left may be garbage now
        build(config, serve_url=serve_url, dirty=True)
        # What a whole build leaves (a million objects at 10,000 claims) stays until the next one:
        # frozen, the collector skips it, which takes a second off each shortcut rebuild.
        gc.collect()
        gc.freeze()

    return builder


def _run_until_stopped(server: LiveReloadServer) -> None:
    try:
        server.serve()  # type: ignore[no-untyped-call]
    except KeyboardInterrupt:  # Ctrl+C, SIGTERM or SIGHUP (see _stop_signals_as_ctrl_c)
        logging.getLogger("mkdocs").info("Shutting down...")
    finally:
        server.shutdown()


def _error_page(site_dir: Path, code: int) -> bytes | None:
    """The site's own 404 (or 500) page, as MkDocs serves it."""
    page = site_dir / f"{code}.html"
    return page.read_bytes() if code in (404, 500) and page.is_file() else None
