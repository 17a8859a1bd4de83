"""Grading rules: whether the verdict and evidence level fit the sources a claim cites."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitegen.model import DESIGNS_OF_LEVEL, EvidenceLevel, Population, Stance, Verdict
from sitegen.problems import Problem, Severity
from sitegen.validate.checker import error

if TYPE_CHECKING:
    from sitegen.model import Claim
    from sitegen.validate.checker import Checker

__all__ = ["evidence_problems"]


def evidence_problems(claim: Claim, chk: Checker) -> list[Problem]:
    """Verdict and evidence level against the sources cited (SG310, SG311, SG313)."""
    problems = []
    if claim.is_efficacy and claim.verdict in (Verdict.SUPPORTED, Verdict.WELL_ESTABLISHED) and claim.evidence_level not in (
        EvidenceLevel.RCT, EvidenceLevel.SYSTEMATIC_REVIEW
    ):
        problems.append(error("SG310", f"an efficacy claim cannot be '{claim.verdict}' with evidence level '{claim.evidence_level}'",
                               chk.positions.at(("verdict",)), "efficacy needs human trials (rct or systematic-review); lower the verdict"))
    if claim.is_efficacy and claim.evidence_level is EvidenceLevel.CONSENSUS:
        problems.append(error("SG310", "an efficacy claim cannot rest on 'consensus'", chk.positions.at(("evidence_level",)),
                               "efficacy is judged by the trials that test it: choose the level of the best such study"))
    for i, citation in enumerate(claim.evidence):
        if claim.is_efficacy and citation.stance is Stance.SUPPORTS and citation.source.population in (Population.ANIMALS, Population.IN_VITRO):
            problems.append(Problem("SG313", Severity.WARNING, f"'{citation.source.id}' studied {citation.source.population.label.lower()}, so it cannot support an efficacy claim about people",
                                    chk.positions.at(("evidence", i, "stance")), "mechanism is not clinical effect: use stance 'context'"))
    needed = DESIGNS_OF_LEVEL.get(claim.evidence_level)
    if needed and not any(c.source.design in needed for c in claim.evidence):
        designs = ", ".join(sorted(d.value for d in needed))
        problems.append(error("SG311", f"evidence level '{claim.evidence_level}' is not backed by any cited source (needs a design among: {designs})",
                               chk.positions.at(("evidence_level",)), "cite such a source or choose the level your sources support"))
    return problems
