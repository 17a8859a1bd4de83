"""sitegen serve with invalid content: it says where it serves, shows the problems as 'validate' does, recovers."""

from __future__ import annotations

import html
import subprocess
import sys
from pathlib import Path

from tests.conftest import SAFETY_CLAIM, run_cli, write_tree
from tests.unit.test_commands import _fetch, _free_port, _wait_for

BROKEN = SAFETY_CLAIM.replace("verdict: supported", "verdict: supportd")
CLAIM = "claims/safety/herb-harms-liver.yaml"


def test_serve_shows_problems_in_the_validate_format_then_the_fixed_site(project: Path, tmp_path: Path) -> None:
    write_tree(project, {CLAIM: BROKEN})
    expected = run_cli("validate", "--format", "text", cwd=project).stdout
    assert expected.startswith(f"{CLAIM}:6:10: error SG204")
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("w", encoding="utf-8") as sink:
        server = subprocess.Popen([sys.executable, "-m", "sitegen", "serve", "-a", f"127.0.0.1:{port}"], cwd=project,
                                  stdout=sink, stderr=subprocess.STDOUT)
    home, claim_url = f"http://127.0.0.1:{port}/", f"http://127.0.0.1:{port}/claims/safety/herb-harms-liver/"
    try:
        assert _wait_for(home, "error SG204", 60), "serve did not show the problems"
        page = _fetch(home) or ""
        listing = page.split('<pre class="sg-problems">', 1)[1].split("</pre>", 1)[0]
        assert html.unescape(listing) == expected, "the same text as 'sitegen validate'"
        assert "livereload" in page, "the problem page reloads by itself"
        write_tree(project, {CLAIM: SAFETY_CLAIM})
        assert _wait_for(claim_url, "The herb can cause liver injury.", 60), "serve did not recover after the fix"
        write_tree(project, {CLAIM: BROKEN})
        assert _wait_for(claim_url, "error SG204", 60), "the open claim page shows the problems, and does not hang"
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert f"Serving on http://127.0.0.1:{port}/" in log.read_text(encoding="utf-8")
