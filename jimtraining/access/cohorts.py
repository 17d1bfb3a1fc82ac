"""Who may do what with a cohort, and its loader.

Written by the role-play part only to have `cohort_or_404` for the live-round views; the cohorts part (R2) writes
this module in parallel, and at the merge one of the two is kept with this name and behaviour.
"""

from __future__ import annotations

from jimtraining.access import get_or_404, rule
from jimtraining.cohorts.models import Cohort


@rule("cohort.manage")
def manage_cohort(user, cohort) -> bool:
    """Admins manage every cohort; a trainer only the cohorts they train."""
    return cohort.can_manage(user)


def cohort_or_404(cohort_id) -> Cohort:
    """Load the cohort (404), then check that the current user trains it or is an admin (403)."""
    return get_or_404(Cohort, cohort_id, need=manage_cohort)
