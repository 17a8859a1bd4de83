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
    assert "What the advertisement says" in text and "article" not in text
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



SITEGEN = Path(__file__).resolve().parents[2] / "sitegen"
MINIMAL_SITE = "name: A review\ndescription: What it is.\n"


def _load(project: Path, site_yaml: str) -> tuple[Catalog | None, list[tuple[str, int, int]]]:
    (project / "claims/site.yaml").write_text(site_yaml, encoding="utf-8")
    result = load_catalog(project / "claims", root=project, today=TODAY)
    return result.catalog, [(p.code, p.where.line, p.where.column) for p in result.problems]


def test_only_name_and_description_are_required(project: Path) -> None:
    catalog, problems = _load(project, MINIMAL_SITE)
    assert problems == [] and catalog is not None
    assert catalog.site.reviewed_work is None and catalog.site.crisis_text is None
    assert catalog.site.page_type(ClaimKind.LEGAL) is PageType.WEB_PAGE


def test_settings_are_read_from_site_yaml(project: Path) -> None:
    text = MINIMAL_SITE + (
        "reviewed_work:\n  kind: guideline\n  title: A guideline\n  description: What it says.\n"
        "caution_notice: Ask a clinician first.\npage_types:\n  efficacy: WebPage\n"
    )
    catalog, problems = _load(project, text)
    assert problems == [] and catalog is not None
    assert catalog.site.reviewed_work is not None and catalog.site.reviewed_work.kind == "guideline"
    assert catalog.site.caution_text == "Ask a clinician first."
    assert catalog.site.page_type(ClaimKind.EFFICACY) is PageType.WEB_PAGE


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ('caution_notice: ""\n', ("SG210", 3, 17)),
        ("page_types:\n  efficacy: HealthPage\n", ("SG204", 4, 13)),
        ("page_types:\n  advice: WebPage\n", ("SG202", 4, 3)),
    ],
    ids=["empty-caution", "unknown-page-type", "unknown-kind"],
)
def test_bad_settings_are_located(project: Path, extra: str, expected: tuple[str, int, int]) -> None:
    catalog, problems = _load(project, MINIMAL_SITE + extra)
    assert catalog is None and problems == [expected]


def test_no_text_in_the_generator_names_a_particular_review() -> None:
    named = [path for path in SITEGEN.rglob("*") if path.is_file() and path.suffix != ".pyc" and "kratom" in path.read_text(encoding="utf-8", errors="ignore").lower()]
    assert named == []
