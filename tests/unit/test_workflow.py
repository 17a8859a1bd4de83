"""The CI workflow and pre-commit hooks call commands that exist, with pinned actions."""

from __future__ import annotations

import re
import shlex

import yaml

from sitegen.cli.arguments import build_parser
from tests.conftest import ROOT


def _steps() -> list[dict[str, object]]:
    workflow = yaml.safe_load((ROOT / ".github/workflows/site.yml").read_text(encoding="utf-8"))
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def test_every_action_is_pinned_to_a_version() -> None:
    uses = [str(step["uses"]) for step in _steps() if "uses" in step]
    assert uses
    for action in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+\.\d+\.\d+", action), action


def test_every_sitegen_command_in_ci_parses() -> None:
    parser = build_parser()
    commands = [str(step["run"]) for step in _steps() if str(step.get("run", "")).startswith("sitegen ")]
    assert {"validate", "build", "diff"} <= {shlex.split(c)[1] for c in commands}
    for command in commands:
        argv = shlex.split(command.split(">")[0])[1:]
        parser.parse_args(argv)


def _step(name: str) -> dict[str, object]:
    found = [step for step in _steps() if step.get("name") == name]
    assert len(found) == 1, f"the workflow needs exactly one step named {name!r}"
    return found[0]


def test_pull_requests_validate_test_build_upload_and_comment() -> None:
    assert shlex.split(str(_step("Validate claims")["run"]))[:3] == ["sitegen", "validate", "--strict"]
    assert str(_step("Tests")["run"]).strip() == "bash .ci/run"
    assert shlex.split(str(_step("Build (strict)")["run"]))[:3] == ["sitegen", "build", "--strict"]
    uses = {str(step["uses"]).split("@")[0] for step in _steps() if "uses" in step}
    assert {"actions/upload-artifact", "marocchino/sticky-pull-request-comment", "actions/deploy-pages"} <= uses


def test_pre_commit_hooks_run_validate() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hooks[0]["id"] == "sitegen-validate" and hooks[0]["entry"] == "sitegen validate --strict"
    local = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert local["repos"][0]["hooks"][0]["id"] == "sitegen-validate"
    assert shlex.split(local["repos"][0]["hooks"][0]["entry"])[-2:] == ["validate", "--strict"], "warnings judged as the strict build does"


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = 'python3 -m venv .venv && .venv/bin/pip install -e ".[test]" && .venv/bin/python -m pytest'
    assert command in readme
    assert command in (ROOT / ".ci/run").read_text(encoding="utf-8")


def test_lint_job_runs_ruff_and_strict_mypy() -> None:
    workflow = yaml.safe_load((ROOT / ".github/workflows/site.yml").read_text(encoding="utf-8"))
    runs = [shlex.split(str(step["run"])) for step in workflow["jobs"]["lint"]["steps"] if "run" in step]
    assert ["ruff", "check", "sitegen", "tests", "benchmarks"] in runs
    assert ["mypy", "--strict", "sitegen"] in runs


def test_lowest_dependencies_job_installs_the_constraints() -> None:
    workflow = yaml.safe_load((ROOT / ".github/workflows/site.yml").read_text(encoding="utf-8"))
    runs = " ".join(str(step.get("run", "")) for step in workflow["jobs"]["lowest-dependencies"]["steps"])
    assert "-c tests/constraints-lowest.txt" in runs and 'python -m pytest -m "not browser"' in runs


def test_browser_tests_run_in_debian_like_ci_run() -> None:
    """The job that runs .ci/run (browser tests included) is a Debian container, where apt's chromium is real."""
    workflow = yaml.safe_load((ROOT / ".github/workflows/site.yml").read_text(encoding="utf-8"))
    job = next(j for j in workflow["jobs"].values() if any(step.get("name") == "Tests" for step in j["steps"]))
    assert job["container"]["image"] == "python:3.11-bookworm"
    script = (ROOT / ".ci/run").read_text(encoding="utf-8")
    assert "apt-get install -y -qq chromium" in script


def test_a_job_builds_and_checks_the_distributions() -> None:
    workflow = yaml.safe_load((ROOT / ".github/workflows/site.yml").read_text(encoding="utf-8"))
    runs = [str(step.get("run", "")) for step in workflow["jobs"]["package"]["steps"]]
    assert any("python -m build" in run for run in runs) and any("twine check" in run for run in runs)
