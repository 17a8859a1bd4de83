"""Problems found in the content, as data, and the formatters that print them."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

__all__ = [
    "Location",
    "Problem",
    "Severity",
    "format_github",
    "format_json",
    "format_problem_page",
    "format_summary_markdown",
    "format_text",
    "sort_problems",
]


class Severity(StrEnum):
    """How serious a problem is. Warnings fail the run only under ``--strict``."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A place in a file: path relative to the project root, 1-based line and column."""

    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the content, located precisely.

    Codes are stable: SG1xx reading, SG2xx fields, SG3xx cross-record checks, SG4xx built pages.
    """

    code: str
    severity: Severity
    message: str
    where: Location
    hint: str | None = None

    @property
    def is_error(self) -> bool:
        """Whether this problem fails a normal (non-strict) run."""
        return self.severity is Severity.ERROR


def sort_problems(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    """Sort problems by path, line, column, then code, dropping exact duplicates."""
    unique = dict.fromkeys(problems)
    return tuple(sorted(unique, key=lambda p: (p.where, p.code, p.message)))


def format_text(problems: Sequence[Problem]) -> str:
    """One ``path:line:col: severity CODE message`` line per problem, hint below."""
    lines: list[str] = []
    for problem in problems:
        lines.append(f"{problem.where}: {problem.severity} {problem.code} {problem.message}")
        if problem.hint:
            lines.append(f"  hint: {problem.hint}")
    return "\n".join(lines) + ("\n" if lines else "")


def format_json(problems: Sequence[Problem]) -> str:
    """A JSON document listing the problems, for tools."""
    items = [
        {
            "path": p.where.path,
            "line": p.where.line,
            "column": p.where.column,
            "severity": str(p.severity),
            "code": p.code,
            "message": p.message,
            "hint": p.hint,
        }
        for p in problems
    ]
    return json.dumps({"problems": items}, indent=2, ensure_ascii=False) + "\n"


def format_problem_page(problems: Sequence[Problem]) -> str:
    """A Markdown page listing the problems exactly as ``sitegen validate`` prints them (for ``serve``)."""
    listing = html.escape(format_text(problems)) or "(no details)"
    return (
        "---\ntitle: The content has problems\n---\n\n# The site cannot be built yet\n\n"
        "sitegen found problems in the content. Fix them and save the file: this page reloads by itself.\n\n"
        f'<pre class="sg-problems">{listing}</pre>\n'
    )


def _escape_github(text: str, *, is_property: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if is_property:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(problems: Sequence[Problem]) -> str:
    """GitHub Actions workflow commands, one annotation per problem."""
    lines = []
    for p in problems:
        command = "error" if p.is_error else "warning"
        props = (
            f"file={_escape_github(p.where.path, is_property=True)},"
            f"line={p.where.line},col={p.where.column},"
            f"title={_escape_github(p.code, is_property=True)}"
        )
        message = p.message + (f" (hint: {p.hint})" if p.hint else "")
        lines.append(f"::{command} {props}::{_escape_github(message)}")
    return "\n".join(lines) + ("\n" if lines else "")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def format_summary_markdown(problems: Sequence[Problem]) -> str:
    """A Markdown table of every problem, for the GitHub job summary."""
    if not problems:
        return "### sitegen validate\n\nNo problems found.\n"
    rows = [
        "### sitegen validate",
        "",
        f"{len(problems)} problem(s).",
        "",
        "| location | severity | code | message | hint |",
        "|---|---|---|---|---|",
    ]
    rows += [
        f"| `{p.where}` | {p.severity} | {p.code} | {_cell(p.message)} | {_cell(p.hint or '')} |"
        for p in problems
    ]
    return "\n".join(rows) + "\n"
