"""The exceptions a user can act on: something outside the content is wrong, or a build broke the caution contract."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sitegen.problems import Problem

__all__ = ["CautionContractError", "SitegenError"]


class SitegenError(Exception):
    """Something a user can fix outside the content: a missing folder, an unreadable file, a refused target."""


class CautionContractError(Exception):
    """A build's pages show an efficacy claim without its flags (SG401, SG402): a content problem, not the environment's.

    The command line prints ``problems`` like any other content problems and exits 1.
    """

    def __init__(self, problems: tuple[Problem, ...]) -> None:
        super().__init__(f"{len(problems)} efficacy claim(s) shown without the caution notice or the needs-research flag")
        self.problems = problems
