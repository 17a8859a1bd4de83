"""Our own Jinja environment for page HTML: templates as files, autoescaping, filters and globals.

Never the theme's environment: MkDocs builds that one without autoescape, and YAML text
must only ever reach a page as autoescaped text.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape

from sitegen.grading import ALLOWED_CERTAINTY, NEEDS_RESEARCH, START_OF_LEVEL, START_REASONS, hedge
from sitegen.model import Certainty, ClaimKind, EvidenceLevel, LoweringDomain, RaisingDomain, Stance, StudyDesign, Verdict

if TYPE_CHECKING:
    from sitegen.model import Claim

__all__ = ["CRISIS_KINDS", "TEMPLATES_DIR", "certainty_rank", "environment", "paragraphs"]

CRISIS_KINDS = frozenset({ClaimKind.EFFICACY, ClaimKind.TREATMENT})
"""Claim kinds whose pages, and whose topic pages, show the crisis line: readers looking for
treatment, or for something to treat themselves with, may be in distress."""

TEMPLATES_DIR = Path(__file__).parent / "templates"


def certainty_rank(claim: Claim) -> int:
    """Sort key for the certainty column: high first, claims with no evidence last."""
    rating = claim.certainty.rating
    return rating.rank if rating else len(Certainty)


def paragraphs(text: str) -> list[str]:
    """Split plain text into paragraphs at blank lines."""
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


_ENVIRONMENTS: dict[Path | None, Environment] = {}


def environment(overrides_dir: Path | None) -> Environment:
    """One environment per overrides folder, kept: live preview renders without compiling templates again."""
    if overrides_dir not in _ENVIRONMENTS:
        _ENVIRONMENTS[overrides_dir] = _new_environment(overrides_dir)
    return _ENVIRONMENTS[overrides_dir]


def _new_environment(overrides_dir: Path | None) -> Environment:
    loaders = [FileSystemLoader(str(overrides_dir))] if overrides_dir else []
    env = Environment(
        loader=ChoiceLoader([*loaders, FileSystemLoader(str(TEMPLATES_DIR))]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["paragraphs"] = paragraphs
    env.filters["count_of"] = lambda count, word: f"{count} {word}{'' if count == 1 else 's'}"
    env.filters["capitalize_first"] = lambda text: text[:1].upper() + text[1:]
    env.filters["slug"] = lambda text: re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", str(text).lower()).strip())
    env.filters["wrap_lines"] = lambda text, width=13: textwrap.wrap(str(text), width) or [""]
    env.globals.update(
        ClaimKind=ClaimKind, Verdict=Verdict, EvidenceLevel=EvidenceLevel, Stance=Stance, StudyDesign=StudyDesign,
        Certainty=Certainty, LoweringDomain=LoweringDomain, RaisingDomain=RaisingDomain,
        hedge=hedge, start_of_level=START_OF_LEVEL, start_reasons=START_REASONS, allowed_certainty=ALLOWED_CERTAINTY, crisis_kinds=CRISIS_KINDS,
        needs_research=NEEDS_RESEARCH,
        certainty_rank=certainty_rank,
    )
    return env
