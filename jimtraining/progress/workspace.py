"""The start page of a trainer or lecturer: today's sessions of their groups, what waits for them, and their groups
with progress. A fixed number of queries, whatever the number of groups or learners: the groups with their
sessions in one, their progress and certificate checklists from the cohort dashboards' overviews (counted in one
batch for the groups the process has not kept), and one query for all kinds of waiting work
(jimtraining/progress/waiting.py).

Only the groups that are planned or running count here ("active"): a finished or archived group is reached
through "Alle groepen"."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import url_for
from sqlalchemy import bindparam, select

from jimtraining.accounts.models import User
from jimtraining.cohorts.attendance import checkin_code, checkin_open, next_session
from jimtraining.cohorts.models import Cohort, CohortSession, cohort_trainer
from jimtraining.extensions import db
from jimtraining.progress.dashboard import cohort_overviews
from jimtraining.progress.waiting import waiting_work
from jimtraining.timeutil import as_utc, local_date, utcnow

ACTIVE = ("planned", "running")


@dataclass
class TodaySession:
    session: CohortSession
    cohort: Cohort
    #: The check-in code when checking in is open now, else None.
    code: str | None = None


@dataclass
class Waiting:
    """One line of "Wacht op jou": what kind of work, how much, where it is done and what it is about."""

    #: answers, practice, sign, release or actor
    kind: str
    count: int
    url: str
    #: The group or session it is about ("" for the review queue, which covers every group).
    about: str = ""
    #: When the session it is about starts, for sessions.
    when: datetime | None = None


@dataclass
class GroupLine:
    cohort: Cohort
    learners: int = 0
    modules: int = 0
    #: Learners who finished every module of the group.
    all_done: int = 0
    #: Modules done by all learners together, as a share of all they could do (0-100), None without modules.
    percent: int | None = None
    certified: int = 0
    ready: int = 0
    next_session: CohortSession | None = None


@dataclass
class TrainerWorkspace:
    today: list[TodaySession] = field(default_factory=list)
    waiting: list[Waiting] = field(default_factory=list)
    groups: list[GroupLine] = field(default_factory=list)


#: Built once, the trainer bound when it runs: building the statement would cost more than running it.
_ACTIVE_COHORTS = (
    select(Cohort).join(cohort_trainer, cohort_trainer.c.cohort_id == Cohort.id)
    .where(cohort_trainer.c.user_id == bindparam("user_id"), Cohort.status.in_(ACTIVE))
    .options(db.joinedload(Cohort.sessions)).order_by(Cohort.name, Cohort.id))


def active_cohorts(user: User) -> list[Cohort]:
    """The planned and running groups `user` trains, by name, with their sessions: one query."""
    return list(db.session.scalars(_ACTIVE_COHORTS, {"user_id": user.id}).unique())


def today_sessions(cohorts: list[Cohort], now=None) -> list[TodaySession]:
    """The sessions of these groups on today's date in the Netherlands, in time order (no query)."""
    now = now or utcnow()
    today = local_date(now)
    found = [TodaySession(s, c, checkin_code(s, now) if checkin_open(s, now) else None)
             for c in cohorts for s in c.sessions if local_date(s.starts_at) == today]
    return sorted(found, key=lambda t: (as_utc(t.session.starts_at), t.session.id))


def group_lines(cohorts: list[Cohort], now=None) -> list[GroupLine]:
    """Per group the line of progress the start page shows, with the learners ready to be signed off: read from
    each group's dashboard overview (progress/dashboard.py), so the start page says what the dashboard it links to
    says, and a group whose figures the process kept costs no query."""
    now = now or utcnow()
    lines = []
    for cohort, overview in zip(cohorts, cohort_overviews(cohorts, now), strict=True):
        rows, modules = overview.rows, overview.modules
        states = [state for state, _words in overview.certification["cells"].values()]
        possible = len(rows) * len(modules)
        lines.append(GroupLine(
            cohort=cohort, learners=len(rows), modules=len(modules),
            all_done=sum(1 for r in rows if modules and r.modules_done >= len(modules)),
            percent=round(100 * sum(r.modules_done for r in rows) / possible) if possible else None,
            certified=states.count("certified"), ready=states.count("eligible"),
            next_session=next_session(cohort.sessions, now)))
    return lines


def trainer_workspace(user: User, now=None) -> TrainerWorkspace:
    """Everything the start page of a trainer or lecturer shows."""
    now = now or utcnow()
    cohorts = active_cohorts(user)
    groups = group_lines(cohorts, now)
    work = waiting_work(user, cohorts, now)
    waiting = []
    if work.answers:
        waiting.append(Waiting("answers", work.answers, url_for("quizzes.review_queue")))
    for cohort in cohorts:
        if work.practice.get(cohort.id):
            waiting.append(Waiting("practice", work.practice[cohort.id],
                                   url_for("certification.practice_queue", cohort_id=cohort.id), cohort.name))
    for line in groups:
        if line.ready:
            waiting.append(Waiting("sign", line.ready, url_for("cohorts.dashboard", cohort_id=line.cohort.id,
                                                               sort="name"), line.cohort.name))
    sessions = {s.id: (s, c) for c in cohorts for s in c.sessions}
    for session_id, count in sorted(work.release.items(), key=lambda item: as_utc(sessions[item[0]][0].starts_at)):
        session, cohort = sessions[session_id]
        waiting.append(Waiting("release", count, url_for("cohorts.session", cohort_id=cohort.id,
                                                         session_id=session.id), f"{cohort.name}: {session.title}",
                               session.starts_at))
    for session in work.actor:
        cohort = sessions[session.id][1]
        waiting.append(Waiting("actor", 1, url_for("cohorts.session", cohort_id=cohort.id, session_id=session.id),
                               f"{cohort.name}: {session.title}", session.starts_at))
    return TrainerWorkspace(today=today_sessions(cohorts, now), waiting=waiting, groups=groups)
