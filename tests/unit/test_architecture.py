"""House rules that keep the core portable and the output safe."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "sitegen"
ADAPTERS = {PACKAGE / "plugin", PACKAGE / "build.py"}  # the MkDocs adapter package, and sitegen build / serve (lazily)


def _core_modules() -> list[Path]:
    """Every module of the package, in subpackages too, outside the adapters."""
    return [m for m in sorted(PACKAGE.rglob("*.py")) if not any(m == a or a in m.parents for a in ADAPTERS)]


def test_core_modules_do_not_import_mkdocs_in_source() -> None:
    core = _core_modules()
    assert PACKAGE / "site.py" in core and PACKAGE / "validate" / "pages.py" in core
    assert not [m for m in core if m.parent.name == "plugin"], "the adapter package is not core"
    for module in core:
        text = module.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import)\s+mkdocs", text, re.M), module.relative_to(PACKAGE).as_posix()


def test_the_mkdocs_entry_point_and_the_plugin_import_still_resolve() -> None:
    # every installed entry point named 'sitegen' (a stale editable install may leave a second one) loads our plugin
    code = (
        "from sitegen.plugin import SitegenConfig, SitegenPlugin\n"
        "from importlib.metadata import entry_points\n"
        "found = entry_points(group='mkdocs.plugins', name='sitegen')\n"
        "assert found and all(e.load() is SitegenPlugin for e in found)\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.stdout.strip() == "ok", result.stderr


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
