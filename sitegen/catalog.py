"""Find, read and validate every record under a claims folder into one ``Catalog``."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from sitegen.clock import build_date
from sitegen.errors import SitegenError
from sitegen.model import DEFAULT_AS_OF_MAX_AGE_MONTHS, Catalog
from sitegen.problems import Problem, sort_problems
from sitegen.source import read_yaml
from sitegen.validate import (
    Checker,
    PendingClaim,
    check_catalog,
    empty_claim_problem,
    sort_record_files,
    validate_claim,
    validate_site,
    validate_source_list,
    validate_topic_list,
)
from sitegen.validate.layout import SITE_FILE, TOPICS_FILE

__all__ = ["LoadResult", "load_catalog"]

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


def _read(path: Path, root: Path) -> tuple[object, Checker, list[Problem]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SitegenError(f"cannot read {_relative(path, root)}: {exc.strerror or exc}") from exc
    result = read_yaml(data, _relative(path, root))
    return result.value, Checker(result.positions), list(result.problems)


def _discover(claims_dir: Path, root: Path) -> tuple[list[Path], list[Path], list[Problem]]:
    """Source files and claim files, each sorted, and a problem for each misplaced file."""
    found: dict[str, Path] = {}
    for path in sorted(claims_dir.rglob("*")):
        parts = path.relative_to(claims_dir).parts
        if path.is_dir() or any(part.startswith(".") for part in parts) or path.suffix.lower() not in (".yaml", ".yml"):
            continue
        found[_relative(path, root)] = path
    layout = sort_record_files([(shown, path.relative_to(claims_dir).parts) for shown, path in found.items()])
    return [found[p] for p in layout.sources], [found[p] for p in layout.claims], list(layout.problems)


def load_catalog(claims_dir: Path, *, root: Path | None = None, today: dt.date | None = None) -> LoadResult:
    """Read and validate everything under ``claims_dir``.

    Args:
        claims_dir: the folder holding site.yaml, topics.yaml, sources/ and topic folders.
        root: the project root that problem paths are relative to (default: the parent).
        today: the date against which review freshness is judged.

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
    sources = []
    for path in source_files:
        value, chk, found = _read(path, root)
        dropped = any(p.code in _VALUE_DROPPED for p in found)
        more, source_problems = validate_source_list(value, chk.positions) if value is not None and not dropped else ([], [])
        sources += more
        problems += found + source_problems
    pending = []
    for path in claim_files:
        value, chk, found = _read(path, root)
        problems += found
        if value is None and not found:
            problems.append(empty_claim_problem(_relative(path, root)))
        if any(p.code in _VALUE_DROPPED for p in found) or value is None:
            continue  # checking the rest would only repeat the read problem
        raw, claim_problems = validate_claim(value, chk.positions)
        problems += claim_problems
        if isinstance(value, dict):
            pending.append(PendingClaim(value, raw if not found else None, Checker(chk.positions)))
    read = {p.checker.positions.path for p in pending}
    unreadable = frozenset(path.stem for path in claim_files if _relative(path, root) not in read)
    max_age = site.as_of_max_age_months if site else DEFAULT_AS_OF_MAX_AGE_MONTHS
    claims, sources, cross = check_catalog(pending, sources, topics, today=today or build_date(), unreadable=unreadable,
                                           as_of_max_age_months=max_age)
    problems += cross
    ordered = sort_problems(problems)
    is_clean = site is not None and not any(p.is_error for p in ordered)
    catalog = Catalog(site, tuple(topics), tuple(claims), tuple(sources)) if is_clean and site else None
    return LoadResult(catalog, ordered, tuple(source_files + claim_files))
