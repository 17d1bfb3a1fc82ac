"""Demo calibrations: the demo trainer scored two reference rounds, a year apart, and came closer to the expert."""

from __future__ import annotations

import logging
from datetime import timedelta

from jimtraining.calibration import services
from jimtraining.scenarios.reference import expert_levels
from jimtraining.timeutil import utcnow

log = logging.getLogger(__name__)

#: (days ago, how far each criterion's score lies from the expert's, in turn) for the demo trainer.
HISTORY = ((420, (-2, 1, 0, -1, 1)), (40, (0, 0, 0, 1, 0)))


def seed_calibration(trainer) -> None:
    rounds = services.reference_rounds()
    if len(rounds) < len(HISTORY):
        log.warning("demo seed: too few reference rounds for demo calibrations; run `flask content sync` first")
        return
    now = utcnow()
    for (days_ago, offsets), reference in zip(HISTORY, rounds, strict=False):
        expert = expert_levels({"scores": services.expert_of(reference.slug)})
        levels = {criterion: min(4, max(1, level + offsets[index % len(offsets)]))
                  for index, (criterion, level) in enumerate(expert.items())}
        services.score(trainer, reference.slug, levels, now=now - timedelta(days=days_ago))
