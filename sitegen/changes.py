"""What changed: every dated history entry of every claim, newest first.

The "What changed" page and the Atom feed both list exactly these changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import datetime as dt

    from sitegen.model import Catalog, Claim

__all__ = ["Change", "changes_of"]


@dataclass(frozen=True, slots=True)
class Change:
    """One dated change to one claim; ``number`` counts the claim's history from 1."""

    date: dt.date
    claim: Claim
    number: int
    text: str


def changes_of(catalog: Catalog) -> list[Change]:
    """Every history entry of every claim, newest first (then by claim id, latest change first)."""
    changes = [Change(h.date, c, n, h.change) for c in catalog.claims for n, h in enumerate(c.history, start=1)]
    return sorted(changes, key=lambda ch: (-ch.date.toordinal(), ch.claim.id, -ch.number))
