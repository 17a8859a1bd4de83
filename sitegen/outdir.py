"""Output folders that cannot eat input: which folder sitegen may replace, and its marker.

``build`` and ``render`` replace their output folder as a whole. Before they do, the target
is checked here: it must not be, or contain, anything the project reads (nor the home
folder, the current folder or the filesystem root), must not lie inside ``docs_dir`` or
the claims folder, and if it already holds files, sitegen must have written them.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen.errors import SitegenError
from sitegen.swap import replace_dir

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

__all__ = ["MARKER_FILE", "Protected", "check_output_dir", "is_sitegen_output", "write_output"]

MARKER_FILE = ".sitegen-output"
_MARKER_TEXT = json.dumps({"generator": "sitegen", "note": "sitegen replaces this folder on every run"}) + "\n"


@dataclass(frozen=True, slots=True)
class Protected:
    """A folder an output folder must never replace; with ``may_hold_output`` false, never lie inside either."""

    label: str
    path: Path
    may_hold_output: bool = False


def _real(path: Path) -> Path:
    """The path with symlinks and '..' resolved, as the operating system would (missing parts kept)."""
    return Path(os.path.normcase(os.path.realpath(path)))


def _universal(cwd: Path | None, home: Path | None) -> list[Protected]:
    found = [Protected("the current folder", cwd or Path.cwd(), may_hold_output=True)]
    with contextlib.suppress(RuntimeError, KeyError):  # no home folder known (some containers): nothing to protect
        found.append(Protected("your home folder", home or Path.home(), may_hold_output=True))
    return found


def is_sitegen_output(folder: Path) -> bool:
    """Whether ``folder`` carries the marker sitegen writes into everything it outputs."""
    return (folder / MARKER_FILE).is_file()


def check_output_dir(
    target: Path, inputs: Sequence[Protected], *, force: bool = False, cwd: Path | None = None, home: Path | None = None
) -> Path:
    """Refuse an output folder that would replace input, or foreign files without ``force``.

    Args:
        target: the output folder as the user named it.
        inputs: the project's folders (see ``ProjectLayout.inputs``).
        force: replace a non-empty folder that sitegen did not write.
        cwd: the current folder (default: the process's).
        home: the user's home folder (default: ``Path.home()``).

    Returns:
        The absolute path to write to (symlinks resolved).

    Raises:
        SitegenError: the target is refused; the message says why and what to do.
    """
    real = _real(target)
    for guarded in (*inputs, *_universal(cwd, home), Protected("the filesystem root", Path(real.anchor), may_hold_output=True)):
        place = _real(guarded.path)
        if real == place or place.is_relative_to(real):
            what = "is" if real == place else "contains"
            raise SitegenError(f"refusing to write output to {target}: it {what} {guarded.label} ({guarded.path}); "
                               "sitegen replaces its output folder as a whole, so choose a separate folder such as 'site'")
        if not guarded.may_hold_output and real.is_relative_to(place):
            raise SitegenError(f"refusing to write output to {target}: it lies inside {guarded.label} ({guarded.path}); "
                               "choose a folder outside it")
    if real.exists() and not real.is_dir():
        raise SitegenError(f"refusing to write output to {target}: it is a file, not a folder")
    if real.is_dir() and not force and not is_sitegen_output(real) and any(real.iterdir()):
        raise SitegenError(f"refusing to replace {target}: it is not empty and sitegen did not write it (no {MARKER_FILE} file); "
                           "choose an empty or new folder, or pass --force to replace it and everything in it")
    return Path(os.path.realpath(target))


def write_output(target: Path, inputs: Sequence[Protected], fill: Callable[[Path], None], *, force: bool = False) -> Path:
    """Check ``target``, fill a fresh folder with ``fill(folder)``, mark it, and swap it in atomically.

    Returns:
        The folder written.

    Raises:
        SitegenError: the target is refused, or the swap failed (the previous output is kept).
    """
    folder = check_output_dir(target, inputs, force=force)

    def fill_and_mark(fresh: Path) -> None:
        fill(fresh)
        (fresh / MARKER_FILE).write_text(_MARKER_TEXT, encoding="utf-8", newline="\n")

    replace_dir(folder, fill_and_mark)
    return folder
