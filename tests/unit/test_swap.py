"""The atomic swap: every failure path keeps the previous folder, leaves nothing behind, and
a run cleans up only what dead runs left, never another live run's folder.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sitegen.errors import SitegenError
from sitegen.swap import SwapLockedError, hold_lock, replace_dir
from tests.conftest import write_tree


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): ("dir" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest())
        for p in sorted(folder.rglob("*"))
    }


def _new_site(folder: Path) -> None:
    (folder / "index.html").write_text("new", encoding="utf-8")


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if ".sitegen-" in p.name)


@pytest.fixture(name="site")
def fixture_site(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "site", {"index.html": "previous", "sub/page.html": "previous page"})


def _failing_rename(monkeypatch: pytest.MonkeyPatch, failing_call: int, error: BaseException, *, also_fail_after: bool = False) -> list[str]:
    """Make the ``failing_call``-th ``os.rename`` (1-based) raise ``error`` (and every later one, if asked)."""
    real_rename = os.rename
    calls: list[str] = []

    def rename(source: str | os.PathLike[str], destination: str | os.PathLike[str]) -> None:
        calls.append(Path(source).name)
        if len(calls) == failing_call or (also_fail_after and len(calls) > failing_call):
            raise error
        real_rename(source, destination)

    monkeypatch.setattr(os, "rename", rename)
    return calls


def test_replace_swaps_in_the_new_folder_and_leaves_nothing_behind(site: Path) -> None:
    replace_dir(site, _new_site)
    assert snapshot(site) == {"index.html": hashlib.sha256(b"new").hexdigest()}
    assert leftovers(site.parent) == []


@pytest.mark.parametrize("failing_call", [1, 2], ids=["moving-old-aside", "moving-new-in"])
def test_failed_rename_keeps_previous_folder_and_gives_a_clean_error(
    site: Path, monkeypatch: pytest.MonkeyPatch, failing_call: int
) -> None:
    before = snapshot(site)
    calls = _failing_rename(monkeypatch, failing_call, PermissionError(13, "Permission denied"))
    with pytest.raises(SitegenError, match=r"cannot replace .*Permission denied.*previous output is unchanged"):
        replace_dir(site, _new_site)
    monkeypatch.undo()
    assert calls[0] == "site", "the first rename moves the previous folder aside"
    assert snapshot(site) == before
    assert leftovers(site.parent) == []


def test_first_rename_failing_with_no_previous_folder_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "site"
    _failing_rename(monkeypatch, 1, OSError(18, "Invalid cross-device link"))
    with pytest.raises(SitegenError, match="cannot replace"):
        replace_dir(target, _new_site)
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_interruption_between_the_two_renames_keeps_previous_folder(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(site)
    _failing_rename(monkeypatch, 2, KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        replace_dir(site, _new_site)
    monkeypatch.undo()
    assert snapshot(site) == before
    assert leftovers(site.parent) == []


def test_when_putting_back_fails_too_the_next_run_restores_the_previous_folder(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(site)
    _failing_rename(monkeypatch, 2, OSError(5, "Input/output error"), also_fail_after=True)
    with pytest.raises(SitegenError, match=r"kept in .*\.site\.sitegen-old"):
        replace_dir(site, _new_site)
    monkeypatch.undo()
    assert not site.exists() and snapshot(site.parent / ".site.sitegen-old") == before

    def fail(folder: Path) -> None:
        raise RuntimeError("the next build fails too")

    with pytest.raises(RuntimeError):
        replace_dir(site, fail)
    assert snapshot(site) == before, "restored before anything else"
    assert leftovers(site.parent) == []


def test_failing_fill_removes_its_folder_and_releases_the_lock(site: Path) -> None:
    before = snapshot(site)

    def fill(folder: Path) -> None:
        (folder / "half.html").write_text("half", encoding="utf-8")
        raise ValueError("build broke")

    with pytest.raises(ValueError, match="build broke"):
        replace_dir(site, fill)
    assert snapshot(site) == before
    assert leftovers(site.parent) == []
    replace_dir(site, _new_site)  # the lock was released
    assert (site / "index.html").read_text(encoding="utf-8") == "new"


def test_a_second_run_fails_cleanly_while_the_first_holds_the_lock(site: Path) -> None:
    before = snapshot(site)
    with hold_lock(site):
        with pytest.raises(SwapLockedError, match=f"process {os.getpid()}"):
            replace_dir(site, _new_site)
        assert snapshot(site) == before
    replace_dir(site, _new_site)
    assert leftovers(site.parent) == []


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.mark.skipif(sys.platform == "win32", reason="process liveness is only checked on POSIX")
def test_only_folders_of_dead_runs_are_removed(site: Path) -> None:
    parent = site.parent
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        dead = write_tree(parent / f".site.sitegen-new-{_dead_pid()}-abc", {"index.html": "killed run"})
        alive = write_tree(parent / f".site.sitegen-new-{sleeper.pid}-def", {"index.html": "running"})
        other_name = write_tree(parent / ".site.sitegen-notes", {"keep.txt": "not ours"})
        other_site = write_tree(parent / f".blog.sitegen-new-{_dead_pid()}-ghi", {"index.html": "another output"})
        replace_dir(site, _new_site)
        assert not dead.exists()
        assert alive.exists() and other_name.exists() and other_site.exists()
    finally:
        sleeper.kill()
        sleeper.wait()
