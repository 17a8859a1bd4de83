"""Without a hand-typed nav, topics follow topics.yaml; a hand-typed nav wins; unknown markers fail the build."""

from __future__ import annotations

import os
from pathlib import Path

from tests.conftest import MKDOCS_YML, TOPICS_YAML, run_cli, write_tree
from tests.site.htmlparse import parse

REORDERED_TOPICS = """\
topics:
  - id: safety
    title: Harms and risks
    description: Harms and risks.
  - id: efficacy-claims
    title: Does it work?
    description: Claims that something treats a condition.
"""


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY")}


def _nav_links(page: Path) -> list[tuple[str, str]]:
    tree = parse(page.read_text(encoding="utf-8"))
    nav = tree.find_all(lambda e: e.tag == "nav" and e.has_class("md-nav--primary"))[0]
    links = nav.find_all(lambda e: e.tag == "a" and e.has_class("md-nav__link"))
    return [(a.attrs["href"], " ".join(a.all_text().split())) for a in links]


def test_without_a_nav_topics_follow_topics_yaml(project: Path) -> None:
    assert TOPICS_YAML.index("efficacy-claims") < TOPICS_YAML.index("safety"), "the fixture's own order is alphabetical"
    no_nav = MKDOCS_YML[: MKDOCS_YML.index("nav:")]
    write_tree(project, {"mkdocs.yml": no_nav, "claims/topics.yaml": REORDERED_TOPICS, "content/about.md": "# About\n"})
    result = run_cli("build", "--strict", cwd=project, env=_env())
    assert result.returncode == 0, result.stdout + result.stderr
    links = _nav_links(project / "site/index.html")
    topics = [(href, text) for href, text in links if href.startswith("claims/") and href != "claims/"]
    assert topics == [("claims/safety/", "Harms and risks"), ("claims/efficacy-claims/", "Does it work?")]
    order = [href for href, _ in links]
    assert order.index("claims/") < order.index("about/"), "home, then the claims, then the other pages"


def test_a_hand_typed_nav_wins(project: Path) -> None:
    result = run_cli("build", "--strict", cwd=project, env=_env())
    assert result.returncode == 0, result.stdout + result.stderr
    hrefs = [href for href, _ in _nav_links(project / "site/index.html")]
    assert "claims/" in hrefs and not [h for h in hrefs if h.startswith("claims/safety")], hrefs


def test_an_unknown_marker_fails_the_build_with_its_location(project: Path) -> None:
    write_tree(project, {"content/index.md": "# Home\n\n<!-- sitegen:topic -->\n"})
    result = run_cli("build", cwd=project, env=_env())
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "content/index.md:3:1: error SG115 unknown marker 'sitegen:topic'" in output
    assert not (project / "site").exists()
