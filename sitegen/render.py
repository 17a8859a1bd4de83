"""Render the catalogue into pages: our own autoescaping Jinja environment, templates as files.

Every page body is HTML built by the templates; the Markdown page is that HTML inside a
raw block under a small front matter, so it builds the same with any Python-Markdown
based generator. YAML text only ever reaches the page as autoescaped text.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
import posixpath
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from sitegen.changes import changes_of
from sitegen.evidence_map import build_evidence_map
from sitegen.grading import ALLOWED_CERTAINTY, NEEDS_RESEARCH, START_OF_LEVEL, START_REASONS, hedge
from sitegen.markers import replace_markers
from sitegen.mentions import flag_claim_links, flag_markdown_links
from sitegen.model import Certainty, ClaimKind, EvidenceLevel, LoweringDomain, RaisingDomain, Stance, StudyDesign, Verdict

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from sitegen.model import Catalog, Claim, Source, _Documented

__all__ = ["CLAIMS_PREFIX", "GeneratedPage", "Renderer", "claims_nav", "page_url", "relative_url"]

CLAIMS_PREFIX = "claims"
SOURCES_URI = "sources/index.md"
EVIDENCE_MAP_URI = "evidence-map.md"
CRISIS_KINDS = frozenset({ClaimKind.EFFICACY, ClaimKind.TREATMENT})
"""Claim kinds whose pages, and whose topic pages, show the crisis line: readers looking for
treatment, or for something to treat themselves with, may be in distress."""

CLAIMS_INDEX_URI = f"{CLAIMS_PREFIX}/index.md"
CHANGES_URI = "changes.md"
TABLE_SCRIPT_URI = "assets/sitegen/claims-table.js"
_TEMPLATES = Path(__file__).parent / "templates"

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


def split_first_sentence(text: str) -> tuple[str, str]:
    """The opening sentence of a text and the rest (the claim's bottom line and what follows it)."""
    match = re.match(r"(.+?[.!?])(\s+|$)", text.strip(), re.DOTALL)
    if match is None:
        return text.strip(), ""
    return match.group(1), text.strip()[match.end():]


def _first_sentence(text: str, limit: int = 240) -> str:
    """The opening sentence of a text, at most ``limit`` characters, for the search index."""
    match = re.match(r"(.+?[.!?])(\s|$)", text.strip(), re.DOTALL)
    sentence = match.group(1) if match else text.strip()
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rsplit(" ", 1)[0] + "…"


@functools.lru_cache(maxsize=4096)
def page_url(uri: str) -> str:
    """The site-relative URL MkDocs gives a page (``use_directory_urls: true``)."""
    if not uri.endswith(".md"):
        return uri
    stem = uri[:-3]
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


@functools.lru_cache(maxsize=65536)
def relative_url(from_uri: str, to: str) -> str:
    """A link from the page at ``from_uri`` to ``to`` (a page uri or file, optional #fragment)."""
    target, _, fragment = to.partition("#")
    suffix = f"#{fragment}" if fragment else ""
    if not target:
        return suffix or "./"
    here = page_url(from_uri).rstrip("/") or "."
    there = page_url(target)
    path = posixpath.relpath(there or ".", here)
    if there.endswith("/") or not there:
        path = "./" if path == "." else path + "/"
    return path + suffix


def claims_nav(catalog: Catalog) -> list[str | dict[str, list[str]]]:
    """The generated part of a site's nav: the claims by topic, in the order of topics.yaml, then the map and sources.

    Entries are page uris: each page's title (a topic's title from topics.yaml) labels it.
    """
    return [{"Claims": [CLAIMS_INDEX_URI, *(topic_uri(t.id) for t in catalog.topics)]}, EVIDENCE_MAP_URI, SOURCES_URI]


_FILTERS: tuple[tuple[str, str, type[_Documented], Callable[[Claim], _Documented | None]], ...] = (
    ("kind", "Kind", ClaimKind, lambda c: c.kind),
    ("verdict", "Verdict", Verdict, lambda c: c.verdict),
    ("certainty", "Certainty", Certainty, lambda c: c.certainty.rating),
    ("level", "Evidence", EvidenceLevel, lambda c: c.evidence_level),
)
"""The all-claims table's filters besides topic: form field (= the row's data-* name), label, vocabulary."""


def certainty_rank(claim: Claim) -> int:
    """Sort key for the certainty column: high first, claims with no evidence last."""
    rating = claim.certainty.rating
    return rating.rank if rating else len(Certainty)


def claim_uri(claim: Claim) -> str:
    return f"{CLAIMS_PREFIX}/{claim.topic}/{claim.id}.md"


def topic_uri(topic_id: str) -> str:
    return f"{CLAIMS_PREFIX}/{topic_id}/index.md"


def claim_tags(claim: Claim) -> tuple[str, ...]:
    """Tags for browsing: kind, verdict and evidence level, each as readable text."""
    return (f"Kind: {claim.kind.label}", f"Verdict: {claim.verdict.label}", f"Evidence: {claim.evidence_level.label}")


def json_for_script(data: object) -> Markup:
    """JSON safe to embed in a <script> element: no '<', '>' or '&' survive literally."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=None)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def paragraphs(text: str) -> list[str]:
    """Split plain text into paragraphs at blank lines."""
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


_ENVIRONMENTS: dict[Path | None, Environment] = {}


def _environment(overrides_dir: Path | None) -> Environment:
    """One environment per overrides folder, kept: live preview renders without compiling templates again."""
    if overrides_dir not in _ENVIRONMENTS:
        _ENVIRONMENTS[overrides_dir] = _new_environment(overrides_dir)
    return _ENVIRONMENTS[overrides_dir]


def _new_environment(overrides_dir: Path | None) -> Environment:
    loaders = [FileSystemLoader(str(overrides_dir))] if overrides_dir else []
    env = Environment(
        loader=ChoiceLoader([*loaders, FileSystemLoader(str(_TEMPLATES))]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["paragraphs"] = paragraphs
    env.filters["count_of"] = lambda count, word: f"{count} {word}{'' if count == 1 else 's'}"
    env.filters["capitalize_first"] = lambda text: text[:1].upper() + text[1:]
    env.filters["slug"] = lambda text: re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", str(text).lower()).strip())
    env.filters["wrap_lines"] = lambda text, width=13: textwrap.wrap(str(text), width) or [""]
    env.globals.update(
        ClaimKind=ClaimKind, Verdict=Verdict, EvidenceLevel=EvidenceLevel, Stance=Stance, StudyDesign=StudyDesign,
        Certainty=Certainty, LoweringDomain=LoweringDomain, RaisingDomain=RaisingDomain,
        hedge=hedge, start_of_level=START_OF_LEVEL, start_reasons=START_REASONS, allowed_certainty=ALLOWED_CERTAINTY, crisis_kinds=CRISIS_KINDS,
        needs_research=NEEDS_RESEARCH,
        certainty_rank=certainty_rank,
    )
    return env


class Renderer:
    """Renders pages and page fragments for one catalogue."""

    def __init__(self, catalog: Catalog, *, today: dt.date, overrides_dir: Path | None = None, site_url: str | None = None) -> None:
        self.catalog = catalog
        self.base_url = site_url.rstrip("/") + "/" if site_url else ""
        self.today = today
        self.env = _environment(overrides_dir)
        self.claim_index = {c.id: c for c in catalog.claims}
        self.claim_by_url = {page_url(claim_uri(c)): c for c in catalog.claims}
        self.topic_index = {t.id: t for t in catalog.topics}
        self.by_topic = catalog.claims_by_topic()
        self.citing: dict[str, list[Claim]] = {s.id: [] for s in catalog.sources}
        for claim in catalog.claims:
            for citation in claim.evidence:
                self.citing[citation.source.id].append(claim)

    def _render(self, template: str, uri: str, **context: object) -> Markup:
        def link(to: str) -> str:
            return relative_url(uri, to)

        return Markup(
            self.env.get_template(template).render(
                catalog=self.catalog, site=self.catalog.site, today=self.today, link=link,
                claim_uri=claim_uri, topic_uri=topic_uri, sources_uri=SOURCES_URI, claims_index_uri=CLAIMS_INDEX_URI, uri=uri, **context
            )
        )

    def claim_page(self, claim: Claim) -> GeneratedPage:
        uri = claim_uri(claim)
        related = [self.claim_index[r] for r in claim.related]
        bottom_line, summary_rest = split_first_sentence(claim.summary)
        body = self._render("claim_page.html.j2", uri, claim=claim, related=related, bottom_line=bottom_line, summary_rest=summary_rest,
                            topic=self.topic_index[claim.topic], jsonld=json_for_script(self._jsonld(claim, uri)))
        texts = [claim.statement, _first_sentence(claim.quote or ""), f"Verdict: {claim.verdict.label}. Evidence: {claim.evidence_level.label}.",
                 _first_sentence(claim.summary)]
        return GeneratedPage(uri, claim.title, body, claim_tags(claim), claim.statement, claim.origin.path, self._search(claim.title, texts),
                             hide=("tags",))

    def topic_page(self, topic_id: str) -> GeneratedPage:
        topic = self.topic_index[topic_id]
        uri = topic_uri(topic_id)
        claims = self.by_topic.get(topic_id, ())
        levels = [level for level in EvidenceLevel if any(c.evidence_level is level for c in claims)]
        body = self._render("topic_page.html.j2", uri, topic=topic, claims=claims, levels=levels)
        return GeneratedPage(uri, topic.title, body, (), topic.description, topic.origin.path, self._search(topic.title, [topic.description]))

    def claims_index(self) -> GeneratedPage:
        uri = CLAIMS_INDEX_URI
        claims = self.catalog.claims
        filters = [
            (name, label, [(v.value, v.label) for v in vocabulary if any(getter(c) is v for c in claims)])
            for name, label, vocabulary, getter in _FILTERS
        ]
        if any(c.certainty.rating is None for c in claims):
            filters[2][2].append(("none", "No evidence"))  # level 'none' has no rating to filter on
        filters.insert(1, ("topic", "Topic", [(t.id, t.title) for t in self.catalog.topics]))
        topic_rank = {t.id: i for i, t in enumerate(self.catalog.topics)}
        body = self._render("claims_index.html.j2", uri, by_topic=self.by_topic, filters=filters, topic_rank=topic_rank,
                            table_script=TABLE_SCRIPT_URI)
        return GeneratedPage(uri, "All claims", body, (), "Every claim reviewed, to sort and filter.", None, self._search("All claims", []))

    def sources_page(self) -> GeneratedPage:
        body = self._render("sources_page.html.j2", SOURCES_URI, citing=self.citing)
        search = self._search("Sources", [f"{s.title} ({s.authors[0]}, {s.year or 'n.d.'})" for s in self.catalog.sources])
        return GeneratedPage(SOURCES_URI, "Sources", body, (), "Every source cited, with links and the claims that cite it.", None, search)

    def evidence_map_page(self) -> GeneratedPage:
        body = self._render("evidence_map_page.html.j2", EVIDENCE_MAP_URI, map=self.fragment("evidence-map", EVIDENCE_MAP_URI))
        return GeneratedPage(EVIDENCE_MAP_URI, "Evidence map", body, (), "How many claims sit at each level of evidence, by topic.")

    def changes_page(self) -> GeneratedPage:
        body = self._render("changes_page.html.j2", CHANGES_URI, changes=changes_of(self.catalog))
        return GeneratedPage(CHANGES_URI, "What changed", body, (), "Every change to a claim, newest first; also as an Atom feed.", None,
                             self._search("What changed", []))

    def _search(self, title: str, texts: list[str]) -> Markup:
        """A short index entry: readers search statements and verdicts, not every table cell."""
        return Markup(self.env.get_template("search_entry.html.j2").render(title=title, texts=[t for t in texts if t]))

    def fragment(self, name: str, uri: str) -> Markup:
        """The HTML for a ``<!-- sitegen:NAME -->`` marker on the page at ``uri``."""
        if name == "evidence-map":
            return self._render("evidence_map.html.j2", uri, grid=build_evidence_map(self.catalog))
        if name == "topics":
            return self._render("topics_list.html.j2", uri, by_topic=self.by_topic)
        if name == "claims-table":
            return self._render("claims_table.html.j2", uri)
        if name == "crisis":
            return self._render("crisis.html.j2", uri)
        if name == "rubric":
            return self._render("rubric.html.j2", uri)
        raise KeyError(name)

    def expand_markers(self, markdown: str, uri: str) -> str:
        """Replace each known marker in a hand-written page with its generated HTML (see ``sitegen.markers``)."""
        return replace_markers(markdown, lambda marker: str(self.fragment(marker.value, uri)))

    def flag_mentions(self, text: str, uri: str) -> str:
        """Put the compact flags next to every link to an efficacy claim in a hand-written page's HTML."""
        return flag_claim_links(text, page_url=page_url(uri), claims_by_url=self.claim_by_url,
                                flags=lambda claim: str(self._render("flags.html.j2", uri, claim=claim)).strip())

    def flag_markdown_mentions(self, markdown: str, uri: str) -> str:
        """The same flags, put next to every link to an efficacy claim in a hand-written page's Markdown (``render --out``)."""
        return flag_markdown_links(markdown, page_uri=uri, page_url=page_url(uri), claims_by_url=self.claim_by_url,
                                   flags=lambda claim: str(self._render("flags.html.j2", uri, claim=claim)).strip())

    def tags_listing(self, uri: str, tagged_pages: Sequence[tuple[str, str, tuple[str, ...]]] = ()) -> str:
        """Every tag with the pages that carry it, as Material's tags plugin lists them, with flags on links to efficacy claims.

        Args:
            uri: the page the listing goes on.
            tagged_pages: hand-written pages with tags in their front matter, as (title, uri, tags).
        """
        groups: dict[str, list[tuple[str, str]]] = {}
        for claims in self.by_topic.values():
            for claim in claims:
                for tag in claim_tags(claim):
                    groups.setdefault(tag, []).append((claim.title, claim_uri(claim)))
        for title, page, tags in tagged_pages:
            for tag in tags:
                groups.setdefault(tag, []).append((title, page))
        return self.flag_mentions(str(self._render("tags_listing.html.j2", uri, groups=sorted(groups.items()))), uri)

    def _jsonld(self, claim: Claim, uri: str) -> list[dict[str, object]]:
        site = self.catalog.site
        claimed: dict[str, object] = {"@type": "Claim", "text": claim.statement}
        if site.reviewed_work:
            work = site.reviewed_work
            appearance: dict[str, object] = {"@type": "CreativeWork", "name": work.title, "description": work.description}
            if work.url:
                appearance["url"] = work.url
            claimed["appearance"] = appearance
        rating: dict[str, object] = {"@type": "Rating", "alternateName": claim.verdict.label, "ratingValue": len(Verdict) - claim.verdict.rank,
                  "bestRating": len(Verdict), "worstRating": 1, "ratingExplanation": claim.summary}
        review: dict[str, object] = {"@context": "https://schema.org", "@type": "ClaimReview", "claimReviewed": claim.quote or claim.statement,
                  "reviewRating": rating, "itemReviewed": claimed,
                  "author": {"@type": "Organization", "name": f"{self.catalog.site.name} contributors"},
                  "datePublished": claim.history[0].date.isoformat(), "url": self.base_url + page_url(uri)}
        page: dict[str, object] = {"@context": "https://schema.org", "@type": site.page_type(claim.kind), "name": claim.title,
                "lastReviewed": claim.reviewed.date.isoformat(), "about": {"@type": "Thing", "name": claim.statement},
                "url": self.base_url + page_url(uri), "citation": [self._citation(c.source) for c in claim.evidence]}
        return [review, page]

    @staticmethod
    def _citation(source: Source) -> dict[str, object]:
        entry: dict[str, object] = {"@type": "CreativeWork", "name": source.title}
        if source.year:
            entry["datePublished"] = str(source.year)
        if source.link:
            entry["url"] = source.link
        return entry

    def all_pages(self) -> list[GeneratedPage]:
        """Every generated page, in a stable order."""
        pages = [self.claims_index(), self.sources_page(), self.evidence_map_page(), self.changes_page()]
        pages += [self.topic_page(t.id) for t in self.catalog.topics]
        pages += [self.claim_page(c) for c in self.catalog.claims]
        return pages
