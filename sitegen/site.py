"""The one entry both adapters call: a catalogue becomes pages, exports and assets, in memory."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import meta, nodes

from sitegen.export import export_files
from sitegen.feed import FEED_URI, atom_feed
from sitegen.incremental import PAGE_ONLY_FIELDS, carry_over, edits_in_place, pages_showing
from sitegen.page import GeneratedPage
from sitegen.render import Renderer
from sitegen.urls import TABLE_SCRIPT_URI, claim_uri, page_url

if TYPE_CHECKING:
    from collections.abc import Mapping

    from jinja2 import Environment

    from sitegen.model import Catalog, Claim

__all__ = ["CSS_URI", "MISSING_ADDRESS", "Rewrite", "SiteOutput", "build_site_output", "data_date", "page_only_fields", "rewrite_edited"]

CSS_URI = "assets/sitegen/sitegen.css"
MISSING_ADDRESS = (
    "the site has no published address, so the sitemap lists no pages and canonical links, ClaimReview urls and the "
    "feed's links are relative: set 'site_url' in mkdocs.yml, for example 'site_url: !ENV [SITE_URL, \"\"]' with "
    "SITE_URL set by the workflow that publishes the site"
)
_EPOCH = dt.date(1970, 1, 1)
CLAIM_TEMPLATE = "claim_page.html.j2"
_ASSETS = Path(__file__).parent / "assets"


@dataclass(frozen=True, slots=True)
class SiteOutput:
    """Everything generated for one build: pages, static files, and the renderer for markers."""

    pages: tuple[GeneratedPage, ...]
    files: tuple[tuple[str, str], ...]
    renderer: Renderer
    claim_pages: Mapping[str, tuple[object, GeneratedPage]] = field(default_factory=dict)
    """Each claim page with what it was made from, so the next build can reuse it."""


def data_date(catalog: Catalog) -> dt.date:
    """The newest review or change date in the content; builds use it for the sitemap."""
    dates = [d for claim in catalog.claims for d in (claim.reviewed.date, *(h.date for h in claim.history))]
    return max(dates, default=_EPOCH)


def _claim_page_reads_only_its_inputs(env: Environment, name: str = CLAIM_TEMPLATE, seen: set[str] | None = None) -> bool:
    """Whether the claim page templates (and those they import) leave the whole catalogue alone.

    Everything else a claim page is given comes from the claim, its related claims, its
    topic, the topics, the site settings and the date, which are what reuse is keyed on.
    """
    seen = seen if seen is not None else set()
    if name in seen:
        return True
    seen.add(name)
    assert env.loader is not None
    tree = env.parse(env.loader.get_source(env, name)[0])
    if "catalog" in meta.find_undeclared_variables(tree):
        return False
    return all(isinstance(ref, str) and _claim_page_reads_only_its_inputs(env, ref, seen) for ref in meta.find_referenced_templates(tree))


def page_only_fields(env: Environment, candidates: frozenset[str] = PAGE_ONLY_FIELDS) -> frozenset[str]:
    """Those of ``candidates`` that no template but the claim page's own names (a site's overrides included).

    An edit confined to such fields of a claim changes no other page: a live preview then
    rewrites the claim's page alone (see ``incremental.edits_in_place``).
    """
    assert env.loader is not None
    used: set[str] = set()
    for name in env.list_templates(filter_func=lambda name: name.endswith(".j2") and name != CLAIM_TEMPLATE):
        tree = env.parse(env.loader.get_source(env, name)[0])
        used |= {node.attr for node in tree.find_all(nodes.Getattr)}
        used |= {node.value for node in tree.find_all(nodes.Const) if isinstance(node.value, str)}  # claim["x"], map(attribute="x")
    return candidates - used


class _ReusingRenderer(Renderer):
    """Renders a claim page again only when what it is made from changed (live preview)."""

    def __init__(
        self, catalog: Catalog, *, today: dt.date, overrides_dir: Path | None, site_url: str | None,
        previous: Mapping[str, tuple[object, GeneratedPage]],
    ) -> None:
        super().__init__(catalog, today=today, overrides_dir=overrides_dir, site_url=site_url)
        self.previous = previous if _claim_page_reads_only_its_inputs(self.env) else {}
        self.made: dict[str, tuple[object, GeneratedPage]] = {}

    def claim_page(self, claim: Claim) -> GeneratedPage:
        inputs = (claim, [self.claim_index[r] for r in claim.related], self.catalog.topics, self.catalog.site, self.today, self.base_url)
        old = self.previous.get(claim.id)
        page = old[1] if old is not None and old[0] == inputs else super().claim_page(claim)
        self.made[claim.id] = (inputs, page)
        return page


def build_site_output(
    catalog: Catalog, *, today: dt.date, overrides_dir: Path | None = None, previous: SiteOutput | None = None, site_url: str | None = None
) -> SiteOutput:
    """Render every generated page and export for ``catalog``.

    Args:
        catalog: a validated catalogue.
        today: the date against which reviews are judged overdue.
        overrides_dir: a folder whose templates take precedence over the built-in ones.
        previous: the output of the last build (live preview): claim pages made from equal
            inputs are reused instead of rendered again.
        site_url: the published address; makes JSON-LD and feed links absolute.

    Returns:
        The pages (Markdown with front matter), static files (exports and our stylesheet),
        and the renderer, which also expands ``<!-- sitegen:NAME -->`` markers.
    """
    renderer = _ReusingRenderer(catalog, today=today, overrides_dir=overrides_dir, site_url=site_url,
                                previous=previous.claim_pages if previous else {})
    files = sorted([*export_files(catalog).items(), (FEED_URI, atom_feed(catalog, site_url=site_url))])
    files.append((CSS_URI, (_ASSETS / "sitegen.css").read_text(encoding="utf-8")))
    files.append((TABLE_SCRIPT_URI, (_ASSETS / "claims-table.js").read_text(encoding="utf-8")))
    pages = tuple(renderer.all_pages())
    return SiteOutput(pages, tuple(files), renderer, renderer.made)


@dataclass(frozen=True, slots=True)
class Rewrite:
    """What a live preview writes after an edit that only claims' own pages show."""

    catalog: Catalog
    """The new catalogue, holding the last one's objects wherever they are unchanged."""
    pages: tuple[GeneratedPage, ...]
    """The claim pages whose text changed."""
    files: tuple[tuple[str, str], ...]
    """The exports whose text changed."""
    efficacy: tuple[tuple[str, str], ...]
    """(id, url) of the efficacy claims among those pages, for the caution check."""


def rewrite_edited(
    previous: Catalog, current: Catalog, *, page_only: frozenset[str], pages: Mapping[str, GeneratedPage], files: Mapping[str, str],
    today: dt.date, overrides_dir: Path | None, site_url: str | None,
) -> Rewrite | None:
    """The pages and exports to write again after claims changed only in ``page_only`` fields (``None``: something else changed).

    Args:
        previous: the catalogue of the last build.
        current: the catalogue just loaded.
        page_only: the fields only a claim's own page shows (see ``page_only_fields``).
        pages: the last build's generated pages by URI.
        files: the last build's static files (exports) by URI.
        today: the date of the last build.
        overrides_dir: a folder whose templates take precedence over the built-in ones.
        site_url: the published address, as the last build had it.
    """
    edited = edits_in_place(previous, current, page_only)
    if edited is None:
        return None
    catalog = carry_over(previous, edited)
    renderer = Renderer(catalog, today=today, overrides_dir=overrides_dir, site_url=site_url)
    shown = pages_showing(catalog, edited)
    changed = tuple(page for claim in shown if pages.get((page := renderer.claim_page(claim)).uri) != page)
    exports = tuple((uri, text) for uri, text in export_files(catalog).items() if files.get(uri) != text)
    return Rewrite(catalog, changed, exports, tuple((c.id, page_url(claim_uri(c))) for c in shown if c.is_efficacy))
