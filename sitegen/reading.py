"""Read record files, or know from the file system alone that a file is as it was last run.

A file's digest is what the cache is keyed by. Reading and hashing ten thousand files costs
more than everything else an unchanged run does, so, as version control tools do, a file whose
status (size, change times, inode) is exactly what it was last run is taken to hold the same
bytes. Only status recorded when the file had been left alone for a while counts: a file
changed again within the clock's granularity after being read could keep its status, so a file
changed just before a run is always read again on the next.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sitegen.cache import digest
from sitegen.errors import SitegenError

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["FileState", "Survey", "read_bytes", "survey"]

SETTLED_NS = 3 * 10**9
"""How long a file must have been left alone for its status to vouch for its bytes."""

Status = tuple[int, int, int, int, int]
FileState = tuple[Status, bytes]
"""A file's status and the digest of its bytes, as the last run found them."""


def read_bytes(path: Path | str, shown: str) -> bytes:
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


@dataclass(slots=True)
class Survey:
    """Each file's bytes (``None`` where its status vouched for them) and digest, and the states to keep."""

    files: list[tuple[str, Path]]
    data: list[bytes | None]
    digests: list[bytes]
    states: dict[str, FileState]

    def bytes_of(self, i: int) -> bytes:
        """The bytes of file ``i``, read now if they were not; its digest follows what was read."""
        data = self.data[i]
        if data is None:
            shown, path = self.files[i]
            data = self.data[i] = read_bytes(path, shown)
            self.digests[i] = digest(data)
            self.states.pop(shown, None)  # its status did not vouch for these bytes after all: read it next time too
        return data


def survey(files: list[tuple[str, Path]], known: object, *, with_states: bool = True) -> Survey:
    """Digests of ``files`` (each as shown, and where it is); ``known`` is the ``states`` of the last run.

    Without states (nothing keeps them), every file is simply read.
    """
    last = known if isinstance(known, dict) else {}
    now = time.time_ns()
    result = Survey(files, [], [], {})
    for shown, path in files:
        try:
            stat = os.stat(path) if with_states else None
        except OSError:
            stat = None
        status = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev) if stat else None
        found = last.get(shown)
        if status and isinstance(found, tuple) and len(found) == 2 and found[0] == status and isinstance(found[1], bytes):
            data, file_digest = None, found[1]
        else:
            data = read_bytes(path, shown)
            file_digest = digest(data)
        result.data.append(data)
        result.digests.append(file_digest)
        if stat and status and now - max(stat.st_mtime_ns, stat.st_ctime_ns) > SETTLED_NS:
            result.states[shown] = (status, file_digest)
    return result
