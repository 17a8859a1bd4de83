"""Stopping ``sitegen serve`` with SIGTERM (``kill``, a process manager) is as clean as Ctrl+C: no temporary site is left."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.unit.test_commands import _free_port, _wait_for


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, *([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])],
                         ids=lambda signum: signal.Signals(signum).name)
def test_a_stopped_serve_removes_its_temporary_site_and_exits_0(project: Path, tmp_path: Path, signum: signal.Signals) -> None:
    private_tmp = tmp_path / "tmp"  # the server's own temporary folder, so the check below is exact
    private_tmp.mkdir()
    port = _free_port()
    env = {**os.environ, "TMPDIR": str(private_tmp)}
    server = subprocess.Popen([sys.executable, "-m", "sitegen", "serve", "-a", f"127.0.0.1:{port}"], cwd=project, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        assert _wait_for(f"http://127.0.0.1:{port}/claims/safety/herb-harms-liver/", "The herb can cause liver injury.", 60)
        assert len(list(private_tmp.iterdir())) == 1, "serve builds into one temporary folder"
        server.send_signal(signum)
        _, stderr = server.communicate(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert server.returncode == 0, stderr
    assert "Shutting down..." in stderr
    assert list(private_tmp.iterdir()) == [], "the temporary site folder is removed"
