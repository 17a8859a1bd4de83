"""Flag every link to an efficacy claim in a hand-written page, as generated lists do.

Hand-written pages (home, safety, methodology, the tags page) link to claims in running
text. Wherever such a link points at an efficacy claim, it is wrapped in an element that
names the claim (``data-claim-id``, ``data-claim-kind``) and holds the two compact flags,
so the caution contract holds on every page, not only on generated ones.
"""

from __future__ import annotations

import html
import posixpath
import re
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from sitegen.mdlinks import find_links
from sitegen.urls import page_url as url_of_page  # the parameters here call a page's URL page_url

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from sitegen.mdlinks import MarkdownLink
    from sitegen.model import Claim

__all__ = ["flag_claim_links", "flag_markdown_links", "resolve_link"]

# A whole link, with its attributes; sitegen's own links carry an "sg-" class and are left alone.
_LINK = re.compile(r"<a\s(?P<attrs>[^>]*)>(?P<text>.*?)</a>", re.DOTALL | re.IGNORECASE)
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_WRAPPED = 'data-claim-kind="efficacy">'  # already flagged: flagging again changes nothing
_OWN = re.compile(r"""\bclass\s*=\s*["'][^"']*\bsg-""", re.IGNORECASE)


def resolve_link(href: str, page_url: str) -> str | None:
    """The site-relative page address (``a/b/``) a link on ``page_url`` points at, or ``None``.

    Links to other hosts, to files, and fragment-only links resolve to ``None``.
    """
    parts = urlsplit(html.unescape(href))
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = posixpath.normpath(posixpath.join("/" + page_url, unquote(parts.path))).lstrip("/")
    if path.endswith("index.html"):
        path = path[: -len("index.html")]
    return path.rstrip("/") + "/" if path not in ("", ".") else ""


def flag_claim_links(text: str, *, page_url: str, claims_by_url: Mapping[str, Claim], flags: Callable[[Claim], str]) -> str:
    """Wrap each plain link to an efficacy claim in ``text`` (HTML) with the claim's flags.

    Args:
        text: the page's HTML, as Markdown produced it.
        page_url: the page's site-relative address, e.g. ``safety/``.
        claims_by_url: claims by their page address (``claims/topic/id/``).
        flags: renders the compact flags of a claim for this page.

    Returns:
        The HTML with every such link inside ``<span class="sg-claim-ref" data-claim-id=…
        data-claim-kind="efficacy">`` next to its flags. Other links are unchanged.
    """

    def wrap(match: re.Match[str]) -> str:
        attrs = match.group("attrs")
        href = _HREF.search(attrs)
        if href is None or _OWN.search(attrs) or match.string.endswith(_WRAPPED, 0, match.start()):
            return match.group(0)
        target = resolve_link(href.group(1) if href.group(1) is not None else href.group(2), page_url)
        claim = claims_by_url.get(target) if target is not None else None
        if claim is None or not claim.is_efficacy:
            return match.group(0)
        return _wrapped(claim, match.group(0), flags)

    return _LINK.sub(wrap, text)


def _wrapped(claim: Claim, link: str, flags: Callable[[Claim], str]) -> str:
    return (f'<span class="sg-claim-ref" data-claim-id="{html.escape(claim.id)}" data-claim-kind="{claim.kind.value}">'
            f"{link} {flags(claim)}</span>")


def _markdown_target(link: MarkdownLink, page_uri: str, page_url: str) -> str | None:
    """The page address a Markdown link points at: to a page's ``.md`` source, or to a page URL as written."""
    if link.is_html or not urlsplit(link.target).path.endswith(".md"):
        return resolve_link(link.target, page_url)
    parts = urlsplit(link.target)
    if parts.scheme or parts.netloc:
        return None
    return url_of_page(posixpath.normpath(posixpath.join(posixpath.dirname(page_uri), unquote(parts.path))))


def flag_markdown_links(
    text: str, *, page_uri: str, page_url: str, claims_by_url: Mapping[str, Claim], flags: Callable[[Claim], str]
) -> str:
    """Wrap each link to an efficacy claim in a hand-written Markdown page with the claim's flags.

    The Markdown counterpart of ``flag_claim_links``, for ``sitegen render --out``: the page
    then carries the flags through any Markdown engine, without the plugin. The link stays
    Markdown inside an inline ``<span class="sg-claim-ref">``, which Markdown converts as usual.

    Args:
        text: the page's Markdown.
        page_uri: the page's source path in the docs folder, e.g. ``safety.md``.
        page_url: the page's site-relative address, e.g. ``safety/``.
        claims_by_url: claims by their page address (``claims/topic/id/``).
        flags: renders the compact flags of a claim for this page (HTML on one line).

    Returns:
        The Markdown with every such link wrapped; code blocks, code spans and other links unchanged.
    """
    pieces: list[str] = []
    done = 0
    for link in find_links(text):
        written = text[link.start : link.end]
        target = _markdown_target(link, page_uri, page_url)
        claim = claims_by_url.get(target) if target is not None else None
        if (claim is None or not claim.is_efficacy or text.endswith(_WRAPPED, 0, link.start)
                or (link.is_html and _OWN.search(written.split(">", 1)[0]))):
            continue
        pieces += [text[done : link.start], _wrapped(claim, written, flags)]
        done = link.end
    return "".join([*pieces, text[done:]])
