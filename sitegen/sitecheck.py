"""Check the caution contract on a built site's HTML, whatever templates or engine built it.

The contract, as read from the built pages:

- every element with ``data-claim-kind="efficacy"`` contains an element with the class
  ``caution-notice`` and one with the class ``needs-research``; each must have text and
  must not be hidden (no ``hidden`` or ``aria-hidden="true"`` attribute, no inline
  ``display: none`` or ``visibility: hidden``, on it or on an ancestor);
- every efficacy claim listed in the site's ``claims.json`` (an export that templates do
  not produce, so overriding them cannot remove a claim from the check) has its own page
  at the claim's ``url``, and that page holds an element with ``data-claim-id`` set to the
  claim's id and ``data-claim-kind="efficacy"`` that carries both flags.

Templates may restyle the flags freely, including as compact inline badges in lists, as
long as those badges keep the two class names above. Styles from stylesheets are not
evaluated: a template that hides the flags with CSS defeats the check, and review of
template changes stays necessary.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen.errors import SitegenError
from sitegen.problems import Location, Problem, Severity, sort_problems

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["CAUTION_CLASS", "RESEARCH_CLASS", "check_pages", "check_site"]

CAUTION_CLASS = "caution-notice"
RESEARCH_CLASS = "needs-research"
EFFICACY = "efficacy"
CLAIMS_EXPORT = "claims.json"
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
_HIDING_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


@dataclass(slots=True)
class _Scope:
    """An efficacy element being read: where it starts and which flags it shows."""

    claim_id: str
    line: int
    column: int
    flags: set[str] = field(default_factory=set)


@dataclass(slots=True)
class _Frame:
    tag: str
    is_hidden: bool
    scope: _Scope | None = None
    flag_classes: frozenset[str] = frozenset()
    text: list[str] = field(default_factory=list)


def _is_hiding(attrs: dict[str, str | None]) -> bool:
    return "hidden" in attrs or (attrs.get("aria-hidden") or "").lower() == "true" or bool(_HIDING_STYLE.search(attrs.get("style") or ""))


class _PageReader(HTMLParser):
    """Collects the efficacy elements of one page and the flags each one shows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[_Frame] = []
        self.scopes: list[_Scope] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        hidden = _is_hiding(values) or (self.stack[-1].is_hidden if self.stack else False)
        frame = _Frame(tag, hidden, flag_classes=frozenset((values.get("class") or "").split()) & {CAUTION_CLASS, RESEARCH_CLASS})
        if values.get("data-claim-kind") == EFFICACY:
            line, offset = self.getpos()
            frame.scope = _Scope(values.get("data-claim-id") or "", line, offset + 1)
            self.scopes.append(frame.scope)
        if tag not in _VOID:
            self.stack.append(frame)
        else:
            self._close(frame)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self._close(self.stack.pop())

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index].tag == tag:
                while len(self.stack) > index:
                    self._close(self.stack.pop())
                return

    def handle_data(self, data: str) -> None:
        for frame in self.stack:
            if frame.flag_classes:
                frame.text.append(data)

    def close(self) -> None:
        super().close()
        while self.stack:
            self._close(self.stack.pop())

    def _close(self, frame: _Frame) -> None:
        """A flag counts for every efficacy element around it once it is known to show text."""
        if frame.flag_classes and not frame.is_hidden and "".join(frame.text).strip():
            for outer in self.stack:
                if outer.scope is not None:
                    outer.scope.flags |= frame.flag_classes


_READ: dict[tuple[str, int, int, int], list[_Scope]] = {}  # a page not written again since (live preview) is not parsed again


def _read_scopes(path: Path) -> list[_Scope]:
    try:
        stat = path.stat()
        key = (str(path), stat.st_ino, stat.st_size, stat.st_mtime_ns)
        if key in _READ:
            return _READ[key]
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise SitegenError(f"cannot read {path}: {exc.strerror or exc}") from exc
    reader = _PageReader()
    if "data-claim-kind" in text.lower():  # else no element on this page can be a claim
        reader.feed(text)
        reader.close()
    _READ[key] = reader.scopes
    return reader.scopes


def _efficacy_claims(site_dir: Path) -> list[tuple[str, str]]:
    """(id, url) of every efficacy claim in the site's claims.json."""
    export = site_dir / CLAIMS_EXPORT
    try:
        data = json.loads(export.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SitegenError(f"{export} not found: check-site needs the {CLAIMS_EXPORT} that sitegen publishes with every site") from exc
    except (OSError, ValueError) as exc:
        raise SitegenError(f"cannot read {export}: {exc}") from exc
    claims = data.get("claims") if isinstance(data, dict) else None
    if not isinstance(claims, list):
        raise SitegenError(f"{export} has no list of claims: is it a sitegen export?")
    return [(str(c.get("id")), str(c.get("url") or "")) for c in claims if isinstance(c, dict) and c.get("kind") == EFFICACY]


def _page_file(site_dir: Path, url: str) -> Path:
    """The HTML file a site-relative page URL is served from."""
    path = url.split("#", 1)[0].lstrip("/")
    return site_dir / path / "index.html" if not path or path.endswith("/") else site_dir / path


def _missing(flags: set[str]) -> str:
    names = [name for name in (CAUTION_CLASS, RESEARCH_CLASS) if name not in flags]
    return " and ".join(f"'{name}'" for name in names)


def check_site(site_dir: Path, *, label: str | None = None) -> tuple[Problem, ...]:
    """Check the caution contract on every HTML page under ``site_dir``.

    Args:
        site_dir: a built site (MkDocs, Zensical or any engine) that includes ``claims.json``.
        label: how problem paths name the folder (default: ``site_dir`` as given; ``""``:
            paths relative to the site root).

    Returns:
        One error per efficacy element without both flags, and per efficacy claim whose own
        page is missing or does not show it with both flags; sorted by page.

    Raises:
        SitegenError: the folder, its ``claims.json`` or a page cannot be read.
    """
    if not site_dir.is_dir():
        raise SitegenError(f"site folder not found: {site_dir}")
    return _check(site_dir, sorted(site_dir.rglob("*.html")), _efficacy_claims(site_dir), label)


def check_pages(site_dir: Path, claims: Sequence[tuple[str, str]], *, label: str | None = None) -> tuple[Problem, ...]:
    """Check the caution contract on the pages of ``claims`` only: (id, url) of efficacy claims whose pages were just written.

    A live preview that rewrote only these pages checks them alone; ``check_site`` checks a whole site.

    Raises:
        SitegenError: a page cannot be read.
    """
    return _check(site_dir, sorted({_page_file(site_dir, url) for _, url in claims if (_page_file(site_dir, url)).is_file()}), claims, label)


def _check(site_dir: Path, pages: Sequence[Path], claims: Sequence[tuple[str, str]], label: str | None) -> tuple[Problem, ...]:
    prefix = (label if label is not None else site_dir.as_posix()).rstrip("/")

    def where(page: Path) -> str:
        relative = page.relative_to(site_dir).as_posix()
        return f"{prefix}/{relative}" if prefix else relative

    problems: list[Problem] = []
    shown: dict[Path, set[str]] = {}
    for page in pages:
        shown[page] = set()
        for scope in _read_scopes(page):
            missing = _missing(scope.flags)
            name = scope.claim_id or "(no data-claim-id)"
            if missing:
                problems.append(Problem("SG401", Severity.ERROR, f"efficacy claim {name} is shown without {missing}",
                                        Location(where(page), scope.line, scope.column),
                                        "render flags(claim) from _macros.html.j2 inside every element that shows an efficacy claim"))
            shown[page].add(scope.claim_id)
    for claim_id, url in claims:
        page = _page_file(site_dir, url)
        if claim_id not in shown.get(page, ()):
            what = "has no page at" if page not in shown else "is not shown, with data-claim-id and data-claim-kind, on its page"
            problems.append(Problem("SG402", Severity.ERROR, f"efficacy claim {claim_id} {what} {url or '(no url)'}", Location(where(page)),
                                    "keep data-claim-id and data-claim-kind on the claim element of claim_page.html.j2"))
    return sort_problems(problems)
