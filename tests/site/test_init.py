"""sitegen init: a new review that builds with --strict at once and names no other review."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.site.htmlparse import parse


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY")}
    return {**env, "SITE_URL": "https://review.example.org/"}  # as the new project's workflow sets it


@pytest.fixture(name="new_site", scope="module")
def fixture_new_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site made by 'sitegen init' in an empty folder, then built with --strict."""
    folder = tmp_path_factory.mktemp("init") / "review"
    made = run_cli("init", str(folder), "--title", "Ashwagandha for stress", "--reviewed-kind", "advertisement", cwd=folder.parent, env=_env())
    assert made.returncode == 0, made.stderr
    built = run_cli("build", "--strict", cwd=folder, env=_env())
    assert built.returncode == 0, built.stdout + built.stderr
    return folder


def test_init_writes_a_complete_project(new_site: Path) -> None:
    for relative in ("mkdocs.yml", "claims/site.yaml", "claims/topics.yaml", "schema/claim.schema.json", ".pre-commit-config.yaml",
                     ".github/workflows/site.yml", "README.md", "content/index.md"):
        assert (new_site / relative).is_file(), relative
    assert "sitegen validate --strict" in (new_site / ".pre-commit-config.yaml").read_text(encoding="utf-8")


def test_the_built_site_never_mentions_kratom(new_site: Path) -> None:
    files = [p for p in (new_site / "site").rglob("*") if p.is_file() and p.suffix in (".html", ".json", ".csv", ".bib", ".xml", ".js", ".css")]
    assert files
    assert [p for p in files if "kratom" in p.read_text(encoding="utf-8", errors="ignore").lower()] == []


def test_its_efficacy_claim_carries_both_flags_and_the_other_does_not(new_site: Path) -> None:
    page = parse((new_site / "site/claims/examples/placebo-relieves-symptoms/index.html").read_text(encoding="utf-8"))
    claim = page.find_all(lambda e: e.attrs.get("data-claim-id") == "placebo-relieves-symptoms")[0]
    assert claim.find_all(lambda e: e.has_class("caution-notice")) and claim.find_all(lambda e: e.has_class("needs-research"))
    assert "What the advertisement says" not in page.all_text()  # the example claims quote nothing
    other = parse((new_site / "site/claims/examples/placebo-effects-are-mostly-self-reported/index.html").read_text(encoding="utf-8"))
    assert not other.find_all(lambda e: e.has_class("caution-notice"))
    assert not page.find_all(lambda e: e.has_class("sg-crisis")), "a new site has no crisis line until it sets one"
    check = run_cli("check-site", "site", cwd=new_site, env=_env())
    assert check.returncode == 0, check.stdout


def test_markers_are_expanded_in_its_pages(new_site: Path) -> None:
    home = (new_site / "site/index.html").read_text(encoding="utf-8")
    assert "sitegen:" not in home and 'class="sg-topics"' in home


def test_init_refuses_to_overwrite_anything(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: mine\n", encoding="utf-8")
    result = run_cli("init", cwd=tmp_path, env=_env())
    assert result.returncode == 2 and "mkdocs.yml" in result.stderr and "Traceback" not in result.stderr
    assert (tmp_path / "mkdocs.yml").read_text(encoding="utf-8") == "site_name: mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mkdocs.yml"], "nothing else is written"
