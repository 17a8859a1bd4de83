"""Read record files, or know from the file system alone that a file is as it was last run.

A file's digest is what the cache is keyed by. Reading and hashing ten thousand files costs
more than everything else an unchanged run does, so, as version control tools do, a file whose
status (size, change times, inode) is exactly what it was last run is taken to hold the same
bytes. Only status recorded when the file had been left alone for a while counts: a file
changed again within the clock's granularity after being read could keep its status, so a file
changed just before a run is always read again on the next.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from sitegen.errors import SitegenError

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["FileState", "Survey", "digest", "read_and_check", "read_bytes", "survey"]

T = TypeVar("T")

SETTLED_NS = 3 * 10**9
"""How long a file must have been left alone for its status to vouch for its bytes."""

Status = tuple[int, int, int, int, int]
FileState = tuple[Status, bytes]
"""A file's status and the digest of its bytes, as the last run found them."""


def read_bytes(path: str | os.PathLike[str], shown: str) -> bytes:
    """The bytes of a file; ``SitegenError`` (naming ``shown``) when it cannot be read."""
    try:
        handle = os.open(path, os.O_RDONLY)  # no file object: ten thousand of them cost more than the reading
        try:
            chunks = [os.read(handle, os.fstat(handle).st_size + 1)]
            while chunks[-1]:  # until the end, even if the file grew meanwhile
                chunks.append(os.read(handle, 1 << 20))
            return b"".join(chunks)
        finally:
            os.close(handle)
    except OSError as exc:
        raise SitegenError(f"cannot read {shown}: {exc.strerror or exc}") from exc


def digest(data: bytes) -> bytes:
    """The digest a file's bytes are cached under (SHA-256: most processors compute it in hardware)."""
    return hashlib.sha256(data).digest()[:16]


@dataclass(slots=True)
class Survey:
    """Each file's bytes and digest where known, and its status where it may vouch for them next time.

    A file's bytes are ``None`` where its status vouched for them (its digest is the one last
    kept) or where nothing needed them yet (its digest is ``None`` too: whoever checks the file
    reads it and fills in the digest of what it read).
    """

    files: list[tuple[str, str]]
    data: list[bytes | None]
    digests: list[bytes | None]
    statuses: list[Status | None]

    def states(self) -> dict[str, FileState]:
        """The status and digest of each file left alone long enough, to keep for the next run."""
        return {shown: (status, found) for (shown, _), status, found in zip(self.files, self.statuses, self.digests, strict=True)
                if status is not None and found is not None}


def survey(files: list[tuple[str, str]], known: object, *, with_states: bool = True, read: bool = True) -> Survey:
    """What is known of ``files`` (each as shown, and where it is); ``known`` is the states kept by the last run.

    Without states (nothing keeps them) no status is looked at; without ``read`` (nothing to
    look a digest up in) a file whose status does not vouch for it is left to whoever checks it.
    """
    last = known if isinstance(known, dict) else {}
    now = time.time_ns()
    result = Survey(files, [], [], [])
    for shown, path in files:
        try:
            stat = os.stat(path) if with_states else None
        except OSError:
            stat = None
        status = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev) if stat else None
        found = last.get(shown)
        data: bytes | None = None
        if status and isinstance(found, tuple) and len(found) == 2 and found[0] == status and isinstance(found[1], bytes):
            file_digest: bytes | None = found[1]
        elif read:
            data = read_bytes(path, shown)
            file_digest = digest(data)
        else:
            file_digest = None
        result.data.append(data)
        result.digests.append(file_digest)
        is_settled = stat is not None and now - max(stat.st_mtime_ns, stat.st_ctime_ns) > SETTLED_NS
        result.statuses.append(status if is_settled else None)
    return result


def read_and_check(check: Callable[[str, bytes], T], shown: str, where: str, data: bytes | None) -> tuple[bytes, T]:
    """``check`` on a file's bytes (read now if ``None``), and the digest of the bytes checked."""
    data = read_bytes(where, shown) if data is None else data
    return digest(data), check(shown, data)
