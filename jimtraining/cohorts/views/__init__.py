"""Cohort pages: trainers run their groups (groups.py), invite learners (invitations.py), hold sessions
(sessions.py) and, in the room, take attendance and show the check-in code (room.py); learners join a group, see
its sessions and check in. One blueprint, "cohorts"."""

from jimtraining.cohorts.views import groups, invitations, room, sessions  # noqa: F401 - importing them adds the routes
from jimtraining.cohorts.views.blueprint import bp

__all__ = ["bp"]
