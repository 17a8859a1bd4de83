"""Rules for where records live in a claims folder, and for a claim file that holds nothing."""

from __future__ import annotations

from dataclasses import dataclass

from sitegen.problems import Location, Problem, Severity

__all__ = ["SITE_FILE", "SOURCES_DIR", "TOPICS_FILE", "Layout", "empty_claim_problem", "sort_record_files"]

SITE_FILE = "site.yaml"
TOPICS_FILE = "topics.yaml"
SOURCES_DIR = "sources"


@dataclass(frozen=True, slots=True)
class Layout:
    """Record files by role (each in the order given), and a problem for every misplaced one."""

    sources: tuple[str, ...]
    claims: tuple[str, ...]
    problems: tuple[Problem, ...]


def _stray_problem(path: str) -> Problem:
    hint = "rename it to end in .yaml" if not path.endswith(".yaml") else "claims live at claims/<topic>/<id>.yaml; sources under claims/sources/"
    return Problem("SG114", Severity.ERROR, "file is not where sitegen looks for records, so it would be ignored", Location(path, 1, 1), hint)


def sort_record_files(files: list[tuple[str, tuple[str, ...]]]) -> Layout:
    """Sort YAML files found under a claims folder by role.

    Args:
        files: each file as (path to report, its parts relative to the claims folder).
            Only files ending in ``.yaml`` or ``.yml`` (any case), hidden ones left out.

    Returns:
        Source files, claim files, and an SG114 problem for each file sitegen would ignore.
    """
    sources: list[str] = []
    claims: list[str] = []
    problems: list[Problem] = []
    for path, parts in files:
        if not parts[-1].endswith(".yaml"):
            problems.append(_stray_problem(path))
        elif len(parts) == 1:
            if parts[0] not in (SITE_FILE, TOPICS_FILE):
                problems.append(_stray_problem(path))
        elif len(parts) == 2:
            (sources if parts[0] == SOURCES_DIR else claims).append(path)
        else:
            problems.append(_stray_problem(path))
    return Layout(tuple(sources), tuple(claims), tuple(problems))


def empty_claim_problem(path: str) -> Problem:
    """SG107 for a claim file whose YAML holds no value at all (only comments, say)."""
    return Problem("SG107", Severity.ERROR, "the file holds no record", Location(path), "write the claim's fields, or delete the file")
