"""A generated page as a value: where it goes, what it holds, and its portable Markdown form."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markupsafe import Markup

__all__ = ["GeneratedPage", "yaml_string"]


@dataclass(frozen=True, slots=True)
class GeneratedPage:
    """A page made from the catalogue: where it goes and what it holds."""

    uri: str
    title: str
    body: Markup
    tags: tuple[str, ...] = ()
    description: str = ""
    edit_path: str | None = None
    search_body: Markup | None = None
    """What the site search indexes instead of the body (``None``: the whole body)."""
    hide: tuple[str, ...] = ()
    """Parts of the theme's page furniture to hide (front matter ``hide``), e.g. ``tags``."""

    @property
    def headings(self) -> tuple[tuple[int, str, str], ...]:
        """(level, id, HTML-escaped text) of each h2/h3 with an id, for a table of contents."""
        return tuple(
            (int(level), anchor, _TAG.sub("", inner).strip())
            for level, anchor, inner in _HEADING.findall(str(self.body))
        )

    @property
    def markdown(self) -> str:
        """The portable Markdown form: front matter, then the HTML as one raw block.

        Themes print ``title`` and ``description`` without escaping, so they are written
        HTML-escaped, and every value is a YAML double-quoted string with control
        characters escaped (YAML refuses them raw).
        """
        lines = ["---", f"title: {yaml_string(html.escape(self.title))}"]
        if self.description:
            lines.append(f"description: {yaml_string(html.escape(self.description))}")
        if self.tags:
            lines += ["tags:", *(f"  - {yaml_string(tag)}" for tag in self.tags)]
        if self.hide:
            lines += ["hide:", *(f"  - {yaml_string(part)}" for part in self.hide)]
        return "\n".join([*lines, "---", "", str(self.body).strip(), ""])


_HEADING = re.compile(r'<h([23]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_YAML_UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\\"]')


def yaml_string(text: str) -> str:
    """``text`` as a YAML double-quoted scalar that any YAML 1.1 or 1.2 parser reads back."""
    return '"' + _YAML_UNSAFE.sub(lambda m: "\\" + m.group(0) if m.group(0) in '\\"' else f"\\u{ord(m.group(0)):04x}", text) + '"'
