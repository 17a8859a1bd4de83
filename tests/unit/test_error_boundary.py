"""One error boundary: whatever the environment throws at a command, the user sees one
``sitegen: error:`` line and exit 2, never a traceback. Each case here once gave a traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml

from sitegen import cli
from sitegen.cli import commands
from tests.conftest import run_cli, write_tree

if TYPE_CHECKING:
    import argparse

EXIT_ENVIRONMENT = 2


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY")}
    env.update(extra)
    return env


def assert_environment_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == EXIT_ENVIRONMENT, output
    assert "Traceback" not in output, output
    errors = [line for line in result.stderr.splitlines() if line.startswith("sitegen: error:")]
    assert len(errors) == 1, result.stderr
    for fragment in fragments:
        assert fragment in errors[0], errors[0]


def test_render_when_docs_dir_is_missing(project: Path) -> None:
    (project / "content" / "index.md").unlink()
    (project / "content").rmdir()
    result = run_cli("render", "--out", "standalone", cwd=project, env=_env())
    assert_environment_error(result, "docs_dir not found", "content")
    assert result.stderr.count("\n") == 1, "stops before reading the claims"
    assert not (project / "standalone").exists()


def test_build_when_docs_dir_is_missing(project: Path) -> None:
    (project / "content" / "index.md").unlink()
    (project / "content").rmdir()
    result = run_cli("build", cwd=project, env=_env())
    assert_environment_error(result, "docs_dir not found", "content")
    assert result.stderr.count("\n") == 1, "stops before reading the claims"
    assert not (project / "site").exists()


def test_a_gz_file_among_the_pages_that_is_not_gzip_is_copied_as_is(project: Path) -> None:
    """The plugin once decompressed every .gz in the site to zero its timestamp; an author's file is not its business."""
    (project / "content" / "data.csv.gz").write_bytes(b"not gzip at all")
    result = run_cli("build", cwd=project, env=_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert (project / "site" / "data.csv.gz").read_bytes() == b"not gzip at all"
    assert (project / "site" / "sitemap.xml.gz").read_bytes()[4:8] == b"\0\0\0\0", "the sitemap's gzip timestamp is zeroed"


@pytest.mark.parametrize("text", ["{not json", "[1, 2]", '{"https://example.org/": "ok"}', "\udcff"], ids=["syntax", "list", "status-text", "not-utf8"])
def test_corrupt_link_check_cache(project: Path, text: str) -> None:
    cache = project / "links.json"
    cache.write_bytes(text.encode("utf-8", "surrogateescape"))
    result = run_cli("check-links", "--cache", str(cache), cwd=project, env=_env())  # fails before any request
    assert_environment_error(result, "links.json", "is not a link-check cache", "delete it")


def test_diff_meeting_a_symlink_loop(project: Path, tmp_path: Path) -> None:
    other = write_tree(tmp_path / "other", {"claims/safety/new-claim.yaml": "id: new-claim\ntitle: New\n"})
    try:
        (project / "claims" / "safety" / "loop.yaml").symlink_to("loop.yaml")
    except OSError:
        pytest.skip("symbolic links cannot be created here")
    result = run_cli("diff", str(other), cwd=project, env=_env())
    assert_environment_error(result, "loop.yaml")


def test_unwritable_github_step_summary(project: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary-is-a-folder"
    summary.mkdir()
    result = run_cli("validate", cwd=project, env=_env(GITHUB_ACTIONS="true", GITHUB_STEP_SUMMARY=str(summary)))
    assert_environment_error(result, "summary-is-a-folder")


@pytest.mark.parametrize(("config", "fragment"), [
    ("site_name: [unclosed\n", "not valid YAML"),
    ("site_name: x\ndocs_dir: content\ntheme:\n  name: no-such-theme\nplugins:\n  - sitegen\n", "MkDocs"),
], ids=["not-yaml", "unknown-theme"])
def test_serve_with_a_broken_config(project: Path, config: str, fragment: str) -> None:
    write_tree(project, {"mkdocs.yml": config})
    result = subprocess.run([sys.executable, "-m", "sitegen", "serve", "-a", "127.0.0.1:0"], cwd=project,
                            capture_output=True, text=True, check=False, env=_env(), timeout=60)
    assert_environment_error(result, fragment)


ENVIRONMENT_FAILURES = [
    PermissionError(13, "Permission denied", "claims/x.yaml"),
    IsADirectoryError(21, "Is a directory", "summary.md"),
    OSError(40, "Too many levels of symbolic links", "a", "b"),
    UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"),
    yaml.YAMLError("mapping values are not allowed here"),
    zlib.error("Error -3 while decompressing data: incorrect header check"),
    json.JSONDecodeError("Expecting value", "{", 1),
]


@pytest.mark.parametrize("error", ENVIRONMENT_FAILURES, ids=lambda e: type(e).__name__)
def test_the_boundary_turns_every_environment_failure_into_one_line(
    error: BaseException, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    def handler(args: argparse.Namespace) -> int:
        raise error

    monkeypatch.setattr(commands, "cmd_validate", handler)
    code = cli.main(["validate", "--root", str(tmp_path)])
    captured = capsys.readouterr()
    assert code == EXIT_ENVIRONMENT
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("sitegen: error: "), captured.err
    filename = getattr(error, "filename", None)
    if filename:
        assert filename in lines[0]


def test_a_bug_is_not_disguised_as_an_environment_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def handler(args: argparse.Namespace) -> int:
        raise KeyError("a bug")

    monkeypatch.setattr(commands, "cmd_validate", handler)
    with pytest.raises(KeyError):
        cli.main(["validate", "--root", str(tmp_path)])
