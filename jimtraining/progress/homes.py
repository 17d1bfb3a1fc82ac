"""The start pages of trainee-actors, admins and learners (the trainer's is in workspace.py): what each reads
there, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from jimtraining.certification.audit import AUDIT_ACTIONS, latest_events
from jimtraining.certification.models import Certificate
from jimtraining.certification.stats import current_national_figures, licences_ending_soon
from jimtraining.cohorts.attendance import CHECKIN_EARLY
from jimtraining.cohorts.models import Cohort, CohortSession
from jimtraining.content.catalogue import catalogue
from jimtraining.extensions import db
from jimtraining.organisations.models import Organisation
from jimtraining.roleplay.models import ActorBooking, RolePlayRound, RoundNote
from jimtraining.timeutil import as_utc, utcnow

# Trainee-actors ------------------------------------------------------------------------------------------------


@dataclass
class ActorRound:
    id: int
    #: The sketch's title (from the content catalogue), never its slug.
    title: str
    #: Whether the actor wrote down how playing it felt (aftercare).
    aftercare: bool


@dataclass
class Booking:
    session_id: int
    title: str
    group: str
    organisation: str
    location: str | None
    online: bool
    starts_at: datetime
    ends_at: datetime
    #: The sketches the trainer planned for the session (titles they typed).
    sketches: list[str] = field(default_factory=list)
    rounds: list[ActorRound] = field(default_factory=list)


def actor_bookings(actor_id: int, now=None) -> tuple[list[Booking], list[Booking]]:
    """(coming, past) bookings of a trainee-actor: the session's group, place, date and time, the rounds they play
    the young person in (whose page holds the brief) and whether they wrote their aftercare. Coming ones soonest
    first, past ones newest first. Three queries at most."""
    now = now or utcnow()
    rows = db.session.execute(
        select(CohortSession, Cohort.name, Organisation.name)
        .join(ActorBooking, ActorBooking.session_id == CohortSession.id)
        .join(Cohort, Cohort.id == CohortSession.cohort_id)
        .join(Organisation, Organisation.id == Cohort.organisation_id)
        .where(ActorBooking.actor_id == actor_id)
        .options(db.lazyload(CohortSession.cohort))).all()
    sessions = {session.id: session for session, _group, _organisation in rows}
    rounds: dict[int, list[RolePlayRound]] = {}
    written: set[int] = set()
    if sessions:
        played = list(db.session.scalars(
            select(RolePlayRound).where(RolePlayRound.player_id == actor_id,
                                        RolePlayRound.session_id.in_(list(sessions)))
            .options(db.lazyload("*")).order_by(RolePlayRound.created_at, RolePlayRound.id)))
        for round_ in played:
            rounds.setdefault(round_.session_id, []).append(round_)
        if played:
            written = set(db.session.scalars(select(RoundNote.round_id).where(
                RoundNote.author_id == actor_id, RoundNote.kind == "aftercare",
                RoundNote.round_id.in_([r.id for r in played]))))
    content = catalogue()
    coming, past = [], []
    for session, group, organisation in rows:
        booking = Booking(
            session_id=session.id, title=session.title, group=group,
            organisation=organisation, location=session.location,
            online=bool(session.online_url), starts_at=as_utc(session.starts_at), ends_at=as_utc(session.ends_at),
            sketches=list(session.sketches or []),
            rounds=[ActorRound(r.id, _scenario_title(content, r.scenario_slug), r.id in written)
                    for r in rounds.get(session.id, [])])
        (coming if booking.ends_at >= now else past).append(booking)
    coming.sort(key=lambda b: (b.starts_at, b.session_id))
    past.sort(key=lambda b: (b.starts_at, b.session_id), reverse=True)
    return coming, past


def _scenario_title(content, slug: str) -> str:
    scenario = content.scenario(slug)
    return scenario.title if scenario is not None else ""


# Admins --------------------------------------------------------------------------------------------------------

@dataclass
class AdminHome:
    figures: object
    licences: list
    events: list
    #: action -> what it is called (the audit log's words).
    actions: dict


def admin_home(now=None) -> AdminHome:
    """The national figures (kept a minute per process), the licences ending within 60 days, the newest audit
    events."""
    return AdminHome(current_national_figures(), licences_ending_soon(now), latest_events(), AUDIT_ACTIONS)


# Learners ------------------------------------------------------------------------------------------------------

def learner_certificates(user_id: int) -> list[Certificate]:
    """The learner's certificates that were not revoked, newest first. One query."""
    return list(db.session.scalars(select(Certificate).where(Certificate.user_id == user_id,
                                                            Certificate.revoked_at.is_(None))
                                   .order_by(Certificate.issued_at.desc(), Certificate.id.desc())))


def checkin_open_now(starts_at: datetime | None, ends_at: datetime | None, now=None) -> bool:
    """Whether a learner can check in with the code for a session with these times right now (the window of
    jimtraining.cohorts.attendance.checkin_open)."""
    if starts_at is None or ends_at is None:
        return False
    now = now or utcnow()
    return as_utc(starts_at) - CHECKIN_EARLY <= now <= as_utc(ends_at)
