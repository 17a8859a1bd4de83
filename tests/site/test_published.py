"""The published site: its address, the sitemap, absolute JSON-LD urls, the feed of changes."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin

from sitegen.catalog import load_catalog
from tests.conftest import REAL_SITE_URL, ROOT, run_cli, write_tree

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _claims(site: Path) -> list[dict]:
    return json.loads((site / "claims.json").read_text(encoding="utf-8"))["claims"]


def test_sitemap_lists_every_page_with_its_absolute_address(built_site: Path) -> None:
    listed = {loc.text for loc in ET.parse(built_site / "sitemap.xml").getroot().iter(f"{SITEMAP}loc")}
    pages = {p.relative_to(built_site).parent.as_posix() for p in built_site.rglob("index.html")}
    expected = {REAL_SITE_URL if page == "." else urljoin(REAL_SITE_URL, page + "/") for page in pages}
    assert expected == listed
    assert {urljoin(REAL_SITE_URL, c["url"]) for c in _claims(built_site)} <= listed


def test_claimreview_urls_and_canonical_links_are_absolute(built_site: Path) -> None:
    for claim in _claims(built_site):
        html = (built_site / claim["url"] / "index.html").read_text(encoding="utf-8")
        address = urljoin(REAL_SITE_URL, claim["url"])
        data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
        assert [item["url"] for item in data] == [address, address], claim["id"]
        assert f'<link rel="canonical" href="{address}">' in html, claim["id"]


def test_feed_is_atom_with_an_entry_per_change(built_site: Path) -> None:
    feed = ET.parse(built_site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert (feed.findtext(f"{ATOM}{name}") or "").strip(), name
    entries = feed.findall(f"{ATOM}entry")
    catalog = load_catalog(ROOT / "claims", root=ROOT).catalog
    assert catalog is not None
    changes = sum(len(claim.history) for claim in catalog.claims)
    page = (built_site / "changes" / "index.html").read_text(encoding="utf-8")
    assert len(entries) == changes == page.count('class="sg-change"') > 0
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids), "entry ids are unique"
    stamp = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
    assert stamp.fullmatch(feed.findtext(f"{ATOM}updated") or "")
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert (entry.findtext(f"{ATOM}{name}") or "").strip(), (name, ET.tostring(entry))
        assert stamp.fullmatch(entry.findtext(f"{ATOM}updated") or "")
        link = entry.find(f"{ATOM}link")
        assert link is not None and link.get("href", "").startswith(REAL_SITE_URL), ET.tostring(entry)
        assert (built_site / link.get("href", "").removeprefix(REAL_SITE_URL) / "index.html").is_file()
    dates = [e.findtext(f"{ATOM}updated") for e in entries]
    assert dates == sorted(dates, reverse=True), "newest first"


def test_every_page_links_the_feed_in_its_head(built_site: Path) -> None:
    for page in built_site.rglob("*.html"):
        head = page.read_text(encoding="utf-8").split("</head>", 1)[0]
        assert re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="[^"]*feed\.xml"', head), page


def test_build_without_an_address_warns_once_and_strict_fails(project: Path) -> None:
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    write_tree(project, {"mkdocs.yml": re.sub(r"(?m)^site_url:.*\n", "", config)})
    plain = run_cli("build", "--site-dir", str(project / "out"), cwd=project)
    assert plain.returncode == 0, plain.stderr
    assert plain.stderr.count("set 'site_url' in mkdocs.yml") == 1, plain.stderr
    strict = run_cli("build", "--strict", "--site-dir", str(project / "strict-out"), cwd=project)
    assert strict.returncode != 0 and "site_url" in strict.stderr, strict.stderr
    assert not (project / "strict-out").exists()
