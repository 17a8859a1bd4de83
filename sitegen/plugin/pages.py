"""How the core's pages become MkDocs files and pages: generated files, tables of contents, nav, what to render again."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mkdocs.structure.files import File
from mkdocs.structure.toc import get_toc
from mkdocs.utils import nest_paths

from sitegen.incremental import is_unchanged_page
from sitegen.urls import claims_nav

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files

    from sitegen.incremental import PageChanges
    from sitegen.model import Catalog
    from sitegen.page import GeneratedPage
    from sitegen.site import SiteOutput


def add_generated(files: Files, config: MkDocsConfig, output: SiteOutput, changes: PageChanges) -> dict[str, GeneratedPage]:
    """Add the generated pages (those unchanged keep their HTML from the last build), exports and assets; return the pages by uri."""
    generated: dict[str, GeneratedPage] = {}
    for page in output.pages:
        file = File.generated(config, page.uri, content=page.markdown)
        file.edit_uri = f"../{page.edit_path}" if page.edit_path else None
        if page.uri in changes.unchanged:
            setattr(file, "is_modified", _unmodified)  # noqa: B010 - its HTML from the last build stays
        files.append(file)
        generated[page.uri] = page
    for uri, content in output.files:
        files.append(File.generated(config, uri, content=content))
    return generated


def mark_handwritten(files: Files, output: SiteOutput, last: dict[str, str], changes: PageChanges, *, everything: bool) -> dict[str, str]:
    """A hand-written page is rendered again when its text or a generated fragment in it changed; return each page's expanded text."""
    seen: dict[str, str] = {}
    for file in files.documentation_pages():
        text = file.content_string
        seen[file.src_uri] = output.renderer.expand_markers(text, file.src_uri) if "sitegen:" in text else text
        is_same = not everything and is_unchanged_page(text, seen[file.src_uri], last.get(file.src_uri), changes)
        setattr(file, "is_modified", _unmodified if is_same else _modified)  # noqa: B010 - MkDocs asks the file whether to render it
    return seen


def auto_nav(hand_written: list[str], catalog: Catalog) -> list[Any]:
    """Home, then the claims by topic (order and titles of topics.yaml), the map and sources, then the other pages as MkDocs lists them."""
    home = [uri for uri in hand_written if uri == "index.md"]
    return [*home, *claims_nav(catalog), *nest_paths([uri for uri in hand_written if uri != "index.md"])]  # type: ignore[no-untyped-call]


def page_toc(generated: GeneratedPage) -> Any:
    """Material drops the first entry as the page's h1 and lists its children."""
    top: Any = {"level": 1, "id": "page-title", "name": generated.title, "html": "", "data-toc-label": "", "children": _toc_tokens(generated.headings)}
    return get_toc([top])


def order_tags(tags: Any, page_order: list[str]) -> None:
    """Tags in page order, as a full build collects them (the pages not rendered again were added first)."""
    found = getattr(getattr(tags, "mappings", None), "data", None)
    if isinstance(found, dict):
        tags.mappings.data = {url: found[url] for url in [*page_order, *found] if url in found}


def _toc_tokens(headings: tuple[tuple[int, str, str], ...]) -> list[Any]:
    """Nest (level, id, text) headings into the tokens MkDocs builds a table of contents from."""
    tokens: list[Any] = []
    for level, anchor, text in headings:
        token = {"level": level, "id": anchor, "name": text, "html": text, "data-toc-label": "", "children": []}
        parent = tokens[-1]["children"] if tokens and level > tokens[-1]["level"] else tokens
        parent.append(token)
    return tokens


def _modified() -> bool:
    return True


def _unmodified() -> bool:
    return False
