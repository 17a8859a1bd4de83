"""Replace an output folder atomically: fill a fresh sibling, then swap it in, under a lock.

Files next to ``NAME`` (all removed again when a run ends normally):

- ``.NAME.sitegen-lock``: held while a run fills and swaps; a second run fails cleanly.
- ``.NAME.sitegen-new-PID-XXXX``: the folder being filled by process ``PID``.
- ``.NAME.sitegen-old``: the previous output, between the two renames of the swap.

A run that dies leaves its folders behind; the next run, holding the lock, restores a
moved-aside ``-old`` folder if the output is missing, and removes ``-new-`` folders
whose process is gone. It never touches another name.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen.errors import SitegenError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

__all__ = ["SwapLockedError", "hold_lock", "replace_dir"]


class SwapLockedError(SitegenError):
    """Another run is writing the same output folder."""


def _lock_path(target: Path) -> Path:
    return target.parent / f".{target.name}.sitegen-lock"


if sys.platform == "win32":
    import msvcrt

    def _try_lock(handle: int) -> bool:
        try:
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

else:
    import fcntl

    def _try_lock(handle: int) -> bool:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


def _holder(handle: int) -> str:
    try:
        return os.read(handle, 32).decode("ascii", "replace").strip() or "unknown"
    except OSError:  # Windows: the holder's lock covers the bytes
        return "unknown"


def _open_lock(path: Path, target: Path) -> int:
    """Open and lock ``path``; retry if a finishing run removed it between our open and lock."""
    while True:
        try:
            handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise SitegenError(f"cannot create the lock file {path}: {exc.strerror or exc}") from exc
        if not _try_lock(handle):
            holder = _holder(handle)
            os.close(handle)
            raise SwapLockedError(f"another sitegen run (process {holder}) is writing {target}; "
                                  f"wait for it to finish (if none is running, delete {path})")
        try:
            same = os.path.samestat(os.fstat(handle), os.stat(path))
        except FileNotFoundError:
            same = False
        if same:
            os.ftruncate(handle, 0)
            os.write(handle, str(os.getpid()).encode("ascii"))
            return handle
        os.close(handle)


@contextmanager
def hold_lock(target: Path) -> Iterator[None]:
    """Hold the lock of output folder ``target`` (absolute) for the duration of the block.

    Raises:
        SwapLockedError: another run holds it.
    """
    path = _lock_path(target)
    handle = _open_lock(path, target)
    try:
        yield
    finally:
        _release(path, handle)


def _release(path: Path, handle: int) -> None:
    """Remove the lock file and close it, in the order that keeps a waiting run correct."""
    if sys.platform == "win32":
        # An open file cannot be removed on Windows: close first; if another run opened it
        # meanwhile, removing fails and the file stays for that run.
        os.close(handle)
        with contextlib.suppress(OSError):
            path.unlink()
        return
    # POSIX: remove before closing, so a run that opened the old file sees it is gone and retries.
    with contextlib.suppress(OSError):
        path.unlink()
    os.close(handle)


def _is_running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        return False  # with the lock held, no other live run can own a folder
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _clean_stale(target: Path, old: Path) -> None:
    """Under the lock: undo a swap that died half-way, then remove folders of dead runs."""
    if old.is_dir() and not os.path.lexists(target):
        os.rename(old, target)
    elif old.is_dir():
        shutil.rmtree(old, ignore_errors=True)
    pattern = re.compile(rf"\.{re.escape(target.name)}\.sitegen-new-(\d+)-[^/\\]+")
    for stale in target.parent.iterdir():
        found = pattern.fullmatch(stale.name)
        if found and stale.is_dir() and not stale.is_symlink() and not _is_running(int(found.group(1))):
            shutil.rmtree(stale, ignore_errors=True)


def _swap(target: Path, fresh: Path, old: Path) -> None:
    """Two renames; on any failure put the previous folder back and remove ``fresh``."""
    moved_aside = False
    try:
        if os.path.lexists(target):
            os.rename(target, old)
            moved_aside = True
        os.rename(fresh, target)
    except BaseException as exc:
        shutil.rmtree(fresh, ignore_errors=True)
        if moved_aside and not os.path.lexists(target):
            try:
                os.rename(old, target)
            except OSError as again:
                raise SitegenError(f"cannot put the previous {target} back: {again.strerror or again}; it is kept in {old} "
                                   "and the next run restores it") from exc
        if isinstance(exc, OSError):
            raise SitegenError(f"cannot replace {target}: {exc.strerror or exc}; the previous output is unchanged") from exc
        raise
    shutil.rmtree(old, ignore_errors=True)


def replace_dir(target: Path, fill: Callable[[Path], None]) -> None:
    """Fill a fresh sibling folder with ``fill(path)``, then swap it in for ``target``.

    A failure or interruption at any point leaves ``target`` as it was (or, if the process
    is killed between the two renames, moved aside to ``.NAME.sitegen-old``, which the next
    run restores before doing anything else).

    Raises:
        SwapLockedError: another run is writing ``target``.
        SitegenError: a folder could not be created or renamed.
    """
    target = Path(os.path.abspath(target))
    old = target.parent / f".{target.name}.sitegen-old"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SitegenError(f"cannot create {target.parent}: {exc.strerror or exc}") from exc
    with hold_lock(target):
        _clean_stale(target, old)
        try:
            fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}.sitegen-new-{os.getpid()}-", dir=target.parent))
        except OSError as exc:
            raise SitegenError(f"cannot create a folder next to {target}: {exc.strerror or exc}") from exc
        try:
            fill(fresh)
        except BaseException:
            shutil.rmtree(fresh, ignore_errors=True)
            raise
        _swap(target, fresh, old)
