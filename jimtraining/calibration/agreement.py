"""How well one rater's rubric scores agree with the expert's: pure functions, no database.

Per criterion: exact agreement (the same level) and adjacent agreement (at most one level apart). Over all criteria
of a reference round: the share of exact and of adjacent agreement, and Cohen's weighted kappa.

Why quadratic weights. A rubric level is ordinal (1 to 4), so a miss of two levels is worse than a miss of one.
Quadratic weights make the penalty grow with the square of the distance: one level apart costs 1/9 of a full
disagreement, two levels 4/9, three levels all of it. Calibration is about exactly that pattern: a rater who is
now and then one level off reads the rubric as the expert does, a rater who scores 1 where the expert scores 4 does
not. Linear weights (1/3, 2/3, 1) would treat a habit of small misses almost as harshly as one large miss.
Quadratic weighted kappa is also the kappa most often reported for ordinal rating scales (it equals an
intraclass correlation when the two raters' means and variances are alike), so a trainer who meets the figure
elsewhere reads it the same way here.

    kappa = 1 - (sum of w_ij * observed_ij) / (sum of w_ij * expected_ij)

with w_ij = (i - j)^2 / (k - 1)^2 for k levels, observed_ij the share of criteria scored i by the rater and j by
the expert, and expected_ij = rater_i * expert_j (the product of the two raters' own shares of each level).

Kappa cannot be computed when the expected disagreement is zero: then the rater and the expert both gave every
criterion the same one level (no variance, so no chance to do worse than chance). `kappa` is None then; the
agreement itself is perfect, and `Agreement.meets` counts that as meeting any threshold. When only one of the two
used a single level and the other did not, kappa is 0: the rater's scores tell nothing beyond chance about the
expert's (or the other way round), however close they are on average (a known property of kappa).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

LEVELS = (1, 2, 3, 4)


@dataclass(frozen=True)
class CriterionAgreement:
    criterion: str
    rater: int
    expert: int

    @property
    def distance(self) -> int:
        return abs(self.rater - self.expert)

    @property
    def exact(self) -> bool:
        return self.distance == 0

    @property
    def adjacent(self) -> bool:
        """At most one level apart (exact counts as adjacent too)."""
        return self.distance <= 1


@dataclass(frozen=True)
class Agreement:
    criteria: tuple[CriterionAgreement, ...]
    #: Share of criteria with the same level (0-1).
    exact: float
    #: Share of criteria at most one level apart (0-1).
    adjacent: float
    #: Quadratic weighted kappa (-1 to 1), None when it cannot be computed (both used one and the same level).
    kappa: float | None

    def meets(self, min_kappa: float) -> bool:
        """At or above the threshold; perfect agreement without variance (kappa None) meets any threshold."""
        if self.kappa is None:
            return self.exact == 1.0
        return self.kappa >= min_kappa - 1e-9


def weight(rater: int, expert: int, levels: tuple[int, ...] = LEVELS) -> float:
    """Quadratic disagreement weight: 0 for the same level, 1 for the two ends of the scale."""
    span = levels[-1] - levels[0]
    return (rater - expert) ** 2 / span**2


def weighted_kappa(pairs: list[tuple[int, int]], levels: tuple[int, ...] = LEVELS) -> float | None:
    """Cohen's quadratic weighted kappa of (rater, expert) pairs; None when the expected disagreement is zero."""
    if not pairs:
        return None
    n = len(pairs)
    observed = sum(weight(r, e, levels) for r, e in pairs) / n
    rater_share = {level: sum(1 for r, _e in pairs if r == level) / n for level in levels}
    expert_share = {level: sum(1 for _r, e in pairs if e == level) / n for level in levels}
    expected = sum(weight(i, j, levels) * rater_share[i] * expert_share[j] for i in levels for j in levels)
    if expected == 0:
        return None
    return 1 - observed / expected


def agreement(rater: Mapping[str, int], expert: Mapping[str, int]) -> Agreement:
    """Agreement over the expert's criteria (in the expert's order). Every criterion needs a rater's level: a
    missing one is a ValueError (the form makes every criterion required)."""
    missing = [criterion for criterion in expert if criterion not in rater]
    if missing or not expert:
        raise ValueError(f"no score for {missing}" if missing else "no criteria")
    rows = tuple(CriterionAgreement(criterion, int(rater[criterion]), int(level))
                 for criterion, level in expert.items())
    n = len(rows)
    return Agreement(criteria=rows, exact=sum(row.exact for row in rows) / n,
                     adjacent=sum(row.adjacent for row in rows) / n,
                     kappa=weighted_kappa([(row.rater, row.expert) for row in rows]))
