"""Replace an output folder atomically: fill a fresh sibling, then swap it in."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["replace_dir"]


def replace_dir(target: Path, fill: Callable[[Path], None]) -> None:
    """Fill a fresh sibling folder with ``fill(path)``, then swap it in for ``target``.

    A failure or interruption before the swap leaves ``target`` exactly as it was. The
    swap is two renames; if a run dies between them, the next run restores the old
    folder from ``.NAME.sitegen-old`` before doing anything else.
    """
    target = Path(os.path.abspath(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    old = target.parent / f".{target.name}.sitegen-old"
    if old.exists() and not target.exists():
        old.rename(target)
    for stale in target.parent.glob(f".{target.name}.sitegen-*"):
        shutil.rmtree(stale, ignore_errors=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}.sitegen-new-", dir=target.parent))
    try:
        fill(fresh)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    if target.exists():
        target.rename(old)
    try:
        fresh.rename(target)
    except BaseException:
        if old.exists() and not target.exists():
            old.rename(target)
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)
