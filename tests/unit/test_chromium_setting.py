"""The browser tests find a Chromium the same way everywhere: setting, Debian's package, then PATH."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import find_chromium


def _executable(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(0o755)
    return path


def test_the_setting_wins(tmp_path: Path) -> None:
    chosen = str(tmp_path / "my-chromium")
    assert find_chromium({"SITEGEN_CHROMIUM": chosen, "PATH": ""}) == chosen


def test_debian_chromium_comes_before_path(tmp_path: Path) -> None:
    debian = _executable(tmp_path / "usr/bin/chromium", "#!/bin/sh\n")
    _executable(tmp_path / "bin/google-chrome", "#!/bin/sh\n")
    assert find_chromium({"PATH": str(tmp_path / "bin")}, debian=str(debian)) == str(debian)


def test_a_chrome_on_path_is_the_fallback_and_snap_stubs_are_passed_over(tmp_path: Path) -> None:
    missing = str(tmp_path / "no-debian-chromium")
    _executable(tmp_path / "bin/chromium-browser", "#!/bin/sh\nexec snap run chromium \"$@\"\n")
    assert find_chromium({"PATH": str(tmp_path / "bin")}, debian=missing) is None
    chrome = _executable(tmp_path / "bin/google-chrome", "#!/bin/sh\nexec /opt/google/chrome/chrome \"$@\"\n")
    assert find_chromium({"PATH": str(tmp_path / "bin")}, debian=missing) == str(chrome)
