"""The built site in a real browser: visibility of the caution contract, axe-core, privacy,
the evidence map, search, keyboard use, print, and the bytes a first visit costs.

One headless Chromium serves every test; each check opens its own page (in its own browser
context, so nothing is cached between checks). The built site is served from a local
``http.server`` on 127.0.0.1. These tests never skip: a missing Playwright, axe-core or
Chromium is a failure with a message saying what to install.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import re
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

import pytest

from tests.conftest import DEBIAN_CHROMIUM, find_chromium

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

CHROMIUM = find_chromium()
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 15_000
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# "violations" only: axe serialises every passing node otherwise, which is slow on long pages.
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
EFFICACY_CLAIM = "<first efficacy claim>"
AXE_PAGES = ["", "claims/", "claims/efficacy-claims/", EFFICACY_CLAIM, "sources/", "methodology/", "evidence-map/", "changes/", "tags/", "404.html"]
FLAGS = {".caution-notice": "Caution", ".needs-research": "Needs research"}
MAX_TABS_TO_CONTENT = 40  # header, search and the navigation come first
MAX_TABS_AFTER_SKIP = 5
PAGE_WEIGHT_BUDGET = 300 * 1024  # gzip bytes a reader downloads for a claim page on first visit
PRINTED_HIDDEN = [".md-sidebar--primary", ".md-header"]
PRINTED_VISIBLE = [".caution-notice", ".needs-research", ".sg-verdict", ".sg-review"]


# --------------------------------------------------------------------------- fixtures


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site without logging every request to stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # the browser drops connections it no longer needs; that is not a test failure


@pytest.fixture(name="site_url", scope="session")
def fixture_site_url(built_site: Path) -> Iterator[str]:
    """The built site, served over HTTP on 127.0.0.1 at a free port."""
    server = _QuietServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(built_site)))
    thread = threading.Thread(target=server.serve_forever, name="built-site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(name="browser", scope="session")
def fixture_browser() -> Iterator[Browser]:
    """One headless Chromium for the whole session."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError as exc:
        pytest.fail(f"Playwright is not installed ({exc}). Install the test extras: pip install -e '.[test]'", pytrace=False)
    if CHROMIUM is None or not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"No Chromium found (SITEGEN_CHROMIUM={os.environ.get('SITEGEN_CHROMIUM', '')!r}, {DEBIAN_CHROMIUM}, "
            "or google-chrome/chromium on PATH). Install it (Debian: apt-get install chromium) "
            "or point SITEGEN_CHROMIUM at a Chromium or Chrome binary.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except Error as exc:
            pytest.fail(f"Chromium at {CHROMIUM} would not start: {exc}", pytrace=False)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(name="page")
def fixture_page(browser: Browser) -> Iterator[Page]:
    """A fresh page in its own browser context (empty cache, no cookies)."""
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(name="axe", scope="session")
def fixture_axe() -> Any:
    try:
        from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
    except ImportError as exc:
        pytest.fail(f"axe-playwright-python is not installed ({exc}). Install the test extras: pip install -e '.[test]'", pytrace=False)
    return Axe()


@pytest.fixture(name="claims", scope="session")
def fixture_claims(built_site: Path) -> list[dict[str, Any]]:
    claims: list[dict[str, Any]] = json.loads((built_site / "claims.json").read_text(encoding="utf-8"))["claims"]
    assert any(c["kind"] == "efficacy" for c in claims), "the real site must have efficacy claims"
    return claims


@pytest.fixture(name="efficacy_claim", scope="session")
def fixture_efficacy_claim(claims: list[dict[str, Any]]) -> dict[str, Any]:
    return next(c for c in claims if c["kind"] == "efficacy")


# --------------------------------------------------------------------------- helpers


def open_page(page: Page, url: str, *, wait_until: str = "load") -> None:
    response = page.goto(url, wait_until=wait_until)  # type: ignore[arg-type]
    assert response is not None and response.status == 200, f"{url}: HTTP {response.status if response else 'no response'}"


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob") or (parts.scheme in ("http", "https") and parts.hostname == "127.0.0.1")


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} [{len(violation['nodes'])} node(s)]")
        for node in violation["nodes"]:
            lines.append(f"    target: {node['target']}")
    return "\n".join(lines)


def page_weight(browser: Browser, url: str) -> dict[str, Any]:
    """What a first visit to ``url`` downloads: each response's raw and gzip -6 bytes.

    A fresh context (empty cache) loads the page until the network is idle, so requests made
    after ``load`` (Material's search worker and its index) count too. Not a timing test.
    """
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    responses: list[Any] = []
    context.on("response", lambda response: responses.append(response))
    try:
        page = context.new_page()
        open_page(page, url, wait_until="networkidle")
        rows = []
        for response in responses:
            body = response.body() if 200 <= response.status < 300 else b""
            rows.append({"url": response.url, "raw": len(body), "gzip": len(gzip.compress(body, compresslevel=6)) if body else 0})
    finally:
        context.close()
    return {"url": url, "rows": rows, "raw": sum(r["raw"] for r in rows), "gzip": sum(r["gzip"] for r in rows)}


def print_page_weight(weight: dict[str, Any], base: str) -> None:
    print(f"\nPage weight, first visit to /{weight['url'].removeprefix(base)} (bytes; gzip level 6):")
    for row in sorted(weight["rows"], key=lambda r: -r["gzip"]):
        print(f"  {row['gzip']:>8} gz {row['raw']:>9} raw  /{row['url'].removeprefix(base)}")
    print(
        f"  {weight['gzip']:>8} gz {weight['raw']:>9} raw  total ({weight['gzip'] / 1024:.1f} KiB gz of a {PAGE_WEIGHT_BUDGET // 1024} KiB budget)"
    )


def distinctive_word(claims: list[dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    """A word from an efficacy claim's statement that as few other claims as possible use."""

    def words(text: str) -> set[str]:
        return {w for w in re.findall(r"[a-z]+", text.lower()) if len(w) >= 6}

    frequency = Counter(w for c in claims for w in words(f"{c['statement']} {c.get('quote') or ''}"))
    candidates = [(frequency[w], -len(w), w, i) for i, c in enumerate(claims) if c["kind"] == "efficacy" for w in words(c["statement"])]
    _, _, word, index = min(candidates)
    return word, claims[index]


# --------------------------------------------------------------------------- tests


def test_efficacy_flags_are_visible_and_named(page: Page, site_url: str, claims: list[dict[str, Any]]) -> None:
    """Each efficacy claim, on its page and in lists, holds exactly one of each flag, visible, with its text."""
    urls = [c["url"] for c in claims if c["kind"] == "efficacy"] + ["claims/efficacy-claims/"]
    # A sweep of a dozen pages that never searches: spare each load the search index download
    # and the worker's index build, which otherwise compete with the page for the CPU.
    page.context.route("**/search/search_index.json", lambda route: route.abort())
    # the flags that belong to a block: those whose nearest claim element is the block itself
    describe = """(blocks, selectors) => blocks.map(b => Object.fromEntries(selectors.map(sel => [sel,
        [...b.querySelectorAll(sel)].filter(e => e.parentElement.closest("[data-claim-kind]") === b).map(
            e => ({label: e.getAttribute("aria-label"), text: e.textContent, visible: e.getClientRects().length > 0})
    )])))"""
    for url in urls:
        open_page(page, site_url + url)
        blocks = page.locator("[data-claim-kind=efficacy]").evaluate_all(describe, list(FLAGS))
        assert blocks, f"/{url}: no efficacy claim rendered"
        for i, block in enumerate(blocks):
            for selector, name in FLAGS.items():
                assert len(block[selector]) == 1, f"/{url}: claim {i} has {len(block[selector])} {selector}"
                flag = block[selector][0]
                assert flag["visible"] and flag["text"].strip().startswith(name), f"/{url}: claim {i}: {flag}"
        if url.startswith("claims/efficacy-claims/") and url.count("/") == 3:
            # on its own page the full notices are notes named by their label
            for name in FLAGS.values():
                assert page.get_by_role("note", name=name, exact=True).count() == 1, f"/{url}: notes named {name!r}"


@pytest.mark.parametrize("path", AXE_PAGES, ids=lambda p: "/" + p)
def test_axe_reports_no_wcag_a_or_aa_violations(page: Page, site_url: str, axe: Any, efficacy_claim: dict[str, Any], path: str) -> None:
    if path == EFFICACY_CLAIM:
        path = efficacy_claim["url"]
    open_page(page, site_url + path)
    violations = axe.run(page, options=AXE_OPTIONS).response["violations"]
    if violations:
        report = format_violations(violations)
        print(f"\naxe-core violations on /{path}:\n{report}")
        pytest.fail(f"{len(violations)} axe-core violation(s) on /{path}:\n{report}", pytrace=False)


def test_no_request_leaves_the_host(page: Page, site_url: str, efficacy_claim: dict[str, Any]) -> None:
    requests: list[str] = []
    page.context.on("request", lambda request: requests.append(request.url))
    for path in ("", efficacy_claim["url"], "sources/"):
        open_page(page, site_url + path, wait_until="networkidle")
    page.keyboard.press("/")
    page.locator("input.md-search__input").press_sequentially("kratom")
    page.locator(".md-search-result__item").first.wait_for()
    page.wait_for_load_state("networkidle")
    assert any(url.endswith("/search/search_index.json") for url in requests), "the search index request was not observed"
    elsewhere = sorted({url for url in requests if not is_local(url)})
    assert not elsewhere, f"requests left the host: {elsewhere}"


def test_search_finds_a_claim_by_a_word_of_its_statement(page: Page, site_url: str, claims: list[dict[str, Any]]) -> None:
    word, claim = distinctive_word(claims)
    open_page(page, site_url)
    page.keyboard.press("/")
    search = page.locator("input.md-search__input")
    assert search.evaluate("e => e === document.activeElement"), "pressing / should focus the search box"
    search.press_sequentially(word)
    page.locator(".md-search-result__item").first.wait_for()
    hrefs = page.locator(".md-search-result__item a.md-search-result__link").evaluate_all("els => els.map(e => e.href)")
    paths = {urlsplit(h).path for h in hrefs}
    assert "/" + claim["url"] in paths, f"searching {word!r} did not list /{claim['url']}: {sorted(paths)}"


@pytest.mark.parametrize("which", ["home", "claim"])
def test_keyboard_reaches_skip_link_then_main_content(page: Page, site_url: str, efficacy_claim: dict[str, Any], which: str) -> None:
    open_page(page, site_url + ("" if which == "home" else efficacy_claim["url"]))
    page.keyboard.press("Tab")
    focused = page.evaluate("() => ({text: document.activeElement.textContent.trim(), href: document.activeElement.getAttribute('href')})")
    assert focused["text"] == "Skip to content", f"the first Tab stop is {focused}, not the skip link"
    target = (focused["href"] or "").removeprefix("#")
    assert target and page.locator(f"[id='{target}']").count() == 1, f"the skip link's target {focused['href']} is missing"

    def tabs_to_main_content(limit: int) -> int:
        in_main = "() => { const e = document.activeElement; return e.tagName === 'A' && !!e.closest('.md-content') }"
        for presses in range(1, limit + 1):
            page.keyboard.press("Tab")
            if page.evaluate(in_main):
                return presses
        pytest.fail(f"{limit} Tab presses did not reach a link in the main content of /{page.url.removeprefix(site_url)}")

    # without the skip link: through the header and the navigation
    tabs_to_main_content(MAX_TABS_TO_CONTENT)
    # with it: straight past them
    page.locator(".md-skip").focus()
    page.keyboard.press("Enter")
    assert tabs_to_main_content(MAX_TABS_AFTER_SKIP) <= MAX_TABS_AFTER_SKIP


def test_caution_notice_is_in_reading_order(page: Page, site_url: str, efficacy_claim: dict[str, Any]) -> None:
    """The verdict card comes first, then the caution and the needs-research notes, then crisis help."""
    open_page(page, site_url + efficacy_claim["url"])
    caution = page.get_by_role("note", name="Caution", exact=True)
    assert caution.count() == 1
    tree = page.locator(f"article[data-claim-id='{efficacy_claim['id']}']").aria_snapshot()
    markers = ('heading "The claim"', 'note "Caution"', 'note "Needs research"', 'note "Crisis help"', 'heading "What the evidence says"')
    positions = [tree.find(marker) for marker in markers]
    assert -1 not in positions and positions == sorted(positions), f"reading order wrong:\n{tree[:2000]}"


def test_print_keeps_the_verdict_and_cautions_and_drops_navigation(page: Page, site_url: str, efficacy_claim: dict[str, Any]) -> None:
    open_page(page, site_url + efficacy_claim["url"])
    page.emulate_media(media="print")
    claim = page.locator(f"article[data-claim-id='{efficacy_claim['id']}']")
    for selector in PRINTED_VISIBLE:
        element = claim.locator(selector).first
        assert element.is_visible(), f"{selector} is hidden in print"
        box = element.bounding_box()
        assert box and box["width"] > 0 and box["height"] > 0, f"{selector} has no size in print"
    for selector in PRINTED_HIDDEN:
        assert page.locator(selector).count() >= 1, f"{selector} is not on the page at all"
        assert page.locator(selector).first.is_hidden(), f"{selector} is printed"


def test_first_visit_to_a_claim_page_fits_the_byte_budget(browser: Browser, site_url: str, efficacy_claim: dict[str, Any]) -> None:
    home = page_weight(browser, site_url)
    claim = page_weight(browser, site_url + efficacy_claim["url"])
    print_page_weight(home, site_url)
    print_page_weight(claim, site_url)
    for weight in (home, claim):
        assert all(is_local(row["url"]) for row in weight["rows"])
        assert any(row["url"].endswith(".css") for row in weight["rows"]) and any(row["url"].endswith(".js") for row in weight["rows"])
    assert claim["gzip"] < PAGE_WEIGHT_BUDGET, f"a claim page costs {claim['gzip']} gzip bytes on first visit (budget {PAGE_WEIGHT_BUDGET})"


def test_is_local_accepts_only_this_host(site_url: str) -> None:
    """``is_local`` is what the privacy checks rely on."""
    assert is_local(site_url) and is_local(urljoin(site_url, "a/b.css")) and is_local("data:image/png;base64,AA") and is_local("blob:x")
    assert not is_local("https://fonts.googleapis.com/css") and not is_local("http://127.0.0.2/") and not is_local("http://localhost/")


# --------------------------------------------------------------------------- reader experience, at a phone's and a desktop's size

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
FLAG_TEXT = {".caution-notice": "Caution: not medical advice", ".needs-research": "Needs research"}
MAX_FLAG_HEIGHT = 48  # CSS px: one line, not a box
MIN_MAP_TEXT = 12  # CSS px
LIST_PAGES = ["", "claims/", "claims/efficacy-claims/", "tags/", "sources/", "safety/", "methodology/", "changes/", "article/"]


@pytest.fixture(name="screen", params=list(VIEWPORTS))
def fixture_screen(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh page at a phone's or a desktop's size; the search index is not fetched."""
    context = browser.new_context(viewport=VIEWPORTS[request.param])
    context.set_default_timeout(TIMEOUT_MS)
    context.route("**/search/search_index.json", lambda route: route.abort())
    try:
        yield context.new_page()
    finally:
        context.close()


def viewport_height(page: Page) -> int:
    return int(page.evaluate("() => window.innerHeight"))


def test_verdict_card_and_both_notices_fill_the_first_screen(screen: Page, site_url: str, claims: list[dict[str, Any]]) -> None:
    measure = """article => {
        const card = article.querySelector("[data-verdict]");
        const box = sel => { const e = article.querySelector(sel); return e && e.getClientRects().length ? e.getBoundingClientRect().toJSON() : null; };
        const own = [...article.querySelectorAll(".sg-verdict")].filter(e => !e.closest(".sg-claim-list"));
        const crisis = article.querySelector(".sg-crisis");
        return {verdict: card && card.dataset.verdict, statement: card && card.querySelector(".sg-statement").textContent,
                word: card && card.querySelector(".sg-verdict").textContent, certainty: card && card.querySelector(".sg-certainty").textContent,
                bottom: card && card.querySelector(".sg-bottom-line").textContent, card: box("[data-verdict]"),
                caution: box(":scope > .caution-notice"), research: box(":scope > .needs-research"), ownVerdicts: own.length,
                crisisAfterCard: !crisis || !!(card.compareDocumentPosition(crisis) & Node.DOCUMENT_POSITION_FOLLOWING),
                tagsShown: [...document.querySelectorAll(".md-tags")].some(e => e.getClientRects().length > 0),
                pageScrollsSideways: document.documentElement.scrollWidth > window.innerWidth};
    }"""
    for claim in claims:
        if claim["kind"] != "efficacy":
            continue
        open_page(screen, site_url + claim["url"])
        found = screen.locator(f"article[data-claim-id='{claim['id']}']").evaluate(measure)
        where = f"/{claim['url']}"
        assert found["verdict"] == claim["verdict"], where
        assert " ".join(found["statement"].split()) == " ".join(claim["statement"].split()), where
        assert found["word"].strip() and "Certainty" in found["certainty"] and found["bottom"].strip(), (where, found)
        assert found["ownVerdicts"] == 1 and not found["tagsShown"], f"{where}: the verdict is shown more than once"
        assert found["crisisAfterCard"], f"{where}: crisis help comes before the card"
        assert not found["pageScrollsSideways"], where
        for name in ("card", "caution", "research"):
            assert found[name] is not None, f"{where}: no visible {name}"
            assert found[name]["top"] >= 0 and found[name]["bottom"] <= viewport_height(screen), f"{where}: {name} is below the first screen {found[name]}"


def test_lists_carry_compact_flags_that_link_to_the_notices(screen: Page, site_url: str) -> None:
    heights: list[float] = []
    describe = """(blocks, flagText) => blocks.map(b => Object.entries(flagText).map(([sel, text]) => {
        const mine = [...b.querySelectorAll(sel)].filter(e => e.parentElement.closest("[data-claim-kind]") === b);
        return mine.map(e => ({text: e.textContent.trim(), tag: e.tagName, href: e.href, height: e.getBoundingClientRect().height,
                               visible: e.getClientRects().length > 0, id: b.dataset.claimId}));
    }))"""
    for path in LIST_PAGES:
        open_page(screen, site_url + path)
        blocks = screen.locator("[data-claim-kind=efficacy]").evaluate_all(describe, FLAG_TEXT)
        assert blocks, f"/{path}: no efficacy claim mentioned"
        for block in blocks:
            for (selector, text), flags in zip(FLAG_TEXT.items(), block, strict=True):
                assert len(flags) == 1, f"/{path}: {len(flags)} {selector}"
                flag = flags[0]
                assert flag["visible"] and flag["text"] == text and flag["tag"] == "A", (path, flag)
                target = urlsplit(flag["href"])
                assert target.path.endswith(f"/{flag['id']}/") and target.fragment in ("caution", "needs-research"), (path, flag)
                heights.append(flag["height"])
    heights.sort()
    assert heights[len(heights) // 2] <= MAX_FLAG_HEIGHT, f"median flag height {heights[len(heights) // 2]} px"


def test_evidence_map_text_stays_legible_and_narrow_screens_scroll_it(screen: Page, site_url: str) -> None:
    measure = """block => {
        const svg = block.querySelector("svg");
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        const sizes = [...svg.querySelectorAll("text")].map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
        const frame = block.querySelector(".sg-map-scroll");
        return {smallest: Math.min(...sizes), count: sizes.length, frameScrolls: frame.scrollWidth > frame.clientWidth,
                frameWidth: frame.clientWidth, pageScrolls: document.documentElement.scrollWidth > window.innerWidth,
                tableRows: block.querySelectorAll(".sg-map-table tbody tr").length};
    }"""
    for path in ("", "evidence-map/"):
        open_page(screen, site_url + path)
        found = screen.locator("[data-evidence-map]").evaluate(measure)
        assert found["count"] > 10 and found["smallest"] >= MIN_MAP_TEXT, (path, found)
        assert found["tableRows"] > 0 and not found["pageScrolls"], (path, found)
        if viewport_height(screen) == VIEWPORTS["phone"]["height"]:
            assert found["frameScrolls"], f"/{path}: on a phone the map should scroll sideways, not shrink"


def test_evidence_map_cells_open_the_matching_filtered_list(screen: Page, site_url: str) -> None:
    open_page(screen, site_url + "evidence-map/")
    block = screen.locator("[data-evidence-map]")
    resolve = "els => els.map(e => [new URL(e.getAttribute('href'), document.baseURI).href, e.textContent])"
    table_links = block.locator(".sg-map-table td a").evaluate_all(resolve)
    svg_links = [url for url, _ in block.locator("svg a").evaluate_all(resolve)]
    assert table_links and sorted(svg_links) == sorted(url for url, _ in table_links)
    visible_rows = "() => [...document.querySelectorAll('table[data-claims-table] tbody tr')].filter(r => !r.hidden).map(r => r.dataset)"
    for url, count in table_links:
        query = dict(part.split("=") for part in urlsplit(url).query.split("&"))
        open_page(screen, url)
        rows = screen.evaluate(visible_rows)
        assert len(rows) == int(count), f"{url}: {len(rows)} rows shown, the map says {count}"
        assert all(r["topic"] == query["topic"] and r["level"] == query["level"] for r in rows), url
    # a pointer user clicking a cell of the drawing gets there too
    open_page(screen, site_url + "evidence-map/")
    block.locator("svg a").first.click()
    screen.wait_for_url(svg_links[0])


def test_claims_table_sorts_and_filters_with_labelled_controls(screen: Page, site_url: str, claims: list[dict[str, Any]]) -> None:
    open_page(screen, site_url + "claims/")
    table = screen.locator("table[data-claims-table]")
    shown = "t => [...t.tBodies[0].rows].filter(r => !r.hidden).map(r => r.dataset)"
    assert len(table.evaluate(shown)) == len(claims)
    for label in ("Kind", "Topic", "Verdict", "Certainty", "Evidence"):
        assert screen.get_by_label(label, exact=True).evaluate("e => e.tagName") == "SELECT", label
    screen.get_by_label("Verdict", exact=True).select_option("misleading")
    rows = table.evaluate(shown)
    assert rows and len(rows) == sum(c["verdict"] == "misleading" for c in claims)
    assert all(r["verdict"] == "misleading" for r in rows)
    assert screen.get_by_role("status").inner_text().startswith(f"Showing {len(rows)} of {len(claims)}")
    screen.get_by_label("Kind", exact=True).select_option("efficacy")
    assert all(r["kind"] == "efficacy" and r["verdict"] == "misleading" for r in table.evaluate(shown))
    screen.get_by_role("button", name="Show all").click()
    screen.wait_for_function("() => [...document.querySelectorAll('table[data-claims-table] tbody tr')].every(r => !r.hidden)")
    header = screen.locator("table[data-claims-table] thead th").nth(3)
    header.get_by_role("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    order = [c["verdict"] for c in table.evaluate("t => [...t.tBodies[0].rows].map(r => r.dataset)")]
    ranks = ["well-established", "supported", "uncertain", "insufficient-evidence", "not-supported", "misleading"]
    assert [ranks.index(v) for v in order] == sorted(ranks.index(v) for v in order)
    header.get_by_role("button").click()
    assert header.get_attribute("aria-sort") == "descending"


def test_claims_table_shows_every_row_without_javascript(browser: Browser, site_url: str, claims: list[dict[str, Any]]) -> None:
    for size in VIEWPORTS.values():
        context = browser.new_context(viewport=size, java_script_enabled=False)
        try:
            page = context.new_page()
            open_page(page, site_url + "claims/?verdict=misleading")
            rows = page.locator("table[data-claims-table] tbody tr")
            assert rows.count() == len(claims)
            assert all(rows.nth(i).is_visible() for i in range(rows.count()))
            assert page.locator("form[data-claims-filter]").is_hidden(), "without JavaScript the filters would do nothing"
        finally:
            context.close()


def test_feed_is_linked_from_the_head_and_matches_what_changed(screen: Page, site_url: str, efficacy_claim: dict[str, Any]) -> None:
    for path in ("", efficacy_claim["url"], "changes/"):
        open_page(screen, site_url + path)
        feed = screen.locator("head link[rel=alternate][type='application/atom+xml']")
        assert feed.count() == 1, path
        href = feed.evaluate("e => e.href")
        assert href == site_url + "feed.xml", (path, href)
    entries = screen.request.get(site_url + "feed.xml").text().count("<entry>")
    assert entries > 0 and screen.locator("li.sg-change").count() == entries
    canonical = screen.locator("head link[rel=canonical]").get_attribute("href") or ""
    assert canonical.startswith("https://") and canonical.endswith("/changes/"), canonical


def test_search_dialog_is_named_and_the_404_page_has_a_skip_link(screen: Page, site_url: str) -> None:
    open_page(screen, site_url)
    assert screen.get_by_role("dialog", name="Search", include_hidden=True).count() == 1
    response = screen.goto(site_url + "404.html")
    assert response is not None and response.ok
    screen.keyboard.press("Tab")
    focused = screen.evaluate("() => ({text: document.activeElement.textContent.trim(), href: document.activeElement.getAttribute('href')})")
    assert focused["text"] == "Skip to content", focused
    assert screen.locator(f"[id='{focused['href'].removeprefix('#')}']").count() == 1


def test_collapsed_technical_detail_prints(screen: Page, site_url: str, claims: list[dict[str, Any]]) -> None:
    for claim in claims:
        open_page(screen, site_url + claim["url"])
        details = screen.locator("details.sg-details")
        if details.count():
            break
    else:
        pytest.fail("no claim page has a technical-detail block")
    inside = details.locator("p").first
    assert details.get_attribute("open") is None and inside.is_hidden(), "the block starts collapsed on screen"
    screen.emulate_media(media="print")
    assert inside.is_visible(), "the collapsed block's text is not printed"
