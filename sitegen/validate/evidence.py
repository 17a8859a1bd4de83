"""Grading rules: whether the verdict and evidence level fit the sources a claim cites."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitegen.model import DESIGNS_OF_LEVEL, ClaimKind, EvidenceLevel, Population, Stance, Verdict
from sitegen.problems import Problem, Severity
from sitegen.validate.checker import error

if TYPE_CHECKING:
    from collections.abc import Mapping

    from sitegen.model import Source
    from sitegen.validate.facts import ClaimFacts, Grading

__all__ = ["evidence_problems"]


def evidence_problems(facts: ClaimFacts, grading: Grading, sources: Mapping[str, Source]) -> list[Problem]:
    """Verdict and evidence level against the sources cited (SG310, SG311, SG313)."""
    problems = []
    level, verdict, is_efficacy = grading.evidence_level, grading.verdict, grading.kind is ClaimKind.EFFICACY
    if is_efficacy and verdict in (Verdict.SUPPORTED, Verdict.WELL_ESTABLISHED) and level not in (EvidenceLevel.RCT, EvidenceLevel.SYSTEMATIC_REVIEW):
        problems.append(error("SG310", f"an efficacy claim cannot be '{verdict}' with evidence level '{level}'",
                               facts.at(grading.verdict_at), "efficacy needs human trials (rct or systematic-review); lower the verdict"))
    if is_efficacy and level is EvidenceLevel.CONSENSUS:
        problems.append(error("SG310", "an efficacy claim cannot rest on 'consensus'", facts.at(grading.level_at),
                               "efficacy is judged by the trials that test it: choose the level of the best such study"))
    cited = [sources[source_id] for source_id in grading.sources]
    for source, stance, mark in zip(cited, grading.stances, grading.stance_at, strict=True):
        if is_efficacy and stance is Stance.SUPPORTS and source.population in (Population.ANIMALS, Population.IN_VITRO):
            assert mark is not None, "a supporting citation of an efficacy claim is always placed"
            problems.append(Problem("SG313", Severity.WARNING, f"'{source.id}' studied {source.population.label.lower()}, so it cannot support an efficacy claim about people",
                                    facts.at(mark), "mechanism is not clinical effect: use stance 'context'"))
    needed = DESIGNS_OF_LEVEL.get(level)
    if needed and not any(source.design in needed for source in cited):
        designs = ", ".join(sorted(d.value for d in needed))
        problems.append(error("SG311", f"evidence level '{level}' is not backed by any cited source (needs a design among: {designs})",
                               facts.at(grading.level_at), "cite such a source or choose the level your sources support"))
    return problems
