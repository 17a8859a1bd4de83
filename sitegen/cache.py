"""Check each record file once: results cached by content, misses checked on all cores.

The cache maps a file's project-relative path to the digest of its bytes and the result of
checking it (problems and the checked record, frozen dataclasses). It is one file per
claims folder, written atomically. Anything unexpected in it (another sitegen, another
folder, a truncated or edited file, an unknown type) makes the whole cache count as empty:
the cache can make a run faster, never change what it reports. Loading accepts only the
types a result is made of, so a planted file cannot run code.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import os
import pickle
import sys
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import sitegen
from sitegen.reading import read_and_check
from sitegen.store import CORRUPT, codecs, dumps, loads

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from sitegen.reading import Survey

__all__ = ["CACHE_DIR", "CheckMemo", "RecordCache", "check_files", "paused_gc"]

CACHE_DIR = ".sitegen-cache"
PARALLEL_FROM = 300  # files to check before starting worker processes pays off
_MAGIC = b"sitegen-cache 2\n"

T = TypeVar("T")


@functools.cache
def _code_fingerprint() -> bytes:
    """The version and the source of the installed package: changed code, empty cache."""
    digest = hashlib.blake2b(f"{sitegen.__version__} {sys.version_info[:2]}".encode(), digest_size=16)
    package = Path(sitegen.__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.digest()


Entry = tuple[bytes, object]  # content digest, checked result
_BUCKETS = 64  # a changed file rewrites only its bucket's share of the cache
_SLOTS = {"run": -1, "files": -2}  # values kept beside the buckets, by name


def _bucket(path: str) -> int:
    return zlib.crc32(path.encode()) % _BUCKETS


class CheckMemo:
    """Checked results kept in memory between two loads by one long-lived process (a live preview).

    Pass the same memo to every ``load_catalog`` call: a load then reuses the results of the
    previous one for every file whose bytes are unchanged, checks only the others, and never
    reads the cache file from disk again. Like the cache, it never changes a result: it is keyed
    by the claims folder and settings, and each entry by the digest of the file's bytes.
    """

    __slots__ = ("_blobs", "_entries", "_salt")

    def __init__(self) -> None:
        self._salt = b""
        self._entries: dict[str, Entry] = {}
        self._blobs: dict[int, bytes] = {}  # as last written to (or read from) the cache file


class RecordCache:
    """Checked results by file, valid for one claims folder, code version and settings.

    The file holds one pickled share per bucket of paths, decoded only when a result is first
    asked for, and a few values kept whole (``slot``): a run that finds every file unchanged
    decodes nothing else.
    """

    def __init__(self, file: Path | None, salt: bytes, memo: CheckMemo | None = None) -> None:
        self._file = file
        self._salt = salt
        self._memo = memo
        self._from_memo = False
        self._blobs: dict[int, bytes] = {}  # bucket -> pickled {path: entry}, as read
        self._old: dict[str, Entry] | None = {}  # None: the buckets are not decoded yet
        self._new: dict[str, Entry] = {}
        self._dirty: set[int] = set()

    @classmethod
    def open(
        cls, folder: Path | None, claims_dir: Path, *, settings: Sequence[bytes] = (), memo: CheckMemo | None = None, kind: str = "records"
    ) -> RecordCache:
        """The cache for ``claims_dir`` in ``folder``; ``None`` (and no memo) gives a cache that keeps nothing.

        ``settings`` are the bytes of files whose content may change how a record is checked;
        ``kind`` names what is stored (each kind has a file of its own).
        A ``memo`` filled by an earlier load with the same folder and settings is used instead
        of the file in ``folder`` (which is then not written either), and holds this load's
        results afterwards.
        """
        if folder is None and memo is None:
            return cls(None, b"")
        where = os.path.abspath(claims_dir)
        stat = os.stat(where)
        salt = hashlib.blake2b(_code_fingerprint() + kind.encode(), digest_size=16)
        # the folder's identity: a cache file copied in from elsewhere (or committed) does not match
        salt.update(f"{where}\0{stat.st_dev}\0{stat.st_ino}".encode())
        for blob in settings:
            salt.update(hashlib.blake2b(blob, digest_size=16).digest())
        name = hashlib.blake2b(where.encode(), digest_size=8).hexdigest()
        cache = cls(folder / f"{kind}-{name}.pickle" if folder else None, salt.digest(), memo)
        if memo is not None and memo._salt == cache._salt and memo._entries:
            cache._old, cache._blobs, cache._from_memo = memo._entries, memo._blobs, True
        elif cache._file is not None:
            cache._load()
        return cache

    def _load(self) -> None:
        assert self._file is not None
        try:
            blob = self._file.read_bytes()
        except OSError:
            return
        head = len(_MAGIC) + 32
        if len(blob) < head or not blob.startswith(_MAGIC) or blob[len(_MAGIC) : len(_MAGIC) + 16] != self._salt:
            return
        body = memoryview(blob)[head:]  # no copy of a large file
        if hashlib.blake2b(body, digest_size=16).digest() != blob[len(_MAGIC) + 16 : head]:
            return
        try:
            blobs = loads(body)
        except CORRUPT:
            return
        if isinstance(blobs, dict) and all(isinstance(b, int) and isinstance(data, bytes) for b, data in blobs.items()):
            self._blobs, self._old = blobs, None

    def _entries(self) -> dict[str, Entry]:
        """The stored results by path, decoded on first use (all or nothing: damage empties the cache)."""
        if self._old is None:
            self._old = {}
            try:
                found = {bucket: loads(data) for bucket, data in self._blobs.items() if bucket >= 0}
                for bucket, entries in found.items():
                    if not isinstance(entries, dict) or not all(_is_entry(path, entry) and _bucket(path) == bucket for path, entry in entries.items()):
                        raise TypeError("an entry of the wrong shape or in the wrong bucket")
                    self._old.update(entries)
            except CORRUPT:
                self._blobs, self._old = {}, {}
        return self._old

    @property
    def has_results(self) -> bool:
        """Whether any result may be found here (so digests are worth computing before checking)."""
        return self._old is None or bool(self._old)

    @property
    def keeps(self) -> bool:
        """Whether anything is kept for a later run (a cache folder or a memo)."""
        return self._file is not None or self._memo is not None

    def slot(self, name: str) -> object:
        """The value the last run kept under ``name`` (``keep``), or ``None``; decoded only when asked for."""
        blob = self._blobs.get(_SLOTS[name])
        try:
            return loads(blob) if blob is not None else None
        except CORRUPT:
            return None

    def keep(self, name: str, value: object) -> None:
        """Keep ``value`` under ``name`` (one of "run", "files") for the next run."""
        try:
            self._blobs[_SLOTS[name]] = dumps(value)
        except (pickle.PicklingError, TypeError, AttributeError):
            self._blobs.pop(_SLOTS[name], None)
        self._dirty.add(_SLOTS[name])

    def get(self, path: str, digest: bytes, kind: type[T]) -> T | None:
        """The result stored for ``path`` if its content is unchanged and of the expected type."""
        entry = self._entries().get(path)
        if entry is None or entry[0] != digest or not isinstance(entry[1], kind):
            return None
        self._new[path] = entry
        return entry[1]

    def put(self, path: str, digest: bytes, result: object) -> None:
        self._new[path] = (digest, result)
        self._dirty.add(_bucket(path))

    def save(self) -> None:
        """Write the entries used or made by this run (deleted files drop out); never fails the run."""
        if self._old is not None:  # else no result was asked for, so none was used, made or dropped
            self._dirty |= {_bucket(path) for path in self._old.keys() - self._new.keys()}
        # a load served from a memo leaves the file alone: rewriting it on every edit costs more than
        # the next process checking again the few files changed meanwhile
        blobs = self._write() if self._dirty and self._file is not None and not self._from_memo else self._blobs
        if self._memo is not None:
            self._memo._salt, self._memo._entries, self._memo._blobs = self._salt, dict(self._new), blobs

    def _write(self) -> dict[int, bytes]:
        """Write the cache file; return the buckets as written ({} when they could not be)."""
        import tempfile  # here: most runs write nothing, and it imports much

        assert self._file is not None
        by_bucket: dict[int, dict[str, Entry]] = {}
        for path, entry in self._new.items():
            by_bucket.setdefault(_bucket(path), {})[path] = entry
        try:
            blobs = {b: self._blobs[b] if b in self._blobs and b not in self._dirty else dumps(entries) for b, entries in sorted(by_bucket.items())}
        except (pickle.PicklingError, TypeError, AttributeError):
            return {}  # a result that cannot be stored: everything is simply checked again next time
        if self._old is None:  # no result was asked for: every bucket stays as read
            blobs = dict(self._blobs)
        blobs.update((slot, data) for slot, data in self._blobs.items() if slot < 0)
        body = pickle.dumps(blobs, protocol=pickle.HIGHEST_PROTOCOL)
        head = _MAGIC + self._salt + hashlib.blake2b(body, digest_size=16).digest()
        try:
            self._file.parent.mkdir(parents=True, exist_ok=True)
            ignore = self._file.parent / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# written by sitegen: nothing in this folder belongs in git\n*\n", encoding="utf-8")
            handle, temporary = tempfile.mkstemp(dir=self._file.parent, prefix=".records-")
            with os.fdopen(handle, "wb") as out:
                out.write(head)
                out.write(body)
            os.replace(temporary, self._file)
        except OSError:
            return {}  # a read-only or full disk: the next run checks again
        return blobs


def _is_entry(path: object, entry: object) -> bool:
    return isinstance(path, str) and isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[0], bytes)


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection inside: checking makes many objects and few cycles.

    Each collection would walk every object made so far (and, in a forked worker, touch the
    parent's memory pages): with ten thousand files that is most of the time spent.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _run_parallel(check: Callable[..., T], jobs: Sequence[tuple[object, ...]]) -> list[T] | None:
    """``check(*job)`` for each job in worker processes, in order; ``None`` when that is not possible here.

    Workers are forked, so nothing is imported again, and only from a single-threaded
    process (forking a threaded one, such as a live-preview server, can deadlock).
    """
    import multiprocessing  # here: most runs never start a worker, and these imports cost
    import threading
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool
    from multiprocessing.reduction import ForkingPickler

    workers = _workers()
    if workers < 2 or threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        return None
    for cls, reducer in codecs().items():  # results travel back as plain values too
        ForkingPickler.register(cls, reducer)
    chunk = max(1, len(jobs) // (workers * 16))  # small enough that no worker is left alone with a last large chunk
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(check, *zip(*jobs, strict=True), chunksize=chunk))
    except (BrokenProcessPool, OSError):  # no processes on this system: check in this one
        return None


def check_files(found: Survey, part: range, check: Callable[[str, bytes], T], kind: type[T], cache: RecordCache) -> list[T]:
    """``check(path, data)`` for the files ``part`` of ``found``, in order; cached results reused, many misses run in parallel.

    A file's bytes are read where needed (by a worker, for a miss), and its digest in ``found``
    becomes that of the bytes checked. ``check`` must be a module-level function (worker
    processes import it by name).
    """
    results: list[T | None] = [None] * len(part)
    for n, i in enumerate(part):
        file_digest = found.digests[i]
        results[n] = cache.get(found.files[i][0], file_digest, kind) if file_digest is not None else None
    missing = [i for n, i in enumerate(part) if results[n] is None]
    jobs = [(found.files[i][0], found.files[i][1], found.data[i]) for i in missing]
    task = functools.partial(read_and_check, check)
    done = _run_parallel(task, jobs) if len(missing) >= PARALLEL_FROM else None
    if done is None:
        done = [task(*job) for job in jobs]
    for i, (file_digest, result) in zip(missing, done, strict=True):
        if found.digests[i] not in (None, file_digest):
            found.statuses[i] = None  # not the bytes its status vouched for: read it next time too
        found.digests[i] = file_digest
        results[i - part.start] = result
        cache.put(found.files[i][0], file_digest, result)
    return [r for r in results if r is not None]
