"""One broken record gives one error: claims citing a broken source are not told to add it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sitegen.catalog import load_catalog
from tests.conftest import EFFICACY_CLAIM, SOURCES_YAML, write_tree

TODAY = dt.date(2026, 11, 25)


def _problems(project: Path) -> list[tuple[str, str, int, int, str | None]]:
    result = load_catalog(project / "claims", root=project, today=TODAY)
    return [(p.code, p.where.path, p.where.line, p.where.column, p.hint) for p in result.problems]


def test_a_bad_url_in_a_source_is_its_only_error(project: Path) -> None:
    write_tree(project, {"claims/sources/main.yaml": SOURCES_YAML.replace("url: https://example.org/survey", "url: htp://example.org/survey")})
    assert [p[:4] for p in _problems(project)] == [("SG209", "claims/sources/main.yaml", 18, 10)]


def test_an_unreadable_source_file_does_not_tell_claims_to_add_their_sources(project: Path) -> None:
    write_tree(project, {"claims/sources/main.yaml": SOURCES_YAML.replace("title: A survey of users", 'title: "A survey of users')})
    problems = _problems(project)
    assert [p[:2] for p in problems if p[0] != "SG303"] == [("SG102", "claims/sources/main.yaml")]
    unknown = [p for p in problems if p[0] == "SG303"]
    assert unknown and all("add the source" not in (p[4] or "") for p in unknown)


def test_a_mistyped_source_id_is_still_unknown_with_a_suggestion(project: Path) -> None:
    write_tree(project, {"claims/efficacy-claims/herb-relieves-low-mood.yaml": EFFICACY_CLAIM.replace("source: survey2021", "source: survey2012")})
    assert _problems(project) == [("SG303", "claims/efficacy-claims/herb-relieves-low-mood.yaml", 11, 13, "did you mean 'survey2021'?")]
