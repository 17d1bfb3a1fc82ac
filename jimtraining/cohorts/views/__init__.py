"""Cohort pages: trainers run their groups (groups.py), invite learners (invitations.py) and hold sessions
(sessions.py); learners join a group, see its sessions and check in. One blueprint, "cohorts"."""

from jimtraining.cohorts.views import groups, invitations, sessions  # noqa: F401 - importing them adds the routes
from jimtraining.cohorts.views.blueprint import bp

__all__ = ["bp"]
