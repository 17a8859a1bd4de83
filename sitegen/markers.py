"""Where ``<!-- sitegen:NAME -->`` markers stand in a hand-written Markdown page.

A marker counts only alone on its line and outside fenced code blocks, so a page can
show a marker as an example (in a code block or inline code) without it being expanded.
Anything on such a line that looks like a marker but names no known one is kept as
an unknown use, for the validator to report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sitegen.mdlinks import fenced_lines
from sitegen.model import Marker

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["MarkerUse", "replace_markers", "scan_markers"]

_LINE = re.compile(r"^[ \t]*(<!--\s*sitegen\b(.*?)-->)[ \t]*$", re.IGNORECASE)
_EXACT = re.compile(r":([a-z-]+)\s*")
_KNOWN = {m.value: m for m in Marker}


@dataclass(frozen=True, slots=True)
class MarkerUse:
    """One marker line: the name as written, the marker if it is a known one, and where it starts."""

    written: str
    marker: Marker | None
    line: int
    column: int


def scan_markers(text: str) -> tuple[MarkerUse, ...]:
    """Every marker line of a page (outside fenced code), known or not, in order."""
    uses: list[MarkerUse] = []
    lines = text.split("\n")
    for number, (line, is_code) in enumerate(zip(lines, fenced_lines(lines), strict=True), start=1):
        found = _LINE.match(line) if not is_code else None
        if found:
            exact = _EXACT.fullmatch(found.group(2))
            name = exact.group(1) if exact else found.group(2).strip(" :")
            uses.append(MarkerUse(name, _KNOWN.get(name) if exact else None, number, found.start(1) + 1))
    return tuple(uses)


def replace_markers(text: str, render: Callable[[Marker], str]) -> str:
    """``text`` with each known marker line replaced by its block (as a Markdown HTML block)."""
    lines = text.split("\n")
    for use in reversed(scan_markers(text)):
        if use.marker is not None:
            lines[use.line - 1] = "\n" + render(use.marker).strip() + "\n"
    return "\n".join(lines)
