"""Site-wide settings from site.yaml change the words and types a reader sees, nothing else."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from sitegen.catalog import load_catalog
from sitegen.model import Catalog, ClaimKind, PageType, ReviewedWork
from sitegen.render import Renderer
from tests.site.htmlparse import parse

TODAY = dt.date(2026, 11, 25)


@pytest.fixture(name="catalog")
def fixture_catalog(project: Path) -> Catalog:
    result = load_catalog(project / "claims", root=project, today=TODAY)
    assert result.catalog is not None, result.problems
    return result.catalog


def _with_site(catalog: Catalog, **changes: object) -> Renderer:
    return Renderer(dataclasses.replace(catalog, site=dataclasses.replace(catalog.site, **changes)), today=TODAY)


def _claim_page(renderer: Renderer, kind: ClaimKind) -> str:
    claim = next(c for c in renderer.catalog.claims if c.kind is kind)
    return str(renderer.claim_page(claim).body)


def _page_type(html: str) -> str:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    assert match
    return str(json.loads(match.group(1))[1]["@type"])


def test_page_type_follows_the_kind_with_defaults(catalog: Catalog) -> None:
    renderer = Renderer(catalog, today=TODAY)
    assert _page_type(_claim_page(renderer, ClaimKind.EFFICACY)) == "MedicalWebPage"
    legal = dataclasses.replace(catalog.claims[1], kind=ClaimKind.LEGAL)
    assert _page_type(str(renderer.claim_page(legal).body)) == "WebPage"
    custom = _with_site(catalog, page_types=((ClaimKind.EFFICACY, PageType.WEB_PAGE),))
    assert _page_type(_claim_page(custom, ClaimKind.EFFICACY)) == "WebPage"


def test_reviewed_kind_names_the_quote(catalog: Catalog) -> None:
    work = ReviewedWork("Ads", "A set of advertisements.", kind="advertisement")
    html = _claim_page(_with_site(catalog, reviewed_work=work), ClaimKind.EFFICACY)
    text = parse(html).all_text()
    assert "What the advertisement says:" in text and "article" not in text
    table = parse(str(_with_site(catalog, reviewed_work=None).fragment("claims-table", "index.md"))).all_text()
    assert "The words reviewed" in table and "article" not in table


def test_caution_wording_is_a_setting_and_crisis_block_is_optional(catalog: Catalog) -> None:
    html = _claim_page(_with_site(catalog, caution_text="Talk to your doctor first.", crisis_text=None, crisis_url=None), ClaimKind.EFFICACY)
    tree = parse(html)
    caution = tree.find_all(lambda e: e.has_class("caution-notice"))
    assert len(caution) == 1 and "Talk to your doctor first." in caution[0].all_text()
    assert "not medical advice" not in tree.all_text()
    assert not tree.find_all(lambda e: e.has_class("sg-crisis"))


def test_topic_counts_are_pluralised(catalog: Catalog) -> None:
    text = parse(str(Renderer(catalog, today=TODAY).fragment("topics", "index.md"))).all_text()
    assert "(1 claim)" in text and "(1 claims)" not in text

