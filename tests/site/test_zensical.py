"""Zensical, a second engine: it builds the output of 'sitegen render' and check-site passes it."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sitegen.sitecheck import check_site
from tests.conftest import ROOT, run_cli
from tests.site.htmlparse import efficacy_links, parse

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("zensical") is None,
    reason="zensical is not installed: pip install -e '.[test]' installs it (the test extra pins the tested version)",
)


def test_zensical_builds_the_rendered_project_and_check_site_passes(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY")}
    out = tmp_path / "rendered"
    rendered = run_cli("render", "--out", str(out), cwd=ROOT, env=env)
    assert rendered.returncode == 0, rendered.stderr
    built = subprocess.run([sys.executable, "-m", "zensical", "build", "--clean"], cwd=out, capture_output=True, text=True, env=env, check=False)
    assert built.returncode == 0, built.stdout + built.stderr
    site = out / "site"
    assert check_site(site) == ()
    check = run_cli("check-site", str(site), cwd=tmp_path, env=env)
    assert check.returncode == 0, check.stdout
    flagged = 0
    for page in site.rglob("*.html"):
        tree = parse(page.read_text(encoding="utf-8"))
        flagged += len(tree.find_all(lambda e: e.attrs.get("data-claim-kind") == "efficacy"))
    assert flagged > 0, "the Zensical build shows the efficacy claims"
    # links to efficacy claims in hand-written pages carry the flags, as the plugin adds them in a normal build
    checked, bare = efficacy_links(site)
    assert checked > 100 and not bare, bare
