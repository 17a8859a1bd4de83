"""Render the catalogue into pages: page assembly from the templates, one method per page type.

Every page body is HTML built by the templates; the Markdown page is that HTML inside a
raw block under a small front matter, so it builds the same with any Python-Markdown
based generator. YAML text only ever reaches the page as autoescaped text. The Jinja
environment is ``sitegen.templating``'s; page addresses are ``sitegen.urls``'.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from markupsafe import Markup

from sitegen.changes import changes_of
from sitegen.evidence_map import build_evidence_map
from sitegen.jsonld import claim_jsonld, json_for_script
from sitegen.markers import replace_markers
from sitegen.mentions import flag_claim_links, flag_markdown_links
from sitegen.model import Certainty, ClaimKind, EvidenceLevel, Verdict
from sitegen.page import GeneratedPage
from sitegen.templating import environment
from sitegen.urls import (
    CHANGES_URI,
    CLAIMS_INDEX_URI,
    EVIDENCE_MAP_URI,
    SOURCES_URI,
    TABLE_SCRIPT_URI,
    claim_uri,
    page_url,
    relative_url,
    topic_uri,
)

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable, Sequence
    from pathlib import Path

    from sitegen.model import Catalog, Claim
    from sitegen.vocabulary import Vocabulary

__all__ = ["Renderer"]


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


_FILTERS: tuple[tuple[str, str, type[Vocabulary], Callable[[Claim], Vocabulary | None]], ...] = (
    ("kind", "Kind", ClaimKind, lambda c: c.kind),
    ("verdict", "Verdict", Verdict, lambda c: c.verdict),
    ("certainty", "Certainty", Certainty, lambda c: c.certainty.rating),
    ("level", "Evidence", EvidenceLevel, lambda c: c.evidence_level),
)
"""The all-claims table's filters besides topic: form field (= the row's data-* name), label, vocabulary."""


def claim_tags(claim: Claim) -> tuple[str, ...]:
    """Tags for browsing: kind, verdict and evidence level, each as readable text."""
    return (f"Kind: {claim.kind.label}", f"Verdict: {claim.verdict.label}", f"Evidence: {claim.evidence_level.label}")


class Renderer:
    """Renders pages and page fragments for one catalogue."""

    def __init__(self, catalog: Catalog, *, today: dt.date, overrides_dir: Path | None = None, site_url: str | None = None) -> None:
        self.catalog = catalog
        self.base_url = site_url.rstrip("/") + "/" if site_url else ""
        self.today = today
        self.env = environment(overrides_dir)
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
        jsonld = claim_jsonld(claim, site=self.catalog.site, url=self.base_url + page_url(uri))
        body = self._render("claim_page.html.j2", uri, claim=claim, related=related, bottom_line=bottom_line, summary_rest=summary_rest,
                            topic=self.topic_index[claim.topic], jsonld=json_for_script(jsonld))
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

    def all_pages(self) -> list[GeneratedPage]:
        """Every generated page, in a stable order."""
        pages = [self.claims_index(), self.sources_page(), self.evidence_map_page(), self.changes_page()]
        pages += [self.topic_page(t.id) for t in self.catalog.topics]
        pages += [self.claim_page(c) for c in self.catalog.claims]
        return pages
