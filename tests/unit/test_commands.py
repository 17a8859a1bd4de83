"""sitegen new, diff, render and check-links, each as a user runs it."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import ClassVar

import pytest

from sitegen.catalog import load_catalog
from sitegen.links import check_links
from sitegen.sitecheck import check_site
from tests.conftest import run_cli, write_tree
from tests.site.htmlparse import efficacy_links, parse


def test_new_scaffolds_a_claim_that_validates_once_filled(project: Path) -> None:
    (project / "schema").mkdir()
    result = run_cli("new", "--topic", "safety", "--id", "herb-raises-heart-rate", "--kind", "safety", cwd=project)
    assert result.returncode == 0, result.stderr
    path = project / "claims/safety/herb-raises-heart-rate.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schema/claim.schema.json\n")
    unfilled = run_cli("validate", "--format", "json", cwd=project)
    codes = {p["code"] for p in json.loads(unfilled.stdout)["problems"]}
    assert unfilled.returncode == 1 and "SG218" in codes
    filled = (
        text.replace('"TODO short headline"', "The herb raises heart rate")
        .replace('"TODO neutral restatement"', "The herb raises heart rate.")
        .replace('quote: "TODO exact quote, or delete this line"\n', "")
        .replace("TODO plain-language summary", "Reports describe a fast heart rate.")
        .replace("details: >-\n  TODO technical detail, or delete this field\n", "")
        .replace("TODO-source-id", "trial2020")
        .replace('"TODO what this source adds"', "Trial with heart-rate monitoring.")
        .replace('caveats:\n  - "TODO a caveat, or delete this field"\n', "")
    )
    assert "# certainty:" in filled, "the template shows how to rate certainty"
    path.write_text(filled, encoding="utf-8")
    clean = run_cli("validate", cwd=project)
    assert clean.returncode == 0, clean.stdout


def test_new_points_at_the_schema_only_where_there_is_one(project: Path) -> None:
    result = run_cli("new", "--topic", "safety", "--id", "herb-raises-heart-rate", "--kind", "safety", cwd=project)
    assert result.returncode == 0, result.stderr
    text = (project / "claims/safety/herb-raises-heart-rate.yaml").read_text(encoding="utf-8")
    assert "yaml-language-server" not in text and "content/contributing" not in text


def test_new_refuses_to_overwrite(project: Path) -> None:
    before = (project / "claims/safety/herb-harms-liver.yaml").read_text(encoding="utf-8")
    result = run_cli("new", "--topic", "safety", "--id", "herb-harms-liver", "--kind", "safety", cwd=project)
    assert result.returncode == 2 and "already exists" in result.stderr
    assert (project / "claims/safety/herb-harms-liver.yaml").read_text(encoding="utf-8") == before


def test_new_asks_for_what_is_missing(project: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "sitegen", "new"], cwd=project, input="safety\nherb-asked\nsafety\n", capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stderr
    assert (project / "claims/safety/herb-asked.yaml").is_file()


def _git(project: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(project), *args], check=True, capture_output=True)


def test_diff_between_revisions_reports_exactly_the_changed_verdict(project: Path) -> None:
    _git(project, "init", "-q")
    _git(project, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    _git(project, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base")
    path = project / "claims/safety/herb-harms-liver.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("verdict: supported", "verdict: uncertain"), encoding="utf-8")
    _git(project, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qam", "head")
    result = run_cli("diff", "HEAD~1", "HEAD", "--output", "json", cwd=project)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "added": [], "removed": [],
        "changed": [{"claim": "herb-harms-liver", "field": "verdict", "old": "supported", "new": "uncertain"}],
    }
    markdown = run_cli("diff", "HEAD~1", "HEAD", cwd=project).stdout
    assert "| `herb-harms-liver` | verdict | supported | uncertain |" in markdown


def test_diff_between_folders_lists_added_and_removed(project: Path, tmp_path: Path) -> None:
    other = write_tree(tmp_path / "other", {"claims/safety/new-claim.yaml": "id: new-claim\ntitle: New\n"})
    result = run_cli("diff", str(project), str(other), "--output", "json", cwd=project)
    data = json.loads(result.stdout)
    assert data["added"] == ["new-claim"]
    assert data["removed"] == ["herb-harms-liver", "herb-relieves-low-mood"]


def test_diff_reports_certainty_its_reasons_and_as_of(project: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(project, other)
    path = other / "claims/safety/herb-harms-liver.yaml"
    text = path.read_text(encoding="utf-8").replace("One small trial with few liver events.", "Few liver events.")
    path.write_text(text + "  raised:\n    - domain: dose-response\n      reason: Higher doses, more injury.\nas_of: 2026-01-05\n", encoding="utf-8")
    changed = json.loads(run_cli("diff", str(project), str(other), "--output", "json", cwd=project).stdout)["changed"]
    assert changed == [
        {"claim": "herb-harms-liver", "field": "certainty", "old": "moderate (down: imprecision)",
         "new": "moderate (down: imprecision; up: dose-response)"},
        {"claim": "herb-harms-liver", "field": "certainty_reasons", "old": "imprecision: One small trial with few liver events.",
         "new": "imprecision: Few liver events. / dose-response: Higher doses, more injury."},
        {"claim": "herb-harms-liver", "field": "as_of", "old": "", "new": "2026-01-05"},
    ]


def test_diff_with_unknown_revision_is_an_environment_error(project: Path) -> None:
    result = run_cli("diff", "no-such-revision", cwd=project)
    assert result.returncode == 2 and "sitegen: error:" in result.stderr


def _site_pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


MENTIONS_PAGE = """\
---
tags: [Reading notes]
---

# Notes

The [low-mood claim](../claims/efficacy-claims/herb-relieves-low-mood.md), [again][mood] and the
[liver claim](../claims/safety/herb-harms-liver.md).

Shown as code: `[x](../claims/efficacy-claims/herb-relieves-low-mood.md)`

[mood]: ../claims/efficacy-claims/herb-relieves-low-mood.md
"""


def test_render_out_builds_with_bare_mkdocs_to_the_same_pages(project: Path, tmp_path: Path) -> None:
    write_tree(project, {"content/notes/index.md": MENTIONS_PAGE, "content/tags.md": "# Tags\n\n<!-- material/tags -->\n"})
    out = tmp_path / "standalone"
    assert run_cli("render", "--out", str(out), cwd=project).returncode == 0
    import yaml

    assert "sitegen" not in yaml.safe_load((out / "mkdocs.yml").read_text(encoding="utf-8"))["plugins"]
    bare = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp_path / "bare")], cwd=out, capture_output=True, text=True, check=False)
    assert bare.returncode == 0, bare.stderr
    assert run_cli("build", "--site-dir", str(tmp_path / "full"), cwd=project).returncode == 0
    assert _site_pages(tmp_path / "bare") == _site_pages(tmp_path / "full")
    claim = "claims/efficacy-claims/herb-relieves-low-mood/index.html"
    for site in ("bare", "full"):
        html = (tmp_path / site / claim).read_text(encoding="utf-8")
        assert 'class="sg-notice caution-notice"' in html and 'class="sg-notice needs-research"' in html
    # links in hand-written pages carry the flags in the portable project too, as the plugin adds them in a build
    for site in ("bare", "full"):
        _, bare = efficacy_links(tmp_path / site)
        assert not bare, f"{site}: {bare}"
        notes = parse((tmp_path / site / "notes/index.html").read_text(encoding="utf-8"))
        refs = notes.find_all(lambda e: e.has_class("sg-claim-ref"))
        assert [e.attrs["data-claim-id"] for e in refs] == ["herb-relieves-low-mood"] * 2, site
        assert "[x](../claims/efficacy-claims/herb-relieves-low-mood.md)" in notes.all_text(), "code stays as written"
        tags = parse((tmp_path / site / "tags/index.html").read_text(encoding="utf-8"))
        listed = {e.attrs.get("id") for e in tags.find_all(lambda e: e.tag == "h2")}
        assert "tag:reading-notes" in listed and "tag:kind-efficacy" in listed, listed
        links = {a.attrs["href"] for a in tags.iter() if a.tag == "a"}
        assert {"../notes/", "../claims/efficacy-claims/herb-relieves-low-mood/", "../claims/safety/herb-harms-liver/"} <= links, site
    tag_ids = [sorted(e.attrs["id"] for e in parse((tmp_path / site / "tags/index.html").read_text(encoding="utf-8")).iter()
                      if e.tag == "h2" and e.attrs.get("id", "").startswith("tag:")) for site in ("bare", "full")]
    assert tag_ids[0] == tag_ids[1], "the static tags listing has the tags plugin's headings"


class _Handler(http.server.BaseHTTPRequestHandler):
    seen: ClassVar[list[str]] = []

    def do_HEAD(self) -> None:
        self.seen.append(self.path)
        self.send_response(404 if "missing" in self.path else 200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture(name="link_server")
def fixture_link_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_check_links_reports_failures_and_caches_successes(project: Path, tmp_path: Path, link_server: str) -> None:
    write_tree(project, {"claims/sources/main.yaml": (project / "claims/sources/main.yaml").read_text(encoding="utf-8").replace(
        "https://example.org/survey", link_server + "missing-page")})
    catalog = load_catalog(project / "claims", root=project, today=dt.date(2026, 11, 25)).catalog
    assert catalog is not None
    cache = tmp_path / "links.json"
    sleeps: list[float] = []
    failures = check_links(catalog, cache_file=cache, delay=0.01, doi_base=link_server + "doi/", pubmed_base=link_server + "pubmed/", sleep=sleeps.append)
    assert failures == [f"survey2021: {link_server}missing-page: HTTP 404"]
    _Handler.seen.clear()
    check_links(catalog, cache_file=cache, delay=0.01, doi_base=link_server + "doi/", pubmed_base=link_server + "pubmed/", sleep=sleeps.append)
    assert _Handler.seen == ["/missing-page"], "good links come from the cache"


def test_render_of_the_real_repo_builds_strictly_with_bare_mkdocs(copy_of_repo: Path, tmp_path: Path, built_site: Path) -> None:
    out = tmp_path / "standalone"
    result = run_cli("render", "--out", str(out), cwd=copy_of_repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (out / "overrides").is_dir(), "the theme's custom_dir travels with the project"
    bare = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "--strict", "-d", str(tmp_path / "site")],
                          cwd=out, capture_output=True, text=True, check=False)
    assert bare.returncode == 0, bare.stderr
    assert _site_pages(tmp_path / "site") == _site_pages(built_site), "the same pages as sitegen build"
    assert check_site(tmp_path / "site") == ()
    checked, bare = efficacy_links(tmp_path / "site")
    assert checked > 100 and not bare, "links to efficacy claims without their flags:\n" + "\n".join(bare)


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _fetch(url: str) -> str | None:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, OSError):
        return None


def _wait_for(url: str, needle: str, seconds: float) -> bool:
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = _fetch(url)
        if page is not None and needle in page:
            return True
        time.sleep(0.3)
    return False


def test_serve_shows_a_claim_and_rebuilds_when_it_changes(project: Path) -> None:
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "sitegen", "serve", "-a", f"127.0.0.1:{port}"], cwd=project,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/claims/safety/herb-harms-liver/"
    try:
        assert _wait_for(url, "The herb can cause liver injury.", 60), "serve did not show the claim"
        path = project / "claims/safety/herb-harms-liver.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("can cause liver injury.", "can cause serious liver injury."), encoding="utf-8")
        assert _wait_for(url, "can cause serious liver injury.", 60), "serve did not rebuild after the claim changed"
    finally:
        server.terminate()
        server.wait(timeout=20)
