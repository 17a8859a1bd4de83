"""Properties that must hold for any input, checked with Hypothesis (fixed seed, bounded counts).

(a) Reading and validating is total: any text, bytes or YAML structure gives a value and
    problems, never an exception; problem positions lie inside the file.
(b) Prose never becomes markup: arbitrary strings with hostile payloads, placed in every
    prose field, create no element, attribute or script link in the rendered pages, and
    the JSON-LD parses and holds the text verbatim.
(c) Rendering is deterministic. (d) Exports round-trip the text. (e) Flagging links in hand-written
    Markdown only adds wrappers, and flagging again changes nothing.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import re
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from sitegen.catalog import load_catalog
from sitegen.export import claims_csv, claims_json, export_files, sources_bibtex, sources_csl
from sitegen.model import Catalog
from sitegen.page import GeneratedPage
from sitegen.render import Renderer
from sitegen.source import read_yaml
from sitegen.validate import validate_claim, validate_site, validate_source_list, validate_topic_list
from tests.conftest import EFFICACY_CLAIM, SOURCES_YAML, base_files, write_tree
from tests.site.htmlparse import Element, parse

TODAY = dt.date(2026, 11, 25)
CLAIM_PATH = "claims/efficacy-claims/herb-relieves-low-mood.yaml"
JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def bounded(n: int) -> settings:
    return settings(max_examples=n, derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# ---------------------------------------------------------------- (a) totality

def _check_all_validators(data: bytes, path: str = "claims/safety/x.yaml") -> None:
    result = read_yaml(data, path)
    problems = list(result.problems)
    if result.value is not None:
        for validator in (validate_claim, validate_source_list, validate_topic_list, validate_site):
            problems += validator(result.value, result.positions)[1]
    text = data.decode("utf-8", "replace")
    line_count = len(text.splitlines()) + 1
    for problem in problems:
        assert problem.where.path == path
        assert 1 <= problem.where.line <= line_count, problem
        assert problem.where.column >= 1, problem
        assert problem.code.startswith("SG") and problem.message


@bounded(120)
@given(st.text())
def test_reader_and_validators_are_total_on_any_text(text: str) -> None:
    _check_all_validators(text.encode("utf-8"))


@bounded(100)
@given(st.binary(max_size=300))
def test_reader_and_validators_are_total_on_any_bytes(data: bytes) -> None:
    _check_all_validators(data)


YAMLISH = st.sampled_from(["no", "on", "yes", "~", "null", "1.10", "2024-01-05", "2026-02-30", "&a x", "*a", "!!str x",
                           "[", "{", "- x", ": x", "? x", "#", "'", '"', "\t", "|", ">", "%YAML 1.1", "---", "..."])
SCALARS = (st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30) | YAMLISH | st.dates()
           | st.datetimes() | st.sampled_from(["supports", "herb-harms-liver", "survey2021", "efficacy", "rct", "TODO x", "<b>x</b>"]))
KEYS = st.text(max_size=10) | st.sampled_from(
    ["id", "title", "kind", "topic", "statement", "verdict", "evidence_level", "summary", "evidence", "source", "stance", "note",
     "reviewed", "date", "next_due", "history", "change", "sources", "topics", "related", "caveats", "doi", "url", "year"])
ANYTHING = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=5), max_leaves=12)


@bounded(100)
@given(ANYTHING, st.sampled_from([None, True, False]), st.booleans(), st.booleans())
def test_reader_and_validators_are_total_on_any_yaml_structure(value: object, flow: bool | None, canonical: bool, unicode: bool) -> None:
    text = yaml.safe_dump(value, default_flow_style=flow, canonical=canonical, allow_unicode=unicode)
    _check_all_validators(text.encode("utf-8"))


def _paths(value: object, prefix: tuple = ()) -> list[tuple]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _paths(item, (*prefix, i))
    return found


BASE_CLAIM = yaml.safe_load(EFFICACY_CLAIM)
BASE_SOURCES = yaml.safe_load(SOURCES_YAML)
MUTABLE = [("claim", p) for p in _paths(BASE_CLAIM)] + [("sources", p) for p in _paths(BASE_SOURCES)]


@pytest.fixture(name="scratch_project", scope="module")
def fixture_scratch_project() -> Path:
    with tempfile.TemporaryDirectory() as folder:
        yield write_tree(Path(folder) / "project", base_files())


@bounded(60)
@given(st.sampled_from(MUTABLE), ANYTHING, st.sampled_from(["replace", "delete", "add"]))
def test_load_catalog_and_render_are_total_on_mutated_records(
    scratch_project: Path, target: tuple[str, tuple], value: object, action: str
) -> None:
    which, path = target
    data = copy.deepcopy(BASE_CLAIM if which == "claim" else BASE_SOURCES)
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    if action == "replace":
        parent[path[-1]] = value
    elif action == "delete":
        del parent[path[-1]]
    elif isinstance(parent, list):
        parent.append(value)
    else:
        parent["extra_field"] = value
    relative = CLAIM_PATH if which == "claim" else "claims/sources/main.yaml"
    file = scratch_project / relative
    original = file.read_bytes()
    try:
        file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        result = load_catalog(scratch_project / "claims", root=scratch_project, today=TODAY)
        if result.catalog is not None:
            Renderer(result.catalog, today=TODAY).all_pages()
            export_files(result.catalog)
        else:
            assert result.error_count > 0
    finally:
        file.write_bytes(original)


# ---------------------------------------------------------------- (b) no markup from prose

PAYLOADS = [
    '<script id="pwn-{n}">alert({n})</script>',
    '<img id="pwn-{n}" src=x onerror=alert({n})>',
    '" onmouseover="alert({n})" data-pwn="{n}',
    "' onfocus='alert({n})' data-pwn='{n}",
    '<a id="pwn-{n}" href="javascript:alert({n})">x</a>',
    "[x{n}](javascript:alert({n}))",
    '</script><b id="pwn-{n}">',
    '</title></textarea><b id="pwn-{n}">',
    "]]><!-- <b id=pwn-{n}> -->",
    "tpl-{n}:{{{{ 7*7 }}}}",
    "{{% raw %}}pwn-{n}{{% endraw %}}",
    '&lt;b id="pwn-{n}"&gt;',
    "<svg/onload=alert({n}) id=pwn-{n}>",
    "\u2028</script>\u2029<b id=pwn-{n}>",
]

FIELDS = [
    "claim.title", "claim.statement", "claim.quote", "claim.summary", "claim.details", "claim.caveat", "claim.history",
    "citation.note", "other.title", "source.title", "source.author", "source.container", "source.volume", "source.issue",
    "source.pages", "source.note", "topic.title", "topic.description", "site.name", "site.description", "site.crisis",
    "work.title", "work.description",
]
IN_PAGES = [f for f in FIELDS if f not in ("site.description", "work.title", "work.description")]


@st.composite
def hostile_texts(draw: st.DrawFn) -> dict[str, str]:
    texts = {}
    for n, name in enumerate(FIELDS):
        payload = draw(st.sampled_from(PAYLOADS)).format(n=n)
        texts[name] = draw(st.text(max_size=12)) + payload + draw(st.text(max_size=12))
    return texts


@pytest.fixture(name="base_catalog", scope="module")
def fixture_base_catalog() -> Catalog:
    with tempfile.TemporaryDirectory() as folder:
        root = write_tree(Path(folder) / "project", base_files())
        result = load_catalog(root / "claims", root=root, today=TODAY)
    assert result.catalog is not None, result.problems
    return result.catalog


def inject(catalog: Catalog, t: dict[str, str]) -> Catalog:
    """The catalogue with each prose field replaced by the given text (structure unchanged)."""
    site = replace(catalog.site, name=t["site.name"], description=t["site.description"], crisis_text=t["site.crisis"],
                   reviewed_work=replace(catalog.site.reviewed_work, title=t["work.title"], description=t["work.description"]))
    topics = tuple(replace(tp, title=t["topic.title"], description=t["topic.description"]) if tp.id == "efficacy-claims" else tp
                   for tp in catalog.topics)
    sources = tuple(
        replace(s, title=t["source.title"], authors=(t["source.author"], *s.authors[1:]), container=t["source.container"],
                volume=t["source.volume"], issue=t["source.issue"], pages=t["source.pages"], note=t["source.note"])
        for s in catalog.sources
    )
    by_id = {s.id: s for s in sources}
    claims = []
    for claim in catalog.claims:
        evidence = tuple(replace(c, source=by_id[c.source.id], note=t["citation.note"]) for c in claim.evidence)
        if claim.is_efficacy:
            claim = replace(claim, title=t["claim.title"], statement=t["claim.statement"], quote=t["claim.quote"],
                            summary=t["claim.summary"], details=t["claim.details"], caveats=(t["claim.caveat"],),
                            history=tuple(replace(h, change=t["claim.history"]) for h in claim.history))
        else:
            claim = replace(claim, title=t["other.title"])
        claims.append(replace(claim, evidence=evidence))
    return Catalog(site, topics, tuple(claims), sources)


FRAGMENTS = ("evidence-map", "topics", "claims-table", "crisis", "rubric")


_SHARED: dict[str, object] = {}


def rendered_html(catalog: Catalog) -> dict[str, str]:
    renderer = Renderer(catalog, today=TODAY)
    # Reuse one Jinja environment across examples (compiling the templates costs ~0.1 s each time);
    # the determinism test below uses fresh renderers.
    renderer.env = _SHARED.setdefault("env", renderer.env)  # type: ignore[assignment]
    html = {page.uri: str(page.body) for page in renderer.all_pages()}
    html.update({f"index.md#{name}": str(renderer.fragment(name, "index.md")) for name in FRAGMENTS})
    return html


def signature(tree: Element) -> set[tuple[str, str]]:
    return {(e.tag, name) for e in tree.iter() for name in ("", *e.attrs)}


def live_markup(tree: Element) -> list[str]:
    found = []
    for element in tree.iter():
        for name, value in element.attrs.items():
            if "pwn" in name or "pwn" in value or name.startswith("on"):
                found.append(f"<{element.tag} {name}={value!r}>")
            if name in ("href", "src", "xlink:href") and value.strip().lower().startswith(("javascript:", "data:")):
                found.append(f"<{element.tag} {name}={value!r}>")
    return found


@pytest.fixture(name="clean_signature", scope="module")
def fixture_clean_signature(base_catalog: Catalog) -> set[tuple[str, str]]:
    plain = inject(base_catalog, {name: f"Plain words number {n}" for n, name in enumerate(FIELDS)})
    return set().union(*(signature(parse(html)) for html in rendered_html(plain).values()))


@bounded(50)
@given(hostile_texts())
def test_prose_never_becomes_markup(base_catalog: Catalog, clean_signature: set[tuple[str, str]], texts: dict[str, str]) -> None:
    catalog = inject(base_catalog, texts)
    pages = rendered_html(catalog)
    everything = "\n".join(pages.values())
    for uri, html in pages.items():
        tree = parse(html)
        assert not live_markup(tree), (uri, live_markup(tree))
        extra = signature(tree) - clean_signature
        assert not extra, (uri, extra)
        assert not re.search(r"tpl-\d+:49", html), uri
    for name in IN_PAGES:  # shown exactly as typed: escaped, whole, somewhere
        n = FIELDS.index(name)
        payload = next(p.format(n=n) for p in PAYLOADS if p.format(n=n) in texts[name])
        # whole, up to surrounding whitespace (U+2028/U+2029 at a paragraph's edge is trimmed with it)
        assert str(escape(payload.strip())) in everything, name
    efficacy = next(c for c in catalog.claims if c.is_efficacy)
    claim_html = next(html for uri, html in pages.items() if uri.endswith(f"/{efficacy.id}.md"))
    blocks = JSONLD.findall(claim_html)
    assert len(blocks) == 1
    review, webpage = json.loads(blocks[0])
    assert review["claimReviewed"] == efficacy.quote
    assert review["itemReviewed"]["text"] == efficacy.statement
    assert review["itemReviewed"]["appearance"]["name"] == catalog.site.reviewed_work.title
    assert review["reviewRating"]["ratingExplanation"] == efficacy.summary
    assert webpage["name"] == efficacy.title
    assert [c["name"] for c in webpage["citation"]] == [c.source.title for c in efficacy.evidence]
    assert "</" not in blocks[0] and "<!--" not in blocks[0]
    exports = export_files(catalog)
    assert not any(re.search(r"tpl-\d+:49", text) for text in exports.values())
    assert isinstance(json.loads(exports["claims.json"]), dict) and isinstance(json.loads(exports["sources.json"]), list)


@bounded(100)
@given(st.text(min_size=1), st.text())
@example(title="Liver\x7f <img src=x onerror=alert(1)>", description="ok")
@example(title="Next\x85line", description="ok")
def test_front_matter_round_trips_through_mkdocs(title: str, description: str) -> None:
    """What `sitegen render` writes is read back by MkDocs: the same title and description,
    HTML-escaped because themes print them without escaping."""
    import html

    from markupsafe import Markup
    from mkdocs.utils.meta import get_data

    page = GeneratedPage("claims/x/y.md", title, Markup("<div>body</div>"), ("Kind: Efficacy",), description)
    body, meta = get_data(page.markdown)
    assert meta.get("title") == html.escape(title)
    assert "<" not in meta["title"] and '"' not in meta["title"]
    assert meta.get("description", "") == html.escape(description)
    assert body.strip() == "<div>body</div>"


# ---------------------------------------------------------------- (c) determinism

@bounded(4)
@given(hostile_texts())
def test_rendering_twice_gives_identical_bytes(base_catalog: Catalog, texts: dict[str, str]) -> None:
    catalog = inject(base_catalog, texts)
    first = [(p.uri, p.markdown.encode("utf-8")) for p in Renderer(catalog, today=TODAY).all_pages()]
    second = [(p.uri, p.markdown.encode("utf-8")) for p in Renderer(catalog, today=TODAY).all_pages()]
    assert first == second
    assert export_files(catalog) == export_files(inject(base_catalog, dict(texts)))


# ---------------------------------------------------------------- (d) exports round-trip

def _defused(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


@bounded(25)
@given(hostile_texts())
def test_exports_round_trip_the_text(base_catalog: Catalog, texts: dict[str, str]) -> None:
    catalog = inject(base_catalog, texts)
    data = json.loads(claims_json(catalog))
    assert [c["statement"] for c in data["claims"]] == [c.statement for c in catalog.claims]
    assert [c["title"] for c in data["claims"]] == [c.title for c in catalog.claims]
    assert [c["quote"] for c in data["claims"]] == [c.quote for c in catalog.claims]
    assert [c["summary"] for c in data["claims"]] == [c.summary for c in catalog.claims]
    assert [c["caveats"] for c in data["claims"]] == [list(c.caveats) for c in catalog.claims]
    assert [[s["note"] for s in c["sources"]] for c in data["claims"]] == [[e.note for e in c.evidence] for c in catalog.claims]
    assert [s["title"] for s in data["sources"]] == [s.title for s in catalog.sources]
    assert [s["authors"] for s in data["sources"]] == [list(s.authors) for s in catalog.sources]
    rows = list(csv.DictReader(io.StringIO(claims_csv(catalog), newline="")))
    assert [r["statement"] for r in rows] == [_defused(c.statement) for c in catalog.claims]
    assert [r["title"] for r in rows] == [_defused(c.title) for c in catalog.claims]
    csl = json.loads(sources_csl(catalog))
    assert [item["title"] for item in csl] == [s.title for s in catalog.sources]


def _brace_balance_ok(text: str) -> bool:
    depth = 0
    for char in text:  # BibTeX counts every brace, escaped or not
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


@bounded(30)
@given(st.text())
@example(title="A study of {unbalanced braces")
def test_bibtex_entries_keep_braces_balanced(base_catalog: Catalog, title: str) -> None:
    catalog = replace(base_catalog, sources=tuple(replace(s, title=title or "x") for s in base_catalog.sources))
    for entry in sources_bibtex(catalog).split("\n@"):
        assert _brace_balance_ok(entry), entry


# ------------------------------------------------- (e) flags on links in hand-written Markdown

MARKDOWN_PIECES = (
    "[a](claims/efficacy/helps.md)", "[b][h]", "[h]", "[]", "\n[h]: claims/efficacy/helps.md\n", "![i](claims/efficacy/helps.md)",
    "<a href='claims/efficacy/helps/'>c</a>", "<a class='sg-x' href='claims/efficacy/helps/'>own</a>", "[s](claims/safety/harms.md)",
    "`", "``", "```\n", "~~~\n", "    ", "<!--", "-->", "[", "]", "(", ")", "\\", "!", "<", ">", "\n", " ", "x", ":",
)
_WRAPPER = re.compile(r'<span class="sg-claim-ref" data-claim-id="helps" data-claim-kind="efficacy">(.*?) \u2691</span>', re.DOTALL)


@bounded(300)
@given(st.lists(st.sampled_from(MARKDOWN_PIECES), max_size=30).map("".join))
def test_flagging_markdown_links_only_adds_wrappers_and_is_idempotent(text: str) -> None:
    from types import SimpleNamespace

    from sitegen.mentions import flag_markdown_links
    from sitegen.model import ClaimKind

    claims = {"claims/efficacy/helps/": SimpleNamespace(id="helps", kind=ClaimKind.EFFICACY, is_efficacy=True),
              "claims/safety/harms/": SimpleNamespace(id="harms", kind=ClaimKind.SAFETY, is_efficacy=False)}

    def flag(markdown: str) -> str:
        return flag_markdown_links(markdown, page_uri="index.md", page_url="", claims_by_url=claims,  # type: ignore[arg-type]
                                   flags=lambda claim: "\u2691")

    once = flag(text)
    assert _WRAPPER.sub(r"\1", once) == text
    assert flag(once) == once
