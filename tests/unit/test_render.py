"""Rendering helpers and the caution contract at the template level."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
import re
from pathlib import Path

import pytest

from sitegen.catalog import load_catalog
from sitegen.evidence_map import GridCell, build_evidence_map
from sitegen.grading import NEEDS_RESEARCH
from sitegen.jsonld import json_for_script
from sitegen.model import Catalog, Certainty, EvidenceLevel, Verdict
from sitegen.render import Renderer
from sitegen.templating import paragraphs
from sitegen.urls import page_url, relative_url

TODAY = dt.date(2026, 11, 25)



@pytest.mark.parametrize(
    ("uri", "url"),
    [("index.md", ""), ("about.md", "about/"), ("claims/t/index.md", "claims/t/"), ("claims/t/x.md", "claims/t/x/"), ("claims.json", "claims.json")],
)
def test_page_url(uri: str, url: str) -> None:
    assert page_url(uri) == url


@pytest.mark.parametrize(
    ("here", "there", "link"),
    [
        ("claims/t/x.md", "sources/index.md#source-a", "../../../sources/#source-a"),
        ("index.md", "claims/t/index.md#level-rct", "claims/t/#level-rct"),
        ("claims/t/x.md", "claims/t/index.md", "../"),
        ("claims/t/index.md", "claims/t/x.md", "x/"),
        ("article.md", "claims/t/x.md", "../claims/t/x/"),
        ("index.md", "claims.json", "claims.json"),
    ],
)
def test_relative_url(here: str, there: str, link: str) -> None:
    assert relative_url(here, there) == link


def test_json_for_script_cannot_close_the_script_element() -> None:
    text = str(json_for_script({"a": "</script><script>alert(1)</script>&"}))
    assert "</" not in text and "<" not in text and "&" not in text
    assert json.loads(text) == {"a": "</script><script>alert(1)</script>&"}


def test_paragraphs_split_on_blank_lines() -> None:
    assert paragraphs("one\nline\n\n  two  \n\n\n") == ["one\nline", "two"]


def test_efficacy_claim_page_has_flags_and_crisis_line(catalog: Catalog) -> None:
    renderer = Renderer(catalog, today=TODAY)
    page = renderer.claim_page(next(c for c in catalog.claims if c.is_efficacy))
    html = str(page.body)
    assert 'data-claim-kind="efficacy"' in html
    assert 'class="sg-notice caution-notice"' in html and 'class="sg-notice needs-research"' in html
    assert "sg-crisis" in html and "https://example.org/help" in html


def test_overdue_claim_shows_a_banner(catalog: Catalog) -> None:
    late = Renderer(catalog, today=dt.date(2100, 1, 1)).claim_page(catalog.claims[0])
    assert "Review overdue" in str(late.body)
    assert "Review overdue" not in str(Renderer(catalog, today=TODAY).claim_page(catalog.claims[0]).body)


def test_markdown_form_has_front_matter_tags_and_raw_html(catalog: Catalog) -> None:
    claim = next(c for c in catalog.claims if c.id == "herb-relieves-low-mood")
    page = Renderer(catalog, today=TODAY).claim_page(claim)
    lines = page.markdown.splitlines()
    assert lines[0] == "---" and lines[1].startswith("title: ")
    assert '  - "Verdict: Insufficient evidence"' in lines
    assert '  - "Verdict: Supported"' not in lines
    assert "<article" in page.markdown


def test_markers_expand_and_unknown_markers_stay(catalog: Catalog) -> None:
    renderer = Renderer(catalog, today=TODAY)
    text = renderer.expand_markers("a\n<!-- sitegen:crisis -->\n<!-- sitegen:nope -->\n", "index.md")
    assert "sg-crisis" in text and "<!-- sitegen:nope -->" in text
    assert "data-evidence-map" in renderer.expand_markers("<!-- sitegen:evidence-map -->", "index.md")


def test_certainty_banner_gives_the_hedged_wording_and_each_reason(catalog: Catalog) -> None:
    renderer = Renderer(catalog, today=TODAY)
    html = str(renderer.claim_page(next(c for c in catalog.claims if c.id == "herb-harms-liver")).body)
    assert '<span class="sg-card-label">Certainty:</span> Moderate</span>' in html
    assert "<p>What the evidence shows is probably right, but further research could change it.</p>" in html
    assert "<li>Rated down for imprecision: One small trial with few liver events.</li>" in html
    assert '<th scope="row">Start: Randomised controlled trial</th><td>High</td>' in html
    assert '<th scope="row">Final rating</th><td><strong>Moderate</strong></td>' in html
    assert "Checked up to" not in html, "no as_of, no date"


def test_no_evidence_claim_has_no_rating_and_no_table(project: Path) -> None:
    path = project / "claims/efficacy-claims/herb-relieves-low-mood.yaml"
    text = path.read_text(encoding="utf-8").replace("evidence_level: observational", "evidence_level: none")
    path.write_text(text.replace("certainty:\n  rating: low\n", "as_of: 2026-01-05\n"), encoding="utf-8")
    result = load_catalog(project / "claims", root=project, today=TODAY)
    assert result.catalog is not None, result.problems
    claim = next(c for c in result.catalog.claims if c.id == "herb-relieves-low-mood")
    html = str(Renderer(result.catalog, today=TODAY).claim_page(claim).body)
    assert 'data-certainty="none"' in html and "No evidence: no study tests this statement" in html
    assert "How sure are we" not in html
    assert 'Checked up to</span> <time datetime="2026-01-05">' in html


TRIAL_LEVELS = (EvidenceLevel.SYSTEMATIC_REVIEW, EvidenceLevel.RCT)


@pytest.mark.parametrize("level", list(EvidenceLevel))
def test_needs_research_flag_reads_right_at_every_evidence_level(catalog: Catalog, level: EvidenceLevel) -> None:
    """The flag is a whole sentence that matches the level: trials where the level has them, none where it has not."""
    claim = next(c for c in catalog.claims if c.is_efficacy)
    body = str(Renderer(catalog, today=TODAY).claim_page(dataclasses.replace(claim, evidence_level=level)).body)
    notice = re.search(r'<div class="sg-notice needs-research"[^>]*>\s*<p><strong class="sg-notice-label">Needs research:</strong> (.*?)</p>', body, re.S)
    assert notice is not None, body
    sentence = html.unescape(notice.group(1))
    assert sentence == NEEDS_RESEARCH[level]
    assert sentence[0].isupper() and sentence.endswith(".") and sentence.count(".") == 1, sentence
    has_trials = level in TRIAL_LEVELS
    assert ("not established" in sentence) is not has_trials, sentence
    assert ("trials in people have tested this claim" in sentence.lower()) is has_trials, sentence
    assert "even with" not in sentence.lower()


def test_evidence_map_cells_count_certainty_and_ties_go_to_the_lower_rating(catalog: Catalog) -> None:
    grid = build_evidence_map(catalog)
    cells = {(row.topic.id, cell.level): cell for row in grid.rows for cell in row.cells}
    assert cells[("efficacy-claims", EvidenceLevel.OBSERVATIONAL)].certainties == ((Certainty.LOW, 1),)
    assert cells[("safety", EvidenceLevel.RCT)].usual_certainty is Certainty.MODERATE
    assert cells[("safety", EvidenceLevel.NONE)].usual_certainty is None and cells[("safety", EvidenceLevel.NONE)].is_gap
    tied = GridCell(EvidenceLevel.RCT, 3, ((Verdict.SUPPORTED, 3),), ((Certainty.MODERATE, 1), (Certainty.LOW, 1), (None, 1)))
    assert tied.usual_certainty is Certainty.LOW
    assert GridCell(EvidenceLevel.NONE, 2, ((Verdict.UNCERTAIN, 2),), ((None, 2),)).usual_certainty is None
