"""A tiny HTML tree built with the standard library, enough to query the built pages."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "path", "rect", "circle", "line"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def iter(self):
        yield self
        for child in self.children:
            yield from child.iter()

    def find_all(self, predicate) -> list[Element]:
        return [e for e in self.iter() if predicate(e)]

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def has_class(self, name: str) -> bool:
        return name in self.classes()

    def all_text(self) -> str:
        return "".join(self.text) + "".join(c.all_text() for c in self.children)


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Element(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].text.append(data)


def parse(html: str) -> Element:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


def efficacy_links(site: Path) -> tuple[int, list[str]]:
    """How many links to efficacy claims a built site's pages hold, and those not next to their claim's two flags.

    A link counts as flagged when an element around it names the claim (``data-claim-id``,
    ``data-claim-kind="efficacy"``) and holds both the caution notice and the needs-research flag.
    A claim page's links to itself (its own flags) are not counted.
    """
    claims = json.loads((site / "claims.json").read_text(encoding="utf-8"))["claims"]
    efficacy = {c["url"]: c["id"] for c in claims if c["kind"] == "efficacy"}
    bare: list[str] = []
    checked = 0

    def walk(element: Element, holder: Element | None, page: Path, here: str) -> None:
        nonlocal checked
        if element.attrs.get("data-claim-kind") == "efficacy":
            holder = element
        if element.tag == "a" and "href" in element.attrs:
            parts = urlsplit(urljoin("http://site.invalid/" + here, element.attrs["href"]))
            target = parts.path.lstrip("/") if parts.netloc == "site.invalid" else None
            if target in efficacy and target != here:
                checked += 1
                inner = list(holder.iter()) if holder is not None else []
                if (holder is None or holder.attrs.get("data-claim-id") != efficacy[target]
                        or not any(e.has_class("caution-notice") for e in inner) or not any(e.has_class("needs-research") for e in inner)):
                    bare.append(f"{page.relative_to(site).as_posix()}: {element.attrs['href']} ({element.all_text().strip()!r})")
        for child in element.children:
            walk(child, holder, page, here)

    for page in sorted(site.rglob("*.html")):
        parent = page.relative_to(site).parent.as_posix()
        walk(parse(page.read_text(encoding="utf-8")), None, page, "" if parent == "." else parent + "/")
    return checked, bare
