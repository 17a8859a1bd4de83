"""Output folders that cannot eat input: refused targets change not one file, anywhere.

Each case runs in a scratch project; the whole scratch area (paths, kinds, modification
times and bytes) is compared before and after.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import SAFETY_CLAIM, run_cli, write_tree

EXIT_ENVIRONMENT = 2


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY")}
    env.update(extra)
    return env


def tree_state(folder: Path) -> dict[str, tuple[str, int, str]]:
    """Every entry under ``folder`` (itself included): kind, modification time, content hash or link target."""
    state = {}
    for path in [folder, *sorted(folder.rglob("*"))]:
        info = path.lstat()
        if path.is_symlink():
            kind, content = "link", os.readlink(path)
        elif path.is_dir():
            kind, content = "dir", ""
        else:
            kind, content = "file", hashlib.sha256(path.read_bytes()).hexdigest()
        state[path.relative_to(folder).as_posix()] = (kind, info.st_mtime_ns, content)
    return state


def assert_refused(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode == EXIT_ENVIRONMENT, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("sitegen: error:")]
    assert len(errors) == 1, result.stderr
    for fragment in fragments:
        assert fragment in errors[0], errors[0]


@pytest.fixture(name="scratch")
def fixture_scratch(project: Path) -> Path:
    """The project with a symlink to its pages and a theme override folder, as real projects have."""
    with contextlib.suppress(OSError):  # Windows without symlink rights: that one case is skipped
        (project / "pages-link").symlink_to("content", target_is_directory=True)
    config = (project / "mkdocs.yml").read_text(encoding="utf-8").replace("  font: false\n", "  font: false\n  custom_dir: overrides\n")
    write_tree(project, {"mkdocs.yml": config, "overrides/main.html": '{% extends "base.html" %}\n'})
    return project


REFUSED = [
    (["render", "--out", "."], "is the project root"),
    (["render", "--out", ".."], "contains the project root"),
    (["build", "--site-dir", "content"], "is docs_dir"),
    (["build", "--site-dir", "claims"], "is the claims folder"),
    (["build", "-d", "."], "is the project root"),
    (["build", "-d", "site/.."], "is the project root"),
    (["build", "-d", "content/generated"], "inside docs_dir"),
    (["build", "-d", "pages-link"], "is docs_dir"),
    (["render", "--out", "claims/safety/out"], "inside the claims folder"),
    (["build", "-d", "overrides"], "is a template folder"),
    (["build", "-d", "mkdocs.yml"], "is a file"),
    (["build", "--force", "-d", "content"], "is docs_dir"),
    (["render", "--force", "--out", ".."], "contains the project root"),
]


@pytest.mark.parametrize(("args", "reason"), REFUSED, ids=[" ".join(a) for a, _ in REFUSED])
def test_output_over_input_is_refused_and_nothing_changes(scratch: Path, args: list[str], reason: str) -> None:
    if "pages-link" in args and not (scratch / "pages-link").is_symlink():
        pytest.skip("symbolic links cannot be created here")
    area = scratch.parent
    before = tree_state(area)
    result = run_cli(*args, cwd=scratch, env=_env())
    assert_refused(result, "refusing", reason)
    assert tree_state(area) == before


def test_home_folder_is_refused(scratch: Path, tmp_path: Path) -> None:
    home = write_tree(tmp_path / "home", {"notes.txt": "mine"})
    before = tree_state(tmp_path)
    result = run_cli("build", "-d", str(home), cwd=scratch, env=_env(HOME=str(home), USERPROFILE=str(home)))
    assert_refused(result, "your home folder")
    assert tree_state(tmp_path) == before


def test_current_folder_is_refused_when_it_is_not_the_project(scratch: Path, tmp_path: Path) -> None:
    elsewhere = write_tree(tmp_path / "elsewhere", {"keep.txt": "mine"})
    before = tree_state(tmp_path)
    result = run_cli("render", "--root", str(scratch), "--out", ".", cwd=elsewhere, env=_env())
    assert_refused(result, "the current folder")
    assert tree_state(tmp_path) == before


@pytest.mark.parametrize("command", ["build", "render"])
def test_foreign_non_empty_folder_is_refused_without_force(scratch: Path, command: str) -> None:
    write_tree(scratch, {"public/keep.txt": "hand-written"})
    before = tree_state(scratch.parent)
    option = "--site-dir" if command == "build" else "--out"
    result = run_cli(command, option, "public", cwd=scratch, env=_env())
    assert_refused(result, "sitegen did not write it", "--force")
    assert tree_state(scratch.parent) == before
    forced = run_cli(command, option, "public", "--force", cwd=scratch, env=_env())
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert not (scratch / "public/keep.txt").exists()
    assert (scratch / "public/.sitegen-output").is_file()


def test_output_is_marked_and_replaced_without_force_next_time(scratch: Path) -> None:
    first = run_cli("build", cwd=scratch, env=_env())
    assert first.returncode == 0, first.stdout + first.stderr
    assert (scratch / "site/.sitegen-output").is_file()
    write_tree(scratch, {"claims/safety/herb-harms-liver.yaml": SAFETY_CLAIM.replace("can cause liver injury.", "can harm the liver.")})
    again = run_cli("build", cwd=scratch, env=_env())
    assert again.returncode == 0, again.stdout + again.stderr
    assert "can harm the liver." in (scratch / "site/claims/safety/herb-harms-liver/index.html").read_text(encoding="utf-8")
    assert not list(scratch.glob(".site.sitegen-*"))


def test_an_empty_existing_folder_is_used(scratch: Path) -> None:
    (scratch / "public").mkdir()
    result = run_cli("render", "--out", "public", cwd=scratch, env=_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert (scratch / "public/mkdocs.yml").is_file() and (scratch / "public/.sitegen-output").is_file()


def test_plain_mkdocs_with_the_plugin_refuses_to_empty_the_claims_folder(scratch: Path) -> None:
    """MkDocs empties site_dir before it builds; the plugin refuses a site_dir that is an input."""
    before = tree_state(scratch / "claims")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", "claims"], cwd=scratch,
                            capture_output=True, text=True, check=False, env=_env())
    assert result.returncode != 0
    assert "refusing to write output to" in result.stderr and "is the claims folder" in result.stderr
    assert tree_state(scratch / "claims") == before


def test_serve_refuses_a_site_dir_that_is_an_input(scratch: Path) -> None:
    write_tree(scratch, {"mkdocs.yml": (scratch / "mkdocs.yml").read_text(encoding="utf-8") + "site_dir: content\n"})
    before = tree_state(scratch.parent)
    result = subprocess.run([sys.executable, "-m", "sitegen", "serve", "-a", "127.0.0.1:0"], cwd=scratch,
                            capture_output=True, text=True, check=False, env=_env(), timeout=60)
    assert_refused(result, "is docs_dir")
    assert tree_state(scratch.parent) == before


def _grow(project: Path, count: int = 200) -> None:
    write_tree(project, {
        f"claims/safety/herb-harms-liver-{i:03d}.yaml": SAFETY_CLAIM.replace("id: herb-harms-liver", f"id: herb-harms-liver-{i:03d}")
        for i in range(count)
    })


@pytest.mark.skipif(sys.platform == "win32", reason="pauses the first build with SIGSTOP")
def test_concurrent_build_fails_cleanly_and_leaves_the_first_one_alone(project: Path) -> None:
    assert run_cli("build", cwd=project, env=_env()).returncode == 0
    _grow(project)
    first = subprocess.Popen([sys.executable, "-m", "sitegen", "build"], cwd=project,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
    try:
        deadline = time.monotonic() + 120
        fresh: list[Path] = []
        while time.monotonic() < deadline and first.poll() is None:
            fresh = list(project.glob(f".site.sitegen-new-{first.pid}-*"))
            if fresh and next(fresh[0].glob("claims/safety/*/index.html"), None):
                break
            time.sleep(0.02)
        assert first.poll() is None and fresh, "the first build ended before it could be paused; make the project bigger"
        first.send_signal(signal.SIGSTOP)
        try:
            second = run_cli("build", cwd=project, env=_env())
        finally:
            first.send_signal(signal.SIGCONT)
        assert_refused(second, "another sitegen run", f"process {first.pid}")
        assert fresh[0].is_dir(), "the second build left the first one's folder alone"
        stdout, stderr = first.communicate(timeout=300)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert first.returncode == 0, stdout + stderr
    assert (project / "site/claims/safety/herb-harms-liver-199/index.html").is_file()
    assert not list(project.glob(".site.sitegen-*"))
