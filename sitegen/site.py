"""The one entry both adapters call: a catalogue becomes pages, exports and assets, in memory."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen.export import export_files
from sitegen.feed import FEED_URI, atom_feed
from sitegen.render import TABLE_SCRIPT_URI, GeneratedPage, Renderer

if TYPE_CHECKING:
    from sitegen.model import Catalog

__all__ = ["CSS_URI", "MISSING_ADDRESS", "SiteOutput", "build_site_output", "data_date"]

CSS_URI = "assets/sitegen/sitegen.css"
MISSING_ADDRESS = (
    "the site has no published address, so the sitemap lists no pages and canonical links, ClaimReview urls and the "
    "feed's links are relative: set 'site_url' in mkdocs.yml (this project reads it from the SITE_URL environment "
    "variable, which the Pages workflow fills in)"
)
_EPOCH = dt.date(1970, 1, 1)
_ASSETS = Path(__file__).parent / "assets"


@dataclass(frozen=True, slots=True)
class SiteOutput:
    """Everything generated for one build: pages, static files, and the renderer for markers."""

    pages: tuple[GeneratedPage, ...]
    files: tuple[tuple[str, str], ...]
    renderer: Renderer


def data_date(catalog: Catalog) -> dt.date:
    """The newest review or change date in the content; builds use it for the sitemap."""
    dates = [d for claim in catalog.claims for d in (claim.reviewed.date, *(h.date for h in claim.history))]
    return max(dates, default=_EPOCH)


def build_site_output(catalog: Catalog, *, today: dt.date, overrides_dir: Path | None = None, site_url: str | None = None) -> SiteOutput:
    """Render every generated page and export for ``catalog``.

    Args:
        catalog: a validated catalogue.
        today: the date against which reviews are judged overdue.
        overrides_dir: a folder whose templates take precedence over the built-in ones.
        site_url: the published address; makes JSON-LD and feed links absolute.

    Returns:
        The pages (Markdown with front matter), static files (exports and our stylesheet),
        and the renderer, which also expands ``<!-- sitegen:NAME -->`` markers.
    """
    renderer = Renderer(catalog, today=today, overrides_dir=overrides_dir, site_url=site_url)
    files = sorted([*export_files(catalog).items(), (FEED_URI, atom_feed(catalog, site_url=site_url))])
    files.append((CSS_URI, (_ASSETS / "sitegen.css").read_text(encoding="utf-8")))
    files.append((TABLE_SCRIPT_URI, (_ASSETS / "claims-table.js").read_text(encoding="utf-8")))
    return SiteOutput(tuple(renderer.all_pages()), tuple(files), renderer)
