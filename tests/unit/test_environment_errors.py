"""Environment errors (exit 2): a missing folder or file, an unreadable file, a broken MkDocs setup.

Each must give exactly one ``sitegen: error:`` line naming what to fix, no traceback, and
leave no half-written output behind.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sitegen import cli
from tests.conftest import run_cli, write_tree

EXIT_ENVIRONMENT = 2


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY")}


def assert_one_error_line(stdout: str, stderr: str, *fragments: str) -> str:
    """Exactly one ``sitegen: error:`` line, containing every fragment; no traceback anywhere."""
    assert "Traceback" not in stdout + stderr, stdout + stderr
    errors = [line for line in stderr.splitlines() if line.startswith("sitegen: error:")]
    assert len(errors) == 1, stderr
    for fragment in fragments:
        assert fragment in errors[0], errors[0]
    return errors[0]


def assert_no_leftovers(parent: Path) -> None:
    assert not list(parent.glob(".*.sitegen-*")), sorted(p.name for p in parent.iterdir())


def test_missing_claims_folder(tmp_path: Path) -> None:
    result = run_cli("validate", cwd=tmp_path, env=_env())
    assert result.returncode == EXIT_ENVIRONMENT
    assert_one_error_line(result.stdout, result.stderr, "claims folder not found", "claims")
    assert result.stdout == ""


def test_missing_claims_folder_given_with_claims_dir(project: Path) -> None:
    result = run_cli("validate", "--claims-dir", "no-such-folder", cwd=project, env=_env())
    assert result.returncode == EXIT_ENVIRONMENT
    assert_one_error_line(result.stdout, result.stderr, "claims folder not found", "no-such-folder")


@pytest.mark.parametrize("name", ["site.yaml", "topics.yaml"])
def test_missing_required_file(project: Path, name: str) -> None:
    (project / "claims" / name).unlink()
    result = run_cli("validate", cwd=project, env=_env())
    assert result.returncode == EXIT_ENVIRONMENT
    assert_one_error_line(result.stdout, result.stderr, f"claims/{name}")


def test_missing_site_yaml_stops_build_before_mkdocs(project: Path) -> None:
    (project / "claims" / "site.yaml").unlink()
    result = run_cli("build", "--site-dir", str(project / "out"), cwd=project, env=_env())
    assert result.returncode == EXIT_ENVIRONMENT
    assert_one_error_line(result.stdout, result.stderr, "claims/site.yaml")
    assert not (project / "out").exists()


def _is_readable_after_chmod(path: Path) -> bool:
    path.chmod(0)
    readable = os.access(path, os.R_OK)
    if readable:  # root (or CAP_DAC_OVERRIDE) reads anyway: undo, the test simulates instead
        path.chmod(0o644)
    return readable


def test_unreadable_claim_file(project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    target = project / "claims" / "safety" / "herb-harms-liver.yaml"
    if not _is_readable_after_chmod(target):
        try:
            result = run_cli("validate", cwd=project, env=_env())
        finally:
            target.chmod(0o644)
        assert result.returncode == EXIT_ENVIRONMENT
        assert_one_error_line(result.stdout, result.stderr, "cannot read claims/safety/herb-harms-liver.yaml", "Permission denied")
        return
    # Running as root: chmod 000 does not stop reads, so make opening this one file fail in-process.
    real_open = os.open

    def fail_open(path: str | os.PathLike[str], flags: int, *args: int, **kwargs: int) -> int:
        if os.path.basename(path) == target.name:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", fail_open)
    code = cli.main(["validate", "--root", str(project), "--format", "text"])
    captured = capsys.readouterr()
    assert code == EXIT_ENVIRONMENT
    assert_one_error_line(captured.out, captured.err, "cannot read claims/safety/herb-harms-liver.yaml", "Permission denied")


def test_claim_file_that_is_a_symlink_loop(project: Path) -> None:
    """A real unreadable file even as root: reading a self-referencing symlink fails (ELOOP)."""
    (project / "claims" / "safety" / "loop.yaml").symlink_to("loop.yaml")
    result = run_cli("validate", cwd=project, env=_env())
    assert result.returncode == EXIT_ENVIRONMENT
    assert_one_error_line(result.stdout, result.stderr, "cannot read claims/safety/loop.yaml")


def test_dangling_symlink_error_names_the_link(project: Path) -> None:
    (project / "claims" / "safety" / "gone.yaml").symlink_to("nowhere.yaml")
    result = run_cli("validate", cwd=project, env=_env())
    assert result.returncode == EXIT_ENVIRONMENT
    assert_one_error_line(result.stdout, result.stderr, "claims/safety/gone.yaml")


def test_build_without_the_sitegen_plugin(project: Path) -> None:
    config = (project / "mkdocs.yml").read_text(encoding="utf-8").replace("  - sitegen\n", "")
    write_tree(project, {"mkdocs.yml": config})
    result = run_cli("build", "--site-dir", str(project / "out"), cwd=project, env=_env())
    assert result.returncode == EXIT_ENVIRONMENT
    assert_one_error_line(result.stdout, result.stderr, "sitegen plugin", "plugins:")
    assert not (project / "out").exists()
    assert_no_leftovers(project)


def test_build_without_the_sitegen_plugin_keeps_previous_site(project: Path) -> None:
    site = project / "out"
    site.mkdir()
    (site / "index.html").write_text("previous", encoding="utf-8")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8").replace("  - sitegen\n", "")
    write_tree(project, {"mkdocs.yml": config})
    result = run_cli("build", "--site-dir", str(site), cwd=project, env=_env())
    assert result.returncode == EXIT_ENVIRONMENT
    assert_one_error_line(result.stdout, result.stderr, "sitegen plugin")
    assert [p.name for p in site.iterdir()] == ["index.html"]
    assert (site / "index.html").read_text(encoding="utf-8") == "previous"
    assert_no_leftovers(project)


def test_build_with_missing_mkdocs_yml(project: Path) -> None:
    (project / "mkdocs.yml").unlink()
    result = run_cli("build", "--site-dir", str(project / "out"), cwd=project, env=_env())
    assert result.returncode == EXIT_ENVIRONMENT
    assert_one_error_line(result.stdout, result.stderr, "mkdocs.yml")
    assert not (project / "out").exists()


def test_build_with_missing_config_file_option(project: Path) -> None:
    result = run_cli("build", "-f", "other.yml", cwd=project, env=_env())
    assert result.returncode == EXIT_ENVIRONMENT
    assert_one_error_line(result.stdout, result.stderr, "other.yml")


def test_build_with_mkdocs_yml_that_is_not_yaml(project: Path) -> None:
    write_tree(project, {"mkdocs.yml": "site_name: [unclosed\n"})
    result = run_cli("build", "--site-dir", str(project / "out"), cwd=project, env=_env())
    assert result.returncode == EXIT_ENVIRONMENT
    assert_one_error_line(result.stdout, result.stderr, "mkdocs.yml", "not valid YAML")
    assert not (project / "out").exists()


def test_build_with_unknown_theme(project: Path) -> None:
    config = (project / "mkdocs.yml").read_text(encoding="utf-8").replace("name: material", "name: no-such-theme")
    write_tree(project, {"mkdocs.yml": config})
    result = run_cli("build", "--site-dir", str(project / "out"), cwd=project, env=_env())
    assert result.returncode == EXIT_ENVIRONMENT
    assert_one_error_line(result.stdout, result.stderr, "MkDocs")
    assert "no-such-theme" in result.stderr  # MkDocs logs the bad setting just above our line
    assert not (project / "out").exists()
    assert_no_leftovers(project)


def test_render_with_missing_mkdocs_yml(project: Path) -> None:
    (project / "mkdocs.yml").unlink()
    result = run_cli("render", "--out", "standalone", cwd=project, env=_env())
    assert result.returncode == EXIT_ENVIRONMENT
    assert_one_error_line(result.stdout, result.stderr, "mkdocs.yml")
    assert not (project / "standalone").exists()


def test_render_without_the_sitegen_plugin(project: Path) -> None:
    config = (project / "mkdocs.yml").read_text(encoding="utf-8").replace("  - sitegen\n", "")
    write_tree(project, {"mkdocs.yml": config})
    result = run_cli("render", "--out", "standalone", cwd=project, env=_env())
    assert result.returncode == EXIT_ENVIRONMENT
    assert_one_error_line(result.stdout, result.stderr, "sitegen plugin")
    assert not (project / "standalone").exists()
    assert_no_leftovers(project)
