"""Check each record file once: results cached by content, misses checked on all cores.

The cache maps a file's project-relative path to the digest of its bytes and the result of
checking it (problems and the checked record, frozen dataclasses). It is one file per
claims folder, written atomically. Anything unexpected in it (another sitegen, another
folder, a truncated or edited file, an unknown type) makes the whole cache count as empty:
the cache can make a run faster, never change what it reports. Loading accepts only the
types a result is made of, so a planted file cannot run code.
"""

from __future__ import annotations

import copyreg
import dataclasses
import functools
import hashlib
import io
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import sitegen

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

__all__ = ["CACHE_DIR", "CheckMemo", "RecordCache", "check_files"]

CACHE_DIR = ".sitegen-cache"
PARALLEL_FROM = 300  # files to check before starting worker processes pays off
_MAGIC = b"sitegen-cache 1\n"
_ALLOWED_MODULES = ("sitegen.",)
_ALLOWED_GLOBALS = {("datetime", "date"), ("datetime", "datetime"), ("datetime", "timezone"), ("datetime", "timedelta")}

T = TypeVar("T")


@functools.cache
def _code_fingerprint() -> bytes:
    """The version and the source of the installed package: changed code, empty cache."""
    digest = hashlib.blake2b(f"{sitegen.__version__} {sys.version_info[:2]}".encode(), digest_size=16)
    package = Path(sitegen.__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.digest()


_CORRUPT = (pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError, KeyError, TypeError, ValueError)


def _by_fields(obj: object) -> tuple[type, tuple[object, ...]]:
    """Rebuild a dataclass through its constructor (much faster to load than its default state protocol)."""
    return type(obj), tuple(getattr(obj, f.name) for f in dataclasses.fields(obj))  # type: ignore[arg-type]


def _pickle(obj: object) -> bytes:
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _DispatchTable()  # type: ignore[assignment]
    pickler.dump(obj)
    return out.getvalue()


class _DispatchTable(dict[type, object]):
    """Frozen or slotted sitegen dataclasses are stored as constructor calls; the rest as usual."""

    def __missing__(self, cls: type) -> object:
        if dataclasses.is_dataclass(cls) and cls.__module__.startswith("sitegen.") and all(f.init for f in dataclasses.fields(cls)):
            self[cls] = _by_fields
            return _by_fields
        found = copyreg.dispatch_table.get(cls)
        if found is None:
            raise KeyError(cls)
        return found


def _unpickle(blob: bytes | memoryview) -> object:
    return _RestrictedUnpickler(io.BytesIO(blob)).load()


class _RestrictedUnpickler(pickle.Unpickler):
    """Builds only sitegen's own classes and dates; anything else is a corrupt cache."""

    def find_class(self, module: str, name: str) -> object:
        if (module.startswith(_ALLOWED_MODULES) and not name.startswith("_")) or (module, name) in _ALLOWED_GLOBALS:
            found = super().find_class(module, name)
            if isinstance(found, type):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")


Entry = tuple[bytes, object]  # content digest, checked result
_BUCKETS = 64  # a changed file rewrites only its bucket's share of the cache


def _bucket(path: str) -> int:
    return hashlib.blake2b(path.encode(), digest_size=2).digest()[0] % _BUCKETS


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
    """Checked results by file, valid for one claims folder, code version and settings."""

    def __init__(self, file: Path | None, salt: bytes, memo: CheckMemo | None = None) -> None:
        self._file = file
        self._salt = salt
        self._memo = memo
        self._blobs: dict[int, bytes] = {}  # bucket -> pickled {path: entry}, as read
        self._old: dict[str, Entry] = {}
        self._new: dict[str, Entry] = {}
        self._dirty: set[int] = set()

    @classmethod
    def open(cls, folder: Path | None, claims_dir: Path, *, settings: Sequence[bytes] = (), memo: CheckMemo | None = None) -> RecordCache:
        """The cache for ``claims_dir`` in ``folder``; ``None`` (and no memo) gives a cache that keeps nothing.

        ``settings`` are the bytes of files whose content may change how a record is checked.
        A ``memo`` filled by an earlier load with the same folder and settings is used instead
        of the file in ``folder``, and holds this load's results afterwards.
        """
        if folder is None and memo is None:
            return cls(None, b"")
        where = os.path.abspath(claims_dir)
        stat = os.stat(where)
        salt = hashlib.blake2b(_code_fingerprint(), digest_size=16)
        # the folder's identity: a cache file copied in from elsewhere (or committed) does not match
        salt.update(f"{where}\0{stat.st_dev}\0{stat.st_ino}".encode())
        for blob in settings:
            salt.update(hashlib.blake2b(blob, digest_size=16).digest())
        name = hashlib.blake2b(where.encode(), digest_size=8).hexdigest()
        cache = cls(folder / f"records-{name}.pickle" if folder else None, salt.digest(), memo)
        if memo is not None and memo._salt == cache._salt and memo._entries:
            cache._old, cache._blobs = memo._entries, memo._blobs
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
            blobs = _unpickle(body)
            if not isinstance(blobs, dict):
                return
            entries = {bucket: _unpickle(data) for bucket, data in blobs.items() if isinstance(data, bytes)}
        except _CORRUPT:
            return
        old: dict[str, Entry] = {}
        for bucket, found in entries.items():
            if not isinstance(found, dict) or not all(_is_entry(path, entry) and _bucket(path) == bucket for path, entry in found.items()):
                return
            old.update(found)
        self._blobs, self._old = blobs, old

    def get(self, path: str, digest: bytes, kind: type[T]) -> T | None:
        """The result stored for ``path`` if its content is unchanged and of the expected type."""
        entry = self._old.get(path)
        if entry is None or entry[0] != digest or not isinstance(entry[1], kind):
            return None
        self._new[path] = entry
        return entry[1]

    def put(self, path: str, digest: bytes, result: object) -> None:
        self._new[path] = (digest, result)
        self._dirty.add(_bucket(path))

    def save(self) -> None:
        """Write the entries used or made by this run (deleted files drop out); never fails the run."""
        self._dirty |= {_bucket(path) for path in self._old.keys() - self._new.keys()}
        blobs = self._write() if self._dirty and self._file is not None else self._blobs
        if self._memo is not None:
            self._memo._salt, self._memo._entries, self._memo._blobs = self._salt, dict(self._new), blobs

    def _write(self) -> dict[int, bytes]:
        """Write the cache file; return the buckets as written ({} when they could not be)."""
        assert self._file is not None
        by_bucket: dict[int, dict[str, Entry]] = {}
        for path, entry in self._new.items():
            by_bucket.setdefault(_bucket(path), {})[path] = entry
        try:
            blobs = {b: self._blobs[b] if b in self._blobs and b not in self._dirty else _pickle(entries) for b, entries in sorted(by_bucket.items())}
        except (pickle.PicklingError, TypeError, AttributeError):
            return {}  # a result that cannot be stored: everything is simply checked again next time
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


def _workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _run_parallel(check: Callable[[str, bytes], T], jobs: Sequence[tuple[str, bytes]]) -> list[T] | None:
    """``check`` over ``jobs`` in worker processes, in order; ``None`` when that is not possible here.

    Workers are forked, so nothing is imported again, and only from a single-threaded
    process (forking a threaded one, such as a live-preview server, can deadlock).
    """
    import multiprocessing  # here: most runs never start a worker, and these imports cost
    import threading
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    workers = _workers()
    if workers < 2 or threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        return None
    chunk = max(1, len(jobs) // (workers * 4))
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(check, *zip(*jobs, strict=True), chunksize=chunk))
    except (BrokenProcessPool, OSError):  # no processes on this system: check in this one
        return None


def check_files(
    jobs: Sequence[tuple[str, bytes]], check: Callable[[str, bytes], T], kind: type[T], cache: RecordCache
) -> list[T]:
    """``check(path, data)`` for every job, in order; cached results reused, many misses run in parallel.

    ``check`` must be a module-level function (worker processes import it by name).
    """
    digests = [hashlib.blake2b(data, digest_size=16).digest() for _, data in jobs]
    results: list[T | None] = [cache.get(path, digest, kind) for (path, _), digest in zip(jobs, digests, strict=True)]
    missing = [i for i, result in enumerate(results) if result is None]
    done = _run_parallel(check, [jobs[i] for i in missing]) if len(missing) >= PARALLEL_FROM else None
    if done is None:
        done = [check(*jobs[i]) for i in missing]
    for i, result in zip(missing, done, strict=True):
        results[i] = result
        cache.put(jobs[i][0], digests[i], result)
    return [r for r in results if r is not None]
