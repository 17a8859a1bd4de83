"""The plugin's options in mkdocs.yml change what a plain MkDocs build does."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import EFFICACY_CLAIM, MKDOCS_YML, base_files, mkdocs_build, write_tree

# A content warning that does not depend on today's date: markup in a plain-text field (SG240).
WARNED_CLAIM = EFFICACY_CLAIM.replace(
    "summary: Users say it helps, but no trial has tested it.",
    "summary: Users say it helps, but no trial has tested it (see [a survey](https://example.org)).",
)


def _build(root: Path, strict: bool) -> None:
    config_text = MKDOCS_YML.replace("  - sitegen\n", f"  - sitegen:\n      strict: {str(strict).lower()}\n")
    write_tree(root, {**base_files(), "mkdocs.yml": config_text, "claims/efficacy-claims/herb-relieves-low-mood.yaml": WARNED_CLAIM})
    mkdocs_build(root / "mkdocs.yml", root / "site")


def test_strict_option_fails_the_build_on_a_content_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from mkdocs.exceptions import Abort

    with pytest.raises(Abort):  # MkDocs turns the plugin's PluginError into an abort
        _build(tmp_path / "project", strict=True)
    assert any("SG240" in record.getMessage() for record in caplog.records)
    assert any("run 'sitegen validate'" in record.getMessage() and record.levelname == "ERROR" for record in caplog.records)
    assert not (tmp_path / "project" / "site" / "claims").exists()


def test_without_strict_a_content_warning_is_logged_and_the_site_is_built(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    _build(tmp_path / "project", strict=False)
    assert (tmp_path / "project" / "site" / "claims" / "efficacy-claims" / "herb-relieves-low-mood" / "index.html").is_file()
    assert any("SG240" in record.getMessage() and record.levelname == "WARNING" for record in caplog.records)
