"""Options that mean the same everywhere: ``--root`` is the project, ``--claims-dir`` is the
folder every command reads (and builds from), and a command that cannot honour one refuses it.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import run_cli, write_tree

ORIGINAL = "The herb can cause liver injury."
ALTERNATIVE = "The herb can cause liver injury in the alternative folder."


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY")}


@pytest.fixture(name="two_folders")
def fixture_two_folders(project: Path) -> Path:
    """The project plus ``alt/``: a copy of its claims whose safety claim says something else."""
    shutil.copytree(project / "claims", project / "alt")
    claim = project / "alt/safety/herb-harms-liver.yaml"
    claim.write_text(claim.read_text(encoding="utf-8").replace(ORIGINAL, ALTERNATIVE), encoding="utf-8")
    return project


def _page(site: Path) -> str:
    return (site / "claims/safety/herb-harms-liver/index.html").read_text(encoding="utf-8")


def test_build_claims_dir_builds_from_that_folder(two_folders: Path) -> None:
    result = run_cli("build", "--claims-dir", "alt", cwd=two_folders, env=_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert ALTERNATIVE in _page(two_folders / "site")


def test_build_claims_dir_is_the_folder_checked_too(two_folders: Path) -> None:
    (two_folders / "alt/safety/herb-harms-liver.yaml").write_text("id: herb-harms-liver\nverdict: [\n", encoding="utf-8")
    result = run_cli("build", "--claims-dir", "alt", cwd=two_folders, env=_env())
    assert result.returncode == 1, result.stdout + result.stderr
    assert "alt/safety/herb-harms-liver.yaml" in result.stdout
    assert not (two_folders / "site").exists()


def test_render_claims_dir_renders_that_folder(two_folders: Path) -> None:
    result = run_cli("render", "--claims-dir", "alt", "--out", "standalone", cwd=two_folders, env=_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert ALTERNATIVE in (two_folders / "standalone/docs/claims/safety/herb-harms-liver.md").read_text(encoding="utf-8")


def test_root_from_another_folder(two_folders: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    root = str(two_folders)
    assert run_cli("validate", "--root", root, cwd=elsewhere, env=_env()).returncode == 0
    build = run_cli("build", "--root", root, cwd=elsewhere, env=_env())
    assert build.returncode == 0, build.stdout + build.stderr
    assert ORIGINAL in _page(two_folders / "site"), "ROOT/mkdocs.yml decides where the site goes"
    render = run_cli("render", "--root", root, "--claims-dir", str(two_folders / "alt"), "--out", "standalone", cwd=elsewhere, env=_env())
    assert render.returncode == 0, render.stdout + render.stderr
    assert (elsewhere / "standalone/mkdocs.yml").is_file(), "--out is relative to the current folder, like every path given"
    assert sorted(p.name for p in elsewhere.iterdir()) == ["standalone"]


def test_every_command_follows_the_plugins_claims_dir(project: Path) -> None:
    (project / "claims").rename(project / "records")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8").replace("  - sitegen\n", "  - sitegen:\n      claims_dir: records\n")
    write_tree(project, {"mkdocs.yml": config, "records/safety/herb-harms-liver.yaml": "id: herb-harms-liver\nverdict: [\n"})
    for args in (["validate"], ["build"], ["render", "--out", "standalone"]):
        result = run_cli(*args, cwd=project, env=_env())
        assert result.returncode == 1, (args, result.stdout + result.stderr)
        assert "records/safety/herb-harms-liver.yaml" in result.stdout, args


def _git(project: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@example.org", *args], check=True, capture_output=True)


def test_diff_claims_dir_compares_that_folder_at_both_revisions(two_folders: Path) -> None:
    _git(two_folders, "init", "-q")
    _git(two_folders, "add", "-A")
    _git(two_folders, "commit", "-qm", "base")
    claim = two_folders / "alt/safety/herb-harms-liver.yaml"
    claim.write_text(claim.read_text(encoding="utf-8").replace("verdict: supported", "verdict: mixed"), encoding="utf-8")
    working = run_cli("diff", "HEAD", "--claims-dir", "alt", "--output", "json", cwd=two_folders, env=_env())
    assert working.returncode == 0, working.stderr
    assert json.loads(working.stdout)["changed"] == [{"claim": "herb-harms-liver", "field": "verdict", "old": "supported", "new": "mixed"}]
    _git(two_folders, "commit", "-qam", "head")
    revisions = run_cli("diff", "HEAD~1", "HEAD", "--claims-dir", "alt", "--output", "json", cwd=two_folders, env=_env())
    assert json.loads(revisions.stdout)["changed"][0]["new"] == "mixed"
    untouched = run_cli("diff", "HEAD~1", "HEAD", "--output", "json", cwd=two_folders, env=_env())
    assert json.loads(untouched.stdout)["changed"] == [], "without --claims-dir, claims/ is compared"


def test_diff_claims_dir_outside_the_repository_is_refused_for_revisions(two_folders: Path, tmp_path: Path) -> None:
    _git(two_folders, "init", "-q")
    outside = shutil.copytree(two_folders / "alt", tmp_path / "outside")
    result = run_cli("diff", "HEAD", "--claims-dir", str(outside), cwd=two_folders, env=_env())
    assert result.returncode == 2 and "sitegen: error:" in result.stderr and "not inside --root" in result.stderr


def test_new_writes_into_the_claims_dir(two_folders: Path) -> None:
    result = run_cli("new", "--claims-dir", "alt", "--topic", "safety", "--id", "herb-and-sleep", "--kind", "safety", cwd=two_folders, env=_env())
    assert result.returncode == 0, result.stderr
    assert (two_folders / "alt/safety/herb-and-sleep.yaml").is_file()
    assert not (two_folders / "claims/safety/herb-and-sleep.yaml").exists()


@pytest.mark.parametrize("option", [["--root", "."], ["--claims-dir", "claims"]])
def test_schema_refuses_project_options_it_cannot_honour(project: Path, option: list[str]) -> None:
    result = run_cli("schema", "claim", *option, cwd=project, env=_env())
    assert result.returncode == 2 and "unrecognized arguments" in result.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(url: str, needle: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if needle in response.read().decode("utf-8"):
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    return False


def test_serve_honours_root_and_claims_dir(two_folders: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "serve", "--root", str(two_folders), "--claims-dir", str(two_folders / "alt"), "-a", f"127.0.0.1:{port}"],
        cwd=elsewhere, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env(),
    )
    try:
        assert _wait_for(f"http://127.0.0.1:{port}/claims/safety/herb-harms-liver/", ALTERNATIVE, 60), "serve did not read --claims-dir"
    finally:
        server.terminate()
        server.wait(timeout=20)
