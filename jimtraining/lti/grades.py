"""Assignment and Grade Services: finished work goes to the course's gradebook, once.

The domains announce results (jimtraining/signals.py): a quiz attempt graded, a lesson done, a scenario finished.
Here each becomes at most one row of the outbox (lti_grade) per gradebook column that shows it: a graded attempt for
the links to that quiz, a completed module (all lessons done, the quiz passed) for the links to that module, a
finished scenario for the links to that scenario; only in courses where the person is a member of the class cohort
and only when the person came from that platform. One INSERT ... SELECT does it; a unique key makes a second one
do nothing. A learner without an LTI session costs nothing at all: their own hand-in is not looked up.

`send_pending_grades()` sends what is due: it claims a row (pending -> sending) before talking to the platform and
marks it sent after, so two senders never send the same row; a platform that does not answer gets the row back as
pending with a later try (RETRY_AFTER), until MAX_TRIES. It runs right after the hand-in (synchronously, for now),
and from `flask lti send-grades` (cron, or a background job later).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from flask import has_request_context
from flask_babel import gettext as _
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.exception import LtiException
from pylti1p3.grade import Grade
from requests import RequestException
from sqlalchemy import and_, exists, func, literal, or_, select, union_all, update
from sqlalchemy.dialects import postgresql, sqlite

from jimtraining import signals as events
from jimtraining.extensions import db
from jimtraining.lti import domains
from jimtraining.lti.models import (
    GRADE_FAILED,
    GRADE_PENDING,
    GRADE_SENDING,
    GRADE_SENT,
    LtiContext,
    LtiGrade,
    LtiPlatform,
    LtiResourceLink,
    LtiUserLink,
)
from jimtraining.lti.services import lti_session
from jimtraining.lti.toolconf import connector_for
from jimtraining.timeutil import as_utc, utcnow

log = logging.getLogger(__name__)

#: After this many failed tries a row is marked failed (the admin page shows it; `flask lti send-grades --retry-failed`
#: tries again).
MAX_TRIES = 8
#: Wait before the next try: doubles from two minutes, at most six hours.
FIRST_RETRY = timedelta(minutes=2)
LONGEST_RETRY = timedelta(hours=6)
#: A row left "sending" this long (the process died mid-way) is taken again.
STUCK_AFTER = timedelta(minutes=10)
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
FULL_MARKS = 100.0


# Enqueue ----------------------------------------------------------------------------------------------------

_COLUMNS = ("user_id", "resource_link_id", "source", "score_given", "score_maximum", "passed", "achieved_at",
            "state", "tries", "created_at")


@dataclass(frozen=True)
class Result:
    """A result for the gradebook columns of the links to `target`, when `condition` (SQL) holds."""

    target: str
    source: str
    score: float
    passed: bool | None = None
    achieved_at: object = None
    condition: object = None


def _insert():
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    return dialect.insert(LtiGrade)


def _rows(user_id: int, result: Result, now):
    values = [literal(user_id, LtiGrade.user_id.type), LtiResourceLink.id,
              literal(result.source, LtiGrade.source.type), literal(float(result.score), LtiGrade.score_given.type),
              literal(FULL_MARKS, LtiGrade.score_maximum.type), literal(result.passed, LtiGrade.passed.type),
              literal(result.achieved_at or now, LtiGrade.achieved_at.type),
              literal(GRADE_PENDING, LtiGrade.state.type), literal(0, LtiGrade.tries.type),
              literal(now, LtiGrade.created_at.type)]
    conditions = [LtiResourceLink.target == result.target, LtiResourceLink.lineitem_url.is_not(None),
                  exists().where(LtiUserLink.user_id == user_id, LtiUserLink.platform_id == LtiContext.platform_id),
                  domains.member_of_cohort_clause(LtiContext.cohort_id, user_id)]
    if result.condition is not None:
        conditions.append(result.condition)
    return (select(*values).select_from(LtiResourceLink)
            .join(LtiContext, LtiContext.id == LtiResourceLink.context_id).where(*conditions))


def enqueue(user_id: int, results: list[Result]) -> int:
    """One INSERT ... SELECT for all `results`: a row for every link to a result's target with a gradebook column,
    in a course of a platform the person came from and whose class cohort they are in. Returns how many rows are
    new (a result already in the outbox for that link is not added again)."""
    now = utcnow()
    selects = [_rows(user_id, result, now) for result in results]
    rows = selects[0] if len(selects) == 1 else union_all(*selects)
    # RETURNING counts the new rows on both databases (psycopg's rowcount is -1 for an INSERT ... SELECT here).
    added = len(db.session.execute(_insert().from_select(_COLUMNS, rows).on_conflict_do_nothing()
                                   .returning(LtiGrade.id)).all())
    db.session.commit()
    return added


def _own_action_outside_lti(user_id: int, by_id: int | None) -> bool:
    """The person's own hand-in (or lesson, or choice) in a session that did not come from an LMS: nothing to send,
    and nothing looked up (the hand-in's query budget)."""
    if by_id != user_id or not has_request_context():
        return False
    marker = lti_session()
    return marker is None or marker.get("user") != user_id


def _module_completed(user_id: int, module_slug: str) -> Result:
    return Result(f"module:{module_slug}", f"module:{module_slug}", FULL_MARKS, True,
                  condition=domains.module_completed_clause(user_id, module_slug))


def _quietly(action, *args) -> None:
    """Grade passback never breaks what the person did: a failure is logged, the row (if any) is retried."""
    try:
        action(*args)
    except Exception:  # noqa: BLE001 - whatever the platform or the network does
        db.session.rollback()
        log.exception("LTI grade passback failed")


def _after_quiz(user_id, attempt_id, module_slug, percent, passed, graded_at, by_id):
    if _own_action_outside_lti(user_id, by_id):
        return
    results = [Result(f"quiz:{module_slug}", f"attempt:{attempt_id}", float(percent or 0), passed, graded_at)]
    if passed:
        results.append(_module_completed(user_id, module_slug))
    if enqueue(user_id, results):
        send_pending_grades(user_id=user_id)


def _after_lesson(user_id, module_slug, by_id):
    if _own_action_outside_lti(user_id, by_id):
        return
    if enqueue(user_id, [_module_completed(user_id, module_slug)]):
        send_pending_grades(user_id=user_id)


def _after_scenario(user_id, scenario_slug, by_id):
    if _own_action_outside_lti(user_id, by_id):
        return
    slug = f"scenario:{scenario_slug}"
    if enqueue(user_id, [Result(slug, slug, FULL_MARKS)]):
        send_pending_grades(user_id=user_id)


def on_quiz_graded(_sender, **event):
    _quietly(_after_quiz, event["user_id"], event["attempt_id"], event["module_slug"], event.get("percent"),
             event.get("passed"), event.get("graded_at"), event.get("by_id"))


def on_lesson_done(_sender, **event):
    _quietly(_after_lesson, event["user_id"], event["module_slug"], event.get("by_id"))


def on_scenario_finished(_sender, **event):
    _quietly(_after_scenario, event["user_id"], event["scenario_slug"], event.get("by_id"))


def connect() -> None:
    """Listen to the domains' events (create_app, through jimtraining.lti.init_app); connecting twice is harmless."""
    events.quiz_graded.connect(on_quiz_graded)
    events.lesson_done.connect(on_lesson_done)
    events.scenario_finished.connect(on_scenario_finished)


# Send -------------------------------------------------------------------------------------------------------

def _due(now, user_id: int | None, limit: int):
    query = (select(LtiGrade.id)
             .where(or_(and_(LtiGrade.state == GRADE_PENDING,
                             or_(LtiGrade.next_try_at.is_(None), LtiGrade.next_try_at <= now)),
                        and_(LtiGrade.state == GRADE_SENDING, LtiGrade.claimed_at < now - STUCK_AFTER)))
             .order_by(LtiGrade.id).limit(limit))
    if user_id is not None:
        query = query.where(LtiGrade.user_id == user_id)
    return list(db.session.scalars(query))


def _claim(grade_id: int, now) -> bool:
    claimed = db.session.execute(
        update(LtiGrade).where(LtiGrade.id == grade_id, or_(
            LtiGrade.state == GRADE_PENDING,
            and_(LtiGrade.state == GRADE_SENDING, LtiGrade.claimed_at < now - STUCK_AFTER)))
        .values(state=GRADE_SENDING, claimed_at=now, tries=LtiGrade.tries + 1)
        .execution_options(synchronize_session=False)).rowcount == 1
    db.session.commit()
    return claimed


def _comment(passed: bool | None) -> str:
    if passed is None:
        return _("Afgerond in JIM-training.")
    return _("Geslaagd in JIM-training.") if passed else _("Niet geslaagd in JIM-training.")


def _send(grade: LtiGrade) -> None:
    link = grade.resource_link
    context = link.context
    platform = db.session.get(LtiPlatform, context.platform_id)
    sub = db.session.scalar(select(LtiUserLink.sub).where(LtiUserLink.platform_id == platform.id,
                                                          LtiUserLink.user_id == grade.user_id)
                            .order_by(LtiUserLink.id).limit(1))
    if sub is None:
        raise LtiException("the person has no account link with this platform any more")
    scopes = list(context.ags_scopes or []) or [SCORE_SCOPE]
    service = AssignmentsGradesService(connector_for(platform), {
        "scope": scopes, "lineitem": link.lineitem_url, "lineitems": context.lineitems_url or ""})
    score = (Grade().set_score_given(grade.score_given).set_score_maximum(grade.score_maximum)
             .set_timestamp(as_utc(grade.achieved_at).isoformat(timespec="milliseconds"))
             .set_activity_progress("Completed").set_grading_progress("FullyGraded").set_user_id(sub)
             .set_comment(_comment(grade.passed)))
    service.put_grade(score)


def send_pending_grades(now=None, user_id: int | None = None, limit: int = 500) -> tuple[int, int]:
    """Send every due row (of one person, with user_id); returns (sent, not sent). Safe to run in several processes
    at once: a row is claimed before it is sent."""
    now = now or utcnow()
    sent = failed = 0
    for grade_id in _due(now, user_id, limit):
        if not _claim(grade_id, now):
            continue
        grade = db.session.get(LtiGrade, grade_id)
        try:
            _send(grade)
        except (LtiException, RequestException, ValueError, KeyError) as error:
            db.session.rollback()
            grade = db.session.get(LtiGrade, grade_id)
            grade.last_error = str(error)[:500]
            if grade.tries >= MAX_TRIES:
                grade.state = GRADE_FAILED
            else:
                grade.state = GRADE_PENDING
                grade.next_try_at = now + min(FIRST_RETRY * 2 ** (grade.tries - 1), LONGEST_RETRY)
            failed += 1
            log.warning("LTI grade %s not sent (try %s): %s", grade_id, grade.tries, grade.last_error)
        else:
            grade.state, grade.sent_at, grade.last_error = GRADE_SENT, utcnow(), None
            sent += 1
            log.info("LTI grade %s sent", grade_id)
        db.session.commit()
    return sent, failed


def retry_failed() -> int:
    """Give failed rows another round of tries (after the platform was fixed)."""
    count = db.session.execute(update(LtiGrade).where(LtiGrade.state == GRADE_FAILED)
                               .values(state=GRADE_PENDING, tries=0, next_try_at=None)).rowcount
    db.session.commit()
    return count


def outbox_counts() -> dict[str, int]:
    return dict(db.session.execute(select(LtiGrade.state, func.count()).group_by(LtiGrade.state)).all())
