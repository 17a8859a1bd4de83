"""The real site, built once: the caution contract, pages for every claim, exports, privacy."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from sitegen.grading import hedge, is_allowed
from sitegen.model import Certainty, Direction, LoweringDomain, RaisingDomain, Verdict
from tests.conftest import REAL_SITE_URL, ROOT, mkdocs_build
from tests.site.htmlparse import Element, efficacy_links, parse

CLAIMS_JSON_FIELDS = {
    "id", "kind", "topic", "statement", "quote", "verdict", "evidence_level", "certainty", "certainty_start", "certainty_reasons", "as_of",
    "url", "sources",
}


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


@pytest.fixture(name="claims_json", scope="module")
def fixture_claims_json(built_site: Path) -> dict:
    return json.loads((built_site / "claims.json").read_text(encoding="utf-8"))


def test_every_efficacy_claim_carries_both_flags_on_every_page(built_site: Path, claims_json: dict) -> None:
    efficacy_ids = {c["id"] for c in claims_json["claims"] if c["kind"] == "efficacy"}
    assert efficacy_ids, "the real site must have efficacy claims"
    seen: dict[str, int] = dict.fromkeys(efficacy_ids, 0)
    for page in html_pages(built_site):
        tree = parse(page.read_text(encoding="utf-8"))
        for element in tree.find_all(lambda e: e.attrs.get("data-claim-kind") == "efficacy"):
            inner = list(element.iter())
            assert any(e.has_class("caution-notice") for e in inner), f"{page}: {element.attrs['data-claim-id']} lacks caution"
            assert any(e.has_class("needs-research") for e in inner), f"{page}: {element.attrs['data-claim-id']} lacks flag"
            seen[element.attrs["data-claim-id"]] += 1
    # each efficacy claim appears at least on its page, its topic page, the claims index and the article table
    assert all(count >= 3 for count in seen.values()), seen


def test_no_page_links_to_an_efficacy_claim_outside_its_flagged_element(built_site: Path) -> None:
    """Every link to an efficacy claim, generated or hand-written, sits next to the claim's two flags."""
    checked, bare = efficacy_links(built_site)
    assert checked > 100, f"only {checked} links to efficacy claims found"
    assert not bare, "links to efficacy claims without their flags:\n" + "\n".join(bare)


def test_flags_have_text_labels(built_site: Path, claims_json: dict) -> None:
    claim = next(c for c in claims_json["claims"] if c["kind"] == "efficacy")
    tree = parse((built_site / claim["url"] / "index.html").read_text(encoding="utf-8"))
    caution = tree.find_all(lambda e: e.has_class("caution-notice"))[0]
    flag = tree.find_all(lambda e: e.has_class("needs-research"))[0]
    assert "Caution" in caution.all_text() and caution.attrs.get("aria-label") == "Caution"
    assert "Needs research" in flag.all_text() and flag.attrs.get("aria-label") == "Needs research"
    assert tree.find_all(lambda e: e.has_class("sg-crisis")), "efficacy claim pages carry the crisis line"


def test_non_efficacy_claims_have_no_flags(built_site: Path, claims_json: dict) -> None:
    claim = next(c for c in claims_json["claims"] if c["kind"] == "safety")
    tree = parse((built_site / claim["url"] / "index.html").read_text(encoding="utf-8"))
    assert not tree.find_all(lambda e: e.has_class("caution-notice"))


def test_every_claim_has_its_own_page_listed_in_claims_json(built_site: Path, claims_json: dict) -> None:
    yaml_ids = {p.stem for p in (ROOT / "claims").glob("*/*.yaml") if p.parent.name != "sources"}
    assert {c["id"] for c in claims_json["claims"]} == yaml_ids
    assert claims_json["schema_version"]
    for claim in claims_json["claims"]:
        assert claim.keys() >= CLAIMS_JSON_FIELDS
        page = built_site / claim["url"] / "index.html"
        tree = parse(page.read_text(encoding="utf-8"))
        assert tree.find_all(lambda e, cid=claim["id"]: e.attrs.get("data-claim-id") == cid and e.tag == "article")
        for source in claim["sources"]:
            assert {"id", "title", "year", "doi", "pmid", "url", "stance"} <= source.keys()


def test_claim_pages_are_linked_from_their_topic_page(built_site: Path, claims_json: dict) -> None:
    for claim in claims_json["claims"]:
        topic_page = built_site / "claims" / claim["topic"] / "index.html"
        slug = claim["url"].rstrip("/").rsplit("/", 1)[-1]
        assert f'href="{slug}/"' in topic_page.read_text(encoding="utf-8"), claim["id"]


def test_claim_pages_are_not_in_the_global_navigation(built_site: Path, claims_json: dict) -> None:
    home = (built_site / "index.html").read_text(encoding="utf-8")
    nav = home[home.index('class="md-nav md-nav--primary"'):]
    nav = nav[: nav.index("</nav>")]
    for claim in claims_json["claims"][:10]:
        assert claim["url"] not in nav


def test_home_page_has_crisis_notice_and_evidence_map(built_site: Path) -> None:
    tree = parse((built_site / "index.html").read_text(encoding="utf-8"))
    assert tree.find_all(lambda e: e.has_class("sg-crisis"))
    maps = tree.find_all(lambda e: "data-evidence-map" in e.attrs)
    assert maps and maps[0].find_all(lambda e: e.tag == "svg" and e.attrs.get("role") == "img")


def test_every_claim_page_has_parseable_claimreview(built_site: Path, claims_json: dict) -> None:
    for claim in claims_json["claims"]:
        html = (built_site / claim["url"] / "index.html").read_text(encoding="utf-8")
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        assert len(blocks) == 1, claim["id"]
        data = json.loads(blocks[0])
        review = next(d for d in data if d["@type"] == "ClaimReview")
        page = next(d for d in data if d["@type"] in {"MedicalWebPage", "WebPage"})
        assert page["@type"] == ("WebPage" if claim["kind"] == "legal" else "MedicalWebPage"), claim["id"]
        assert review["reviewRating"]["alternateName"]
        assert review["claimReviewed"] and review["itemReviewed"]
        assert page["lastReviewed"] == claim["reviewed"]


def test_every_doi_is_linked_through_doi_org(built_site: Path, claims_json: dict) -> None:
    sources_html = (built_site / "sources" / "index.html").read_text(encoding="utf-8")
    for source in claims_json["sources"]:
        if source["doi"]:
            assert f'href="https://doi.org/{source["doi"]}"' in sources_html, source["id"]
        if source["pmid"]:
            assert f'href="https://pubmed.ncbi.nlm.nih.gov/{source["pmid"]}/"' in sources_html


CSL_TYPES = {
    "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book", "broadcast", "chapter",
    "classic", "collection", "dataset", "document", "entry", "entry-dictionary", "entry-encyclopedia", "figure",
    "graphic", "hearing", "interview", "legal_case", "legislation", "manuscript", "map", "motion_picture",
    "musical_score", "pamphlet", "paper-conference", "patent", "performance", "periodical", "personal_communication",
    "post", "post-weblog", "regulation", "report", "review", "review-book", "software", "song", "speech", "standard",
    "thesis", "treaty", "webpage",
}
CSL_NAME_KEYS = {"family", "given", "literal", "dropping-particle", "non-dropping-particle", "suffix"}


def test_sources_json_is_csl_json(built_site: Path) -> None:
    """Item types from the CSL 1.0 vocabulary; names and dates in CSL's shapes."""
    for item in json.loads((built_site / "sources.json").read_text(encoding="utf-8")):
        assert item["type"] in CSL_TYPES, item["id"]
        assert isinstance(item["id"], str) and isinstance(item["title"], str)
        for name in item["author"]:
            assert name and set(name) <= CSL_NAME_KEYS and all(isinstance(v, str) for v in name.values())
        if "issued" in item:
            parts = item["issued"]["date-parts"]
            assert len(parts) == 1 and all(isinstance(p, int) for p in parts[0])
        for key in ("DOI", "PMID", "URL", "volume", "issue", "page", "container-title"):
            assert key not in item or isinstance(item[key], str)


def test_exports_parse(built_site: Path, claims_json: dict) -> None:
    rows = list(csv.DictReader(io.StringIO((built_site / "claims.csv").read_text(encoding="utf-8"))))
    assert [r["id"] for r in rows] == [c["id"] for c in claims_json["claims"]]
    assert [(r["certainty"], r["as_of"]) for r in rows] == [(c["certainty"] or "", c["as_of"] or "") for c in claims_json["claims"]]
    csl = json.loads((built_site / "sources.json").read_text(encoding="utf-8"))
    assert isinstance(csl, list) and len(csl) == len(claims_json["sources"])
    for item in csl:
        assert {"id", "type", "title"} <= item.keys()
    bib = (built_site / "sources.bib").read_text(encoding="utf-8")
    assert bib.count("\n@") + 1 == len(claims_json["sources"])
    assert bib.count("{") == bib.count("}")


def test_no_resource_is_loaded_from_another_host(built_site: Path) -> None:
    pattern = re.compile(r'<(?:script|link|img|iframe|source|video|audio)\b[^>]*?(?:src|href)="(https?:)?//', re.I)
    # the page's own published address names the page; it loads nothing
    addresses = re.compile(r'<link rel="(?:canonical|alternate)"[^>]*>', re.I)
    for page in html_pages(built_site):
        html = page.read_text(encoding="utf-8")
        assert not pattern.search(addresses.sub("", html)), page
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html, page


def _last_review_epoch() -> str:
    """Noon UTC on the latest review date in the content: the day the repository was last known good."""
    dates = re.findall(r"^reviewed:\n  date: (\d{4}-\d{2}-\d{2})$", "\n".join(
        p.read_text(encoding="utf-8") for p in (ROOT / "claims").glob("*/*.yaml")), re.MULTILINE)
    day = dt.datetime.fromisoformat(max(dates)).replace(hour=12, tzinfo=dt.UTC)
    return str(int(day.timestamp()))


def test_mkdocs_strict_build_of_the_repo_passes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Strict, judged on the day of the latest review: whatever today's date, overdue reviews and stale
    'as of' dates are reported by 'sitegen validate' (warnings), never by this test."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", _last_review_epoch())
    monkeypatch.setenv("SITE_URL", REAL_SITE_URL)  # as the Pages workflow sets it
    mkdocs_build(ROOT / "mkdocs.yml", tmp_path / "site", strict=True)
    assert (tmp_path / "site" / "index.html").is_file()


def _words(text: str) -> str:
    return " ".join(text.split())


def _step_text(reason: dict) -> str:
    domain = (LoweringDomain if reason["direction"] == "lowered" else RaisingDomain)(reason["domain"])
    return f"{Direction(reason['direction']).label} for {domain.label.lower()}: {_words(reason['reason'])}"


def test_certainty_on_each_claim_page_matches_claims_json(built_site: Path, claims_json: dict) -> None:
    for claim in claims_json["claims"]:
        tree = parse((built_site / claim["url"] / "index.html").read_text(encoding="utf-8"))
        rating = Certainty(claim["certainty"]) if claim["certainty"] else None
        assert is_allowed(Verdict(claim["verdict"]), rating), f"{claim['id']}: the page would contradict its verdict"
        [banner] = tree.find_all(lambda e: "data-certainty" in e.attrs)
        assert banner.attrs["data-certainty"] == (claim["certainty"] or "none")
        [sentence] = [e for e in banner.children if e.tag == "p"]
        assert hedge(rating) in _words(sentence.all_text()), claim["id"]
        [card] = tree.find_all(lambda e: e.has_class("sg-verdict-card"))
        [fact] = card.find_all(lambda e: e.has_class("sg-certainty"))
        assert [e.all_text() for e in fact.children] == ["Certainty:"], claim["id"]
        assert _words("".join(fact.text)) == (rating.label if rating else "No evidence"), claim["id"]
        steps = [_words(e.all_text()) for e in banner.find_all(lambda e: e.tag == "li")]
        assert steps == [_step_text(r) for r in claim["certainty_reasons"]], claim["id"]
        rows = _how_sure_rows(tree)
        assert len(rows) == (len(claim["certainty_reasons"]) + 2 if rating else 0), claim["id"]
        checked = tree.find_all(lambda e: e.has_class("sg-as-of"))
        assert [t.attrs["datetime"] for c in checked for t in c.find_all(lambda e: e.tag == "time")] == ([claim["as_of"]] if claim["as_of"] else [])


def _how_sure_rows(tree: Element) -> list[Element]:
    """Body rows of the "How sure are we" table: start, each step, final rating."""
    tables = tree.find_all(lambda e: e.has_class("sg-how-sure"))
    return [row for table in tables for row in table.find_all(lambda e: e.tag == "tr") if row.find_all(lambda e: e.attrs.get("scope") == "row")]


def test_legal_claims_say_how_recent_their_sources_are(claims_json: dict) -> None:
    legal = [c for c in claims_json["claims"] if c["kind"] == "legal"]
    assert legal and all(c["as_of"] for c in legal)
    assert all(c["as_of"] <= c["reviewed"] for c in claims_json["claims"] if c["as_of"])


def test_treatment_claims_and_their_topic_page_carry_the_crisis_line(built_site: Path, claims_json: dict) -> None:
    treatment = [c for c in claims_json["claims"] if c["kind"] == "treatment"]
    assert treatment, "the real site must have treatment claims"
    for claim in treatment:
        tree = parse((built_site / claim["url"] / "index.html").read_text(encoding="utf-8"))
        assert tree.find_all(lambda e: e.has_class("sg-crisis")), claim["id"]
    topic = parse((built_site / "claims" / treatment[0]["topic"] / "index.html").read_text(encoding="utf-8"))
    assert topic.find_all(lambda e: e.has_class("sg-crisis"))


def test_safety_claim_pages_have_no_crisis_line(built_site: Path, claims_json: dict) -> None:
    claim = next(c for c in claims_json["claims"] if c["kind"] == "safety")
    tree = parse((built_site / claim["url"] / "index.html").read_text(encoding="utf-8"))
    assert not tree.find_all(lambda e: e.has_class("sg-crisis"))


def test_evidence_map_gives_each_cells_certainty_in_words(built_site: Path, claims_json: dict) -> None:
    """The map's table equivalent counts each certainty rating per cell, as claims.json does; each drawn cell says it too."""
    expected: dict[tuple[str, str], Counter[str]] = {}
    for claim in claims_json["claims"]:
        words = claim["certainty"].replace("-", " ") if claim["certainty"] else "none (no evidence)"
        expected.setdefault((claim["topic"], claim["evidence_level"]), Counter())[words] += 1
    tree = parse((built_site / "evidence-map" / "index.html").read_text(encoding="utf-8"))
    cells = tree.find_all(lambda e: e.tag == "td" and "certainty:" in "".join(e.text))
    assert cells, "the table names the certainty of each cell"
    for cell in cells:
        href = next(e for e in cell.iter() if e.tag == "a").attrs["href"]
        query = dict(part.split("=") for part in urlsplit(href).query.split("&"))
        listed = "".join(cell.text).split("certainty:", 1)[1].strip()
        counts = Counter({words: int(n) for n, words in (item.split(" ", 1) for item in listed.split(", "))})
        assert counts == expected[(query["topic"], query["level"])], (query, listed)
    drawn = tree.find_all(lambda e: e.has_class("sg-map-certainty"))
    assert len(drawn) == len(cells) == len(expected) and all("".join(e.text).startswith("certainty: ") for e in drawn)
