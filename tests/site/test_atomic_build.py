"""Nothing lost: a failed, killed or interrupted build leaves the previous output byte-identical,
validation never touches the input, and the same tree always builds to the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sitegen.catalog import load_catalog
from tests.conftest import SAFETY_CLAIM, base_files, run_cli, write_tree

POSIX_SIGNALS = pytest.mark.skipif(sys.platform == "win32", reason="Windows has no SIGKILL, and SIGINT cannot be sent to a child process")
BROKEN = SAFETY_CLAIM.replace("verdict: supported", "verdict: supportd")


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY")}


def snapshot(folder: Path) -> dict[str, str]:
    """Every file and folder under ``folder``: relative path -> sha256 of the bytes (or 'dir')."""
    assert folder.is_dir(), folder
    return {
        p.relative_to(folder).as_posix(): ("dir" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest())
        for p in sorted(folder.rglob("*"))
    }


def build(project: Path, site: Path) -> subprocess.CompletedProcess[str]:
    return run_cli("build", "--site-dir", str(site), cwd=project, env=_env())


@pytest.fixture(name="baseline", scope="module")
def fixture_baseline(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A small project and its site, built once by ``sitegen build``; tests copy them."""
    project = write_tree(tmp_path_factory.mktemp("baseline") / "project", base_files())
    site = project / "site"
    result = build(project, site)
    assert result.returncode == 0, result.stdout + result.stderr
    return project, site


@pytest.fixture(name="built")
def fixture_built(baseline: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    project = tmp_path / "project"
    shutil.copytree(baseline[0], project, symlinks=True)
    return project, project / "site"


def test_failed_build_leaves_previous_site_identical(built: tuple[Path, Path]) -> None:
    project, site = built
    before = snapshot(site)
    write_tree(project, {"claims/safety/herb-harms-liver.yaml": BROKEN})
    result = build(project, site)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "previous site is untouched" in result.stderr
    assert snapshot(site) == before
    assert not list(project.glob(".site.sitegen-*"))


def test_build_failing_inside_mkdocs_leaves_previous_site_identical(built: tuple[Path, Path]) -> None:
    """Content is valid but MkDocs aborts (strict mode and a broken nav link): the swap never happens."""
    project, site = built
    before = snapshot(site)
    config = (project / "mkdocs.yml").read_text(encoding="utf-8") + "  - Missing: no-such-page.md\n"
    write_tree(project, {"mkdocs.yml": config})
    result = run_cli("build", "--strict", "--site-dir", str(site), cwd=project, env=_env())
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert snapshot(site) == before
    assert not list(project.glob(".site.sitegen-*"))


def _grow(project: Path, count: int = 200) -> None:
    write_tree(project, {
        f"claims/safety/herb-harms-liver-{i:03d}.yaml": SAFETY_CLAIM.replace("id: herb-harms-liver", f"id: herb-harms-liver-{i:03d}")
        for i in range(count)
    })


# A build slowed down page by page, so the signal always lands while pages are being written,
# however fast or loaded the machine is.
_SLOW_BUILD = """
import sys, time
import mkdocs.utils
real = mkdocs.utils.write_file
def slow(*args, **kwargs):
    real(*args, **kwargs)
    time.sleep(0.05)
mkdocs.utils.write_file = slow
from sitegen.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _start_and_stop(project: Path, site: Path, signum: int) -> subprocess.CompletedProcess[str]:
    """Start a long build, wait until MkDocs is writing pages into the temporary folder, then signal it."""
    process = subprocess.Popen(
        [sys.executable, "-c", _SLOW_BUILD, "build", "--site-dir", str(site)],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(),
    )
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and process.poll() is None:
            fresh = list(project.glob(".site.sitegen-new-*"))
            if fresh and next(fresh[0].glob("claims/safety/*/index.html"), None):
                break
            time.sleep(0.02)
        assert process.poll() is None, "the build ended before it could be stopped; make the project bigger"
        process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


@POSIX_SIGNALS
def test_killed_build_leaves_previous_site_identical(built: tuple[Path, Path]) -> None:
    project, site = built
    before = snapshot(site)
    _grow(project)
    result = _start_and_stop(project, site, signal.SIGKILL)
    assert result.returncode == -signal.SIGKILL
    assert snapshot(site) == before
    # The next build clears what the killed one left behind.
    for path in project.glob("claims/safety/herb-harms-liver-*.yaml"):
        path.unlink()
    again = build(project, site)
    assert again.returncode == 0, again.stdout + again.stderr
    assert not list(project.glob(".site.sitegen-*"))
    assert snapshot(site) == before


@POSIX_SIGNALS
def test_interrupted_build_leaves_previous_site_identical(built: tuple[Path, Path]) -> None:
    project, site = built
    before = snapshot(site)
    _grow(project)
    result = _start_and_stop(project, site, signal.SIGINT)
    assert result.returncode == 130, result.stderr[-2000:]
    assert "interrupted; nothing was changed" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert snapshot(site) == before
    assert not list(project.glob(".site.sitegen-*")), "an interrupted build cleans up its temporary folder"


# Runs ``sitegen build`` with a fault at the rename that moves the new site into place,
# whatever module does the swap: 'fail' raises OSError there, 'crash' ends the process
# there as a power cut would (after the previous site was moved aside).
_FAULTY_BUILD = """
import os, sys
target, mode = os.path.abspath(sys.argv[1]), sys.argv[2]
real = {"rename": os.rename, "replace": os.replace}
faults = []

def faulty(name):
    def move(src, dst, *args, **kwargs):
        if os.path.abspath(dst) == target and not faults:
            faults.append(src)
            if mode == "crash":
                os._exit(9)
            raise OSError(28, "No space left on device (injected)")
        return real[name](src, dst, *args, **kwargs)
    return move

os.rename, os.replace = faulty("rename"), faulty("replace")
from sitegen.cli import main
code = main(["build", "--site-dir", target])
assert faults, "the fault was never injected: the swap no longer renames into the target"
sys.exit(code)
"""


def _faulty_build(project: Path, site: Path, mode: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _FAULTY_BUILD, str(site), mode], cwd=project, capture_output=True, text=True, env=_env(), check=False,
    )


def test_failure_at_the_second_rename_restores_the_previous_site(built: tuple[Path, Path]) -> None:
    project, site = built
    before = snapshot(site)
    result = _faulty_build(project, site, "fail")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "injected" in result.stderr
    assert snapshot(site) == before


def test_build_after_a_crash_between_the_renames_restores_the_previous_site(built: tuple[Path, Path]) -> None:
    """A crash leaves the previous site moved aside; the next build, even a failing one, puts it back."""
    project, site = built
    before = snapshot(site)
    crashed = _faulty_build(project, site, "crash")
    assert crashed.returncode == 9, crashed.stdout + crashed.stderr
    assert not site.exists(), "the crash happened after the previous site was moved aside"
    config = (project / "mkdocs.yml").read_text(encoding="utf-8") + "  - Missing: no-such-page.md\n"
    write_tree(project, {"mkdocs.yml": config})
    failing = run_cli("build", "--strict", "--site-dir", str(site), cwd=project, env=_env())
    assert failing.returncode == 2, failing.stdout + failing.stderr
    assert snapshot(site) == before


def test_failed_render_leaves_previous_output_identical(project: Path) -> None:
    out = project / "standalone"
    first = run_cli("render", "--out", str(out), cwd=project, env=_env())
    assert first.returncode == 0, first.stdout + first.stderr
    before = snapshot(out)
    write_tree(project, {"claims/safety/herb-harms-liver.yaml": BROKEN})
    second = run_cli("render", "--out", str(out), cwd=project, env=_env())
    assert second.returncode == 1, second.stdout + second.stderr
    assert snapshot(out) == before
    assert not list(project.glob(".standalone.sitegen-*"))


@pytest.mark.parametrize("broken", [False, True], ids=["clean", "broken"])
def test_commands_never_modify_the_input(project: Path, broken: bool) -> None:
    if broken:
        write_tree(project, {"claims/safety/herb-harms-liver.yaml": BROKEN})
    before = snapshot(project / "claims"), snapshot(project / "content"), (project / "mkdocs.yml").read_bytes()
    for args in (["validate", "--strict", "--format", "json"], ["render", "--out", "standalone"]):
        run_cli(*args, cwd=project, env=_env())
    after = snapshot(project / "claims"), snapshot(project / "content"), (project / "mkdocs.yml").read_bytes()
    assert after == before


def test_two_builds_of_the_same_tree_are_byte_identical(baseline: tuple[Path, Path], tmp_path: Path) -> None:
    project, site = baseline
    inputs = snapshot(project / "claims"), snapshot(project / "content"), (project / "mkdocs.yml").read_bytes()
    other = tmp_path / "site-again"
    result = build(project, other)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (snapshot(project / "claims"), snapshot(project / "content"), (project / "mkdocs.yml").read_bytes()) == inputs, \
        "building never modifies the input"
    first, second = snapshot(site), snapshot(other)
    assert first.keys() == second.keys()
    differing = sorted(k for k in first if first[k] != second[k])
    assert not differing, differing


def test_claim_named_index_is_refused_so_it_cannot_replace_the_topic_page(project: Path) -> None:
    write_tree(project, {
        "claims/safety/index.yaml": SAFETY_CLAIM.replace("id: herb-harms-liver", "id: index"),
    })
    result = load_catalog(project / "claims", root=project, today=dt.date(2026, 11, 25))
    assert result.catalog is None
    assert [(p.code, p.where.path, p.where.line) for p in result.problems] == [("SG205", "claims/safety/index.yaml", 1)]
