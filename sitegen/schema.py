"""Draft-07 JSON Schema for editors, generated from the field tables (documentation only).

The validator stays the authority; this schema mirrors the same tables so that editors
complete field names, show each field's meaning and offer the allowed values.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from sitegen.fields import CLAIM_FIELDS, SITE_FIELDS, SOURCE_FIELDS, TOPIC_FIELDS, Field, ValueKind
from sitegen.grading import start_text, verdict_rule_text
from sitegen.model import EvidenceLevel
from sitegen.validate import DOI, PMID, SHORT_LIMIT, SLUG, URL
from sitegen.validate.values import MAX_MONTHS

__all__ = ["RECORD_TYPES", "build_schema", "schema_text"]

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
_DATE: dict[str, object] = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date"}


def _pattern(regex: str) -> str:
    return "^" + regex.removesuffix(r"\Z") + "$"


def _value(spec: Field) -> dict[str, object]:
    kind = spec.kind
    simple: dict[ValueKind, dict[str, object]] = {
        ValueKind.TEXT: {"type": "string", "minLength": 1, "pattern": r"\S"},
        ValueKind.SHORT_TEXT: {"type": "string", "minLength": 1, "maxLength": SHORT_LIMIT, "pattern": r"\S"},
        ValueKind.SLUG: {"type": "string", "pattern": _pattern(SLUG.pattern)},
        ValueKind.DOI: {"type": "string", "pattern": _pattern(DOI.pattern)},
        ValueKind.PMID: {"type": "string", "pattern": _pattern(PMID.pattern)},
        ValueKind.URL: {"type": "string", "pattern": _pattern(URL.pattern)},
        ValueKind.DATE: _DATE,
        ValueKind.YEAR: {"type": "integer", "minimum": 1800, "maximum": 2100},
        ValueKind.MONTHS: {"type": "integer", "minimum": 1, "maximum": MAX_MONTHS},
    }
    if kind in simple:
        return dict(simple[kind])
    if kind is ValueKind.ENUM:
        assert spec.choices is not None
        members = list(spec.choices)
        return {
            "type": "string",
            "enum": [m.value for m in members],
            "markdownEnumDescriptions": [m.meaning for m in members],
            "enumDescriptions": [m.meaning for m in members],
        }
    if kind is ValueKind.RECORD:
        return _object(spec.record)
    item = _object(spec.record) if kind is ValueKind.RECORD_LIST else _value(
        Field(spec.name, ValueKind.SLUG if kind is ValueKind.SLUG_LIST else ValueKind.TEXT, spec.description)
    )
    return {"type": "array", "items": item, "minItems": 1 if spec.is_required else 0}


def _object(specs: tuple[Field, ...]) -> dict[str, object]:
    properties = {}
    for spec in specs:
        prop = _value(spec)
        prop["description"] = spec.description
        properties[spec.name] = prop
    return {
        "type": "object",
        "properties": properties,
        "required": [s.name for s in specs if s.is_required],
        "additionalProperties": False,
    }


def _list_document(key: str, specs: tuple[Field, ...]) -> dict[str, object]:
    return {
        "type": "object",
        "properties": {key: {"type": "array", "items": _object(specs)}},
        "required": [key],
        "additionalProperties": False,
    }


def _claim_object() -> dict[str, object]:
    """The claim object, its verdict and evidence level documented with the grading tables.

    ``certainty`` is required unless ``evidence_level`` is ``none``, and forbidden when it
    is (the validator's SG220 and SG221), expressed with draft-07 ``if``/``then``/``else``.
    """
    claim = _object(CLAIM_FIELDS)
    properties = claim["properties"]
    assert isinstance(properties, dict)
    properties["verdict"]["description"] += f" It must fit the certainty: {verdict_rule_text()}."
    properties["evidence_level"]["description"] += f" It sets where certainty starts: {start_text()}."
    claim["if"] = {"properties": {"evidence_level": {"const": EvidenceLevel.NONE.value}}, "required": ["evidence_level"]}
    claim["then"] = {"properties": {"certainty": False}}
    claim["else"] = {"required": ["certainty"]}
    return claim


RECORD_TYPES: dict[str, tuple[str, Callable[[], dict[str, object]]]] = {
    "claim": ("One claim record: claims/<topic>/<id>.yaml", lambda: _claim_object()),
    "sources": ("A source registry file: claims/sources/*.yaml", lambda: _list_document("sources", SOURCE_FIELDS)),
    "topics": ("The topics file: claims/topics.yaml", lambda: _list_document("topics", TOPIC_FIELDS)),
    "site": ("The site file: claims/site.yaml", lambda: _object(SITE_FIELDS)),
}


def build_schema(record: str) -> dict[str, object]:
    """The JSON Schema (draft-07) for one record type: claim, sources, topics or site."""
    title, make = RECORD_TYPES[record]
    schema: dict[str, object] = {"$schema": DRAFT_07, "$id": f"https://sitegen.invalid/schema/{record}.schema.json", "title": title}
    schema.update(make())
    return schema


def schema_text(record: str) -> str:
    """The schema as stable, pretty JSON text."""
    return json.dumps(build_schema(record), indent=2, ensure_ascii=False) + "\n"
