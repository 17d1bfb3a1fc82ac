"""What a cohort session page shows of live role-play: the session's rounds, and for its trainers the actors they
can book and the scenarios they can start a round with. The session pages belong to cohorts, which sit below
role-play and do not import it; they read it through here."""

from __future__ import annotations

from sqlalchemy import select

from jimtraining.accounts.models import User
from jimtraining.cohorts.models import CohortSession
from jimtraining.extensions import db
from jimtraining.roles import Role
from jimtraining.scenarios.models import ActorBooking, RolePlayRound, Scenario


def _rounds(session: CohortSession) -> list[RolePlayRound]:
    return list(db.session.scalars(select(RolePlayRound).where(RolePlayRound.session_id == session.id)
                                   .order_by(RolePlayRound.created_at)))


def session_roleplay(session: CohortSession) -> dict:
    """For the trainer's session page: rounds, bookable actors, who is booked, scenarios. Four queries."""
    return {
        "rounds": _rounds(session),
        "actors": list(db.session.scalars(select(User).where(User.role == Role.ACTOR, User.is_enabled.is_(True))
                                          .order_by(User.name))),
        "booked": set(db.session.scalars(select(ActorBooking.actor_id).where(ActorBooking.session_id == session.id))),
        "scenarios": list(db.session.scalars(select(Scenario).where(Scenario.archived.is_(False))
                                             .order_by(Scenario.title))),
    }


def rounds_of(session: CohortSession, user) -> list[RolePlayRound]:
    """For a learner's session page: the session's rounds in which `user` plays or observes."""
    return [r for r in _rounds(session)
            if user.id in (r.professional_id, r.player_id) or any(o.id == user.id for o in r.observers)]
