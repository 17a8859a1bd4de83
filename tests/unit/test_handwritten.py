"""sitegen validate (and render) report an unknown page marker as the build does: SG115 at file:line:col."""

from __future__ import annotations

import json
from pathlib import Path

from sitegen.handwritten import check_handwritten_pages
from tests.conftest import run_cli, write_tree

BAD_PAGE = "# About\n\nText.\n\n  <!-- sitegen:topic -->\n"


def test_validate_reports_an_unknown_marker_with_its_location(project: Path) -> None:
    write_tree(project, {"content/about/index.md": BAD_PAGE})
    result = run_cli("validate", "--format", "json", cwd=project)
    assert result.returncode == 1, result.stdout + result.stderr
    problems = [(p["code"], p["path"], p["line"], p["column"]) for p in json.loads(result.stdout)["problems"]]
    assert problems == [("SG115", "content/about/index.md", 5, 3)]
    text = run_cli("validate", "--format", "text", cwd=project)
    assert "content/about/index.md:5:3: error SG115 " in text.stdout and "sitegen:topics" in text.stdout


def test_validate_is_clean_with_known_markers_and_skips_what_mkdocs_skips(project: Path) -> None:
    write_tree(project, {"content/.drafts/page.md": BAD_PAGE, "content/templates/page.md": BAD_PAGE,
                         "content/example.md": "```\n<!-- sitegen:topic -->\n```\n"})
    result = run_cli("validate", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pages_are_not_checked_without_sitegen_in_mkdocs_yml(project: Path, tmp_path: Path) -> None:
    write_tree(project, {"content/about.md": BAD_PAGE})
    assert check_handwritten_pages(tmp_path / "mkdocs.yml") == ((), ())
    write_tree(project, {"mkdocs.yml": "site_name: x\ndocs_dir: content\nplugins:\n  - search\n"})
    assert check_handwritten_pages(project / "mkdocs.yml") == ((), ())
    assert run_cli("validate", cwd=project).returncode == 0


def test_paths_are_relative_to_the_configuration(project: Path) -> None:
    write_tree(project, {"site/mkdocs.yml": "site_name: x\ndocs_dir: ../content\nplugins:\n  - sitegen:\n      claims_dir: ../claims\n",
                         "content/about.md": BAD_PAGE})
    problems, pages = check_handwritten_pages(project / "site/mkdocs.yml")
    assert [(p.code, str(p.where)) for p in problems] == [("SG115", "../content/about.md:5:3")]
    assert {page.name for page in pages} == {"index.md", "about.md"}


def test_render_and_build_refuse_an_unknown_marker_before_writing(project: Path, tmp_path: Path) -> None:
    write_tree(project, {"content/about.md": BAD_PAGE})
    for command in (["render", "--out", str(tmp_path / "out")], ["build", "--site-dir", str(tmp_path / "site")]):
        result = run_cli(*command, cwd=project)
        assert result.returncode == 1, result.stdout + result.stderr
        assert "content/about.md:5:3: error SG115 " in result.stdout
    assert not (tmp_path / "out").exists() and not (tmp_path / "site").exists()


def test_an_undecodable_page_is_an_environment_error(project: Path) -> None:
    (project / "content/about.md").write_bytes(b"# Caf\xe9\n")
    result = run_cli("validate", cwd=project)
    assert result.returncode == 2 and "content/about.md is not valid UTF-8" in result.stderr, result.stderr
