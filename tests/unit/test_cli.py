"""The command line as a user meets it: exit codes, output formats, help."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import SAFETY_CLAIM, run_cli, write_tree

BROKEN_VERDICT = SAFETY_CLAIM.replace("verdict: supported", "verdict: supportd")


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY")}
    env.update(extra)
    return env


def test_clean_project_exits_zero(project: Path) -> None:
    result = run_cli("validate", cwd=project, env=_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_broken_record_gives_located_error_and_exit_one(project: Path) -> None:
    write_tree(project, {"claims/safety/herb-harms-liver.yaml": BROKEN_VERDICT})
    result = run_cli("validate", cwd=project, env=_env())
    assert result.returncode == 1
    assert "claims/safety/herb-harms-liver.yaml:6:10: error SG204" in result.stdout
    assert "hint: did you mean 'supported'?" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_json_format(project: Path) -> None:
    write_tree(project, {"claims/safety/herb-harms-liver.yaml": BROKEN_VERDICT})
    result = run_cli("validate", "--format", "json", cwd=project, env=_env())
    problems = json.loads(result.stdout)["problems"]
    assert [(p["code"], p["line"], p["column"]) for p in problems] == [("SG204", 6, 10)]


def test_github_format_and_job_summary(project: Path, tmp_path: Path) -> None:
    write_tree(project, {"claims/safety/herb-harms-liver.yaml": BROKEN_VERDICT})
    summary = tmp_path / "summary.md"
    result = run_cli("validate", cwd=project, env=_env(GITHUB_ACTIONS="true", GITHUB_STEP_SUMMARY=str(summary)))
    assert result.returncode == 1
    assert result.stdout.startswith("::error file=claims/safety/herb-harms-liver.yaml,line=6,col=10,title=SG204::")
    assert "| `claims/safety/herb-harms-liver.yaml:6:10` | error | SG204 |" in summary.read_text(encoding="utf-8")


def test_explicit_text_format_wins_inside_github_actions(project: Path) -> None:
    write_tree(project, {"claims/safety/herb-harms-liver.yaml": BROKEN_VERDICT})
    result = run_cli("validate", "--format", "text", cwd=project, env=_env(GITHUB_ACTIONS="true"))
    assert "::error" not in result.stdout and ":6:10: error SG204" in result.stdout


def test_strict_turns_warnings_into_failure(project: Path) -> None:
    overdue = (project / "claims/safety/herb-harms-liver.yaml").read_text(encoding="utf-8").replace("2099-01-10", "2026-02-01")
    write_tree(project, {"claims/safety/herb-harms-liver.yaml": overdue})
    assert run_cli("validate", cwd=project, env=_env()).returncode == 0
    strict = run_cli("validate", "--strict", cwd=project, env=_env())
    assert strict.returncode == 1 and "warning SG302" in strict.stdout


def test_missing_claims_folder_is_an_environment_error(tmp_path: Path) -> None:
    result = run_cli("validate", cwd=tmp_path, env=_env())
    assert result.returncode == 2
    assert result.stderr.startswith("sitegen: error: claims folder not found")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["validate", "build", "serve", "render", "schema", "new", "diff", "check-links"])
def test_every_command_has_help(command: str, tmp_path: Path) -> None:
    result = run_cli(command, "--help", cwd=tmp_path, env=_env())
    assert result.returncode == 0 and "usage: sitegen" in result.stdout


def test_build_failure_leaves_previous_site_untouched(project: Path) -> None:
    site = project / "site"
    assert run_cli("build", "--site-dir", str(site), cwd=project, env=_env()).returncode == 0
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    write_tree(project, {"claims/safety/herb-harms-liver.yaml": BROKEN_VERDICT})
    result = run_cli("build", "--site-dir", str(site), cwd=project, env=_env())
    assert result.returncode == 1 and "previous site is untouched" in result.stderr
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
