"""Who may do what with a cohort and its sessions, and the loaders the pages use (404 first, then 403).

    cohort = cohort_or_404(cohort_id)                              # its trainers and admins
    cohort, session = cohort_session_or_404(cohort_id, session_id)  # both must exist and belong together, then 403
    {% if can("cohort.manage", cohort) %}
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import joinedload

from jimtraining.access import get_or_404, require, rule
from jimtraining.cohorts.models import Cohort, CohortSession, cohort_trainer
from jimtraining.extensions import db
from jimtraining.progress.dashboard import dashboard_head
from jimtraining.roles import Role


def _manages(user, cohort: Cohort, trains: bool | None = None) -> bool:
    """Admins manage every cohort; a trainer only the cohorts they train. `trains`: whether `user` is one of the
    cohort's trainers, when the caller knows it already (the dashboard's head query); else the cohort is asked."""
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.TRAINER and (cohort.has_trainer(user) if trains is None else trains)


#: Run the group: edit it, see its learners' progress, invite, plan sessions, mark attendance.
manage_cohort = rule("cohort.manage")(_manages)


@rule("cohort.member")
def cohort_member(user, cohort: Cohort) -> bool:
    """An active learner of the cohort: sees its sessions and checks in."""
    return cohort.is_member(user)


@rule("cohort.see_sessions")
def see_sessions(user, cohort: Cohort) -> bool:
    """The cohort's sessions and calendar: its trainers, admins and its active learners."""
    return manage_cohort(user, cohort) or cohort_member(user, cohort)


def cohort_or_404(cohort_id: int, need: str | None = "cohort.manage") -> Cohort:
    """The cohort (404 when there is none), if the person of this request may `need` it (403; None: no check)."""
    return get_or_404(Cohort, cohort_id, need)


def dashboard_or_404(cohort_id: int) -> tuple[Cohort, list[str]]:
    """cohort_or_404 for the dashboard, in one query that also brings the trainers' names (by name)."""
    head = dashboard_head(cohort_id, current_user)
    if head is None:
        abort(404)
    cohort, trains, trainer_names = head
    if not (current_user.is_authenticated and _manages(current_user, cohort, trains)):
        abort(403)
    return cohort, trainer_names


def session_or_404(cohort: Cohort, session_id: int) -> CohortSession:
    """A session of this cohort: 404 when it does not exist or belongs to another cohort."""
    session = db.get_or_404(CohortSession, session_id)
    if session.cohort_id != cohort.id:
        abort(404)
    return session


#: A session with its cohort, and whether the person is one of its trainers, in one statement. (Not the trainers
#: themselves: SQLite would read every cohort's trainers to join them; the EXISTS reads this cohort's pair by its
#: primary key.)
_SESSION_WITH_COHORT = (
    select(CohortSession, exists().where(cohort_trainer.c.cohort_id == CohortSession.cohort_id,
                                         cohort_trainer.c.user_id == bindparam("user")).label("trains"))
    .where(CohortSession.id == bindparam("session"), CohortSession.cohort_id == bindparam("cohort"))
    .options(joinedload(CohortSession.cohort)))


def cohort_session_or_404(cohort_id: int, session_id: int,
                          need: str | None = "cohort.manage") -> tuple[Cohort, CohortSession]:
    """The cohort and one of its sessions (404 when either does not exist or they do not belong together), then
    `need` on the cohort (403; None: no check). The two, and for "cohort.manage" whether the person trains the
    cohort, in one query: the session pages of the room (attendance, check-in, the projector) are opened by a whole
    group within seconds."""
    user_id = current_user.id if current_user.is_authenticated else None
    row = db.session.execute(_SESSION_WITH_COHORT, {"session": session_id, "cohort": cohort_id,
                                                    "user": user_id}).first()
    if row is None:
        abort(404)
    session, trains = row
    cohort = session.cohort
    if need == "cohort.manage" and user_id is not None:
        if not _manages(current_user, cohort, bool(trains)):
            abort(403)
        return cohort, session
    if need is not None:
        require(need, cohort)
    return cohort, session
