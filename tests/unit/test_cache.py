"""The cache of checked files makes runs faster and never changes what they report."""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

import sitegen.cache
import sitegen.catalog
import sitegen.reading
from sitegen.catalog import CACHE_DIR, LoadResult, load_catalog
from tests.conftest import run_cli
from tests.golden.test_validate_golden import CASES_DIR, _load, write_case

TODAY = dt.date(2026, 11, 25)
EFFICACY = "claims/efficacy-claims/herb-relieves-low-mood.yaml"
SAFETY = "claims/safety/herb-harms-liver.yaml"


def _everything(result: LoadResult) -> tuple[object, ...]:
    """All a run reports: every field of every problem, the catalogue and the files."""
    return result.problems, result.catalog, result.files


def _load_project(root: Path, cache: Path | None, *, check_only: bool = False) -> LoadResult:
    return load_catalog(root / "claims", root=root, today=TODAY, cache_dir=cache, check_only=check_only)


MODES = pytest.mark.parametrize("check_only", [False, True], ids=["catalogue", "check-only"])


@pytest.fixture(name="checked")
def fixture_checked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths of the claim files actually read and checked (not taken from the cache)."""
    seen: list[str] = []
    original = sitegen.catalog.check_claim_file

    def spy(path: str, data: bytes) -> sitegen.catalog.ClaimFile:
        seen.append(path)
        return original(path, data)

    monkeypatch.setattr(sitegen.catalog, "check_claim_file", spy)
    return seen


@pytest.mark.parametrize("case_path", sorted(CASES_DIR.glob("*.yaml")), ids=lambda p: p.stem)
def test_with_and_without_the_cache_every_golden_gives_the_same_result(case_path: Path, tmp_path: Path) -> None:
    root = tmp_path / "project"
    write_case(root, _load(case_path))
    without = _everything(_load_project(root, None))
    cold = _everything(_load_project(root, tmp_path / "cache"))
    warm = _everything(_load_project(root, tmp_path / "cache"))
    assert cold == without
    assert warm == without
    # checking only (what 'sitegen validate' does) finds the very same problems, cached or not
    problems_only = (without[0], None, without[2])
    for _ in range(2):
        assert _everything(_load_project(root, tmp_path / "cache", check_only=True)) == problems_only
    assert _everything(_load_project(root, None, check_only=True)) == problems_only


@MODES
def test_a_warm_run_reads_nothing_again_and_a_changed_file_is_read_again(project: Path, tmp_path: Path, checked: list[str],
                                                                        check_only: bool) -> None:
    cache = tmp_path / "cache"
    _load_project(project, cache, check_only=check_only)
    assert sorted(checked) == [EFFICACY, SAFETY]
    checked.clear()
    _load_project(project, cache, check_only=check_only)
    assert checked == []
    path = project / SAFETY
    path.write_text(path.read_text(encoding="utf-8").replace("The herb can cause liver injury.", "It can injure the liver."), encoding="utf-8")
    result = _load_project(project, cache, check_only=check_only)
    assert checked == [SAFETY]
    if check_only:
        assert result.problems == () and result.catalog is None
        return
    assert result.catalog is not None
    assert {c.id: c.statement for c in result.catalog.claims}["herb-harms-liver"] == "It can injure the liver."


@MODES
def test_an_error_introduced_into_a_cached_file_is_reported(project: Path, tmp_path: Path, check_only: bool) -> None:
    cache = tmp_path / "cache"
    assert _load_project(project, cache, check_only=check_only).problems == ()
    path = project / SAFETY
    path.write_text(path.read_text(encoding="utf-8").replace("verdict: supported", "verdict: maybe"), encoding="utf-8")
    result = _load_project(project, cache, check_only=check_only)
    assert [(p.code, p.where.path, p.where.line, p.where.column) for p in result.problems] == [("SG204", SAFETY, 6, 10)]
    assert _everything(result) == _everything(_load_project(project, None, check_only=check_only))


@MODES
def test_a_deleted_file_disappears(project: Path, tmp_path: Path, check_only: bool) -> None:
    cache = tmp_path / "cache"
    _load_project(project, cache, check_only=check_only)
    (project / SAFETY).unlink()
    result = _load_project(project, cache, check_only=check_only)
    assert SAFETY not in {p.where.path for p in result.problems}
    assert project / SAFETY not in result.files
    # the efficacy claim names the deleted one as related: that is now an unknown claim
    assert [(p.code, p.where.path) for p in result.problems if p.is_error] == [("SG304", EFFICACY)]
    assert _everything(result) == _everything(_load_project(project, None, check_only=check_only))


def _cache_file(cache: Path) -> Path:
    (found,) = cache.glob("*.pickle")
    return found


@pytest.mark.parametrize("damage", ["garbage", "truncated", "flipped byte", "empty"])
@MODES
def test_a_corrupt_cache_is_ignored_and_rebuilt(project: Path, tmp_path: Path, checked: list[str], damage: str, check_only: bool) -> None:
    cache = tmp_path / "cache"
    expected = _everything(_load_project(project, cache, check_only=check_only))
    file = _cache_file(cache)
    data = file.read_bytes()
    damaged = {
        "garbage": b"not a cache at all",
        "truncated": data[: len(data) // 2],
        "flipped byte": data[:-10] + bytes([data[-10] ^ 0xFF]) + data[-9:],
        "empty": b"",
    }[damage]
    file.write_bytes(damaged)
    checked.clear()
    assert _everything(_load_project(project, cache, check_only=check_only)) == expected
    assert sorted(checked) == [EFFICACY, SAFETY]  # read again, not taken from the damaged cache
    checked.clear()
    assert _everything(_load_project(project, cache, check_only=check_only)) == expected
    assert checked == []  # and the rebuilt cache works


class _Planted:
    """A pickle that would create a file when loaded by an unrestricted unpickler."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (str(self.target), "w"))


@MODES
@pytest.mark.parametrize("slot", [0, -1, -2], ids=["results", "last-run", "file-status"])
def test_a_planted_cache_file_runs_no_code(project: Path, tmp_path: Path, checked: list[str], check_only: bool, slot: int) -> None:
    cache = tmp_path / "cache"
    expected = _everything(_load_project(project, cache, check_only=check_only))
    file = _cache_file(cache)
    data = file.read_bytes()
    head = len(b"sitegen-cache 1\n") + 16  # magic and this folder's salt, kept so the body is unpickled
    target = tmp_path / "planted"
    planted = {SAFETY: (b"x", _Planted(target))} if slot >= 0 else (b"key", _Planted(target))
    body = pickle.dumps({slot: pickle.dumps(planted)})
    file.write_bytes(data[:head] + hashlib.blake2b(body, digest_size=16).digest() + body)
    checked.clear()
    assert _everything(_load_project(project, cache, check_only=check_only)) == expected
    assert not target.exists()
    assert sorted(checked) == [EFFICACY, SAFETY]


_PARALLEL_SCRIPT = """
import pickle, sys
from pathlib import Path
import sitegen.cache, sitegen.catalog
sitegen.cache._workers = lambda: 2  # as on a machine with two cores, whatever this one has
jobs = [(p, (Path(sys.argv[1]) / p).read_bytes()) for p in sys.argv[2:]]
done = sitegen.cache._run_parallel(sitegen.catalog.check_claim_file, jobs)
sys.stdout.buffer.write(pickle.dumps((done, [sitegen.catalog.check_claim_file(*j) for j in jobs])))
"""


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="workers are forked; this system cannot fork")
def test_checking_in_worker_processes_gives_the_same_result(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a fresh interpreter: this one may have threads left by other tests, and then no worker is forked
    run = subprocess.run([sys.executable, "-c", _PARALLEL_SCRIPT, str(project), EFFICACY, SAFETY], capture_output=True, check=True)
    in_workers, in_process = pickle.loads(run.stdout)
    assert in_workers is not None and in_workers == in_process
    expected = _everything(_load_project(project, None))
    monkeypatch.setattr(sitegen.cache, "PARALLEL_FROM", 1)
    assert _everything(_load_project(project, tmp_path / "cache")) == expected


def test_the_command_line_caches_in_a_git_ignored_folder_unless_told_not_to(project: Path) -> None:
    result = run_cli("validate", "--no-cache", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (project / CACHE_DIR).exists()
    result = run_cli("validate", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "*" in (project / CACHE_DIR / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert list((project / CACHE_DIR).glob("*.pickle"))
    result = run_cli("validate", "--cache-dir", "elsewhere", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert list((project / "elsewhere").glob("*.pickle"))


def test_a_new_site_ignores_the_cache_folder(tmp_path: Path) -> None:
    folder = tmp_path / "site"
    result = run_cli("init", str(folder), "--title", "A review", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{CACHE_DIR}/" in (folder / ".gitignore").read_text(encoding="utf-8").splitlines()


def test_a_memo_keeps_results_in_memory_between_loads(project: Path, tmp_path: Path, checked: list[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    cache, memo = tmp_path / "cache", sitegen.catalog.CheckMemo()
    expected = _everything(_load_project(project, None))
    checked.clear()
    assert _everything(load_catalog(project / "claims", root=project, today=TODAY, cache_dir=cache, memo=memo)) == expected
    assert sorted(checked) == [EFFICACY, SAFETY]
    checked.clear()

    def no_disk(self: sitegen.cache.RecordCache) -> None:
        raise AssertionError("the cache file was read again")

    monkeypatch.setattr(sitegen.cache.RecordCache, "_load", no_disk)
    written = _cache_file(cache).read_bytes()
    path = project / SAFETY
    path.write_text(path.read_text(encoding="utf-8").replace("verdict: supported", "verdict: maybe"), encoding="utf-8")
    for cache_dir in (cache, None):  # with or without a cache folder
        result = load_catalog(project / "claims", root=project, today=TODAY, cache_dir=cache_dir, memo=memo)
        assert [(p.code, p.where.path, p.where.line, p.where.column) for p in result.problems] == [("SG204", SAFETY, 6, 10)]
    assert checked == [SAFETY]  # the changed file only, and once
    assert _cache_file(cache).read_bytes() == written  # nor is the file written while the memo serves
    (project / "claims" / "topics.yaml").write_text((project / "claims" / "topics.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    checked.clear()
    load_catalog(project / "claims", root=project, today=TODAY, memo=memo)
    assert sorted(checked) == [EFFICACY, SAFETY]  # other settings: nothing is reused


@pytest.fixture(name="reads")
def fixture_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The record files whose bytes were read (not vouched for by their unchanged status)."""
    seen: list[str] = []
    original = sitegen.reading.read_bytes

    def spy(path: Path | str, shown: str) -> bytes:
        seen.append(shown)
        return original(path, shown)

    monkeypatch.setattr(sitegen.reading, "read_bytes", spy)
    return seen


@MODES
def test_a_file_with_the_same_status_is_not_read_again_and_any_change_is_seen(
    project: Path, tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch, check_only: bool,
) -> None:
    monkeypatch.setattr(sitegen.reading, "SETTLED_NS", -(10**18))  # as if every file had been left alone for long
    cache = tmp_path / "cache"
    _load_project(project, cache, check_only=check_only)
    assert EFFICACY in reads and SAFETY in reads
    reads.clear()
    assert _load_project(project, cache, check_only=check_only).problems == ()
    assert reads == []
    # the same size and modification time: the change time (or inode) still tells
    path = project / SAFETY
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("verdict: supported", "verdict: supportex"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    result = _load_project(project, cache, check_only=check_only)
    assert reads == [SAFETY]
    assert [(p.code, p.where.path, p.where.line, p.where.column) for p in result.problems] == [("SG204", SAFETY, 6, 10)]
    assert _everything(result) == _everything(_load_project(project, None, check_only=check_only))


def test_a_file_changed_just_before_a_run_is_read_again_on_the_next(project: Path, tmp_path: Path, reads: list[str]) -> None:
    cache = tmp_path / "cache"
    _load_project(project, cache, check_only=True)
    reads.clear()
    _load_project(project, cache, check_only=True)
    assert sorted(reads) == sorted(str(p.relative_to(project).as_posix()) for p in (project / "claims").rglob("*.yaml")
                                   if p.parent.name != "claims")


def test_the_last_run_is_reused_only_for_the_same_day(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    for today in (TODAY, dt.date(2099, 6, 1), dt.date(2099, 6, 1), TODAY):
        cached = load_catalog(project / "claims", root=project, today=today, cache_dir=cache, check_only=True)
        fresh = load_catalog(project / "claims", root=project, today=today, check_only=True)
        assert cached.problems == fresh.problems
        assert [p.code for p in cached.problems] == ([] if today == TODAY else ["SG302", "SG302"])
