"""House rules that keep the core portable and the output safe."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import ROOT

PACKAGE = ROOT / "sitegen"
ADAPTERS = {"plugin.py", "build.py"}


def test_core_modules_do_not_import_mkdocs_in_source() -> None:
    for module in PACKAGE.rglob("*.py"):
        if module.relative_to(PACKAGE).as_posix() in ADAPTERS:
            continue
        text = module.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import)\s+mkdocs", text, re.M), module.name


def test_build_adapter_imports_mkdocs_lazily() -> None:
    text = (PACKAGE / "build.py").read_text(encoding="utf-8")
    assert not re.search(r"^(from|import)\s+mkdocs", text, re.M)


def test_importing_the_core_and_cli_loads_no_mkdocs() -> None:
    code = (
        "import sys, sitegen, sitegen.cli, sitegen.site, sitegen.render, sitegen.export, sitegen.schema,"
        " sitegen.diff, sitegen.scaffold, sitegen.standalone, sitegen.links, sitegen.build, sitegen.handwritten;"
        " print(sorted(m for m in sys.modules if m.split('.')[0] == 'mkdocs'))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_templates_never_mark_yaml_text_safe() -> None:
    for template in (PACKAGE / "templates").glob("*.j2"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"\|\s*safe\b", text), template.name
        assert "autoescape false" not in text, template.name


def test_core_modules_do_not_print() -> None:
    for module in PACKAGE.rglob("*.py"):
        if module.relative_to(PACKAGE).parts[0] == "cli":  # the command line is the one place that prints
            continue
        assert not re.search(r"^\s*print\(", module.read_text(encoding="utf-8"), re.M), module.name
