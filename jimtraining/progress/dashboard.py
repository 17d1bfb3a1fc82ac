"""The trainer's cohort dashboard and the page per learner: the head query that also checks access, the roster,
the progress matrix with the certificate column (kept by the process while nothing it counts changed), and what
these pages say about the cohort's certification track."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from flask import current_app, render_template
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import bindparam, literal_column, null, select, union_all

from jimtraining.accounts.forms import ConfirmForm
from jimtraining.accounts.models import User
from jimtraining.certification.eligibility import RENEWAL_WINDOW, cohorts_eligibility, learner_eligibility
from jimtraining.certification.group_progress import groups_progress
from jimtraining.certification.services import cohort_track, refusal
from jimtraining.cohorts.enrolment import ENROLLED, enrolments, split_names, trainer_names_of
from jimtraining.cohorts.models import Cohort, CohortSession, Enrollment, cohort_trainer
from jimtraining.cohorts.track_fit import counted_modules, missing_modules, missing_modules_text, module_titles
from jimtraining.content.catalogue import catalogue
from jimtraining.extensions import db
from jimtraining.progress.matrix import LearnerRow, cohort_matrix, matrix_modules
from jimtraining.timeutil import as_utc, utcnow

# The head and the roster --------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class SessionLine:
    """A session as the cohort dashboard lists it."""

    id: int
    title: str
    starts_at: datetime
    ends_at: datetime


#: The cohort, whether this user trains it and its trainers' names, in one query (the dashboard's access check).
_DASHBOARD_HEAD = select(
    Cohort,
    select(cohort_trainer.c.user_id).where(cohort_trainer.c.cohort_id == Cohort.id,
                                           cohort_trainer.c.user_id == bindparam("user_id")).exists(),
    trainer_names_of(Cohort.id),
).where(Cohort.id == bindparam("cohort_id"))
#: The cohort's active learners (the rows of ENROLLED, then a NULL) and its sessions (cohort id, starts_at, id,
#: title, three NULLs, ends_at) in one query; the kind comes last.
_ROSTER = union_all(
    ENROLLED.add_columns(null().cast(CohortSession.ends_at.type), literal_column("'learner'")),
    select(CohortSession.cohort_id, CohortSession.starts_at, CohortSession.id, CohortSession.title,
           null().cast(User.email.type), null().cast(User.skj_number.type),
           null().cast(Enrollment.progress_token.type), CohortSession.ends_at, literal_column("'session'"))
    .where(CohortSession.cohort_id.in_(bindparam("cohort_ids", expanding=True))))


def dashboard_head(cohort_id: int, user) -> tuple[Cohort, bool, list[str]] | None:
    """The cohort, whether `user` is one of its trainers, and the trainers' names (by name); None: no cohort.
    jimtraining.access.cohorts.dashboard_or_404 checks access with it."""
    row = db.session.execute(_DASHBOARD_HEAD, {"cohort_id": cohort_id, "user_id": user.id}).one_or_none()
    if row is None:
        return None
    cohort, trains, names = row
    return cohort, bool(trains), split_names(names)


def roster(cohort: Cohort) -> tuple[list[SessionLine], list]:
    """The cohort's sessions (in time order) and its active learners as `enrolments` gives them, in one query."""
    sessions, enrolled = [], []
    for row in db.session.execute(_ROSTER, {"cohort_ids": [cohort.id]}):
        if row[-1] == "session":
            _cohort_id, starts_at, session_id, title, *_nothing, ends_at, _kind = row
            sessions.append(SessionLine(session_id, title, as_utc(starts_at), as_utc(ends_at)))
        else:
            enrolled.append(tuple(row[:7]))
    sessions.sort(key=lambda s: (s.starts_at, s.id))
    return sessions, enrolled


# The overview: matrix and certificate column, kept per process ----------------------------------------------

@dataclass(eq=False)
class CohortOverview:
    """What a cohort dashboard shows of its learners. Shared between requests while it is kept: never change it."""

    rows: list[LearnerRow]
    modules: list
    #: Sessions that have ended.
    past: int
    #: {"track": the cohort's track or None, "cells": user id -> (certified/eligible/missing, words),
    #: "practice_waiting": user ids whose newest practice version waits for a trainer}.
    certification: dict
    #: The progress table as HTML per sort order, rendered once (see `table`).
    tables: dict[str, Markup] = field(default_factory=dict)

    def waiting(self) -> dict[str, int]:
        """What needs the trainer: quizzes with an open answer to grade, practice versions to review, learners
        ready to be signed off."""
        cells = self.certification["cells"].values()
        return {"answers": sum(row.quizzes_waiting for row in self.rows),
                "practice": len(self.certification["practice_waiting"]),
                "ready": sum(1 for state, _words in cells if state == "eligible")}

    def table(self, cohort: Cohort, sort: str, key) -> Markup:
        """The progress table sorted by `key`, rendered the first time this order is asked for."""
        html = self.tables.get(sort)
        if html is None:
            html = self.tables[sort] = Markup(render_template(  # noqa: S704 - a rendered (escaping) template
                "cohorts/_matrix.html", cohort=cohort, rows=sorted(self.rows, key=key), modules=self.modules,
                certification=self.certification))
        return html


def cohort_overview(cohort: Cohort, now=None, enrolled: list | None = None, sessions=None) -> CohortOverview:
    """The trainer's dashboard: the progress matrix, the number of sessions that ended and, per learner, what the
    certificate column says. Counted once for the matrix and the checklist (a fixed number of queries), and
    kept by the process while nothing it depends on changed (see `_key`). `enrolled` and `sessions`, when the
    caller has them (`roster`), save loading them again."""
    return cohort_overviews([cohort], now, enrolled, {cohort.id: sessions} if sessions is not None else None)[0]


def cohort_overviews(cohorts: list[Cohort], now=None, enrolled: list | None = None,
                     sessions: dict | None = None) -> list[CohortOverview]:
    """`cohort_overview` for several cohorts, such as a trainer's groups on their start page: the ones the process
    kept are taken as they are, the others are counted together in the queries of one cohort. `enrolled` (rows of
    `enrolments` for these cohorts) and `sessions` (cohort id -> its sessions) save loading them again."""
    if not cohorts:
        return []
    now = now or utcnow()
    enrolled = enrolments(cohorts) if enrolled is None else enrolled
    enrolled_of: dict[int, list] = {cohort.id: [] for cohort in cohorts}
    for row in enrolled:
        enrolled_of[row[0]].append(row)
    memory = _memory()
    keys, found = {}, {}
    for cohort in cohorts:
        keys[cohort.id] = key = _key(cohort, enrolled_of[cohort.id], (sessions or {}).get(cohort.id, cohort.sessions))
        kept = memory.get(cohort.id) if key is not None else None
        if kept is not None and kept.key == key and now < kept.until:
            found[cohort.id] = kept.overview
    missing = [cohort for cohort in cohorts if cohort.id not in found]
    if missing:
        seconds = current_app.config["DASHBOARD_CACHE_SECONDS"]
        for cohort, (overview, until) in zip(missing, _count(missing, enrolled_of, now), strict=True):
            found[cohort.id] = overview
            if keys[cohort.id] is not None and seconds > 0:
                memory.put(cohort.id, _Kept(keys[cohort.id], min(until, now + timedelta(seconds=seconds)), overview))
    return [found[cohort.id] for cohort in cohorts]


def _count(cohorts: list[Cohort], enrolled_of: dict[int, list], now) -> list[tuple[CohortOverview, datetime]]:
    """Per cohort the overview, and the moment the clock alone changes it (a session ends, a certificate enters
    the renewal window). One batch of queries for all of them."""
    tracks = {cohort.id: cohort_track(cohort) for cohort in cohorts}
    modules_of = {cohort.id: matrix_modules(cohort) for cohort in cohorts}
    slugs = [m.slug for modules in modules_of.values() for m in modules]
    slugs += counted_modules([track for track in tracks.values() if track is not None])
    progress = groups_progress(cohorts, list(dict.fromkeys(slugs)), now=now,
                               enrolled=[row for cohort in cohorts for row in enrolled_of[cohort.id]])
    pairs = [(cohort, tracks[cohort.id]) for cohort in cohorts if tracks[cohort.id] is not None]
    eligibilities = dict(zip([cohort.id for cohort, _track in pairs], cohorts_eligibility(
        pairs, now=now, progress=[group for group in progress if tracks[group.cohort.id] is not None]), strict=True))
    # The words of each row are made here, once per text rather than once per cell in the template: a
    # 30-learner table would otherwise translate the same few texts hundreds of times.
    of = _("%(a)s van %(b)s")
    counted = []
    for cohort, group in zip(cohorts, progress, strict=True):
        rows, modules, past = cohort_matrix(cohort, progress=group, now=now)
        for row in rows:
            row.attendance_text = (None if row.attendance_percent is None else
                                   f"{row.attendance_percent}% ({of % {'a': row.attended, 'b': row.expected}})")
        moments = [as_utc(s.ends_at) for s in cohort.sessions]
        track = tracks[cohort.id]
        if track is None:
            counted.append((CohortOverview(rows, modules, past, {"track": None, "cells": {},
                                                                 "practice_waiting": set()}),
                            _first_after(now, moments)))
            continue
        eligibility = eligibilities[cohort.id]
        moments += [as_utc(item.certificate.expires_at) - RENEWAL_WINDOW for item in eligibility.values()
                    if item.certificate is not None]
        practice_waiting = {user_id for user_id, item in eligibility.items()
                            if any(check.kind == "practice" and check.waiting for check in item.checks)}
        counted.append((CohortOverview(rows, modules, past, {"track": track, "cells": _certificate_cells(eligibility),
                                                             "practice_waiting": practice_waiting}),
                        _first_after(now, moments)))
    return counted


def _first_after(now, moments):
    return min((moment for moment in moments if moment > now), default=datetime.max.replace(tzinfo=UTC))


def _key(cohort: Cohort, enrolled: list, sessions) -> tuple | None:
    """Everything the overview depends on besides the clock: the language, the curriculum, the cohort's modules,
    track and sessions, and per learner the name, the moment they joined and the progress token that every
    write about them renews (jimtraining/progress/stamps.py). None: do not keep (no content token)."""
    content = catalogue().token
    if content is None:
        return None
    learners = sorted((user_id, name, joined_at, token) for _c, joined_at, user_id, name, _e, _s, token in enrolled)
    return (str(get_locale()), content, tuple(cohort.module_slugs or ()), cohort.track_slug,
            tuple(sorted((s.id, as_utc(s.starts_at), as_utc(s.ends_at)) for s in sessions)), tuple(learners))


@dataclass
class _Kept:
    key: tuple
    until: datetime
    overview: CohortOverview


class _Memory:
    """The overviews a process computed last, per cohort (the most recently used SIZE cohorts)."""

    SIZE = 256

    def __init__(self):
        self._items: OrderedDict[int, _Kept] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, cohort_id: int) -> _Kept | None:
        with self._lock:
            kept = self._items.get(cohort_id)
            if kept is not None:
                self._items.move_to_end(cohort_id)
            return kept

    def put(self, cohort_id: int, kept: _Kept) -> None:
        with self._lock:
            self._items[cohort_id] = kept
            self._items.move_to_end(cohort_id)
            while len(self._items) > self.SIZE:
                self._items.popitem(last=False)


def _memory() -> _Memory:
    return current_app.extensions.setdefault("jim_cohort_overviews", _Memory())


def _certificate_cells(eligibility: dict) -> dict[int, tuple[str, str]]:
    """user id -> (certified, eligible or missing; the words) for the certificate column of the dashboard."""
    certified, eligible = _("gecertificeerd"), _("klaar om af te tekenen")
    missing: dict[int, str] = {}
    cells = {}
    for user_id, item in eligibility.items():
        if item.already_certified:
            cells[user_id] = ("certified", certified)
        elif item.eligible:
            cells[user_id] = ("eligible", eligible)
        else:
            count = len(item.missing)
            if count not in missing:
                missing[count] = ngettext("nog %(num)d onderdeel", "nog %(num)d onderdelen", count)
            cells[user_id] = ("missing", missing[count])
    return cells


# Certification on the cohort pages --------------------------------------------------------------------------

def track_gap(cohort: Cohort, track) -> str | None:
    """What the dashboard says when the cohort does not show every module its track requires (the track changed
    after the cohort was saved); None when it does. From the curriculum catalogue: no query."""
    missing = missing_modules(cohort.module_slugs, track) if track is not None and not track.archived else []
    if not missing:
        return None
    return missing_modules_text(track.title, module_titles(missing)) + " " + _(
        "De tabel hieronder laat dat deel niet zien, maar het telt wel mee voor het certificaat. Voeg het toe bij "
        "'Groep bewerken'.")


def learner_certification(cohort: Cohort, user_id: int, viewer) -> dict:
    """For the trainer's page of one learner: checklist, certificate, and whether `viewer` may sign it off."""
    track = cohort_track(cohort)
    if track is None:
        return {"track": None, "eligibility": None, "refusal": refusal(viewer, cohort)}
    return {"track": track, "eligibility": learner_eligibility(cohort, track, user_id),
            "refusal": refusal(viewer, cohort), "sign_form": ConfirmForm()}
