"""Rules for hand-written pages: every ``<!-- sitegen:... -->`` marker must name a known block."""

from __future__ import annotations

import difflib

from sitegen.markers import scan_markers
from sitegen.model import Marker
from sitegen.problems import Location, Problem
from sitegen.validate.checker import error

__all__ = ["check_page_markers"]


def check_page_markers(text: str, path: str) -> list[Problem]:
    """An error for each marker line of the page at ``path`` that names no known marker."""
    names = [m.value for m in Marker]
    problems = []
    for use in scan_markers(text):
        if use.marker is not None:
            continue
        guess = difflib.get_close_matches(use.written, names, n=1)
        hint = f"did you mean '<!-- sitegen:{guess[0]} -->'?" if guess else f"known markers: {', '.join(names)}"
        problems.append(error("SG115", f"unknown marker 'sitegen:{use.written}'; it would stay in the page as a comment",
                              Location(path, use.line, use.column), hint))
    return problems
