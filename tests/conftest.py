"""Shared fixtures: small project factories and one session-scoped build of the real site."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from sitegen.model import Catalog

ROOT = Path(__file__).resolve().parent.parent
REAL_SITE_URL = "https://kratom-review.example.org/"
"""The address the real site is built for in the tests (the Pages workflow sets the true one)."""
FIXTURES = Path(__file__).resolve().parent / "fixtures"


DEBIAN_CHROMIUM = "/usr/bin/chromium"
CHROME_NAMES = ("google-chrome", "google-chrome-stable", "chromium", "chromium-browser", "chrome")


def find_chromium(environ: dict[str, str] | None = None, *, debian: str = DEBIAN_CHROMIUM) -> str | None:
    """The Chromium the browser tests drive, or None when there is none.

    ``SITEGEN_CHROMIUM`` wins when set (even if it is wrong: the tests then say so). Else
    Debian's ``/usr/bin/chromium`` (what ``.ci/run`` installs), else a Chrome or Chromium on
    ``PATH`` (GitHub's Ubuntu runners preinstall Google Chrome). Ubuntu's snap stubs are
    passed over: they do not start on a hosted runner.
    """
    environ = dict(os.environ) if environ is None else environ
    if environ.get("SITEGEN_CHROMIUM"):
        return environ["SITEGEN_CHROMIUM"]
    if os.access(debian, os.X_OK):
        return debian
    for name in CHROME_NAMES:
        found = shutil.which(name, path=environ.get("PATH", ""))
        if found and not _is_snap_stub(Path(found)):
            return found
    return None


def _is_snap_stub(path: Path) -> bool:
    if os.path.realpath(path).startswith("/snap/"):
        return True
    with path.open("rb") as handle:
        head = handle.read(4096)
    return head.startswith(b"#!") and b"snap" in head


# Tests pass whatever today's date is: every validation, build and scaffold in the session
# judges review freshness against this day (sitegen.clock.build_date reads SOURCE_DATE_EPOCH,
# and subprocesses inherit it). Tests about overdue reviews set a later day themselves; the
# real content's freshness is reported by 'sitegen validate' in CI, as warnings.
PINNED_TODAY = dt.date(2026, 11, 30)
PINNED_EPOCH = str(int(dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC).timestamp()))


def pytest_configure(config: pytest.Config) -> None:
    os.environ["SOURCE_DATE_EPOCH"] = PINNED_EPOCH


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens", action="store_true", default=False,
        help="rewrite the expected problems of tests/golden/validate/*.yaml from the current output (review the diff)",
    )


SITE_YAML = """\
name: Test review
description: A tiny review used by the tests.
reviewed_work:
  title: The reviewed article
  description: An article under review.
crisis_help:
  text: If you are in crisis, call your local emergency number.
  url: https://example.org/help
"""

TOPICS_YAML = """\
topics:
  - id: efficacy-claims
    title: Efficacy claims
    description: Claims that something treats a condition.
  - id: safety
    title: Safety
    description: Harms and risks.
"""

SOURCES_YAML = """\
sources:
  - id: trial2020
    type: journal-article
    authors: [Doe J, Roe R]
    title: A randomised trial
    container: Journal of Tests
    year: 2020
    doi: 10.1000/trial.2020
    pmid: "12345678"
    design: rct
    population: humans
  - id: survey2021
    type: journal-article
    authors: [Poe P]
    title: A survey of users
    container: Survey Journal
    year: 2021
    url: https://example.org/survey
    design: cross-sectional-survey
    population: humans
"""

EFFICACY_CLAIM = """\
id: herb-relieves-low-mood
title: The herb relieves low mood
kind: efficacy
topic: efficacy-claims
statement: The herb relieves low mood in adults.
quote: The herb is a natural mood lifter.
verdict: insufficient-evidence
evidence_level: observational
summary: Users say it helps, but no trial has tested it.
evidence:
  - source: survey2021
    stance: supports
    note: Self-report survey of current users.
caveats:
  - Surveys of users are self-report.
related:
  - herb-harms-liver
reviewed:
  date: 2026-01-10
  next_due: 2099-01-10
history:
  - date: 2026-01-10
    change: First published.
certainty:
  rating: low
"""

SAFETY_CLAIM = """\
id: herb-harms-liver
title: The herb can harm the liver
kind: safety
topic: safety
statement: The herb can cause liver injury.
verdict: supported
evidence_level: rct
summary: A trial recorded liver problems.
evidence:
  - source: trial2020
    stance: supports
    note: Randomised trial with liver tests.
reviewed:
  date: 2026-01-10
  next_due: 2099-01-10
history:
  - date: 2026-01-10
    change: First published.
certainty:
  rating: moderate
  lowered:
    - domain: imprecision
      reason: One small trial with few liver events.
"""

MKDOCS_YML = """\
site_name: Test review
site_url: https://example.org/
docs_dir: content
theme:
  name: material
  font: false
plugins:
  - search
  - tags
  - sitegen
nav:
  - Home: index.md
  - Claims: claims/index.md
"""


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write ``files`` (relative path -> text) under ``root``; return ``root``."""
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def base_files() -> dict[str, str]:
    """A minimal valid project: site, topics, two sources, two claims, MkDocs config."""
    return {
        "claims/site.yaml": SITE_YAML,
        "claims/topics.yaml": TOPICS_YAML,
        "claims/sources/main.yaml": SOURCES_YAML,
        "claims/efficacy-claims/herb-relieves-low-mood.yaml": EFFICACY_CLAIM,
        "claims/safety/herb-harms-liver.yaml": SAFETY_CLAIM,
        "mkdocs.yml": MKDOCS_YML,
        "content/index.md": "# Home\n\n<!-- sitegen:crisis -->\n\n<!-- sitegen:evidence-map -->\n",
    }


@pytest.fixture(name="project")
def fixture_project(tmp_path: Path) -> Path:
    """A fresh copy of the minimal valid project."""
    return write_tree(tmp_path / "project", base_files())


PROJECT_TODAY = dt.date(2026, 11, 25)
"""The date the small test project is judged on, so no test depends on the real date."""


@pytest.fixture(name="catalog")
def fixture_catalog(project: Path) -> Catalog:
    """The small test project's catalogue, loaded cleanly."""
    from sitegen.catalog import load_catalog

    result = load_catalog(project / "claims", root=project, today=PROJECT_TODAY)
    assert result.catalog is not None, result.problems
    return result.catalog


def mkdocs_build(config_file: Path, site_dir: Path, *, strict: bool = False) -> None:
    """Build with the real MkDocs API as `mkdocs build` does: startup, build, shutdown."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(config_file), site_dir=str(site_dir), strict=strict)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()


def run_cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m sitegen`` as a user would, capturing output."""
    return subprocess.run(
        [sys.executable, "-m", "sitegen", *args], cwd=cwd, capture_output=True, text=True, env=env, check=False
    )


@pytest.fixture(name="built_site", scope="session")
def fixture_built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once per test session with ``sitegen build``."""
    out = tmp_path_factory.mktemp("real") / "site"
    result = run_cli("build", "--site-dir", str(out), cwd=ROOT, env={**os.environ, "SITE_URL": REAL_SITE_URL})
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(name="copy_of_repo")
def fixture_copy_of_repo(tmp_path: Path) -> Path:
    """A throwaway copy of the repository's content and configuration."""
    target = tmp_path / "repo"
    for name in ("claims", "content", "overrides", "schema"):
        shutil.copytree(ROOT / name, target / name)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    return target
