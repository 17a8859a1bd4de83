"""Find, read and validate every record under a claims folder into one ``Catalog``."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from sitegen.cache import CACHE_DIR, CheckMemo, RecordCache, check_files
from sitegen.clock import build_date
from sitegen.errors import SitegenError
from sitegen.model import DEFAULT_AS_OF_MAX_AGE_MONTHS, Catalog, Source
from sitegen.problems import Problem, sort_problems
from sitegen.source import read_yaml
from sitegen.validate import (
    Checker,
    PendingClaim,
    SourceDamage,
    check_catalog,
    declared_source_ids,
    empty_claim_problem,
    sort_record_files,
    validate_claim,
    validate_site,
    validate_source_list,
    validate_topic_list,
)
from sitegen.validate.layout import SITE_FILE, TOPICS_FILE

__all__ = ["CACHE_DIR", "CheckMemo", "ClaimFile", "LoadResult", "SourceFile", "check_claim_file", "check_source_file", "load_catalog"]

_VALUE_DROPPED = {"SG104", "SG105", "SG106"}  # reading replaced a value with nothing


@dataclass(frozen=True, slots=True)
class LoadResult:
    """The catalogue (``None`` when there are errors) and every problem, sorted."""

    catalog: Catalog | None
    problems: tuple[Problem, ...]
    files: tuple[Path, ...]

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
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SitegenError(f"cannot read {_relative(path, root)}: {exc.strerror or exc}") from exc


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
    """One claim file, read and checked on its own; ``pending`` is ``None`` when it could not be read."""

    problems: tuple[Problem, ...]
    pending: PendingClaim | None


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
    pending = PendingClaim(value, raw if not found else None, Checker(result.positions)).summary() if isinstance(value, dict) else None
    return ClaimFile(tuple(found + claim_problems), pending)


def _discover(claims_dir: Path, root: Path) -> tuple[list[Path], list[Path], list[Problem]]:
    """Source files and claim files, each sorted, and a problem for each misplaced file."""
    prefix = _relative(claims_dir / "x", root)[:-1]  # how paths under the folder are shown
    records: list[tuple[tuple[str, ...], Path]] = []
    for folder, subfolders, names in os.walk(claims_dir):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]  # hidden: never records
        inside = Path(folder).relative_to(claims_dir).parts
        records += [((*inside, n), Path(folder, n)) for n in names if not n.startswith(".") and os.path.splitext(n)[1].lower() in (".yaml", ".yml")]
    records.sort()
    found = {prefix + "/".join(parts): path for parts, path in records}
    layout = sort_record_files([(shown, parts) for shown, (parts, _) in zip(found, records, strict=True)])
    return [found[p] for p in layout.sources], [found[p] for p in layout.claims], list(layout.problems)


def load_catalog(
    claims_dir: Path, *, root: Path | None = None, today: dt.date | None = None, cache_dir: Path | None = None,
    memo: CheckMemo | None = None,
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
    cache = RecordCache.open(cache_dir, claims_dir, settings=settings, memo=memo)
    checked_sources = check_files([(_relative(p, root), _bytes(p, root)) for p in source_files], check_source_file, SourceFile, cache)
    sources = [s for file in checked_sources for s in file.sources]
    problems += [p for file in checked_sources for p in file.problems]
    declared = {source_id for file in checked_sources for source_id in file.declared}
    has_unreadable_file = any(file.is_damaged for file in checked_sources)
    checked_claims = check_files([(_relative(p, root), _bytes(p, root)) for p in claim_files], check_claim_file, ClaimFile, cache)
    cache.save()
    problems += [p for file in checked_claims for p in file.problems]
    pending = [file.pending for file in checked_claims if file.pending is not None]
    unreadable = frozenset(path.stem for path, file in zip(claim_files, checked_claims, strict=True) if file.pending is None)
    max_age = site.as_of_max_age_months if site else DEFAULT_AS_OF_MAX_AGE_MONTHS
    broken = SourceDamage(frozenset(declared - {s.id for s in sources}), has_unreadable_file)
    claims, sources, cross = check_catalog(pending, sources, topics, today=today or build_date(), unreadable=unreadable,
                                           as_of_max_age_months=max_age, broken_sources=broken)
    problems += cross
    ordered = sort_problems(problems)
    is_clean = site is not None and not any(p.is_error for p in ordered)
    catalog = Catalog(site, tuple(topics), tuple(claims), tuple(sources)) if is_clean and site else None
    return LoadResult(catalog, ordered, tuple(source_files + claim_files))
