"""Rules for a source registry file under ``claims/sources/``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitegen.fields import SOURCE_FIELDS
from sitegen.model import Population, Source, SourceId, SourceType, StudyDesign
from sitegen.validate.checker import Checked, Checker, top_list
from sitegen.validate.values import check_record

if TYPE_CHECKING:
    from sitegen.positions import PositionMap
    from sitegen.problems import Location, Problem

__all__ = ["declared_source_ids", "validate_source_list"]


def _build_source(raw: Checked, origin: Location) -> Source:
    return Source(
        id=SourceId(str(raw["id"])), type=SourceType(raw["type"]), authors=tuple(raw["authors"]),
        title=str(raw["title"]), container=str(raw["container"]), year=raw.get("year"),
        design=StudyDesign(raw["design"]), population=Population(raw["population"]), origin=origin,
        volume=raw.get("volume"), issue=raw.get("issue"), pages=raw.get("pages"),
        doi=raw.get("doi"), pmid=raw.get("pmid"), url=raw.get("url"),
        verified_against=raw.get("verified_against"), note=raw.get("note"),
    )


def validate_source_list(value: object, positions: PositionMap) -> tuple[list[Source], list[Problem]]:
    """Check one source file; return the valid sources and the problems."""
    chk = Checker(positions)
    sources = []
    for i, item in enumerate(top_list(chk, value, "sources")):
        raw = check_record(chk, item, ("sources", i), SOURCE_FIELDS, "source")
        if raw is None:
            continue
        if not any(raw.get(k) for k in ("doi", "pmid", "url")):
            chk.add("SG213", "a source needs at least one of 'doi', 'pmid' or 'url'", ("sources", i), "add the identifier you checked the source against")
            continue
        sources.append(_build_source(raw, positions.at(("sources", i, "id"))))
    return sources, chk.problems


def declared_source_ids(value: object) -> frozenset[str]:
    """The ids a source file declares, valid or not, so a broken record is not also reported as missing."""
    items = value.get("sources") if isinstance(value, dict) else value  # a bare list is a layout error, but still declares ids
    if not isinstance(items, list):
        return frozenset()
    return frozenset(item["id"] for item in items if isinstance(item, dict) and isinstance(item.get("id"), str))
