"""Where links stand in a hand-written Markdown page, outside code.

``sitegen render --out`` writes hand-written pages as Markdown, so the flags that a normal
build adds to links in the page's HTML must be added to the Markdown itself. This module
finds those links: inline links ``[text](dest)``, reference links ``[text][ref]``,
``[text][]`` and ``[ref]`` (with their ``[ref]: dest`` definitions) and raw ``<a href>``
elements. Fenced code blocks, code spans and HTML comments are left alone, so a page can
show a link as an example without it being changed. Images are not links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["MarkdownLink", "fenced_lines", "find_links"]

_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_DEFINITION = re.compile(r"^[ ]{0,3}\[([^\]\n]+)\]:[ \t]*(?:<([^>\n]*)>|(\S+))[^\n]*$", re.MULTILINE)
_INLINE = re.compile(r"""\(\s*(?:<([^>\n]*)>|((?:[^\s()\\]|\\.|\([^\s()]*\))*))(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)""")
_REFERENCE = re.compile(r"\[([^\[\]]*)\]")
_ANCHOR = re.compile(r"<a\s(?P<attrs>[^>]*)>.*?</a>", re.DOTALL | re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class MarkdownLink:
    """One link: its span in the page text, its destination as written, and whether it is raw HTML."""

    start: int
    end: int
    target: str
    is_html: bool = False


def fenced_lines(lines: list[str]) -> list[bool]:
    """For each line, whether it belongs to a fenced code block (the fence lines included)."""
    flags: list[bool] = []
    fence: str | None = None
    for line in lines:
        opening = _FENCE.match(line)
        if opening:
            mark = opening.group(1)
            if fence is None:
                fence = mark
            elif mark[0] == fence[0] and len(mark) >= len(fence):
                fence = None
            flags.append(True)
            continue
        flags.append(fence is not None)
    return flags


def _masked(text: str) -> str:
    """``text`` with fenced code, code spans and comments blanked out (same length, newlines kept)."""
    lines = text.split("\n")
    kept = "\n".join(" " * len(line) if fenced else line for line, fenced in zip(lines, fenced_lines(lines), strict=True))
    for pattern in (_COMMENT, _CODE_SPAN):
        kept = pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), kept)
    return kept


def _closing_bracket(text: str, start: int) -> int | None:
    """The index of the ``]`` that closes the ``[`` at ``start``, or ``None``."""
    depth = 0
    index = start
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return None


def _label(text: str) -> str:
    return " ".join(text.split()).casefold()


def _markdown_links(masked: str, definitions: dict[str, str]) -> list[MarkdownLink]:
    found: list[MarkdownLink] = []
    index = masked.find("[")
    while index != -1:
        close = _closing_bracket(masked, index)
        is_link_text = (index == 0 or masked[index - 1] not in "!\\") and close is not None
        if not is_link_text or close is None:
            index = masked.find("[", index + 1)
            continue
        inline = _INLINE.match(masked, close + 1)
        reference = _REFERENCE.match(masked, close + 1)
        if inline:
            target, end = inline.group(1) if inline.group(1) is not None else inline.group(2), inline.end()
        elif reference:
            target, end = definitions.get(_label(reference.group(1) or masked[index + 1 : close]), ""), reference.end()
        elif masked.startswith(":", close + 1):  # a definition, not a link
            target, end = "", close + 1
        else:
            target, end = definitions.get(_label(masked[index + 1 : close]), ""), close + 1
        if target:
            found.append(MarkdownLink(index, end, target))
            index = masked.find("[", end)
        else:
            index = masked.find("[", index + 1)
    return found


def find_links(text: str) -> tuple[MarkdownLink, ...]:
    """Every link of a Markdown page outside code, in order, with its destination.

    A reference to an undefined label is not a link (Markdown shows it as text).
    """
    masked = _masked(text)
    definitions: dict[str, str] = {}
    for match in _DEFINITION.finditer(masked):
        definitions.setdefault(_label(match.group(1)), match.group(2) if match.group(2) is not None else match.group(3))
    links = _markdown_links(masked, definitions)
    for match in _ANCHOR.finditer(masked):
        href = re.search(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')""", match.group("attrs"), re.IGNORECASE)
        if href and not any(link.start <= match.start() < link.end for link in links):
            links.append(MarkdownLink(match.start(), match.end(), href.group(1) if href.group(1) is not None else href.group(2), is_html=True))
    return tuple(sorted(links, key=lambda link: link.start))
