"""A rubric's cut-off for "voldoende" (`rubric_cutoff` in a scenario file) and the verdict it proposes.

A round is sufficient when no criterion scores below `min_level` and the levels add up to at least `min_total`.
Pure functions: the round page can propose a verdict from the trainer's scores; the trainer decides.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

#: Every criterion has four levels, 1 (lowest) to 4.
LOWEST_LEVEL, HIGHEST_LEVEL = 1, 4


@dataclass(frozen=True)
class RubricCutoff:
    #: Every criterion at least this level (2: no criterion at the lowest level).
    min_level: int
    #: The levels of all criteria together at least this.
    min_total: int
    #: The ids of the rubric's criteria, in written order: the ones that must be scored.
    criteria: tuple[str, ...]

    @property
    def max_total(self) -> int:
        return HIGHEST_LEVEL * len(self.criteria)


def cutoff_of(data: dict) -> RubricCutoff | None:
    """The cut-off of a checked scenario (its `data`), or None for a scenario stored before cut-offs existed."""
    rule = data.get("rubric_cutoff")
    if not isinstance(rule, dict):
        return None
    return RubricCutoff(min_level=rule["min_level"], min_total=rule["min_total"],
                        criteria=tuple(criterion["id"] for criterion in data.get("rubric") or ()))


def proposed_verdict(scores: Mapping[str, int], cutoff: RubricCutoff) -> bool:
    """True ("voldoende") when every criterion of the rubric is scored at least `min_level` and the scores add up
    to at least `min_total`. A criterion without a score counts as not reached, so the verdict is False until every
    criterion is scored; scores for criteria outside the rubric are ignored."""
    levels = [scores.get(criterion) for criterion in cutoff.criteria]
    if any(level is None or not LOWEST_LEVEL <= level <= HIGHEST_LEVEL for level in levels):
        return False
    return min(levels, default=HIGHEST_LEVEL) >= cutoff.min_level and sum(levels) >= cutoff.min_total


@dataclass(frozen=True)
class VerdictExplanation:
    """Why the cut-off proposes what it proposes, for the person who decides."""

    sufficient: bool
    #: Criteria (ids, in written order) without a score yet.
    unscored: tuple[str, ...]
    #: Criteria (ids) scored below `min_level`.
    too_low: tuple[str, ...]
    #: The levels added up (of the scored criteria) and what the cut-off needs.
    total: int
    min_total: int
    max_total: int


def explain_verdict(scores: Mapping[str, int], cutoff: RubricCutoff) -> VerdictExplanation:
    """`proposed_verdict` with its reasons: which criteria are not scored, which are below the minimum level, and
    the total against the minimum total."""
    levels = {criterion: scores.get(criterion) for criterion in cutoff.criteria}
    valid = {c: level for c, level in levels.items()
             if isinstance(level, int) and LOWEST_LEVEL <= level <= HIGHEST_LEVEL}
    return VerdictExplanation(
        sufficient=proposed_verdict(scores, cutoff),
        unscored=tuple(c for c in cutoff.criteria if c not in valid),
        too_low=tuple(c for c, level in valid.items() if level < cutoff.min_level),
        total=sum(valid.values()), min_total=cutoff.min_total, max_total=cutoff.max_total)
