"""The caution contract read from built HTML, on small hand-written sites (no MkDocs)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitegen.errors import SitegenError
from sitegen.sitecheck import check_site

FLAGS = '<div class="caution-notice"><p>Caution: not advice.</p></div><div class="needs-research"><p>Needs research.</p></div>'


def _site(tmp_path: Path, pages: dict[str, str], claims: list[dict[str, str]] | None = None) -> Path:
    site = tmp_path / "site"
    for uri, body in pages.items():
        (site / uri).parent.mkdir(parents=True, exist_ok=True)
        (site / uri).write_text(f"<html><body>\n{body}\n</body></html>\n", encoding="utf-8")
    claims = claims if claims is not None else [{"id": "c1", "kind": "efficacy", "url": "claims/t/c1/"}, {"id": "s1", "kind": "safety", "url": "claims/t/s1/"}]
    (site / "claims.json").write_text(json.dumps({"claims": claims}), encoding="utf-8")
    return site


def _codes(site: Path) -> list[tuple[str, str, int]]:
    return [(p.code, p.where.path, p.where.line) for p in check_site(site, label="")]


def _claim(body: str, claim_id: str = "c1") -> str:
    return f'<article data-claim-id="{claim_id}" data-claim-kind="efficacy">\n{body}\n</article>'


def test_flagged_site_is_clean(tmp_path: Path) -> None:
    site = _site(tmp_path, {"claims/t/c1/index.html": _claim(FLAGS), "index.html": "<ul><li>" + _claim(FLAGS) + "</li></ul>"})
    assert check_site(site) == ()


def test_element_missing_a_flag_is_named_with_page_and_position(tmp_path: Path) -> None:
    only_caution = '<span class="sg-badge caution-notice">Caution</span>'
    site = _site(tmp_path, {"claims/t/c1/index.html": _claim(FLAGS), "index.html": "<p>list</p>\n" + _claim(only_caution)})
    problems = check_site(site, label="site")
    assert [(p.code, str(p.where)) for p in problems] == [("SG401", "site/index.html:3:1")]
    assert "c1" in problems[0].message and "needs-research" in problems[0].message


def test_compact_badges_with_the_class_names_satisfy_the_contract(tmp_path: Path) -> None:
    badges = '<span class="sg-badge caution-notice">Caution</span> <span class="sg-badge needs-research">Needs research</span>'
    site = _site(tmp_path, {"claims/t/c1/index.html": _claim(FLAGS), "claims/index.html": "<table><tr>" + _claim(badges).replace("article", "td") + "</tr></table>"})
    assert check_site(site) == ()


@pytest.mark.parametrize(
    "flags",
    [
        FLAGS.replace('<div class="caution-notice">', '<div class="caution-notice" hidden>'),
        FLAGS.replace('<div class="needs-research">', '<div class="needs-research" style="display: none">'),
        f'<div aria-hidden="true">{FLAGS}</div>',
        FLAGS.replace("<p>Caution: not advice.</p>", " "),
    ],
    ids=["hidden", "display-none", "aria-hidden-ancestor", "empty"],
)
def test_hidden_or_empty_flags_do_not_count(tmp_path: Path, flags: str) -> None:
    site = _site(tmp_path, {"claims/t/c1/index.html": _claim(flags)})
    assert _codes(site) == [("SG401", "claims/t/c1/index.html", 2)]


def test_claim_page_without_the_claim_element_is_reported(tmp_path: Path) -> None:
    site = _site(tmp_path, {"claims/t/c1/index.html": f"<article>{FLAGS}</article>"})
    assert _codes(site) == [("SG402", "claims/t/c1/index.html", 1)]


def test_missing_claim_page_is_reported(tmp_path: Path) -> None:
    site = _site(tmp_path, {"index.html": _claim(FLAGS)})
    assert _codes(site) == [("SG402", "claims/t/c1/index.html", 1)]


def test_non_efficacy_claims_need_no_flags(tmp_path: Path) -> None:
    site = _site(tmp_path, {"claims/t/c1/index.html": _claim(FLAGS), "claims/t/s1/index.html": '<article data-claim-id="s1" data-claim-kind="safety"></article>'})
    assert check_site(site) == ()


def test_folder_without_claims_export_is_an_environment_error(tmp_path: Path) -> None:
    site = _site(tmp_path, {"index.html": "<p>hi</p>"})
    (site / "claims.json").unlink()
    with pytest.raises(SitegenError, match=r"claims\.json"):
        check_site(site)
    with pytest.raises(SitegenError, match="not found"):
        check_site(tmp_path / "nowhere")
