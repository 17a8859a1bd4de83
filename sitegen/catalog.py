"""Find, read and validate every record under a claims folder into one ``Catalog``."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitegen.cache import CACHE_DIR, CheckMemo, RecordCache, check_files, paused_gc
from sitegen.clock import build_date
from sitegen.errors import SitegenError
from sitegen.model import DEFAULT_AS_OF_MAX_AGE_MONTHS, Catalog, SiteInfo, Source, Topic
from sitegen.problems import Problem, sort_problems
from sitegen.reading import Survey, read_bytes, survey
from sitegen.source import read_yaml
from sitegen.store import register_codec
from sitegen.validate import (
    Checker,
    ClaimFacts,
    SourceDamage,
    build_claim,
    check_catalog,
    claim_facts,
    declared_source_ids,
    empty_claim_problem,
    facts_from_plain,
    facts_to_plain,
    sort_record_files,
    validate_claim,
    validate_site,
    validate_source_list,
    validate_topic_list,
)
from sitegen.validate.layout import SITE_FILE, TOPICS_FILE

if TYPE_CHECKING:
    from sitegen.validate.checker import Checked

__all__ = [
    "CACHE_DIR",
    "CheckMemo",
    "ClaimFile",
    "LoadResult",
    "SourceFile",
    "check_claim_facts",
    "check_claim_file",
    "check_source_file",
    "load_catalog",
]

_VALUE_DROPPED = {"SG104", "SG105", "SG106"}  # reading replaced a value with nothing


@dataclass(frozen=True, slots=True)
class LoadResult:
    """The catalogue (``None`` when there are errors) and every problem, sorted."""

    catalog: Catalog | None
    problems: tuple[Problem, ...]
    file_names: tuple[str, ...]
    """Every record file read, as a path in the file system (see ``files``)."""

    @property
    def files(self) -> tuple[Path, ...]:
        """Every record file read."""
        return tuple(map(Path, self.file_names))

    @property
    def error_count(self) -> int:
        return sum(p.is_error for p in self.problems)

    @property
    def warning_count(self) -> int:
        return len(self.problems) - self.error_count


def _relative(path: Path, root: Path) -> str:
    # abspath, not realpath: report the path the user has, even when it is a symlink
    full, base = os.path.abspath(path), os.path.abspath(root)
    if full.startswith(base + os.sep) and base != os.sep:
        return full[len(base) + 1 :].replace(os.sep, "/")
    return path.as_posix()


def _bytes(path: Path, root: Path) -> bytes:
    return read_bytes(path, _relative(path, root))


def _read(path: Path, root: Path) -> tuple[object, Checker, list[Problem]]:
    result = read_yaml(_bytes(path, root), _relative(path, root))
    return result.value, Checker(result.positions), list(result.problems)


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One file of sources, read and checked on its own."""

    problems: tuple[Problem, ...]
    sources: tuple[Source, ...]
    declared: frozenset[str] = frozenset()
    """Every source id the file names, whether or not its record passed."""
    is_damaged: bool = False
    """The file could not be read whole, so some ids may be missing from ``declared``."""


@dataclass(frozen=True, slots=True)
class ClaimFile:
    """One claim file, read and checked on its own; ``facts`` is ``None`` when it could not be read.

    ``record`` is the checked fields a catalogue is built from: ``None`` when some failed, and
    when the file was checked only for its problems (``check_claim_facts``).
    """

    problems: tuple[Problem, ...]
    facts: ClaimFacts | None
    record: Checked | None = None


def check_source_file(path: str, data: bytes) -> SourceFile:
    """Read and check one file of sources (``path`` as shown in problems)."""
    result = read_yaml(data, path)
    found = list(result.problems)
    declared = frozenset(declared_source_ids(result.value))
    if result.value is None or any(p.code in _VALUE_DROPPED for p in found):
        return SourceFile(tuple(found), (), declared, is_damaged=True)
    sources, source_problems = validate_source_list(result.value, result.positions)
    return SourceFile(tuple(found + source_problems), tuple(sources), declared)


def check_claim_file(path: str, data: bytes) -> ClaimFile:
    """Read and check one claim file on its own; references to other records are resolved later."""
    result = read_yaml(data, path)
    found, value = list(result.problems), result.value
    if value is None and not found:
        found.append(empty_claim_problem(path))
    if any(p.code in _VALUE_DROPPED for p in found) or value is None:
        return ClaimFile(tuple(found), None)  # checking the rest would only repeat the read problem
    raw, claim_problems = validate_claim(value, result.positions)
    raw = raw if not found else None
    facts = claim_facts(value, raw, result.positions) if isinstance(value, dict) else None
    return ClaimFile(tuple(found + claim_problems), facts, raw)


def check_claim_facts(path: str, data: bytes) -> ClaimFile:
    """``check_claim_file`` without the record: all that checking needs, and far less to store."""
    checked = check_claim_file(path, data)
    return ClaimFile(checked.problems, checked.facts)


_Found = list[tuple[str, str]]  # each file as shown in problems, and where it is


def _claim_file_to_plain(file: ClaimFile) -> tuple[object, ...]:
    return file.problems, facts_to_plain(file.facts) if file.facts else None, file.record


def _claim_file_from_plain(plain: Any) -> ClaimFile:
    problems, facts, record = plain
    return ClaimFile(problems, facts_from_plain(facts) if facts is not None else None, record)


register_codec(ClaimFile, _claim_file_to_plain, _claim_file_from_plain)


def _discover(claims_dir: Path, root: Path) -> tuple[_Found, _Found, list[Problem]]:
    """Source files and claim files, each sorted, and a problem for each misplaced file."""
    prefix = _relative(claims_dir / "x", root)[:-1]  # how paths under the folder are shown
    records: list[tuple[tuple[str, ...], str]] = []
    for folder, subfolders, names in os.walk(claims_dir):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]  # hidden: never records
        inside = Path(folder).relative_to(claims_dir).parts
        records += [((*inside, n), os.path.join(folder, n)) for n in names if not n.startswith(".") and n.lower().endswith((".yaml", ".yml"))]
    records.sort()
    found = {prefix + "/".join(parts): path for parts, path in records}
    layout = sort_record_files([(shown, parts) for shown, (parts, _) in zip(found, records, strict=True)])
    return [(p, found[p]) for p in layout.sources], [(p, found[p]) for p in layout.claims], list(layout.problems)


def load_catalog(
    claims_dir: Path, *, root: Path | None = None, today: dt.date | None = None, cache_dir: Path | None = None,
    memo: CheckMemo | None = None, check_only: bool = False,
) -> LoadResult:
    """Read and validate everything under ``claims_dir``.

    Args:
        claims_dir: the folder holding site.yaml, topics.yaml, sources/ and topic folders.
        root: the project root that problem paths are relative to (default: the parent).
        today: the date against which review freshness is judged.
        cache_dir: where to keep checked results between runs (``None``: check every file).
        memo: for a long-lived process (a live preview), checked results kept in memory from one
            call to the next: pass the same ``CheckMemo()`` each time, and a call re-reads only
            the files whose bytes changed, without loading the cache file again.
        check_only: find the problems but build no catalogue (``catalog`` is ``None``); the
            same problems, in far less time and memory, with a cache of its own.

    Returns:
        The catalogue when there are no errors, and every problem found, sorted.

    Raises:
        SitegenError: the folder or a required file is missing or unreadable.
    """
    root = root or claims_dir.parent
    if not claims_dir.is_dir():
        raise SitegenError(f"claims folder not found: {_relative(claims_dir, root)} (create it or pass --claims-dir)")
    for required in (SITE_FILE, TOPICS_FILE):
        if not (claims_dir / required).is_file():
            raise SitegenError(f"missing {_relative(claims_dir / required, root)}: every claims folder needs one (see the record format page)")
    problems: list[Problem] = []
    value, chk, found = _read(claims_dir / SITE_FILE, root)
    site, site_problems = validate_site(value, chk.positions) if not found else (None, [])
    problems += found + site_problems
    value, chk, found = _read(claims_dir / TOPICS_FILE, root)
    topics, topic_problems = validate_topic_list(value, chk.positions) if value is not None else ([], [])
    problems += found + topic_problems
    source_files, claim_files, stray = _discover(claims_dir, root)
    problems += stray
    settings = (_bytes(claims_dir / SITE_FILE, root), _bytes(claims_dir / TOPICS_FILE, root))
    cache = RecordCache.open(cache_dir, claims_dir, settings=settings, memo=memo, kind="checks" if check_only else "records")
    run = _Run(root, today or build_date(), site.as_of_max_age_months if site else DEFAULT_AS_OF_MAX_AGE_MONTHS, check_only)
    with paused_gc():
        found, checked_sources, checked_claims = _check_all(cache, source_files, claim_files, topics, run, may_reuse_run=memo is None)
        cache.save()
    ordered = sort_problems(problems + found)
    is_clean = site is not None and not any(p.is_error for p in ordered)
    sources = [s for file in checked_sources for s in file.sources]
    catalog = _catalog(site, topics, sources, checked_claims) if is_clean and site and not check_only else None
    return LoadResult(catalog, ordered, tuple(p for _, p in source_files + claim_files))


@dataclass(frozen=True, slots=True)
class _Run:
    root: Path
    today: dt.date
    max_age: int
    check_only: bool


def _check_all(cache: RecordCache, source_files: _Found, claim_files: _Found, topics: list[Topic], run: _Run, *, may_reuse_run: bool,
               ) -> tuple[list[Problem], list[SourceFile], list[ClaimFile]]:
    """Every record file's problems and those across files; checked files, or none when a run's result is reused.

    Checking only, a run whose files (each path and digest), settings and day are all those
    of the last run gives that run's problems.
    """
    files = source_files + claim_files
    known = cache.slot("files") if cache.keeps else None
    found = survey(files, known, with_states=cache.keeps, read=cache.has_results)
    paths = [shown for shown, _ in files]
    may_reuse_run = may_reuse_run and run.check_only
    kept = cache.slot("run") if may_reuse_run and all(found.digests) else None
    if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == _run_key(paths, found.digests, run.today) and isinstance(kept[1], tuple):
        problems = list(kept[1])
        if all(isinstance(p, Problem) for p in problems):
            _keep_states(cache, found, known)
            return problems, [], []
    count = len(source_files)
    checked_sources = check_files(found, range(count), check_source_file, SourceFile, cache)
    check = check_claim_facts if run.check_only else check_claim_file
    checked_claims = check_files(found, range(count, len(files)), check, ClaimFile, cache)
    problems = [p for file in checked_sources for p in file.problems] + [p for file in checked_claims for p in file.problems]
    problems += _check_across(checked_sources, checked_claims, claim_files, topics, today=run.today, max_age=run.max_age)
    if may_reuse_run and cache.keeps:
        cache.keep("run", (_run_key(paths, found.digests, run.today), tuple(problems)))
    _keep_states(cache, found, known)
    return problems, checked_sources, checked_claims


def _keep_states(cache: RecordCache, found: Survey, known: object) -> None:
    states = found.states()
    if cache.keeps and states != known:
        cache.keep("files", states)


def _run_key(paths: list[str], digests: list[bytes | None], today: dt.date) -> bytes:
    key = hashlib.blake2b(today.isoformat().encode(), digest_size=16)
    for path, file_digest in zip(paths, digests, strict=True):
        key.update(b"\0" + path.encode() + b"\0" + (file_digest or b""))
    return key.digest()


def _check_across(checked_sources: list[SourceFile], checked_claims: list[ClaimFile], claim_files: _Found, topics: list[Topic],
                  *, today: dt.date, max_age: int) -> list[Problem]:
    """The rules across files, on the facts of each claim file."""
    sources = [s for file in checked_sources for s in file.sources]
    declared = {source_id for file in checked_sources for source_id in file.declared}
    broken = SourceDamage(frozenset(declared - {s.id for s in sources}), any(file.is_damaged for file in checked_sources))
    facts = [file.facts for file in checked_claims if file.facts is not None]
    unreadable = frozenset(os.path.splitext(os.path.basename(path))[0] for (_, path), file in zip(claim_files, checked_claims, strict=True)
                           if file.facts is None)
    return check_catalog(facts, sources, topics, today=today, unreadable=unreadable, as_of_max_age_months=max_age, broken_sources=broken)


def _catalog(site: SiteInfo, topics: list[Topic], sources: list[Source], checked_claims: list[ClaimFile]) -> Catalog:
    """The catalogue of a clean load: every claim file has its facts and record."""
    index: dict[str, Source] = {s.id: s for s in sources}
    claims = [build_claim(file.facts, file.record, index) for file in checked_claims if file.facts and file.record is not None]
    assert len(claims) == len(checked_claims), "a clean load has a record for every claim file"
    return Catalog(site, tuple(topics), tuple(sorted(claims, key=lambda c: c.id)), tuple(sorted(index.values(), key=lambda s: s.id)))
