"""Field-level checks: one value against its ``Field`` spec from ``sitegen.fields``."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import TYPE_CHECKING

from sitegen.fields import Field, ValueKind

if TYPE_CHECKING:
    from collections.abc import Callable

    from sitegen.positions import PathKey
    from sitegen.validate.checker import Checked, Checker

__all__ = ["DOI", "MAX_MONTHS", "PMID", "SHORT_LIMIT", "SLUG", "URL", "check_record"]

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
DOI = re.compile(r"10\.\d{4,9}/\S+\Z")
PMID = re.compile(r"[1-9]\d{0,8}\Z")
URL = re.compile(r"https?://[^\s/$.?#][^\s]*\Z")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
RESERVED_IDS = frozenset({"index"})
MARKUP = re.compile(r"<[A-Za-z/!]|\]\(|\{\{|\{%|javascript:|&#?\w+;", re.IGNORECASE)
_MARKUP_HINT = re.compile(r"[<{&:\]]")  # every MARKUP match holds one of these characters: a cheap test first
SHORT_LIMIT = 120
_MAX_YEAR = 2100
MAX_MONTHS = 120


def _yaml_surprise(value: object) -> str:
    """Describe what YAML turned unquoted text into, for the 'quote it' hint."""
    if isinstance(value, bool):
        return f"YAML read this as the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"YAML read this as the number {value}"
    if isinstance(value, (dt.date, dt.datetime)):
        return "YAML read this as a date"
    if value is None:
        return "the value is empty"
    return f"expected text, found a {'list' if isinstance(value, list) else 'mapping'}"


def _has_control(text: str) -> bool:
    """Whether ``CONTROL`` matches; most text is printable apart from line breaks, and that test is far cheaper."""
    plain = text.replace("\n", " ").replace("\t", " ") if "\n" in text or "\t" in text else text
    return not plain.isprintable() and CONTROL.search(text) is not None


def _check_text(chk: Checker, value: object, where: PathKey, spec: Field, *, is_prose: bool = True) -> str | None:
    if value is None:
        chk.add("SG210", f"'{spec.name}' is empty", where, "write the text after the colon, or remove the field if it is optional")
        return None
    if not isinstance(value, str):
        scalar = not isinstance(value, (list, dict)) and value is not None
        chk.add("SG203", f"'{spec.name}' must be text: {_yaml_surprise(value)}", where,
                "put the value in quotes" if scalar else "write the value as a single piece of text")
        return None
    text = value.strip()
    if not text:
        chk.add("SG210", f"'{spec.name}' is empty", where, "write the text or remove the field if it is optional")
        return None
    if text.startswith("TODO"):
        chk.add("SG218", f"'{spec.name}' still holds the template placeholder", where, "replace the TODO text, or delete the field if it is optional")
        return None
    if _has_control(text):
        chk.add("SG219", f"'{spec.name}' contains an invisible control character", where, "retype the text; copy-paste can carry hidden characters")
        return None
    if spec.kind is ValueKind.SHORT_TEXT and len(text) > SHORT_LIMIT:
        chk.add("SG214", f"'{spec.name}' is longer than {SHORT_LIMIT} characters", where, "shorten it")
    if _MARKUP_HINT.search(text) and MARKUP.search(text):
        chk.warn("SG240", f"'{spec.name}' looks like HTML, Markdown or template markup; it will be shown as plain text",
                 where, "text fields are plain text: remove the markup")
    return text


def _check_date(chk: Checker, value: object, where: PathKey, spec: Field) -> dt.date | None:
    if isinstance(value, dt.datetime):
        chk.add("SG206", f"'{spec.name}' must be a date without a time", where, "write YYYY-MM-DD")
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()) if len(value.strip()) == 10 else dt.date.fromisoformat("x")
        except ValueError:
            pass
    chk.add("SG206", f"'{spec.name}' is not a valid date: {value!r}", where, "write a real date as YYYY-MM-DD, e.g. 2026-11-25")
    return None


def _check_enum(chk: Checker, value: object, where: PathKey, spec: Field) -> object:
    assert spec.choices is not None
    if isinstance(value, str):
        try:
            return spec.choices(value)  # a hash lookup; the list below is only built for a bad value
        except ValueError:
            pass
    allowed = [m.value for m in spec.choices]
    guess = difflib.get_close_matches(str(value), allowed, n=1, cutoff=0.5)
    hint = f"did you mean '{guess[0]}'?" if guess else "see the record format page for what each value means"
    if spec.elsewhere and value in [m.value for m in spec.elsewhere[0]]:
        hint = f"'{value}' belongs under '{spec.elsewhere[1]}'"
    chk.add("SG204", f"'{spec.name}' is {value!r}, not one of: {', '.join(allowed)}", where, hint)
    return None


def _check_pattern(chk: Checker, value: object, where: PathKey, spec: Field) -> str | None:
    text = _check_text(chk, value, where, spec, is_prose=False)
    if text is None:
        return None
    rules = {
        ValueKind.SLUG: (SLUG, "SG205", "use lower-case letters, digits and single hyphens, e.g. sleep-and-stress"),
        ValueKind.DOI: (DOI, "SG207", "write the bare DOI, e.g. 10.1016/j.drugalcdep.2020.107849"),
        ValueKind.PMID: (PMID, "SG208", "write the PubMed id as digits in quotes, e.g. pmid: \"38889703\""),
        ValueKind.URL: (URL, "SG209", "use a full https:// (or http://) address"),
    }
    pattern, code, hint = rules[spec.kind]
    if spec.kind is ValueKind.DOI and text.lower().startswith(("https://doi.org/", "doi:")):
        hint = "drop the prefix: write only the part starting with 10."
    if spec.kind is ValueKind.SLUG and text in RESERVED_IDS:
        chk.add("SG205", f"'{text}' is reserved and cannot be an id", where, "choose a more descriptive id")
        return None
    if not pattern.match(text):
        chk.add(code, f"'{spec.name}' is not a valid {spec.kind.value.upper() if spec.kind is not ValueKind.SLUG else 'id'}: {text!r}", where, hint)
        return None
    return text


def _check_year(chk: Checker, value: object, where: PathKey, spec: Field) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1800 <= value <= _MAX_YEAR:
        found = f"the text {value!r}" if isinstance(value, str) else repr(value)
        chk.add("SG203", f"'{spec.name}' must be a year such as 2020, found {found}", where, "write four digits without quotes")
        return None
    return value


def _check_months(chk: Checker, value: object, where: PathKey, spec: Field) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_MONTHS:
        found = f"the text {value!r}" if isinstance(value, str) else repr(value)
        chk.add("SG203", f"'{spec.name}' must be a whole number of months from 1 to {MAX_MONTHS}, found {found}", where,
                "write a number without quotes, e.g. 6")
        return None
    return value


def _check_list(chk: Checker, value: object, where: PathKey, spec: Field) -> tuple[object, ...] | None:
    if not isinstance(value, list):
        chk.add("SG203", f"'{spec.name}' must be a list", where, f"write one item per line starting with '- ' under '{spec.name}:'")
        return None
    if not value and spec.is_required:
        chk.add("SG210", f"'{spec.name}' must not be empty", where, "add at least one item")
        return None
    results: list[object]
    if spec.kind is ValueKind.RECORD_LIST:
        results = [check_record(chk, item, (*where, i), spec.record, spec.name) for i, item in enumerate(value)]
    else:
        item_spec = _item_spec(spec)
        check = _check_pattern if spec.kind is ValueKind.SLUG_LIST else _check_text
        results = [check(chk, item, (*where, i), item_spec) for i, item in enumerate(value)]
    return None if any(r is None for r in results) else tuple(results)


_MISSING = object()
_ITEM_SPECS: dict[int, tuple[Field, Field]] = {}  # by id: a field table is a constant, and hashing one is slow
_BY_NAME: dict[int, tuple[tuple[Field, ...], dict[str, Field]]] = {}


def _item_spec(spec: Field) -> Field:
    """The spec each item of a list of text or ids is checked against."""
    found = _ITEM_SPECS.get(id(spec))
    if found is None or found[0] is not spec:
        item = Field(spec.name, ValueKind.SLUG if spec.kind is ValueKind.SLUG_LIST else ValueKind.TEXT, spec.description)
        found = _ITEM_SPECS[id(spec)] = (spec, item)
    return found[1]


def _by_name(specs: tuple[Field, ...]) -> dict[str, Field]:
    found = _BY_NAME.get(id(specs))
    if found is None or found[0] is not specs:
        found = _BY_NAME[id(specs)] = (specs, {s.name: s for s in specs})
    return found[1]


def _check_nested(chk: Checker, value: object, where: PathKey, spec: Field) -> object:
    return check_record(chk, value, where, spec.record, spec.name)


_CHECKS: dict[ValueKind, Callable[[Checker, object, PathKey, Field], object]] = {
    ValueKind.TEXT: _check_text, ValueKind.SHORT_TEXT: _check_text,
    ValueKind.SLUG: _check_pattern, ValueKind.DOI: _check_pattern, ValueKind.PMID: _check_pattern, ValueKind.URL: _check_pattern,
    ValueKind.DATE: _check_date, ValueKind.YEAR: _check_year, ValueKind.MONTHS: _check_months, ValueKind.ENUM: _check_enum,
    ValueKind.RECORD: _check_nested,
    ValueKind.TEXT_LIST: _check_list, ValueKind.SLUG_LIST: _check_list, ValueKind.RECORD_LIST: _check_list,
}


def check_record(
    chk: Checker, value: object, where: PathKey, specs: tuple[Field, ...], name: str
) -> Checked | None:
    """Check a mapping against a field table; return checked values or ``None`` if any failed."""
    if not isinstance(value, dict):
        chk.add("SG203", f"'{name}' must be a mapping of fields", where, "write 'field: value' lines indented under it")
        return None
    by_name = _by_name(specs)
    is_ok = value.keys() <= by_name.keys()  # the usual case, tested at C speed; the loop below names each stray key
    for key in value if not is_ok else ():
        if key not in by_name:
            guess = difflib.get_close_matches(key, list(by_name), n=1, cutoff=0.6)
            hint = f"did you mean '{guess[0]}'?" if guess else f"allowed fields: {', '.join(by_name)}"
            chk.add("SG202", f"unknown field '{key}' in {name}", (*where, key), hint, at_key=True)
    result: Checked = {}
    for spec in specs:
        field_name = spec.name
        item = value.get(field_name, _MISSING)
        if item is _MISSING or (item is None and not spec.is_required):
            if spec.is_required:
                chk.add("SG201", f"missing required field '{field_name}' in {name}", where, f"add '{field_name}:' ({spec.description})")
                is_ok = False
            continue
        checked = _CHECKS[spec.kind](chk, item, (*where, field_name), spec)
        if checked is None:
            is_ok = False
        result[field_name] = checked
    return result if is_ok else None
