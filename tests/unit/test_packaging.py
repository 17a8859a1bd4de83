"""What pyproject.toml promises is true: Python floor, dependency floors tested in CI, shipped files."""

from __future__ import annotations

import re
import tomllib

import yaml
from packaging.version import Version

from tests.conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
LOWEST = ROOT / "tests" / "constraints-lowest.txt"


def _floors(requirements: list[str]) -> dict[str, Version]:
    floors = {}
    for requirement in requirements:
        match = re.match(r"([A-Za-z0-9_.-]+)\s*(?:>=|==)\s*([0-9][0-9.]*)", requirement)
        assert match, f"every dependency states its lowest version: {requirement}"
        floors[match.group(1).lower()] = Version(match.group(2))
    return floors


def _pins() -> dict[str, Version]:
    lines = [line.split("#")[0].strip() for line in LOWEST.read_text(encoding="utf-8").splitlines()]
    return {name.lower(): Version(version) for name, version in (line.split("==") for line in lines if line)}


def test_lowest_constraints_pin_exactly_the_declared_floors() -> None:
    project = PYPROJECT["project"]
    floors = _floors(project["dependencies"]) | _floors(project["optional-dependencies"]["test"])
    assert _pins() == floors


def test_package_data_globs_each_match_a_file() -> None:
    package = ROOT / "sitegen"
    for pattern in PYPROJECT["tool"]["setuptools"]["package-data"]["sitegen"]:
        assert list(package.glob(pattern)), f"package-data {pattern!r} matches nothing"
    assert (package / "py.typed").is_file()


def test_python_floor_matches_what_ci_tests() -> None:
    assert PYPROJECT["project"]["requires-python"] == ">=3.11.4"  # tarfile's extraction filter (diff) needs 3.11.4
    workflow = yaml.safe_load((ROOT / ".github/workflows/site.yml").read_text(encoding="utf-8"))
    pythons = workflow["jobs"]["tests"]["strategy"]["matrix"]["python"]
    assert pythons[0] == "3.11" and len(pythons) == 2
    assert set(workflow["jobs"]["tests"]["strategy"]["matrix"]["os"]) >= {"ubuntu-24.04", "macos-14", "windows-2022"}
