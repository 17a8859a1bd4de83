"""The registry of problem codes and the validator agree: no code is emitted unregistered, none is registered unused."""

from __future__ import annotations

import ast
import re

from sitegen.codes import CODES
from tests.conftest import ROOT

CODE = re.compile(r"SG\d{3}")


def _code_literals() -> dict[str, set[str]]:
    """Every string literal in sitegen/ that is exactly a problem code, with the modules using it."""
    found: dict[str, set[str]] = {}
    for module in sorted((ROOT / "sitegen").rglob("*.py")):
        if module.name == "codes.py":
            continue
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE.fullmatch(node.value):
                found.setdefault(node.value, set()).add(module.relative_to(ROOT).as_posix())
    return found


def test_every_code_in_the_source_is_registered() -> None:
    unregistered = {code: sorted(where) for code, where in _code_literals().items() if code not in CODES}
    assert not unregistered, f"codes used but missing from sitegen/codes.py: {unregistered}"


def test_every_registered_code_is_used() -> None:
    assert sorted(set(CODES) - set(_code_literals())) == []


def test_registry_keys_match_entries_and_are_sorted() -> None:
    assert all(key == entry.code for key, entry in CODES.items())
    assert list(CODES) == sorted(CODES)
    assert all(entry.title and entry.title == entry.title.strip() for entry in CODES.values())
