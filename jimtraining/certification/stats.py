"""National figures: certified professionals against the goal of 3000, over time and by group.

Every figure is an aggregate in SQL, so the dashboard costs the same handful of queries for ten certificates or
for ten thousand. A professional counts once, however many certificates (renewals) they have.

The pages read them through ``current_national_figures()``: computed at most once a minute per app process
(NATIONAL_FIGURES_CACHE_SECONDS), because at national scale these aggregates scan every certificate and the
figures change slowly. A certificate issued or revoked in this process clears the cache at once.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import get_locale
from sqlalchemy import case, distinct, func, select

from jimtraining.accounts.models import WORK_CONTEXTS, User
from jimtraining.certification.models import Certificate, TrainerLicence
from jimtraining.cohorts.models import COHORT_STATUSES, Cohort
from jimtraining.extensions import db
from jimtraining.organisations.models import ORGANISATION_KINDS
from jimtraining.roles import Role
from jimtraining.timeutil import as_utc, local_time, local_zone, utcnow

GOAL = 3000
#: A licence that ends within this many days shows as "ends soon".
LICENCE_WARNING = timedelta(days=60)


@dataclass
class NationalFigures:
    goal: int = GOAL
    #: Professionals with at least one certificate that was not revoked (the count toward the goal).
    certified: int = 0
    #: Of those, professionals whose certificate is valid today.
    valid_now: int = 0
    issued: int = 0
    expired: int = 0
    revoked: int = 0
    #: (YYYY-MM, professionals certified for the first time up to and including that month)
    over_time: list[tuple[str, int]] = field(default_factory=list)
    by_region: list[tuple[str, int]] = field(default_factory=list)
    by_organisation_kind: list[tuple[str, int]] = field(default_factory=list)
    by_work_context: list[tuple[str, int]] = field(default_factory=list)
    trainers: int = 0
    licensed_trainers: int = 0
    licences_ending_soon: int = 0
    #: (status label, number of cohorts)
    cohorts: list[tuple[str, int]] = field(default_factory=list)
    cohorts_running: int = 0
    #: When these figures were computed (UTC).
    computed_at: datetime | None = None

    @property
    def percent_of_goal(self) -> int:
        return min(100, round(100 * self.certified / self.goal)) if self.goal else 0


def _month(column):
    """The month (YYYY-MM) of a moment as people in the Netherlands count it, in the database's own dialect: a
    certificate signed at 00:30 on 1 January counts for January, although it is still December in UTC.

    SQLite knows no time zones. The local month differs from the UTC month only in the last two hours of a UTC
    month (the Dutch offset is one or two hours, and never changes near a month's end); for those few moments the
    key is the whole UTC timestamp, which ``_local_month`` turns into the local month."""
    if db.engine.dialect.name == "postgresql":
        return func.to_char(func.timezone(local_zone().key, column), "YYYY-MM")
    near_the_end = func.strftime("%m", column, "+2 hours") != func.strftime("%m", column)
    return case((near_the_end, func.strftime("%Y-%m-%d %H:%M:%S", column)), else_=func.strftime("%Y-%m", column))


def _local_month(key: str) -> str:
    """A key of ``_month``: a month as it is, a UTC timestamp (SQLite, near a month's end) as its local month."""
    if len(key) == 7:
        return key
    return local_time(datetime.fromisoformat(key)).strftime("%Y-%m")


def _holder():
    """One key per professional; a certificate whose holder was erased counts as its own person."""
    return func.coalesce(Certificate.user_id, -Certificate.id)


def _cumulative(per_month: dict[str, int], now) -> list[tuple[str, int]]:
    """Running totals for every month from the first certificate up to now, months without one included."""
    if not per_month:
        return []
    year, month = (int(part) for part in min(per_month).split("-"))
    last = max(max(per_month), local_time(now).strftime("%Y-%m"))
    totals, running = [], 0
    while True:
        label = f"{year:04d}-{month:02d}"
        if label > last:
            return totals
        running += per_month.get(label, 0)
        totals.append((label, running))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


_cache: dict[tuple, tuple[float, NationalFigures]] = {}
_cache_lock = threading.Lock()


def current_national_figures() -> NationalFigures:
    """national_figures(), computed at most once per NATIONAL_FIGURES_CACHE_SECONDS in this process (per app and
    language: the figures hold translated labels). 0 turns the cache off."""
    seconds = current_app.config.get("NATIONAL_FIGURES_CACHE_SECONDS", 60)
    if not seconds:
        return national_figures()
    key = (id(current_app._get_current_object()), str(get_locale()))
    with _cache_lock:
        cached = _cache.get(key)
    if cached is not None and time.monotonic() - cached[0] < seconds:
        return cached[1]
    figures = national_figures()
    with _cache_lock:
        _cache[key] = (time.monotonic(), figures)
    return figures


def forget_national_figures() -> None:
    """Drop the cached figures (a certificate was issued or revoked)."""
    with _cache_lock:
        _cache.clear()


def national_figures(now=None) -> NationalFigures:
    now = now or utcnow()
    figures = NationalFigures(computed_at=now)
    professional = (Certificate.audience == "learner",)
    not_revoked = professional + (Certificate.revoked_at.is_(None),)

    row = db.session.execute(
        select(func.count(distinct(_holder())),
               func.count(distinct(case((Certificate.expires_at > now, _holder())))))
        .where(*not_revoked)).one()
    figures.certified, figures.valid_now = row[0], row[1]
    row = db.session.execute(
        select(func.count(), func.sum(case((Certificate.revoked_at.is_not(None), 1), else_=0)),
               func.sum(case(((Certificate.revoked_at.is_(None)) & (Certificate.expires_at <= now), 1), else_=0)))
        .where(*professional)).one()
    figures.issued, figures.revoked, figures.expired = row[0] or 0, row[1] or 0, row[2] or 0

    first = (select(_holder().label("holder"), func.min(Certificate.issued_at).label("first_at"))
             .where(*not_revoked).group_by(_holder()).subquery())
    month = _month(first.c.first_at)
    per_month: dict[str, int] = {}
    for key, count in db.session.execute(select(month, func.count()).group_by(month)).all():
        per_month[_local_month(key)] = per_month.get(_local_month(key), 0) + count
    figures.over_time = _cumulative(per_month, now)

    def grouped(column, labels=None):
        rows = db.session.execute(
            select(column, func.count(distinct(_holder()))).where(*not_revoked).group_by(column)).all()
        named = [((labels.get(key, key) if labels else key) or "—", count) for key, count in rows]
        return sorted(named, key=lambda item: (-item[1], str(item[0])))

    figures.by_region = grouped(Certificate.region)
    figures.by_organisation_kind = [(str(label), count) for label, count in
                                    grouped(Certificate.organisation_kind, ORGANISATION_KINDS)]
    figures.by_work_context = [(str(label), count) for label, count in
                               grouped(Certificate.work_context, WORK_CONTEXTS)]

    chain = _licence_chain(now)
    row = db.session.execute(
        select(func.count(), func.sum(case((chain.c.ends <= now + LICENCE_WARNING, 1), else_=0)))
        .where(chain.c.starts <= now)).one()
    figures.licensed_trainers, figures.licences_ending_soon = row[0] or 0, row[1] or 0
    figures.trainers = db.session.scalar(
        select(func.count()).select_from(User).where(User.role == Role.TRAINER, User.is_enabled.is_(True))) or 0

    counts = dict(db.session.execute(select(Cohort.status, func.count()).group_by(Cohort.status)).all())
    figures.cohorts = [(str(label), counts.get(key, 0)) for key, label in COHORT_STATUSES.items()]
    figures.cohorts_running = counts.get("running", 0)
    return figures


def _licence_chain(now):
    """Per trainer: licensed now, and the end of the last licence that is valid or planned (renewals included)."""
    return (select(TrainerLicence.user_id.label("user_id"), func.max(TrainerLicence.expires_at).label("ends"),
                   func.min(TrainerLicence.valid_from).label("starts"))
            .join(User, User.id == TrainerLicence.user_id)
            .where(TrainerLicence.withdrawn_at.is_(None), TrainerLicence.expires_at > now, User.role == Role.TRAINER,
                   User.is_enabled.is_(True))
            .group_by(TrainerLicence.user_id).subquery())


def licences_ending_soon(now=None, limit: int = 10) -> list[tuple[int, str, datetime]]:
    """(trainer id, name, end) of the licensed trainers whose licences (renewals included) end within
    LICENCE_WARNING, soonest first: the trainers the national figure `licences_ending_soon` counts. One query."""
    now = now or utcnow()
    chain = _licence_chain(now)
    return [(user_id, name, as_utc(ends)) for user_id, name, ends in db.session.execute(
        select(chain.c.user_id, User.name, chain.c.ends).join(User, User.id == chain.c.user_id)
        .where(chain.c.starts <= now, chain.c.ends <= now + LICENCE_WARNING)
        .order_by(chain.c.ends, User.name).limit(limit))]
