"""The only home of content rules: raw mappings become typed records or located problems.

Field-level checks follow the tables in ``fields.py``; record-level and cross-record
rules are written out below. Nothing here raises for bad content.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sitegen.fields import (
    CLAIM_FIELDS,
    SITE_FIELDS,
    SOURCE_FIELDS,
    TOPIC_FIELDS,
    Field,
    ValueKind,
)
from sitegen.model import (
    DEFAULT_CAUTION,
    DESIGNS_OF_LEVEL,
    Citation,
    Claim,
    ClaimId,
    ClaimKind,
    EvidenceLevel,
    HistoryEntry,
    PageType,
    Population,
    Review,
    ReviewedWork,
    SiteInfo,
    Source,
    SourceId,
    SourceType,
    Stance,
    StudyDesign,
    Topic,
    Verdict,
)
from sitegen.problems import Location, Problem, Severity

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from sitegen.source import PathKey, PositionMap

__all__ = [
    "Checker",
    "PendingClaim",
    "check_catalog",
    "validate_claim",
    "validate_site",
    "validate_source_list",
    "validate_topic_list",
]

Checked = dict[str, Any]
"""Field values that passed their checks, keyed by field name (internal to this module)."""

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


@dataclass(slots=True)
class Checker:
    """Collects problems for one file while reading its values by path."""

    positions: PositionMap
    problems: list[Problem] = field(default_factory=list)

    def add(self, code: str, message: str, where: PathKey, hint: str | None = None, *, at_key: bool = False) -> None:
        location = self.positions.key_at(where) if at_key else self.positions.at(where)
        self.problems.append(Problem(code, Severity.ERROR, message, location, hint))

    def warn(self, code: str, message: str, where: PathKey, hint: str | None = None) -> None:
        self.problems.append(Problem(code, Severity.WARNING, message, self.positions.at(where), hint))

    @property
    def location(self) -> Location:
        return self.positions.at(())


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
    if CONTROL.search(text):
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


def _check_list(chk: Checker, value: object, where: PathKey, spec: Field) -> tuple[object, ...] | None:
    if not isinstance(value, list):
        chk.add("SG203", f"'{spec.name}' must be a list", where, f"write one item per line starting with '- ' under '{spec.name}:'")
        return None
    if not value and spec.is_required:
        chk.add("SG210", f"'{spec.name}' must not be empty", where, "add at least one item")
        return None
    item_spec = Field(spec.name, ValueKind.SLUG if spec.kind is ValueKind.SLUG_LIST else ValueKind.TEXT, spec.description)
    results: list[object] = []
    for i, item in enumerate(value):
        if spec.kind is ValueKind.RECORD_LIST:
            results.append(check_record(chk, item, (*where, i), spec.record, spec.name))
        elif spec.kind is ValueKind.SLUG_LIST:
            results.append(_check_pattern(chk, item, (*where, i), item_spec))
        else:
            results.append(_check_text(chk, item, (*where, i), item_spec))
    return None if any(r is None for r in results) else tuple(results)


def _check_value(chk: Checker, value: object, where: PathKey, spec: Field) -> object:
    kind = spec.kind
    if kind in (ValueKind.TEXT, ValueKind.SHORT_TEXT):
        return _check_text(chk, value, where, spec)
    if kind in (ValueKind.SLUG, ValueKind.DOI, ValueKind.PMID, ValueKind.URL):
        return _check_pattern(chk, value, where, spec)
    if kind is ValueKind.DATE:
        return _check_date(chk, value, where, spec)
    if kind is ValueKind.YEAR:
        return _check_year(chk, value, where, spec)
    if kind is ValueKind.ENUM:
        return _check_enum(chk, value, where, spec)
    if kind is ValueKind.RECORD:
        return check_record(chk, value, where, spec.record, spec.name)
    return _check_list(chk, value, where, spec)


def check_record(
    chk: Checker, value: object, where: PathKey, specs: tuple[Field, ...], name: str
) -> Checked | None:
    """Check a mapping against a field table; return checked values or ``None`` if any failed."""
    if not isinstance(value, dict):
        chk.add("SG203", f"'{name}' must be a mapping of fields", where, "write 'field: value' lines indented under it")
        return None
    by_name = {s.name: s for s in specs}
    is_ok = True
    for key in value:
        if key not in by_name:
            guess = difflib.get_close_matches(key, list(by_name), n=1, cutoff=0.6)
            hint = f"did you mean '{guess[0]}'?" if guess else f"allowed fields: {', '.join(by_name)}"
            chk.add("SG202", f"unknown field '{key}' in {name}", (*where, key), hint, at_key=True)
            is_ok = False
    result: Checked = {}
    for spec in specs:
        if spec.name not in value or (value[spec.name] is None and not spec.is_required):
            if spec.is_required:
                chk.add("SG201", f"missing required field '{spec.name}' in {name}", where, f"add '{spec.name}:' ({spec.description})")
                is_ok = False
            continue
        checked = _check_value(chk, value[spec.name], (*where, spec.name), spec)
        is_ok = is_ok and checked is not None
        result[spec.name] = checked
    return result if is_ok else None


def _file_stem(path: str) -> str:
    return path.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def _folder(path: str) -> str:
    parts = path.split("/")
    return parts[-2] if len(parts) > 1 else ""


def _check_review(chk: Checker, raw: Checked) -> None:
    reviewed = raw["reviewed"]
    assert isinstance(reviewed, dict)
    if reviewed["next_due"] <= reviewed["date"]:
        chk.add("SG215", "'next_due' must be after the review 'date'", ("reviewed", "next_due"), "set the next review date in the future of 'date'")
    history = raw["history"]
    assert isinstance(history, tuple)
    for i in range(1, len(history)):
        if history[i]["date"] < history[i - 1]["date"]:
            chk.add("SG216", "history entries must be in date order, oldest first", ("history", i, "date"), "move this entry up")
    cited = [c["source"] for c in raw["evidence"]]
    for i, source in enumerate(cited):
        if source in cited[:i]:
            chk.add("SG217", f"source '{source}' is cited twice", ("evidence", i, "source"), "merge the two notes into one entry")


def validate_claim(value: object, positions: PositionMap) -> tuple[Checked | None, list[Problem]]:
    """Check one claim file's mapping; cross-record references are resolved later.

    Returns:
        The checked field values (``None`` if any field failed) and the problems found.
    """
    chk = Checker(positions)
    if not isinstance(value, dict):
        chk.add("SG108", "a claim file must be a mapping of fields", (), "start from 'sitegen new' to get the layout")
        return None, chk.problems
    raw = check_record(chk, value, (), CLAIM_FIELDS, "claim")
    if isinstance(value.get("id"), str) and value["id"] != _file_stem(positions.path):
        chk.add("SG211", f"id '{value['id']}' does not match the file name '{_file_stem(positions.path)}.yaml'", ("id",), "rename the file or change the id so they match")
    if isinstance(value.get("topic"), str) and value["topic"] != _folder(positions.path):
        chk.add("SG212", f"topic '{value['topic']}' does not match the folder '{_folder(positions.path)}'", ("topic",), "move the file into claims/<topic>/ or fix the topic")
    if raw is not None:
        _check_review(chk, raw)
    return (raw if not any(p.is_error for p in chk.problems) else None), chk.problems


def _top_list(chk: Checker, value: object, key: str) -> list[object]:
    if not isinstance(value, dict) or set(value) != {key} or not isinstance(value[key], list):
        where: PathKey = (key,) if isinstance(value, dict) and key in value else ()
        chk.add("SG108", f"this file must hold one key '{key}:' with a list under it", where, f"write '{key}:' then one '- id: ...' entry per item")
        return []
    items: list[object] = value[key]
    return items


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
    for i, item in enumerate(_top_list(chk, value, "sources")):
        raw = check_record(chk, item, ("sources", i), SOURCE_FIELDS, "source")
        if raw is None:
            continue
        if not any(raw.get(k) for k in ("doi", "pmid", "url")):
            chk.add("SG213", "a source needs at least one of 'doi', 'pmid' or 'url'", ("sources", i), "add the identifier you checked the source against")
            continue
        sources.append(_build_source(raw, positions.at(("sources", i, "id"))))
    return sources, chk.problems


def validate_topic_list(value: object, positions: PositionMap) -> tuple[list[Topic], list[Problem]]:
    """Check ``topics.yaml``; return the valid topics in file order and the problems."""
    chk = Checker(positions)
    topics: list[Topic] = []
    for i, item in enumerate(_top_list(chk, value, "topics")):
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
    )
    return site, chk.problems


@dataclass(frozen=True, slots=True)
class PendingClaim:
    """A claim file read and field-checked, waiting for its references to be resolved.

    ``value`` is the mapping as read (unchecked, for reference checks that should run
    even when other fields are wrong); ``raw`` is the checked fields, or ``None``.
    """

    value: dict[str, object]
    raw: Checked | None
    checker: Checker

    def text_at(self, *where: str | int) -> str | None:
        """The value at a path if it is text, else ``None`` (never raises)."""
        node: object = self.value
        for step in where:
            if isinstance(step, int):
                node = node[step] if isinstance(node, list) and step < len(node) else None
            else:
                node = node.get(step) if isinstance(node, dict) else None
        return node if isinstance(node, str) else None

    def count(self, key: str) -> int:
        items = self.value.get(key)
        return len(items) if isinstance(items, list) else 0


def _error(code: str, message: str, where: Location, hint: str | None = None) -> Problem:
    return Problem(code, Severity.ERROR, message, where, hint)


def _check_citations(pending: PendingClaim, sources: Mapping[str, Source]) -> list[Problem]:
    problems = []
    for i in range(pending.count("evidence")):
        source_id = pending.text_at("evidence", i, "source")
        if source_id is None or source_id in sources:
            continue
        guess = difflib.get_close_matches(source_id, list(sources), n=1)
        hint = f"did you mean '{guess[0]}'?" if guess else "add the source to claims/sources/ first"
        problems.append(_error("SG303", f"unknown source '{source_id}'", pending.checker.positions.at(("evidence", i, "source")), hint))
    return problems


def _citations(raw: Checked, sources: Mapping[str, Source]) -> tuple[Citation, ...]:
    return tuple(
        Citation(sources[item["source"]], Stance(item["stance"]), item["note"])
        for item in raw["evidence"]
    )


def _grading_problems(claim: Claim, chk: Checker) -> list[Problem]:
    problems = []
    if claim.is_efficacy and claim.verdict in (Verdict.SUPPORTED, Verdict.WELL_ESTABLISHED) and claim.evidence_level not in (
        EvidenceLevel.RCT, EvidenceLevel.SYSTEMATIC_REVIEW
    ):
        problems.append(_error("SG310", f"an efficacy claim cannot be '{claim.verdict}' with evidence level '{claim.evidence_level}'",
                               chk.positions.at(("verdict",)), "efficacy needs human trials (rct or systematic-review); lower the verdict"))
    if claim.is_efficacy and claim.evidence_level is EvidenceLevel.CONSENSUS:
        problems.append(_error("SG310", "an efficacy claim cannot rest on 'consensus'", chk.positions.at(("evidence_level",)),
                               "efficacy is judged by the trials that test it: choose the level of the best such study"))
    for i, citation in enumerate(claim.evidence):
        if claim.is_efficacy and citation.stance is Stance.SUPPORTS and citation.source.population in (Population.ANIMALS, Population.IN_VITRO):
            problems.append(Problem("SG313", Severity.WARNING, f"'{citation.source.id}' studied {citation.source.population.label.lower()}, so it cannot support an efficacy claim about people",
                                    chk.positions.at(("evidence", i, "stance")), "mechanism is not clinical effect: use stance 'context'"))
    needed = DESIGNS_OF_LEVEL.get(claim.evidence_level)
    if needed and not any(c.source.design in needed for c in claim.evidence):
        designs = ", ".join(sorted(d.value for d in needed))
        problems.append(_error("SG311", f"evidence level '{claim.evidence_level}' is not backed by any cited source (needs a design among: {designs})",
                               chk.positions.at(("evidence_level",)), "cite such a source or choose the level your sources support"))
    return problems


def _build_claim(pending: PendingClaim, raw: Checked, citations: tuple[Citation, ...]) -> Claim:
    reviewed = raw["reviewed"]
    return Claim(
        id=ClaimId(str(raw["id"])), title=str(raw["title"]), kind=ClaimKind(raw["kind"]), topic=str(raw["topic"]),
        statement=str(raw["statement"]), verdict=Verdict(raw["verdict"]), evidence_level=EvidenceLevel(raw["evidence_level"]),
        summary=str(raw["summary"]), evidence=citations,
        reviewed=Review(reviewed["date"], reviewed["next_due"]),
        history=tuple(HistoryEntry(h["date"], h["change"]) for h in raw["history"]),
        origin=pending.checker.location, quote=raw.get("quote"), details=raw.get("details"),
        caveats=tuple(raw.get("caveats") or ()), related=tuple(ClaimId(r) for r in raw.get("related") or ()),
    )


def _duplicates(items: Iterable[tuple[str, Location]], code: str, what: str) -> list[Problem]:
    first: dict[str, Location] = {}
    problems = []
    for key, where in items:
        if key in first:
            problems.append(_error(code, f"{what} '{key}' is already defined at {first[key]}", where, "ids must be unique: rename one of them"))
            problems.append(_error(code, f"{what} '{key}' is defined again at {where}", first[key], "ids must be unique: rename one of them"))
        else:
            first[key] = where
    return problems


def check_catalog(
    pending: list[PendingClaim], sources: list[Source], topics: list[Topic], *, today: dt.date, unreadable: frozenset[str] = frozenset()
) -> tuple[list[Claim], list[Source], list[Problem]]:
    """Cross-record rules: unique ids, resolved references, grading and freshness."""
    problems = _duplicates([(s.id, s.origin) for s in sources], "SG306", "source")
    source_index: dict[str, Source] = {s.id: s for s in sources}
    ids = [(p.text_at("id"), p.checker.positions.at(("id",))) for p in pending]
    problems += _duplicates([(i, where) for i, where in ids if i], "SG301", "claim")
    claim_ids = {i for i, _ in ids if i} | unreadable  # an unreadable file's claim still exists
    topic_ids = {t.id for t in topics}
    claims = []
    for item in pending:
        found = _check_citations(item, source_index) + _reference_problems(item, claim_ids, topic_ids)
        problems += found
        if item.raw is None or found:
            continue
        claim = _build_claim(item, item.raw, _citations(item.raw, source_index))
        problems += _grading_problems(claim, item.checker)
        if claim.reviewed.is_overdue(today):
            problems.append(Problem("SG302", Severity.WARNING, f"review was due on {claim.reviewed.next_due}",
                                    item.checker.positions.at(("reviewed", "next_due")), "review the claim, then move 'next_due' forward and add a history entry"))
        claims.append(claim)
    if len(claims) == len(pending) and not unreadable:  # an unreadable claim may cite any source
        problems += _unused_sources(sources, claims)
    problems += _doi_clashes(sources)
    return sorted(claims, key=lambda c: c.id), sorted(source_index.values(), key=lambda s: s.id), problems


def _reference_problems(item: PendingClaim, claim_ids: set[str], topic_ids: set[str]) -> list[Problem]:
    problems = []
    where = item.checker.positions
    topic, own_id = item.text_at("topic"), item.text_at("id")
    if topic is not None and topic not in topic_ids:
        guess = difflib.get_close_matches(topic, sorted(topic_ids), n=1)
        problems.append(_error("SG305", f"unknown topic '{topic}'", where.at(("topic",)),
                               f"did you mean '{guess[0]}'?" if guess else "add it to claims/topics.yaml"))
    for i in range(item.count("related")):
        related = item.text_at("related", i)
        if related is None:
            continue
        if related == own_id:
            problems.append(_error("SG309", "a claim cannot be related to itself", where.at(("related", i)), "remove this entry"))
        elif related not in claim_ids:
            guess = difflib.get_close_matches(related, sorted(claim_ids), n=1)
            problems.append(_error("SG304", f"unknown related claim '{related}'", where.at(("related", i)),
                                   f"did you mean '{guess[0]}'?" if guess else "check the claim id"))
    return problems


def _unused_sources(sources: list[Source], claims: list[Claim]) -> list[Problem]:
    cited = {c.source.id for claim in claims for c in claim.evidence}
    return [
        Problem("SG307", Severity.WARNING, f"source '{s.id}' is not cited by any claim", s.origin, "cite it from a claim or remove it")
        for s in sources
        if s.id not in cited
    ]


def _doi_clashes(sources: list[Source]) -> list[Problem]:
    problems = []
    by_doi: dict[str, Source] = {}
    for source in sources:
        if not source.doi:
            continue
        other = by_doi.setdefault(source.doi.lower(), source)
        if other is not source and other.title.casefold() != source.title.casefold():
            problems.append(_error("SG308", f"DOI {source.doi} is also used by '{other.id}' with a different title", source.origin,
                                   "one of the two DOIs or titles is wrong: check both"))
    return problems
