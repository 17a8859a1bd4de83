"""Links to efficacy claims in hand-written HTML get the claim's flags; other links stay as they were."""

from __future__ import annotations

from types import SimpleNamespace

from sitegen.mentions import flag_claim_links, flag_markdown_links, resolve_link
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


def _flag_md(text: str, page_uri: str = "safety.md") -> str:
    page = "" if page_uri == "index.md" else page_uri[: -len(".md")] + "/"
    return flag_markdown_links(text, page_uri=page_uri, page_url=page, claims_by_url=CLAIMS,  # type: ignore[arg-type]
                               flags=lambda claim: f"<i>flags of {claim.id}</i>")


def _ref(link: str) -> str:
    return f'<span class="sg-claim-ref" data-claim-id="helps" data-claim-kind="efficacy">{link} <i>flags of helps</i></span>'


def test_markdown_links_to_an_efficacy_claim_are_wrapped_with_its_flags() -> None:
    text = ("See [this *claim*](claims/efficacy/helps.md#why), [again][h], [Helps] and [twice][].\n"
            "Not [harms](claims/safety/harms.md) nor ![an image](claims/efficacy/helps.md).\n\n"
            "[h]: claims/efficacy/helps.md\n[helps]: <claims/efficacy/helps/> 'title'\n[twice]: claims/efficacy/helps.md\n")
    assert _flag_md(text, "index.md") == (
        f"See {_ref('[this *claim*](claims/efficacy/helps.md#why)')}, {_ref('[again][h]')}, {_ref('[Helps]')} and {_ref('[twice][]')}.\n"
        "Not [harms](claims/safety/harms.md) nor ![an image](claims/efficacy/helps.md).\n\n"
        "[h]: claims/efficacy/helps.md\n[helps]: <claims/efficacy/helps/> 'title'\n[twice]: claims/efficacy/helps.md\n"
    )


def test_markdown_links_resolve_from_the_pages_folder() -> None:
    assert _flag_md("[a](../claims/efficacy/helps.md)", "contributing/errors.md") == _ref("[a](../claims/efficacy/helps.md)")
    assert _flag_md("[a](../../claims/efficacy/helps/)", "contributing/errors.md") == _ref("[a](../../claims/efficacy/helps/)")
    assert _flag_md("[a](claims/efficacy/helps.md)", "contributing/errors.md") == "[a](claims/efficacy/helps.md)", "no such page"


def test_raw_html_links_in_markdown_are_wrapped_and_sitegens_own_are_not() -> None:
    link = '<a href="../claims/efficacy/helps/">helps</a>'
    own = '<a class="sg-claim-link" href="../claims/efficacy/helps/">own</a>'
    assert _flag_md(f"{link} {own}") == f"{_ref(link)} {own}"


def test_links_shown_as_code_stay_as_written() -> None:
    text = ("Write `[a](claims/efficacy/helps.md)` or ``[b](claims/efficacy/helps.md)``:\n\n"
            "```markdown\n[c](claims/efficacy/helps.md)\n```\n\n<!-- [d](claims/efficacy/helps.md) -->\n"
            "~~~~\n[e][h]\n~~~~\n\n[h]: claims/efficacy/helps.md\n")
    assert _flag_md(text, "index.md") == text


def test_flagging_markdown_again_changes_nothing() -> None:
    once = _flag_md("[a](claims/efficacy/helps.md) and <a href='claims/efficacy/helps/'>b</a>", "index.md")
    assert once.count("flags of helps") == 2
    assert _flag_md(once, "index.md") == once
