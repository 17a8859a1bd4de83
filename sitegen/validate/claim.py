"""Rules for one claim file on its own: fields, file name and folder, review dates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitegen.fields import CLAIM_FIELDS
from sitegen.validate.certainty import check_certainty, check_dates
from sitegen.validate.checker import Checked, Checker
from sitegen.validate.values import check_record

if TYPE_CHECKING:
    from sitegen.positions import PositionMap
    from sitegen.problems import Problem

__all__ = ["validate_claim"]


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
        check_certainty(chk, raw)
        check_dates(chk, raw)
    return (raw if not any(p.is_error for p in chk.problems) else None), chk.problems
