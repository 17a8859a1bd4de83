"""Live preview renders again only what an edit changed, and the result equals a full build."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from tests.conftest import run_cli, write_tree

EFFICACY = "claims/efficacy-claims/herb-relieves-low-mood.yaml"
SAFETY = "claims/safety/herb-harms-liver.yaml"
EFFICACY_PAGE = "claims/efficacy-claims/herb-relieves-low-mood/index.html"
SAFETY_PAGE = "claims/safety/herb-harms-liver/index.html"
SERVE_URL = "http://127.0.0.1:8000/"


class Preview:
    """What ``sitegen serve`` does on start and after each change, without the web server."""

    def __init__(self, project: Path, site_dir: Path) -> None:
        self.project, self.site_dir = project, site_dir
        config = self._config()
        config.plugins.on_startup(command="serve", dirty=True)
        self.plugin = config.plugins["sitegen"]
        self.was_quick = False
        build(config, serve_url=SERVE_URL, dirty=True)

    def _config(self):  # type: ignore[no-untyped-def]
        return load_config(str(self.project / "mkdocs.yml"), site_dir=str(self.site_dir))

    def rebuild(self) -> set[str]:
        """Rebuild after a change as ``sitegen serve`` does (the edited claims' pages alone, if that is enough); return the pages written again."""
        before = self._stamps()
        for path in self.site_dir.rglob("index.html"):  # an old time stamp shows whether a page is written again
            os.utime(path, ns=(1, 1))
        self.was_quick = self.plugin.rebuild_edited_claims()
        if not self.was_quick:
            build(self._config(), serve_url=SERVE_URL, dirty=True)
        return {p for p, stamp in self._stamps().items() if stamp != 1 or p not in before}

    def _stamps(self) -> dict[str, int]:
        return {p.relative_to(self.site_dir).as_posix(): p.stat().st_mtime_ns for p in self.site_dir.rglob("index.html")}


def _site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file() and p.suffix in (".html", ".json", ".xml")}


def _assert_same_as_a_full_build(project: Path, site: Path, tmp_path: Path) -> None:
    full = tmp_path / "full"
    result = run_cli("build", "--no-cache", "--site-dir", str(full), cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    expected, actual = _site_files(full), _site_files(site)
    assert sorted(actual) == sorted(expected)
    different = [name for name in expected if actual[name] != expected[name]]
    assert different == []


@pytest.fixture(name="preview")
def fixture_preview(project: Path, tmp_path: Path) -> Preview:
    return Preview(project, tmp_path / "served")


def _edit(project: Path, relative: str, old: str, new: str) -> None:
    path = project / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_an_edit_renders_only_changed_pages_and_search_still_finds_the_rest(project: Path, preview: Preview, tmp_path: Path) -> None:
    _edit(project, SAFETY, "statement: The herb can cause liver injury.", "statement: The herb can injure the liver.")
    written = preview.rebuild()
    assert preview.was_quick, "a statement shows on its own page only: nothing else is rebuilt"
    assert SAFETY_PAGE in written
    assert EFFICACY_PAGE not in written
    assert "The herb can injure the liver." in (preview.site_dir / SAFETY_PAGE).read_text(encoding="utf-8")
    index = (preview.site_dir / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "The herb relieves low mood in adults." in index  # the claim not edited can still be found
    _assert_same_as_a_full_build(project, preview.site_dir, tmp_path)


def test_a_title_and_verdict_change_updates_the_topic_and_index_pages(project: Path, preview: Preview, tmp_path: Path) -> None:
    _edit(project, SAFETY, "title: The herb can harm the liver", "title: Liver harm is on record")
    _edit(project, SAFETY, "verdict: supported", "verdict: uncertain")
    written = preview.rebuild()
    assert not preview.was_quick
    # the efficacy claim lists the edited one as related, so its page changes too
    assert {SAFETY_PAGE, EFFICACY_PAGE, "claims/safety/index.html", "claims/index.html"} <= written
    for page in ("claims/safety/index.html", EFFICACY_PAGE):
        assert "Liver harm is on record" in (preview.site_dir / page).read_text(encoding="utf-8")
    _assert_same_as_a_full_build(project, preview.site_dir, tmp_path)


def test_adding_a_claim(project: Path, preview: Preview, tmp_path: Path) -> None:
    text = (project / SAFETY).read_text(encoding="utf-8").replace("herb-harms-liver", "herb-harms-kidneys")
    write_tree(project, {"claims/safety/herb-harms-kidneys.yaml": text.replace("title: The herb can harm the liver", "title: Kidneys")})
    written = preview.rebuild()
    assert "claims/safety/herb-harms-kidneys/index.html" in written
    assert EFFICACY_PAGE not in written
    _assert_same_as_a_full_build(project, preview.site_dir, tmp_path)


def test_renaming_a_claim(project: Path, preview: Preview, tmp_path: Path) -> None:
    (project / EFFICACY).unlink()
    _edit(project, SAFETY, "id: herb-harms-liver", "id: herb-harms-liver-two")
    (project / SAFETY).rename(project / "claims/safety/herb-harms-liver-two.yaml")
    preview.rebuild()
    assert not (preview.site_dir / SAFETY_PAGE).exists()
    assert (preview.site_dir / "claims/safety/herb-harms-liver-two/index.html").is_file()
    _assert_same_as_a_full_build(project, preview.site_dir, tmp_path)


def test_deleting_a_claim(project: Path, preview: Preview, tmp_path: Path) -> None:
    _edit(project, EFFICACY, "related:\n  - herb-harms-liver\n", "")
    (project / SAFETY).unlink()
    _edit(project, "claims/sources/main.yaml", "  - id: trial2020", "  - id: trial2020\n    note: Kept for the record.")
    preview.rebuild()
    assert not (preview.site_dir / SAFETY_PAGE).exists()
    index = (preview.site_dir / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "herb-harms-liver" not in index
    _assert_same_as_a_full_build(project, preview.site_dir, tmp_path)


def test_a_topic_title_in_the_sidebar_updates_every_page(project: Path, preview: Preview, tmp_path: Path) -> None:
    _edit(project, "mkdocs.yml", "  - Claims: claims/index.md", "  - Claims: claims/index.md\n  - claims/safety/index.md")
    preview.rebuild()
    _edit(project, "claims/topics.yaml", "title: Safety", "title: Harms and risks")
    written = preview.rebuild()
    assert EFFICACY_PAGE in written  # not edited, but its sidebar names the topic
    assert "Harms and risks" in (preview.site_dir / EFFICACY_PAGE).read_text(encoding="utf-8")
    _assert_same_as_a_full_build(project, preview.site_dir, tmp_path)



def test_edits_to_an_efficacy_claim_text_rewrite_its_page_alone(project: Path, preview: Preview, tmp_path: Path) -> None:
    _edit(project, EFFICACY, "summary: Users say it helps, but no trial has tested it.", "summary: Users say it helps. No trial yet.")
    _edit(project, EFFICACY, "  - Surveys of users are self-report.", "  - Surveys of users are self-report.\n  - Users may misremember.")
    written = preview.rebuild()
    assert preview.was_quick
    assert written == {EFFICACY_PAGE}
    assert "Users may misremember." in (preview.site_dir / EFFICACY_PAGE).read_text(encoding="utf-8")
    assert "Users may misremember." in (preview.site_dir / "claims.json").read_text(encoding="utf-8")
    _assert_same_as_a_full_build(project, preview.site_dir, tmp_path)


def test_two_edits_in_a_row_then_a_title_change(project: Path, preview: Preview, tmp_path: Path) -> None:
    for statement in ("The herb can injure the liver.", "Liver injury has been reported."):
        _edit(project, SAFETY, (project / SAFETY).read_text(encoding="utf-8").split("\n")[4], f"statement: {statement}")
        preview.rebuild()
        assert preview.was_quick
    _edit(project, SAFETY, "title: The herb can harm the liver", "title: Liver harm is on record")
    preview.rebuild()
    assert not preview.was_quick
    _assert_same_as_a_full_build(project, preview.site_dir, tmp_path)


def test_a_broken_edit_then_its_fix(project: Path, preview: Preview, tmp_path: Path) -> None:
    _edit(project, SAFETY, "statement: The herb can cause liver injury.", "statement: [The herb, can]")
    preview.rebuild()
    assert not preview.was_quick
    assert "SG2" in (preview.site_dir / SAFETY_PAGE).read_text(encoding="utf-8"), "the problem page"
    _edit(project, SAFETY, "statement: [The herb, can]", "statement: The herb can injure the liver.")
    preview.rebuild()
    assert not preview.was_quick, "after the problem page, every page is built again"
    _assert_same_as_a_full_build(project, preview.site_dir, tmp_path)


def test_a_hand_written_page_edit_is_a_whole_rebuild(project: Path, preview: Preview, tmp_path: Path) -> None:
    _edit(project, "content/index.md", "# Home", "# Welcome")
    _edit(project, SAFETY, "statement: The herb can cause liver injury.", "statement: The herb can injure the liver.")
    written = preview.rebuild()
    assert not preview.was_quick
    assert "index.html" in written
    _assert_same_as_a_full_build(project, preview.site_dir, tmp_path)


def test_a_template_override_showing_statements_elsewhere_turns_the_shortcut_off(project: Path, tmp_path: Path) -> None:
    write_tree(project, {"templates/crisis.html.j2": "<p>{% for c in catalog.claims %}{{ c.statement }} {% endfor %}</p>\n"})
    _edit(project, "mkdocs.yml", "  - sitegen", "  - sitegen:\n      overrides_dir: templates")
    preview = Preview(project, tmp_path / "served")
    _edit(project, SAFETY, "statement: The herb can cause liver injury.", "statement: The herb can injure the liver.")
    preview.rebuild()
    assert not preview.was_quick
    assert "The herb can injure the liver." in (preview.site_dir / "index.html").read_text(encoding="utf-8")
    _assert_same_as_a_full_build(project, preview.site_dir, tmp_path)


def test_a_site_failing_the_caution_check_shows_the_problems_then_recovers(project: Path, tmp_path: Path) -> None:
    from tests.site.test_caution_contract import _empty_flags_macros

    mkdocs = (project / "mkdocs.yml").read_text(encoding="utf-8")
    write_tree(project, {"mkdocs.yml": mkdocs.replace("  - sitegen\n", "  - sitegen:\n      overrides_dir: sitegen-overrides\n"),
                         "sitegen-overrides/_macros.html.j2": _empty_flags_macros()})
    preview = Preview(project, tmp_path / "served")  # serving does not stop: every page lists the problems
    for page in (EFFICACY_PAGE, SAFETY_PAGE, "index.html"):
        shown = html.unescape((preview.site_dir / page).read_text(encoding="utf-8"))
        listing = shown.split('<pre class="sg-problems">', 1)[1].split("</pre>", 1)[0]
        assert re.search(r"^claims/efficacy-claims/herb-relieves-low-mood/index\.html:\d+:\d+: error SG401 ", listing, re.MULTILINE)
    (project / "sitegen-overrides/_macros.html.j2").unlink()
    preview.rebuild()
    assert not preview.was_quick
    assert "sg-problems" not in (preview.site_dir / EFFICACY_PAGE).read_text(encoding="utf-8")
    _assert_same_as_a_full_build(project, preview.site_dir, tmp_path)


def test_another_plugin_turns_the_shortcut_off(project: Path, tmp_path: Path) -> None:
    # Material's meta plugin sets page metadata while a page is read: an event the one-page rewrite does not run
    _edit(project, "mkdocs.yml", "  - sitegen", "  - meta\n  - sitegen")
    preview = Preview(project, tmp_path / "served")
    _edit(project, SAFETY, "statement: The herb can cause liver injury.", "statement: The herb can injure the liver.")
    preview.rebuild()
    assert not preview.was_quick
    assert "The herb can injure the liver." in (preview.site_dir / SAFETY_PAGE).read_text(encoding="utf-8")
    _assert_same_as_a_full_build(project, preview.site_dir, tmp_path)
