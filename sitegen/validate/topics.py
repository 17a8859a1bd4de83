"""Rules for ``topics.yaml`` and ``site.yaml``, the two files at the top of a claims folder."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitegen.fields import SITE_FIELDS, TOPIC_FIELDS
from sitegen.model import DEFAULT_AS_OF_MAX_AGE_MONTHS, DEFAULT_CAUTION, ClaimKind, PageType, ReviewedWork, SiteInfo, Topic
from sitegen.validate.checker import Checker, top_list
from sitegen.validate.values import check_record

if TYPE_CHECKING:
    from sitegen.positions import PositionMap
    from sitegen.problems import Problem

__all__ = ["validate_site", "validate_topic_list"]


def validate_topic_list(value: object, positions: PositionMap) -> tuple[list[Topic], list[Problem]]:
    """Check ``topics.yaml``; return the valid topics in file order and the problems."""
    chk = Checker(positions)
    topics: list[Topic] = []
    for i, item in enumerate(top_list(chk, value, "topics")):
        raw = check_record(chk, item, ("topics", i), TOPIC_FIELDS, "topic")
        if raw is None:
            continue
        if any(t.id == raw["id"] for t in topics):
            chk.add("SG312", f"topic '{raw['id']}' is defined twice", ("topics", i, "id"), "remove one of them")
            continue
        topics.append(Topic(str(raw["id"]), str(raw["title"]), str(raw["description"]), positions.at(("topics", i, "id"))))
    return topics, chk.problems


def validate_site(value: object, positions: PositionMap) -> tuple[SiteInfo | None, list[Problem]]:
    """Check ``site.yaml``."""
    chk = Checker(positions)
    raw = check_record(chk, value, (), SITE_FIELDS, "site") if isinstance(value, dict) else None
    if value is None:
        chk.add("SG107", "site.yaml holds no settings", (), "write at least name and description")
    elif not isinstance(value, dict):
        chk.add("SG108", "site.yaml must be a mapping of fields", (), "see the record format page")
    if raw is None:
        return None, chk.problems
    work, crisis, types = raw.get("reviewed_work"), raw.get("crisis_help"), raw.get("page_types")
    site = SiteInfo(
        name=str(raw["name"]), description=str(raw["description"]),
        reviewed_work=ReviewedWork(str(work["title"]), str(work["description"]), work.get("url"), str(work.get("kind") or "article"))
        if isinstance(work, dict) else None,
        crisis_text=str(crisis["text"]) if isinstance(crisis, dict) else None,
        crisis_url=crisis.get("url") if isinstance(crisis, dict) else None,
        caution_text=str(raw.get("caution_notice") or DEFAULT_CAUTION),
        page_types=tuple((ClaimKind(kind), PageType(name)) for kind, name in types.items()) if isinstance(types, dict) else (),
        as_of_max_age_months=raw.get("as_of_max_age_months") or DEFAULT_AS_OF_MAX_AGE_MONTHS,
    )
    return site, chk.problems
