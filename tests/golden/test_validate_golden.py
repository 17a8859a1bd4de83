"""Golden corpus of bad inputs: one YAML case per fault, each with every problem it must produce.

A case (``tests/golden/validate/<case>.yaml``) holds:

``description``
    What is wrong and where the problem must point.
``files``
    Project-relative path -> file text, laid over the minimal valid project of
    ``conftest.base_files()``; ``null`` deletes the file.
``files_hex`` (optional)
    Path -> hex string, for bytes that are not valid UTF-8 (or a BOM).
``files_generated`` (optional)
    Path -> ``{prefix, repeat, times, suffix}``, for files too big to write out
    (the oversized file): the text is ``prefix + repeat * times + suffix``.
``output_contains`` (optional)
    Strings the text output of ``sitegen validate`` must contain (hints such as
    "did you mean").
``xfail`` (optional)
    ``"BUG: ..."``: the expected problems are right but the code is not yet; the case
    runs as a strict xfail. ``--update-goldens`` leaves such cases alone.
``problems``
    Every problem, errors and warnings: ``[CODE, path, line, column]``. Must be the
    last key: ``pytest --update-goldens`` rewrites it from the current output.

Positions: a bad value points at the value, an unknown or duplicate key at the key, a
missing key at the mapping that lacks it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
import yaml

from sitegen.catalog import load_catalog
from sitegen.codes import CODES
from tests.conftest import base_files, run_cli

CASES_DIR = Path(__file__).resolve().parent / "validate"
TODAY = dt.date(2026, 11, 25)
TODAY_EPOCH = str(int(dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC).timestamp()))
CASE_KEYS = {"description", "files", "files_hex", "files_generated", "output_contains", "xfail", "problems"}

Expected = set[tuple[str, str, int, int]]


def _load(path: Path) -> dict:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(case, dict), path
    assert set(case) <= CASE_KEYS, f"{path.name}: unknown keys {set(case) - CASE_KEYS}"
    assert case.get("description"), f"{path.name}: every case needs a description"
    assert "problems" in case, f"{path.name}: every case needs 'problems:' (run with --update-goldens)"
    return case


def _params() -> list[object]:
    params = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        case = _load(path)
        marks = [pytest.mark.xfail(strict=True, reason=case["xfail"])] if case.get("xfail") else []
        params.append(pytest.param(path, id=path.stem, marks=marks))
    return params


def write_case(root: Path, case: dict) -> None:
    """Write the minimal valid project with the case's files laid over it, byte for byte."""
    files: dict[str, bytes | None] = {k: v.encode("utf-8") for k, v in base_files().items()}
    for relative, text in (case.get("files") or {}).items():
        files[relative] = None if text is None else str(text).encode("utf-8")
    for relative, hex_text in (case.get("files_hex") or {}).items():
        files[relative] = bytes.fromhex("".join(str(hex_text).split()))
    for relative, spec in (case.get("files_generated") or {}).items():
        text = spec.get("prefix", "") + spec["repeat"] * int(spec["times"]) + spec.get("suffix", "")
        files[relative] = text.encode("utf-8")
    for relative, data in files.items():
        if data is None:
            continue
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _expected(case: dict) -> Expected:
    return {(str(c), str(p), int(line), int(col)) for c, p, line, col in case["problems"] or []}


def _rewrite(path: Path, actual: Expected) -> None:
    text = path.read_text(encoding="utf-8")
    match = re.search(r"^problems:", text, re.MULTILINE)
    assert match, f"{path.name}: 'problems:' must be the last key, at the start of a line"
    ordered = sorted(actual, key=lambda p: (p[1], p[2], p[3], p[0]))
    lines = [f"  - {yaml.safe_dump(list(p), default_flow_style=True, width=1000).strip()}" for p in ordered]
    body = "problems:\n" + "\n".join(lines) + "\n" if lines else "problems: []\n"
    path.write_text(text[: match.start()] + body, encoding="utf-8")


def _cli_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY")}
    env["SOURCE_DATE_EPOCH"] = TODAY_EPOCH  # the CLI judges overdue reviews against the same day
    return env


@pytest.mark.parametrize("case_path", _params())
def test_golden_case(case_path: Path, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    case = _load(case_path)
    root = tmp_path / "project"
    write_case(root, case)

    result = load_catalog(root / "claims", root=root, today=TODAY)
    actual = {(p.code, p.where.path, p.where.line, p.where.column) for p in result.problems}

    if request.config.getoption("--update-goldens") and not case.get("xfail"):
        _rewrite(case_path, actual)
        case = _load(case_path)

    for problem in result.problems:
        assert problem.severity is CODES[problem.code].severity, f"{problem.code} has the registry's severity"
    listing = "\n".join(f"  {p.where}: {p.severity} {p.code} {p.message}" for p in result.problems)
    assert actual == _expected(case), f"{case_path.name}: problems differ; found:\n{listing}"
    errors = sum(p.is_error for p in result.problems)
    assert (result.catalog is None) == (errors > 0), "a catalogue exactly when there is no error"

    cli = run_cli("validate", "--format", "text", cwd=root, env=_cli_env())
    output = cli.stdout + cli.stderr
    assert "Traceback" not in output, output
    if errors:
        assert cli.returncode == 1, output
    else:
        assert cli.returncode == 0, output
    for _code, path, line, column in _expected(case):
        assert f"{path}:{line}:{column}:" in cli.stdout, f"{path}:{line}:{column} missing from:\n{cli.stdout}"
    for text in case.get("output_contains") or []:
        assert text in cli.stdout, f"{text!r} missing from:\n{cli.stdout}"
    if result.problems and not errors:
        strict = run_cli("validate", "--format", "text", "--strict", cwd=root, env=_cli_env())
        assert strict.returncode == 1, strict.stdout + strict.stderr


NOT_GOLDENABLE: dict[str, str] = {
    "SG115": "found in hand-written Markdown pages, not in records: tests/unit/test_markers.py, tests/unit/test_handwritten.py",
    "SG401": "found on built HTML by check-site, not in records: tests/unit/test_sitecheck.py",
    "SG402": "found on built HTML by check-site, not in records: tests/unit/test_sitecheck.py",
}
"""Registered codes without a golden case, each with the reason."""


def test_corpus_covers_every_registered_code() -> None:
    """Every code in the registry has a golden case, or a stated reason why it cannot have one."""
    seen = {str(p[0]) for path in CASES_DIR.glob("*.yaml") for p in _load(path)["problems"] or []}
    assert set(NOT_GOLDENABLE) <= set(CODES), "a listed exception is not a registered code"
    missing = sorted(set(CODES) - set(NOT_GOLDENABLE) - seen)
    assert not missing, f"no golden case for {missing}"
