"""Links to efficacy claims in hand-written HTML get the claim's flags; other links stay as they were."""

from __future__ import annotations

from types import SimpleNamespace

from sitegen.mentions import flag_claim_links, resolve_link
from sitegen.model import ClaimKind


def _claim(claim_id: str, kind: ClaimKind) -> SimpleNamespace:
    return SimpleNamespace(id=claim_id, kind=kind, is_efficacy=kind is ClaimKind.EFFICACY)


CLAIMS = {"claims/efficacy/helps/": _claim("helps", ClaimKind.EFFICACY), "claims/safety/harms/": _claim("harms", ClaimKind.SAFETY)}


def _flag(text: str, page_url: str = "safety/") -> str:
    return flag_claim_links(text, page_url=page_url, claims_by_url=CLAIMS, flags=lambda claim: f"[flags of {claim.id}]")  # type: ignore[arg-type]


def test_resolve_link_follows_relative_paths_and_ignores_other_hosts() -> None:
    assert resolve_link("../claims/efficacy/helps/", "safety/") == "claims/efficacy/helps/"
    assert resolve_link("claims/efficacy/helps/#caution", "") == "claims/efficacy/helps/"
    assert resolve_link("../claims/efficacy/helps/index.html", "safety/") == "claims/efficacy/helps/"
    assert resolve_link("https://example.org/claims/efficacy/helps/", "") is None
    assert resolve_link("#top", "safety/") is None


def test_a_link_to_an_efficacy_claim_is_wrapped_with_its_flags() -> None:
    html = '<p>See <a href="../claims/efficacy/helps/#why">this claim</a>.</p>'
    assert _flag(html) == (
        '<p>See <span class="sg-claim-ref" data-claim-id="helps" data-claim-kind="efficacy">'
        '<a href="../claims/efficacy/helps/#why">this claim</a> [flags of helps]</span>.</p>'
    )


def test_other_links_and_sitegens_own_links_are_left_alone() -> None:
    html = ('<a href="../claims/safety/harms/">harms</a> <a href="https://example.org/">out</a> '
            '<a class="sg-claim-link" href="../claims/efficacy/helps/">own</a> <a href="../about/">about</a>')
    assert _flag(html) == html


def test_every_link_in_a_page_is_handled_once() -> None:
    html = '<a href="claims/efficacy/helps/">one</a> and <a href=\'claims/efficacy/helps/\'>two</a>'
    flagged = _flag(html, page_url="")
    assert flagged.count("[flags of helps]") == 2 and flagged.count("sg-claim-ref") == 2
    assert _flag(flagged, page_url="") == flagged, "flagging again changes nothing"
