"""The distribution a new team installs: the wheel, in a clean virtual environment, runs init and build --strict.

This is the slowest test (it builds a wheel and installs its dependencies into a new
environment, from pip's cache or the package index); deselect it with ``-m "not package"``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.package


def _run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "PYTHONPATH", "VIRTUAL_ENV")}
    env["SITE_URL"] = "https://review.example.org/"  # as the new project's workflow sets it
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, env=env, check=False)


@pytest.fixture(name="wheel", scope="session")
def fixture_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    built = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", out, ROOT, cwd=out)
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = out.glob("sitegen_evidence-*.whl")
    return wheel


def test_the_wheel_ships_templates_assets_and_init_files(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("sitegen/templates/claim_page.html.j2", "sitegen/assets/sitegen.css", "sitegen/templates/init/mkdocs.yml.j2",
                   "sitegen/templates/init/dot-github/workflows/site.yml", "sitegen/validate/__init__.py",
                   "sitegen/plugin/__init__.py", "sitegen/plugin/preview.py"):
        assert needed in names, needed
    assert not [n for n in names if n.startswith(("tests/", "claims/", "content/"))], "only the package ships"


def test_a_clean_environment_runs_init_and_a_strict_build(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    installed = _run(python, "-m", "pip", "install", "--quiet", wheel, cwd=tmp_path)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    sitegen = env_dir / "bin" / "sitegen"
    made = _run(sitegen, "init", "review", "--title", "A new review", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    built = _run(sitegen, "build", "--strict", cwd=tmp_path / "review")
    assert built.returncode == 0, built.stdout + built.stderr
    checked = _run(sitegen, "check-site", "site", cwd=tmp_path / "review")
    assert checked.returncode == 0, checked.stdout
    where = _run(python, "-c", "import sitegen; print(sitegen.__file__)", cwd=tmp_path)
    assert str(env_dir) in where.stdout, "the installed package is used, not the source tree"
