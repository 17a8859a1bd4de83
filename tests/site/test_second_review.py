"""A second, non-kratom review (tests/fixtures/placebo-review) built end to end with its own settings."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, run_cli
from tests.site.htmlparse import parse


@pytest.fixture(name="second_site", scope="module")
def fixture_second_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("second") / "placebo-review"
    shutil.copytree(FIXTURES / "placebo-review", project)
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY")}
    built = run_cli("build", "--strict", cwd=project, env=env)
    assert built.returncode == 0, built.stdout + built.stderr
    checked = run_cli("check-site", "site", cwd=project, env=env)
    assert checked.returncode == 0, checked.stdout
    return project / "site"


def test_every_claim_has_a_page_and_efficacy_claims_carry_both_flags(second_site: Path) -> None:
    claims = json.loads((second_site / "claims.json").read_text(encoding="utf-8"))["claims"]
    assert len(claims) == 6
    for claim in claims:
        page = parse((second_site / claim["url"] / "index.html").read_text(encoding="utf-8"))
        element = page.find_all(lambda e, cid=claim["id"]: e.attrs.get("data-claim-id") == cid and "data-claim-kind" in e.attrs)[0]
        flags = {name for name in ("caution-notice", "needs-research") if element.find_all(lambda e, n=name: e.has_class(n))}
        assert flags == ({"caution-notice", "needs-research"} if claim["kind"] == "efficacy" else set()), claim["id"]


def test_its_own_settings_reach_the_pages(second_site: Path) -> None:
    page_html = (second_site / "claims/does-it-work/open-label-placebo-relieves-ibs/index.html").read_text(encoding="utf-8")
    text = parse(page_html).all_text()
    assert "What the set of common sayings says" in text and "It is test data, not advice." in text
    assert "not medical advice" not in text, "the caution wording is the site's own"
    physiology = (second_site / "claims/how-it-works/waiting-list-patients-improve/index.html").read_text(encoding="utf-8")
    types = [json.loads(block)[1]["@type"] for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', physiology, re.S)]
    assert types == ["WebPage"]


def test_it_never_mentions_the_first_sites_subject(second_site: Path) -> None:
    files = [p for p in second_site.rglob("*") if p.suffix in (".html", ".json", ".csv", ".bib")]
    assert [p for p in files if "kratom" in p.read_text(encoding="utf-8", errors="ignore").lower()] == []
