"""The registry of problem codes: each code's severity and title, in one place.

Codes are stable: SG1xx reading a file, SG2xx one field of one record, SG3xx records
that do not fit together, SG4xx the caution contract on a built site (``check-site``). The error reference (``content/contributing/errors.md``) has
one section per code with this title and severity; the tests hold the validator, the
reference and this registry to each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

from sitegen.problems import Severity

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["CODES", "ProblemCode"]


@dataclass(frozen=True, slots=True)
class ProblemCode:
    """One problem code: what it is called and how serious it is."""

    code: str
    severity: Severity
    title: str


_E, _W = Severity.ERROR, Severity.WARNING

_TABLE: tuple[ProblemCode, ...] = (
    ProblemCode("SG101", _E, "file too large"),
    ProblemCode("SG102", _E, "YAML syntax error"),
    ProblemCode("SG103", _E, "file is not UTF-8"),
    ProblemCode("SG104", _E, "nested too deeply"),
    ProblemCode("SG105", _E, "unsupported YAML tag"),
    ProblemCode("SG106", _E, "alias not allowed"),
    ProblemCode("SG107", _E, "empty file"),
    ProblemCode("SG108", _E, "wrong file layout"),
    ProblemCode("SG109", _E, "duplicate key"),
    ProblemCode("SG110", _E, "key is not a plain name"),
    ProblemCode("SG114", _E, "file in the wrong place"),
    ProblemCode("SG115", _E, "unknown page marker"),
    ProblemCode("SG201", _E, "missing required field"),
    ProblemCode("SG202", _E, "unknown field"),
    ProblemCode("SG203", _E, "wrong type of value"),
    ProblemCode("SG204", _E, "value not allowed"),
    ProblemCode("SG205", _E, "invalid id"),
    ProblemCode("SG206", _E, "invalid date"),
    ProblemCode("SG207", _E, "invalid DOI"),
    ProblemCode("SG208", _E, "invalid PMID"),
    ProblemCode("SG209", _E, "invalid URL"),
    ProblemCode("SG210", _E, "empty value"),
    ProblemCode("SG211", _E, "id does not match the file name"),
    ProblemCode("SG212", _E, "topic does not match the folder"),
    ProblemCode("SG213", _E, "source without an identifier"),
    ProblemCode("SG214", _E, "text too long"),
    ProblemCode("SG215", _E, "next review not after the review date"),
    ProblemCode("SG216", _E, "history out of order"),
    ProblemCode("SG217", _E, "source cited twice"),
    ProblemCode("SG218", _E, "template placeholder left in"),
    ProblemCode("SG219", _E, "invisible control character"),
    ProblemCode("SG220", _E, "certainty missing"),
    ProblemCode("SG221", _E, "certainty on a claim with no evidence"),
    ProblemCode("SG222", _E, "certainty rating does not follow from its steps"),
    ProblemCode("SG223", _E, "verdict contradicted by the certainty"),
    ProblemCode("SG224", _E, "legal claim without as_of"),
    ProblemCode("SG225", _E, "review date earlier than as_of"),
    ProblemCode("SG240", _W, "markup in plain text"),
    ProblemCode("SG301", _E, "duplicate claim id"),
    ProblemCode("SG302", _W, "review overdue"),
    ProblemCode("SG303", _E, "unknown source"),
    ProblemCode("SG304", _E, "unknown related claim"),
    ProblemCode("SG305", _E, "unknown topic"),
    ProblemCode("SG306", _E, "duplicate source id"),
    ProblemCode("SG307", _W, "unused source"),
    ProblemCode("SG308", _E, "same DOI, different titles"),
    ProblemCode("SG309", _E, "claim related to itself"),
    ProblemCode("SG310", _E, "efficacy verdict too strong for the evidence"),
    ProblemCode("SG311", _E, "evidence level not backed by a cited source"),
    ProblemCode("SG312", _E, "topic defined twice"),
    ProblemCode("SG313", _W, "animal or laboratory study supports an efficacy claim"),
    ProblemCode("SG314", _W, "legal facts checked too long ago"),
    ProblemCode("SG401", _E, "efficacy claim shown without its flags"),
    ProblemCode("SG402", _E, "efficacy claim missing from its own page"),
)

CODES: Mapping[str, ProblemCode] = MappingProxyType({entry.code: entry for entry in _TABLE})
"""Every problem code the validator can report, by code."""
