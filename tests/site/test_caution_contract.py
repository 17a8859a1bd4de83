"""The caution contract holds on the built HTML whatever templates a site overrides."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from sitegen.templating import TEMPLATES_DIR
from tests.conftest import MKDOCS_YML, run_cli, write_tree

CLAIM_PAGE = "site/claims/efficacy-claims/herb-relieves-low-mood/index.html"


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY")}


def _empty_flags_macros() -> str:
    original = (TEMPLATES_DIR / "_macros.html.j2").read_text(encoding="utf-8")
    emptied, count = re.subn(r"(\{% macro flags\(claim\) -%\}).*?(\{%- endmacro %\})", r"\1\2", original, flags=re.DOTALL)
    assert count == 1
    return emptied


def test_overriding_the_flags_macro_with_nothing_fails_the_build(project: Path) -> None:
    mkdocs = MKDOCS_YML.replace("  - sitegen\n", "  - sitegen:\n      overrides_dir: sitegen-overrides\n")
    write_tree(project, {"mkdocs.yml": mkdocs, "sitegen-overrides/_macros.html.j2": _empty_flags_macros()})
    result = run_cli("build", "--strict", cwd=project, env=_env())
    output = result.stdout + result.stderr
    assert result.returncode == 1, "a content problem, not an environment error (exit 2)\n" + output
    assert re.search(rf"^{re.escape(CLAIM_PAGE)}:\d+:\d+: error SG401 efficacy claim herb-relieves-low-mood is shown without", result.stdout, re.M), output
    assert not (project / "site").exists(), "a failed build writes no site"
    assert "Traceback" not in output
    as_json = run_cli("build", "--format", "json", "--site-dir", "public", cwd=project, env=_env())
    assert as_json.returncode == 1, as_json.stdout + as_json.stderr
    found = {(p["code"], p["path"]) for p in json.loads(as_json.stdout)["problems"]}
    assert ("SG401", "public/claims/efficacy-claims/herb-relieves-low-mood/index.html") in found, found


def test_check_site_passes_a_good_site_and_fails_one_with_a_flag_removed(project: Path) -> None:
    assert run_cli("build", cwd=project, env=_env()).returncode == 0
    clean = run_cli("check-site", "site", cwd=project, env=_env())
    assert (clean.returncode, clean.stdout) == (0, "")
    page = project / CLAIM_PAGE
    html = page.read_text(encoding="utf-8")
    stripped, count = re.subn(r'<div class="sg-notice needs-research".*?</div>', "", html, count=1, flags=re.DOTALL)
    assert count == 1
    page.write_text(stripped, encoding="utf-8")
    broken = run_cli("check-site", "site", "--format", "text", cwd=project, env=_env())
    assert broken.returncode == 1
    assert re.match(rf"{re.escape(CLAIM_PAGE)}:\d+:\d+: error SG401 efficacy claim herb-relieves-low-mood is shown without 'needs-research'", broken.stdout)


def test_check_site_on_a_folder_that_is_no_site_exits_two(tmp_path: Path) -> None:
    result = run_cli("check-site", str(tmp_path / "missing"), cwd=tmp_path, env=_env())
    assert result.returncode == 2 and "Traceback" not in result.stderr
