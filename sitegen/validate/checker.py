"""The problem collector every rule writes to, and the small helpers rules share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sitegen.problems import Location, Problem, Severity

if TYPE_CHECKING:
    from sitegen.positions import PathKey, PositionMap

__all__ = ["Checked", "Checker", "error", "top_list"]

Checked = dict[str, Any]
"""Field values that passed their checks, keyed by field name (internal to the validation package)."""


@dataclass(slots=True)
class Checker:
    """Collects problems for one file while reading its values by path."""

    positions: PositionMap
    problems: list[Problem] = field(default_factory=list)

    def add(self, code: str, message: str, where: PathKey, hint: str | None = None, *, at_key: bool = False) -> None:
        location = self.positions.key_at(where) if at_key else self.positions.at(where)
        self.problems.append(Problem(code, Severity.ERROR, message, location, hint))

    def warn(self, code: str, message: str, where: PathKey, hint: str | None = None) -> None:
        self.problems.append(Problem(code, Severity.WARNING, message, self.positions.at(where), hint))

    @property
    def location(self) -> Location:
        return self.positions.at(())


def error(code: str, message: str, where: Location, hint: str | None = None) -> Problem:
    """An error problem at a known location (for rules that run after a file's checker)."""
    return Problem(code, Severity.ERROR, message, where, hint)


def top_list(chk: Checker, value: object, key: str) -> list[object]:
    """The list under the one top-level key of a registry file (sources, topics), or SG108."""
    if not isinstance(value, dict) or set(value) != {key} or not isinstance(value[key], list):
        where: PathKey = (key,) if isinstance(value, dict) and key in value else ()
        chk.add("SG108", f"this file must hold one key '{key}:' with a list under it", where, f"write '{key}:' then one '- id: ...' entry per item")
        return []
    items: list[object] = value[key]
    return items
