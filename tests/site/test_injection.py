"""Hostile text in every text field of a claim, a source, a topic and the site, built by real MkDocs.

Prose is plain text: whatever a contributor types must reach readers as characters, never
as markup. Every payload carries a marker (``pwn``) so that any element or attribute it
manages to create can be found, and ``tpl-N:{{ 7*7 }}`` shows whether a template ran it.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import mkdocs_build, write_tree
from tests.site.htmlparse import Element, parse

JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")


def hostile(n: int, *, short: bool = False) -> str:
    """A payload for one field; ``short`` stays within the 120-character limit of titles."""
    if short:
        return f'<img id="pwn-{n}" src=x onerror=alert({n})>" onfocus="alert({n}) </title><b id=pwn-{n}b>tpl-{n}:{{{{ 7*7 }}}}'
    return (
        f"Text {n} <script id=\"pwn-{n}\">alert({n})</script> <img id=\"pwn-{n}i\" src=x onerror=\"alert({n})\"> "
        f"\" onfocus=\"alert({n})\" x=\" ' onmouseover='alert({n})' [click{n}](javascript:alert({n})) "
        f"[data{n}](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) <https://evil.example/{n}> "
        f"</script><script id=\"pwn-{n}s\">alert({n})</script> </textarea></title><svg id=\"pwn-{n}v\" onload=alert({n})> "
        f"{{{{ config }}}} {{% raw %}}raw{n}{{% endraw %}} tpl-{n}:{{{{ 7*7 }}}} &amp; &lt;b&gt; <!-- c{n} --> "
        f"<a id=\"pwn-{n}a\" href=\"javascript:alert({n})\">x</a> *em{n}* __strong{n}__ ${n}$ \\u003c"
    )


def hostile_project(root: Path) -> dict[str, str]:
    """Write hostile text into every text field; return the texts by field name."""
    texts: dict[str, str] = {}
    counter = iter(range(1, 1000))

    def text(name: str, *, short: bool = False) -> str:
        texts[name] = hostile(next(counter), short=short)
        return texts[name]

    site = {
        "name": text("site.name", short=True),
        "description": text("site.description"),
        "reviewed_work": {"title": text("work.title"), "description": text("work.description"), "url": "https://example.org/work"},
        "crisis_help": {"text": text("crisis.text"), "url": "https://example.org/help"},
    }
    topics = {"topics": [
        {"id": "efficacy-claims", "title": text("topic.title", short=True), "description": text("topic.description")},
        {"id": "safety", "title": "Safety", "description": "Harms and risks."},
    ]}
    sources = {"sources": [
        {"id": "trial2020", "type": "journal-article", "authors": [text("source.author1"), text("source.author2")],
         "title": text("source.title"), "container": text("source.container"), "year": 2020,
         "volume": text("source.volume", short=True), "issue": text("source.issue", short=True),
         "pages": text("source.pages", short=True), "doi": "10.1000/trial.2020", "pmid": "12345678",
         "url": "https://example.org/trial", "design": "rct", "population": "humans", "note": text("source.note")},
        {"id": "survey2021", "type": "news-report", "authors": [text("source2.author")], "title": text("source2.title"),
         "container": text("source2.container"), "url": "https://example.org/survey?a=1&b=\"2\"", "design": "cross-sectional-survey",
         "population": "humans"},
    ]}
    claim = {
        "id": "herb-relieves-low-mood", "title": text("claim.title", short=True), "kind": "efficacy", "topic": "efficacy-claims",
        "statement": text("claim.statement"), "quote": text("claim.quote"), "verdict": "insufficient-evidence",
        "evidence_level": "observational", "summary": text("claim.summary") + "\n\n" + text("claim.summary2"),
        "certainty": {"rating": "very-low", "lowered": [{"domain": "risk-of-bias", "reason": text("certainty.reason")}], "raised": []},
        "details": text("claim.details"),
        "evidence": [{"source": "survey2021", "stance": "supports", "note": text("evidence.note1")},
                     {"source": "trial2020", "stance": "context", "note": text("evidence.note2")}],
        "caveats": [text("claim.caveat1"), text("claim.caveat2")], "related": ["herb-harms-liver"],
        "reviewed": {"date": "2026-01-10", "next_due": "2099-01-10"},
        "history": [{"date": "2026-01-10", "change": text("history.change")}],
    }

    def dump(data: object) -> str:
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000)

    write_tree(root, {
        "claims/site.yaml": dump(site),
        "claims/topics.yaml": dump(topics),
        "claims/sources/main.yaml": dump(sources),
        "claims/efficacy-claims/herb-relieves-low-mood.yaml": dump(claim),
    })
    return texts


def injected(tree: Element) -> list[str]:
    """Every element, attribute or link that hostile text created."""
    found = []
    for element in tree.iter():
        for name, value in element.attrs.items():
            is_text_slot = element.tag == "meta" and name == "content"  # the description, as an escaped attribute value
            if "pwn" in name or ("pwn" in value and not is_text_slot):
                found.append(f"<{element.tag} {name}={value!r}>")
            if name.startswith("on"):
                found.append(f"<{element.tag} {name}={value!r}> (event handler)")
            if name in ("href", "src", "action", "formaction", "xlink:href") and value.strip().lower().startswith(BAD_SCHEMES):
                found.append(f"<{element.tag} {name}={value!r}> (script link)")
        if element.tag in ("img", "iframe", "svg", "b") and any("pwn" in v for v in element.attrs.values()):
            found.append(f"<{element.tag}> element")
    return found


@pytest.fixture(name="hostile_site", scope="module")
def fixture_hostile_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    from tests.conftest import base_files

    root = write_tree(tmp_path_factory.mktemp("hostile") / "project", base_files())
    texts = hostile_project(root)
    mkdocs_build(root / "mkdocs.yml", root / "site")
    return root / "site", texts


def _pages(site: Path) -> list[Path]:
    pages = sorted(site.rglob("*.html"))
    assert pages
    return pages


def test_markup_injected_by_front_matter_title_or_description(hostile_site: tuple[Path, dict[str, str]]) -> None:
    """The <head> of every page: <title> and <meta name=description> come from our front matter."""
    site, _ = hostile_site
    problems = {}
    for page in _pages(site):
        html = page.read_text(encoding="utf-8")
        head = html[: html.find("<body")]
        found = injected(parse(head))
        if found or re.search(r"<(?:img|b|script)[^>]*pwn", head):
            problems[page.relative_to(site).as_posix()] = found or ["raw payload tag in <head>"]
    assert not problems, json.dumps(problems, indent=1)[:3000]


def test_no_injected_element_attribute_or_link_in_body(hostile_site: tuple[Path, dict[str, str]]) -> None:
    site, _ = hostile_site
    problems = {}
    for page in _pages(site):
        html = page.read_text(encoding="utf-8")
        body = html[html.find("<body"):]
        found = injected(parse(body))
        if found:
            problems[page.relative_to(site).as_posix()] = found
    assert not problems, json.dumps(problems, indent=1)[:3000]


def test_templates_never_evaluate_text(hostile_site: tuple[Path, dict[str, str]]) -> None:
    site, _ = hostile_site
    for path in site.rglob("*"):
        if path.suffix in (".html", ".json", ".csv", ".bib", ".xml"):
            data = path.read_text(encoding="utf-8")
            assert not re.search(r"tpl-\d+:49", data), path
    claim_page = (site / "claims/efficacy-claims/herb-relieves-low-mood/index.html").read_text(encoding="utf-8")
    assert "{{ config }}" in claim_page and "{% raw %}" in claim_page


def test_prose_is_shown_as_typed(hostile_site: tuple[Path, dict[str, str]]) -> None:
    """Each body text appears once escaped, i.e. readers see exactly the characters typed."""
    from markupsafe import escape

    site, texts = hostile_site
    claim_page = (site / "claims/efficacy-claims/herb-relieves-low-mood/index.html").read_text(encoding="utf-8")
    for name in ("claim.statement", "claim.quote", "claim.summary", "claim.summary2", "claim.details", "evidence.note1",
                 "evidence.note2", "claim.caveat1", "claim.caveat2", "history.change", "crisis.text"):
        assert str(escape(texts[name])) in claim_page, name
    sources_page = (site / "sources/index.html").read_text(encoding="utf-8")
    for name in ("source.title", "source.note", "source.author1", "source2.container"):
        assert str(escape(texts[name])) in sources_page, name


def test_every_jsonld_block_parses_and_holds_the_text_verbatim(hostile_site: tuple[Path, dict[str, str]]) -> None:
    site, texts = hostile_site
    blocks = []
    for page in _pages(site):
        blocks += [json.loads(block) for block in JSONLD.findall(page.read_text(encoding="utf-8"))]
    assert blocks, "the claim page carries JSON-LD"
    dumped = json.dumps(blocks, ensure_ascii=False)
    for name in ("claim.statement", "claim.quote", "claim.summary", "claim.title", "work.title", "work.description", "source.title"):
        assert json.dumps(texts[name], ensure_ascii=False)[1:-1] in dumped, name


def test_search_index_holds_no_live_markup(hostile_site: tuple[Path, dict[str, str]]) -> None:
    """Material's search shows titles and text from this index as HTML."""
    site, _ = hostile_site
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    problems = []
    for doc in index["docs"]:
        for key in ("title", "text"):
            found = injected(parse(doc.get(key) or ""))
            if found:
                problems.append((doc["location"], key, found))
    assert not problems, problems[:10]


def test_exports_hold_the_text_verbatim(hostile_site: tuple[Path, dict[str, str]]) -> None:
    site, texts = hostile_site
    data = json.loads((site / "claims.json").read_text(encoding="utf-8"))
    claim = data["claims"][[c["id"] for c in data["claims"]].index("herb-relieves-low-mood")]
    assert claim["statement"] == texts["claim.statement"]
    assert claim["title"] == texts["claim.title"]
    assert claim["caveats"] == [texts["claim.caveat1"], texts["claim.caveat2"]]


def test_unprintable_character_in_title_is_refused_with_its_location(project: Path) -> None:
    """A control character (here U+007F, written as a YAML escape) never reaches a page: SG219 at the value."""
    path = project / "claims/safety/herb-harms-liver.yaml"
    text = path.read_text(encoding="utf-8").replace("title: The herb can harm the liver", 'title: "Liver\\x7f <img id=pwn-del src=x onerror=alert(1)>"')
    path.write_text(text, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "sitegen", "render", "--out", str(project / "out")], cwd=project,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "claims/safety/herb-harms-liver.yaml:2:8: error SG219" in result.stdout
    assert not (project / "out").exists()
