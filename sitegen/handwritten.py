"""The hand-written pages of a project, checked as the build checks them, for ``sitegen validate``.

The build reports an unknown page marker (SG115) when MkDocs hands it the pages; ``validate``
finds the same pages itself, from ``mkdocs.yml`` read as plain data, so the check needs no
MkDocs and reports the same problems with the same paths.
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import TYPE_CHECKING

from sitegen.config import read_layout_if_enabled
from sitegen.errors import SitegenError
from sitegen.problems import sort_problems
from sitegen.validate.pages import check_page_markers

if TYPE_CHECKING:
    from pathlib import Path

    from sitegen.catalog import LoadResult
    from sitegen.problems import Problem

__all__ = ["check_handwritten_pages", "handwritten_pages", "with_page_problems"]


def handwritten_pages(docs_dir: Path) -> list[Path]:
    """The Markdown pages under ``docs_dir`` that MkDocs builds by default, sorted.

    Like MkDocs' default ``exclude_docs``, files and folders whose names start with a dot,
    and the top-level ``templates/`` folder, are left out.
    """
    pages = []
    for page in docs_dir.rglob("*.md"):
        parts = page.relative_to(docs_dir).parts
        if not any(part.startswith(".") for part in parts) and parts[0] != "templates":
            pages.append(page)
    return sorted(pages)


def check_handwritten_pages(config_file: Path) -> tuple[tuple[Problem, ...], tuple[Path, ...]]:
    """Problems in the hand-written pages of the project configured by ``config_file``, and the pages read.

    Nothing is checked when there is no ``config_file``, it does not enable sitegen, or its
    ``docs_dir`` does not exist (validating claims alone needs none of them). Paths in
    problems are relative to the configuration's folder, as in a build.

    Raises:
        SitegenError: the configuration or a page cannot be read.
    """
    if not config_file.is_file():
        return (), ()
    layout = read_layout_if_enabled(config_file)
    if layout is None or not layout.docs_dir.is_dir():
        return (), ()
    docs_dir = layout.docs_dir
    label = os.path.relpath(docs_dir, os.path.abspath(config_file.parent)).replace(os.sep, "/")
    problems: list[Problem] = []
    pages = handwritten_pages(docs_dir)
    for page in pages:
        path = f"{label}/{page.relative_to(docs_dir).as_posix()}"
        try:
            text = page.read_text(encoding="utf-8")
        except OSError as exc:
            raise SitegenError(f"cannot read {path}: {exc.strerror or exc}") from exc
        except UnicodeDecodeError as exc:
            raise SitegenError(f"{path} is not valid UTF-8 text ({exc.reason} at byte {exc.start})") from exc
        problems += check_page_markers(text, path) if "sitegen" in text else []
    return sort_problems(problems), tuple(pages)


def with_page_problems(result: LoadResult, config_file: Path) -> LoadResult:
    """``result`` with the problems of the hand-written pages added (and the pages counted as files read).

    Raises:
        SitegenError: the configuration or a page cannot be read.
    """
    problems, pages = check_handwritten_pages(config_file)
    return replace(result, problems=sort_problems([*result.problems, *problems]), file_names=(*result.file_names, *map(str, pages))) if pages else result
