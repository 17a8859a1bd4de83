"""Print problems in the chosen format and turn a result into an exit code."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from sitegen.problems import format_github, format_json, format_summary_markdown, format_text

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sitegen.catalog import LoadResult
    from sitegen.problems import Problem

__all__ = ["EXIT_ENVIRONMENT", "EXIT_OK", "EXIT_PROBLEMS", "fails", "pick_format", "plural", "print_problems", "report"]

EXIT_OK, EXIT_PROBLEMS, EXIT_ENVIRONMENT = 0, 1, 2


def pick_format(requested: str) -> str:
    """The output format: ``auto`` picks github inside GitHub Actions, else text."""
    if requested != "auto":
        return requested
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def report(result: LoadResult, *, output_format: str = "auto", strict: bool = False) -> int:
    """Print the problems in the chosen format and return the exit code."""
    chosen = pick_format(output_format)
    problems = result.problems
    if chosen == "json":
        sys.stdout.write(format_json(problems))
    elif chosen == "github":
        sys.stdout.write(format_github(problems))
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            with open(summary, "a", encoding="utf-8") as handle:
                handle.write(format_summary_markdown(problems))
    else:
        sys.stdout.write(format_text(problems))
    failed = fails(result, strict=strict)
    if chosen == "text":
        verdict = "failed" if failed else "ok"
        counts = ", ".join(plural(n, word) for n, word in ((len(result.file_names), "file"), (result.error_count, "error"), (result.warning_count, "warning")))
        print(f"sitegen: {counts}: {verdict}", file=sys.stderr)
    return EXIT_PROBLEMS if failed else EXIT_OK


def fails(result: LoadResult, *, strict: bool) -> bool:
    """Whether the result fails the run: any error, or any warning under ``--strict``."""
    return result.error_count > 0 or (strict and result.warning_count > 0)


def plural(count: int, word: str) -> str:
    """``1 file``, ``2 files``."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def print_problems(problems: Sequence[Problem], output_format: str) -> None:
    """Print problems in the chosen format, with no summary line."""
    chosen = pick_format(output_format)
    formatter = {"json": format_json, "github": format_github}.get(chosen, format_text)
    sys.stdout.write(formatter(problems))
