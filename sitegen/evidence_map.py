"""The evidence map: topics by evidence level, counted and coloured by verdict, with the certainty of each cell."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sitegen.model import Certainty, EvidenceLevel, Verdict

if TYPE_CHECKING:
    from sitegen.model import Catalog, Topic

__all__ = ["EvidenceGrid", "GridCell", "GridRow", "build_evidence_map"]


@dataclass(frozen=True, slots=True)
class GridCell:
    """The claims of one topic at one evidence level."""

    level: EvidenceLevel
    count: int
    verdicts: tuple[tuple[Verdict, int], ...]
    certainties: tuple[tuple[Certainty | None, int], ...] = ()
    """How many claims have each certainty rating, highest first; ``None`` (level ``none``: nothing to rate) last."""

    @property
    def dominant(self) -> Verdict | None:
        """The most common verdict; ties go to the less favourable one."""
        if not self.verdicts:
            return None
        return max(self.verdicts, key=lambda item: (item[1], item[0].rank))[0]

    @property
    def usual_certainty(self) -> Certainty | None:
        """The most common certainty rating; ties go to the lower one. ``None`` for a gap or for level ``none``."""
        rated = [(rating, count) for rating, count in self.certainties if rating is not None]
        return max(rated, key=lambda item: (item[1], item[0].rank))[0] if rated else None

    @property
    def is_gap(self) -> bool:
        return self.count == 0


@dataclass(frozen=True, slots=True)
class GridRow:
    """One topic's row of cells, one per evidence level."""

    topic: Topic
    cells: tuple[GridCell, ...]

    @property
    def total(self) -> int:
        return sum(cell.count for cell in self.cells)


@dataclass(frozen=True, slots=True)
class EvidenceGrid:
    """The whole matrix, with the levels as columns in ladder order."""

    levels: tuple[EvidenceLevel, ...]
    rows: tuple[GridRow, ...]

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)


def build_evidence_map(catalog: Catalog) -> EvidenceGrid:
    """Count claims per topic and evidence level, with the verdicts in each cell."""
    counts: dict[tuple[str, EvidenceLevel], Counter[Verdict]] = {}
    ratings: dict[tuple[str, EvidenceLevel], Counter[Certainty | None]] = {}
    for claim in catalog.claims:
        counts.setdefault((claim.topic, claim.evidence_level), Counter())[claim.verdict] += 1
        ratings.setdefault((claim.topic, claim.evidence_level), Counter())[claim.certainty.rating] += 1
    levels = tuple(EvidenceLevel)
    rows = []
    for topic in catalog.topics:
        cells = []
        for level in levels:
            verdicts = counts.get((topic.id, level), Counter())
            ordered = tuple(sorted(verdicts.items(), key=lambda item: item[0].rank))
            rated = ratings.get((topic.id, level), Counter())
            by_rating = tuple(sorted(rated.items(), key=lambda item: item[0].rank if item[0] is not None else len(Certainty)))
            cells.append(GridCell(level, sum(verdicts.values()), ordered, by_rating))
        rows.append(GridRow(topic, tuple(cells)))
    return EvidenceGrid(levels, tuple(rows))
