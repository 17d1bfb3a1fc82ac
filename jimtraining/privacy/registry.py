"""Which data is about a person, what their export contains, and what erasing their account does with it.

There is one `Entry` per table that points at a person (a ForeignKey to ``user_account.id``), registered by table
name, with one `Link` per such column. A link says

- whether the rows found through it belong in the person's export (``export``; when not, ``export_why`` says
  why), and
- what erasure does with those rows (``erase``: `Erase.DELETE`, `Erase.ANONYMISE`, `Erase.UNLINK` or
  `Erase.KEEP`) and why (``why``), with the free-text columns it blanks (``blank``).

An entry builds its part of the export with ``export`` (a function of the user that returns sections of the
JSON), or from ``fields`` (those columns of the rows found through the exported links), or says that its rows are
shown inside another entry's section (``exported_in``). ``before_erase`` does what a link cannot say: blanking
text in child tables or copying names that need the original row; it runs before the links are applied, and the
account row itself is anonymised last (`services.erase_user`).

`registry_problems` checks the registry against the tables in ``db.metadata``: tests/privacy/test_registry.py
fails, with a message that says what to add, for every table or column that points at a person and is not
covered. When you add such a model, add an entry here and a line to docs/PRIVACY.md.
"""

from __future__ import annotations

import enum
import re
import secrets
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import MetaData, Table, func, null, or_, select, update

from jimtraining.extensions import db
from jimtraining.timeutil import as_utc

USER_TABLE = "user_account"
USER_KEY = f"{USER_TABLE}.id"
#: The name an erased account gets.
ERASED_NAME = "Verwijderde gebruiker"
#: The name that replaces an erased person's name in the audit log (actor_name / subject_name).
ERASED_NAME_IN_LOG = "verwijderde gebruiker"


class Erase(enum.StrEnum):
    #: The rows are deleted.
    DELETE = "delete"
    #: The rows stay, still linked to the (anonymised) account; the free text in ``blank`` is wiped.
    ANONYMISE = "anonymise"
    #: The rows stay (they are someone else's); the link to the person is set to NULL, ``blank`` is wiped.
    UNLINK = "unlink"
    #: The rows stay as they are, linked to the anonymised account (``why`` says why that is needed).
    KEEP = "keep"


#: What the admin sees before erasing, per action.
ERASE_LABELS = {
    Erase.DELETE: _l("wordt verwijderd"),
    Erase.ANONYMISE: _l("blijft bewaard zonder naam en zonder vrije tekst"),
    Erase.UNLINK: _l("blijft bewaard, los van deze persoon"),
    Erase.KEEP: _l("blijft bewaard bij het geanonimiseerde account"),
}


@dataclass(frozen=True, eq=False)
class Link:
    """One column that points at the person."""

    column: str
    erase: Erase
    #: Why erasure does this (for developers and docs/PRIVACY.md).
    why: str
    #: What the person is in these rows, for the admin's overview ("als beoordelaar").
    role: Any = ""
    #: Whether the rows found through this column are in the person's export.
    export: bool = True
    #: Why they are not, when export is False.
    export_why: str = ""
    #: Columns of the same table that erasure overwrites (column -> value), for ANONYMISE and UNLINK.
    blank: dict[str, Any] = field(default_factory=dict)


@dataclass
class ErasureContext:
    user_id: int
    #: The e-mail address before erasure (lower-case), for rows that name the person without a link.
    email: str
    by_id: int
    now: datetime
    #: Rows changed, by kind: "<table>.<action>" -> count (only counts: no personal data).
    counts: Counter = field(default_factory=Counter)


@dataclass(frozen=True, eq=False)
class Entry:
    table: str
    #: What these rows are, for the admin's overview.
    title: Any
    links: tuple[Link, ...] = ()
    #: The keys of the export this entry writes.
    sections: tuple[str, ...] = ()
    #: Builds the sections from the user: user -> {section: value}.
    export: Callable[[Any], dict] | None = None
    #: Or: export these columns of the rows found through the exported links, as sections[0].
    fields: tuple[str, ...] = ()
    #: Or: the rows are shown inside this section of another entry.
    exported_in: str | None = None
    before_erase: Callable[[ErasureContext], None] | None = None
    after_erase: Callable[[ErasureContext], None] | None = None
    #: The table may not exist (yet): then the entry is skipped instead of reported as stale.
    optional: bool = False


# Helpers -----------------------------------------------------------------------------------------------------

def value(item):
    """A value as JSON: moments in UTC ISO 8601, dates as ISO dates."""
    if isinstance(item, datetime):
        return as_utc(item).isoformat()
    if isinstance(item, date):
        return item.isoformat()
    return item


def pick(obj, names: Iterable[str]) -> dict:
    return {name: value(getattr(obj, name)) for name in names}


def table(name: str) -> Table:
    return db.metadata.tables[name]


def initials(name: str) -> str:
    """"Lotte van der Leerling" -> "L. v. d. L.": what a verification page shows of an erased holder."""
    return " ".join(f"{part[0]}." for part in re.split(r"[\s-]+", (name or "").strip()) if part) or "?"


def _count(ctx: ErasureContext, key: str, result) -> None:
    ctx.counts[key] += max(result.rowcount or 0, 0)


def generic_rows(entry: Entry, user_id: int) -> list[dict]:
    """The ``fields`` of the rows found through the entry's exported links."""
    tbl = table(entry.table)
    links = [link for link in entry.links if link.export]
    query = select(*(tbl.c[name] for name in entry.fields)).where(
        or_(*(tbl.c[link.column] == user_id for link in links)))
    if "id" in tbl.c:
        query = query.order_by(tbl.c.id)
    return [{key: value(item) for key, item in row.items()} for row in db.session.execute(query).mappings()]


# Accounts ----------------------------------------------------------------------------------------------------

def _export_profile(user) -> dict:
    organisation = user.organisation
    return {
        "profile": pick(user, ("id", "name", "email", "role", "region", "work_context", "skj_number", "locale",
                               "is_enabled", "created_at", "last_login_at")),
        "organisation": pick(organisation, ("name", "kind")) if organisation else None,
    }


def _anonymise_account(ctx: ErasureContext) -> None:
    """The account row stays (so counts and kept rows still add up) but says nothing about the person."""
    from jimtraining.accounts.models import User

    user = db.session.get(User, ctx.user_id)
    user.name = ERASED_NAME
    user.email = erased_email(ctx.user_id)
    # A hash of a random secret nobody knows: no password logs in, and the account is switched off as well.
    user.set_password(secrets.token_urlsafe(48))
    user.is_enabled = False
    user.skj_number = None
    # The certificates keep their own copy of region, work field and kind of organisation for the national
    # figures, so the account needs none of it.
    user.organisation_id = None
    user.region = None
    user.work_context = None
    user.locale = "nl"
    user.last_login_at = None
    if hasattr(user, "rotate_session_token"):  # sessions carried in a token on the account
        user.rotate_session_token()
    ctx.counts["user_account.anonymise"] += 1


def erased_email(user_id: int) -> str:
    """Unique (by id) and unroutable (.invalid is reserved, RFC 2606): no mail can ever reach anyone."""
    return f"erased-{user_id}@invalid"


# Cohorts -----------------------------------------------------------------------------------------------------

def _export_enrolments(user) -> dict:
    from jimtraining.cohorts.models import Cohort, Enrollment

    rows = db.session.execute(select(Enrollment, Cohort.name).join(Cohort, Cohort.id == Enrollment.cohort_id)
                              .where(Enrollment.user_id == user.id).order_by(Enrollment.enrolled_at)).all()
    return {"enrolments": [{"cohort_id": e.cohort_id, "cohort": name, **pick(e, ("source", "enrolled_at",
                                                                                    "removed_at"))}
                           for e, name in rows]}


def _end_enrolments(ctx: ErasureContext) -> None:
    from jimtraining.cohorts.models import Enrollment

    result = db.session.execute(update(Enrollment).where(Enrollment.user_id == ctx.user_id,
                                                         Enrollment.removed_at.is_(None))
                                .values(removed_at=ctx.now).execution_options(synchronize_session=False))
    _count(ctx, "enrollment.anonymise", result)


def _export_cohorts_trained(user) -> dict:
    from jimtraining.cohorts.models import Cohort, cohort_trainer

    rows = db.session.execute(select(Cohort.id, Cohort.name).join(cohort_trainer,
                                                                   cohort_trainer.c.cohort_id == Cohort.id)
                              .where(cohort_trainer.c.user_id == user.id).order_by(Cohort.id)).all()
    return {"cohorts_trained": [{"cohort_id": cohort_id, "cohort": name} for cohort_id, name in rows]}


def _export_invitations(user) -> dict:
    from jimtraining.cohorts.models import Cohort, Invitation

    moments = ("created_at", "expires_at", "used_at")
    sent = db.session.execute(select(Invitation, Cohort.name).join(Cohort, Cohort.id == Invitation.cohort_id)
                              .where(Invitation.invited_by_id == user.id).order_by(Invitation.id)).all()
    received = db.session.execute(select(Invitation, Cohort.name).join(Cohort, Cohort.id == Invitation.cohort_id)
                                  .where(func.lower(Invitation.email) == user.email.lower())
                                  .order_by(Invitation.id)).all()
    return {
        # Who was invited is the invitee's data: only that an invitation went out, and when.
        "invitations_sent": [{"cohort": name, **pick(i, moments)} for i, name in sent],
        "invitations_received": [{"cohort": name, **pick(i, ("email", "name", "skj_number", *moments))}
                                 for i, name in received],
    }


def _delete_invitations_to_them(ctx: ErasureContext) -> None:
    from jimtraining.cohorts.models import Invitation

    result = db.session.execute(Invitation.__table__.delete().where(func.lower(Invitation.email) == ctx.email))
    _count(ctx, "invitation.delete", result)


def _export_attendance(user) -> dict:
    from jimtraining.cohorts.models import Attendance, Cohort, CohortSession

    rows = db.session.execute(
        select(Attendance, CohortSession.title, CohortSession.starts_at, Cohort.name)
        .join(CohortSession, CohortSession.id == Attendance.session_id)
        .join(Cohort, Cohort.id == CohortSession.cohort_id)
        .where(Attendance.user_id == user.id).order_by(CohortSession.starts_at)).all()
    return {"attendance": [{"cohort": cohort, "session": title, "session_starts_at": value(starts),
                            **pick(a, ("status", "source", "marked_at"))} for a, title, starts, cohort in rows]}


def _export_checkin_attempts(user) -> dict:
    from jimtraining.cohorts.models import CheckinAttempt, Cohort, CohortSession

    rows = db.session.execute(
        select(CheckinAttempt.attempted_at, CohortSession.title, CohortSession.starts_at, Cohort.name)
        .join(CohortSession, CohortSession.id == CheckinAttempt.session_id)
        .join(Cohort, Cohort.id == CohortSession.cohort_id)
        .where(CheckinAttempt.user_id == user.id).order_by(CheckinAttempt.attempted_at, CheckinAttempt.id)).all()
    # Only when: the codes typed and the address they came from are not kept.
    return {"checkin_wrong_codes": [{"cohort": cohort, "session": title, "session_starts_at": value(starts),
                                     "attempted_at": value(moment)} for moment, title, starts, cohort in rows]}


# Quizzes -----------------------------------------------------------------------------------------------------

ATTEMPT_FIELDS = ("module_slug", "number", "status", "started_at", "deadline_at", "submitted_at", "graded_at",
                  "score", "max_score", "percent", "passed")
ANSWER_FIELDS = ("question_key", "response", "fraction", "points_awarded", "needs_review", "reviewer_feedback",
                 "reviewed_at", "saved_at")


def _export_quiz_attempts(user) -> dict:
    from jimtraining.quizzes.models import QuizAttempt

    attempts = db.session.scalars(select(QuizAttempt).where(QuizAttempt.user_id == user.id)
                                  .order_by(QuizAttempt.started_at, QuizAttempt.id)
                                  .options(db.selectinload(QuizAttempt.answers))).all()
    return {"quiz_attempts": [{**pick(a, ATTEMPT_FIELDS),
                               "answers": [pick(answer, ANSWER_FIELDS)
                                           for answer in sorted(a.answers, key=lambda item: item.id)]}
                              for a in attempts]}


def _export_quiz_reviews(user) -> dict:
    from jimtraining.quizzes.models import AttemptAnswer, QuizAttempt

    rows = db.session.execute(select(AttemptAnswer, QuizAttempt.module_slug)
                              .join(QuizAttempt, QuizAttempt.id == AttemptAnswer.attempt_id)
                              .where(AttemptAnswer.reviewed_by_id == user.id).order_by(AttemptAnswer.id)).all()
    # The feedback you wrote; not the learner, not their answer.
    return {"quiz_reviews_given": [{"module_slug": slug, "question_key": answer.question_key,
                                    "feedback": answer.reviewer_feedback, "reviewed_at": value(answer.reviewed_at)}
                                   for answer, slug in rows]}


def open_question_keys(attempt) -> set[str]:
    """The keys of the open questions (free text) in an attempt, from the copy made when it was drawn."""
    from jimtraining.curriculum.models import Module
    from jimtraining.quizzes.models import Question, Quiz

    keys, unknown = set(), set()
    for entry in attempt.drawn or []:
        kind = (entry.get("question") or {}).get("type")
        if kind is None:
            unknown.add(entry["key"])
        elif kind == "open":
            keys.add(entry["key"])
    if unknown:  # attempts from before the copy was kept: ask the question bank
        keys |= set(db.session.scalars(
            select(Question.key).join(Quiz, Quiz.id == Question.quiz_id).join(Module, Module.id == Quiz.module_id)
            .where(Module.slug == attempt.module_slug, Question.key.in_(unknown), Question.type == "open")))
    return keys


def _blank_open_answers(ctx: ErasureContext) -> None:
    """Open answers are free text the person wrote, and the trainer's feedback on them is about the person:
    both go. Choices, points and grades stay for the item analysis."""
    from jimtraining.quizzes.models import AttemptAnswer, QuizAttempt

    answers = AttemptAnswer.__table__
    for attempt in db.session.scalars(select(QuizAttempt).where(QuizAttempt.user_id == ctx.user_id)):
        keys = open_question_keys(attempt)
        if keys:
            result = db.session.execute(update(answers).where(answers.c.attempt_id == attempt.id,
                                                              answers.c.question_key.in_(keys))
                                        .values(response=null()))
            _count(ctx, "attempt_answer.anonymise", result)
        result = db.session.execute(update(answers).where(answers.c.attempt_id == attempt.id,
                                                          answers.c.reviewer_feedback.is_not(None))
                                    .values(reviewer_feedback=None))
        _count(ctx, "attempt_answer.anonymise", result)


# Scenarios and live role-play --------------------------------------------------------------------------------

def _export_scenario_runs(user) -> dict:
    from jimtraining.scenarios.models import ScenarioRun

    runs = db.session.scalars(select(ScenarioRun).where(ScenarioRun.user_id == user.id)
                              .order_by(ScenarioRun.started_at, ScenarioRun.id)
                              .options(db.selectinload(ScenarioRun.choices))).all()
    return {"scenario_runs": [
        {**pick(run, ("scenario_slug", "started_at", "finished_at", "current_node", "variables")),
         "choices": [pick(c, ("step", "node_id", "choice_index", "undone", "made_at")) for c in run.choices]}
        for run in runs]}


def _export_rounds(user) -> dict:
    """Every round the person was in. Of a round where they played the professional: the outcome, the scores and
    the actor's feedback, once the trainer released them (as on the debrief page). Of rounds where they played
    the young person or observed: only that they were there; someone else's assessment is not theirs."""
    from jimtraining.scenarios.models import RolePlayRound, RoundNote, RoundScore, round_observer

    observed = select(round_observer.c.round_id).where(round_observer.c.user_id == user.id)
    rounds = db.session.scalars(
        select(RolePlayRound).where(or_(RolePlayRound.professional_id == user.id, RolePlayRound.player_id == user.id,
                                        RolePlayRound.id.in_(observed)))
        .order_by(RolePlayRound.created_at, RolePlayRound.id).options(db.selectinload(RolePlayRound.session))).all()
    observer_of = set(db.session.scalars(observed))
    # The scores and notes of the released rounds where they were the professional: one query each, not per round.
    assessed = [r.id for r in rounds if r.professional_id == user.id and r.released_at is not None]
    scores_of: dict[int, list] = {round_id: [] for round_id in assessed}
    notes_of: dict[int, list] = {round_id: [] for round_id in assessed}
    if assessed:
        for score in db.session.scalars(select(RoundScore).where(RoundScore.round_id.in_(assessed))
                                        .order_by(RoundScore.id)):
            scores_of[score.round_id].append(score)
        for note in db.session.scalars(select(RoundNote).where(RoundNote.round_id.in_(assessed))
                                       .order_by(RoundNote.id)):
            notes_of[note.round_id].append(note)
    items = []
    for round_ in rounds:
        session = round_.session
        roles = [role for role, yes in (("professional", round_.professional_id == user.id),
                                        ("player", round_.player_id == user.id),
                                        ("observer", round_.id in observer_of)) if yes]
        item = {"scenario_slug": round_.scenario_slug, "session": session.title if session else None,
                "session_starts_at": value(session.starts_at) if session else None,
                "created_at": value(round_.created_at), "your_roles": roles}
        if "professional" in roles:
            released = round_.released_at is not None
            item["assessment_released"] = released
            if released:
                item.update(outcome=round_.outcome, released_at=value(round_.released_at))
                item["scores_received"] = [pick(s, ("view", "criterion_id", "level", "comment", "scored_at"))
                                           for s in scores_of[round_.id] if s.rater_id != user.id]
                # The actor's aftercare note is about how playing felt for the actor: not about you.
                item["feedback_received"] = [pick(n, ("kind", "text", "written_at"))
                                             for n in notes_of[round_.id]
                                             if n.author_id != user.id and n.kind == "actor_feedback"]
        items.append(item)

    def given(model, who, names):
        rows = db.session.execute(select(model, RolePlayRound.scenario_slug, RolePlayRound.created_at)
                                  .join(RolePlayRound, RolePlayRound.id == model.round_id)
                                  .where(who == user.id).order_by(model.id)).all()
        return [{"scenario_slug": slug, "round_created_at": value(at), **pick(row, names)} for row, slug, at in rows]

    return {
        "role_play_rounds": items,
        "role_play_scores_given": given(RoundScore, RoundScore.rater_id,
                                        ("view", "criterion_id", "level", "comment", "scored_at")),
        "role_play_notes_written": given(RoundNote, RoundNote.author_id, ("kind", "text", "written_at")),
    }


def _wipe_what_others_wrote_about_them(ctx: ErasureContext) -> None:
    """On rounds where they played the professional: the actor's feedback goes and the raters' comments are wiped
    (both are about the person); levels and the outcome stay, so the round still counts in the figures."""
    from jimtraining.scenarios.models import RolePlayRound, RoundNote, RoundScore

    theirs = select(RolePlayRound.id).where(RolePlayRound.professional_id == ctx.user_id)
    notes, scores = RoundNote.__table__, RoundScore.__table__
    result = db.session.execute(notes.delete().where(notes.c.round_id.in_(theirs), notes.c.kind == "actor_feedback"))
    _count(ctx, "round_note.delete", result)
    result = db.session.execute(update(scores).where(scores.c.round_id.in_(theirs), scores.c.comment != "")
                                .values(comment=""))
    _count(ctx, "round_score.anonymise", result)


def _export_actor_profile(user) -> dict:
    from jimtraining.scenarios.models import ActorProfile

    profile = db.session.scalar(select(ActorProfile).where(ActorProfile.user_id == user.id))
    return {"actor_profile": pick(profile, ("availability", "rehearsed")) if profile else None}


def _export_actor_bookings(user) -> dict:
    from jimtraining.cohorts.models import Cohort, CohortSession
    from jimtraining.scenarios.models import ActorBooking

    rows = db.session.execute(
        select(ActorBooking.booked_at, CohortSession.title, CohortSession.starts_at, Cohort.name)
        .join(CohortSession, CohortSession.id == ActorBooking.session_id)
        .join(Cohort, Cohort.id == CohortSession.cohort_id)
        .where(ActorBooking.actor_id == user.id).order_by(CohortSession.starts_at)).all()
    return {"actor_bookings": [{"cohort": cohort, "session": title, "session_starts_at": value(starts),
                                "booked_at": value(booked)} for booked, title, starts, cohort in rows]}


# Certification -----------------------------------------------------------------------------------------------

def _export_practice(user) -> dict:
    from jimtraining.certification.models import PracticeAssignment, PracticeVersion

    assignments = db.session.scalars(select(PracticeAssignment).where(PracticeAssignment.user_id == user.id)
                                     .order_by(PracticeAssignment.id)).all()
    reviews = db.session.execute(select(PracticeVersion, PracticeAssignment.track_slug)
                                 .join(PracticeAssignment, PracticeAssignment.id == PracticeVersion.assignment_id)
                                 .where(PracticeVersion.reviewed_by_id == user.id).order_by(PracticeVersion.id)).all()
    return {
        "practice_assignments": [
            {**pick(a, ("track_slug", "created_at")),
             "versions": [pick(v, ("number", "text", "word_count", "submitted_at", "decision", "feedback",
                                   "reviewed_at")) for v in a.versions]}
            for a in assignments],
        # Your decisions and feedback on someone else's assignment; not their text, not their name.
        "practice_reviews_given": [{"track_slug": slug, **pick(v, ("number", "decision", "feedback", "reviewed_at"))}
                                   for v, slug in reviews],
    }


def _blank_practice_texts(ctx: ErasureContext) -> None:
    """The reflection is free text about their own work, the trainer's feedback is about them: both go. The
    versions stay (number, word count, decision, dates) so the trainer's queue and the figures add up."""
    from jimtraining.certification.models import PracticeAssignment, PracticeVersion

    versions = PracticeVersion.__table__
    theirs = select(PracticeAssignment.id).where(PracticeAssignment.user_id == ctx.user_id)
    result = db.session.execute(update(versions).where(versions.c.assignment_id.in_(theirs))
                                .values(text="", feedback=None))
    _count(ctx, "practice_version.anonymise", result)


CERTIFICATE_FIELDS = ("number", "code", "track_title", "qualification", "issued_at", "expires_at", "holder_name",
                      "trainer_name", "organisation_name", "revoked_at", "revoke_reason")


def _export_certificates(user) -> dict:
    from jimtraining.certification.models import Certificate

    certificates = db.session.scalars(select(Certificate).where(Certificate.user_id == user.id)
                                      .order_by(Certificate.issued_at, Certificate.id)).all()
    return {"certificates": [{**pick(c, CERTIFICATE_FIELDS), "status": c.status()} for c in certificates]}


def _certificates_show_initials(ctx: ErasureContext) -> None:
    """A certificate stays verifiable (docs/PRIVACY.md, "Certificates"), but with initials instead of the name:
    of the holder on their own certificates, of the trainer on the certificates they signed."""
    from jimtraining.certification.models import Certificate

    certificates = Certificate.__table__
    for column, name_column in (("user_id", "holder_name"), ("issued_by_id", "trainer_name")):
        rows = db.session.execute(select(certificates.c.id, certificates.c[name_column])
                                  .where(certificates.c[column] == ctx.user_id)).all()
        for certificate_id, name in rows:
            db.session.execute(update(certificates).where(certificates.c.id == certificate_id)
                               .values({name_column: initials(name)}))
            ctx.counts["certificate.anonymise"] += 1


def _export_licences(user) -> dict:
    from jimtraining.certification.models import TrainerLicence

    licences = db.session.scalars(select(TrainerLicence).where(TrainerLicence.user_id == user.id)
                                  .order_by(TrainerLicence.valid_from, TrainerLicence.id)).all()
    return {"trainer_licences": [{**pick(item, ("granted_at", "valid_from", "expires_at", "withdrawn_at",
                                                "withdraw_reason")), "status": item.status()}
                                 for item in licences]}


def _export_audit(user) -> dict:
    from jimtraining.certification.models import AuditEvent

    about = db.session.scalars(select(AuditEvent).where(AuditEvent.subject_id == user.id)
                               .order_by(AuditEvent.at, AuditEvent.id)).all()
    by = db.session.scalars(select(AuditEvent).where(AuditEvent.actor_id == user.id,
                                                     or_(AuditEvent.subject_id.is_(None),
                                                         AuditEvent.subject_id != user.id))
                            .order_by(AuditEvent.at, AuditEvent.id)).all()
    return {"audit_events": {
        "about_you": [pick(e, ("at", "action", "actor_name", "object_type", "object_id", "reason", "details"))
                      for e in about],
        # What you did to someone else's certificate, licence or assignment: not who it was about.
        "by_you": [pick(e, ("at", "action", "object_type", "object_id", "reason")) for e in by],
    }}


# The registry ------------------------------------------------------------------------------------------------

# LTI ---------------------------------------------------------------------------------------------------------

def _export_lti_links(user) -> dict:
    from jimtraining.lti.models import LtiPlatform, LtiUserLink

    rows = db.session.execute(
        select(LtiPlatform.name, LtiPlatform.issuer, LtiUserLink.sub, LtiUserLink.created_at,
               LtiUserLink.last_launch_at)
        .join(LtiPlatform, LtiPlatform.id == LtiUserLink.platform_id)
        .where(LtiUserLink.user_id == user.id).order_by(LtiUserLink.id)).all()
    return {"lti_accounts": [{"platform": name, "issuer": issuer, "platform_user_id": sub, "created_at": value(made),
                              "last_launch_at": value(last)} for name, issuer, sub, made, last in rows]}


OTHER_PERSONS_ROWS = ("the rows are someone else's (their certificate or licence); what the person did to them is "
                      "in the export's audit events")

ENTRIES: tuple[Entry, ...] = (
    Entry("user_account", _l("Account"), sections=("profile", "organisation"), export=_export_profile,
          after_erase=_anonymise_account),
    Entry("login_session", _l("Inlogsessies"), optional=True, sections=("login_sessions",),
          fields=("created_at", "ended_at"), links=(
              Link("user_id", Erase.DELETE, "sessions end with the account; a login history has no use after it",
                   role=_l("als gebruiker")),)),
    # Cohorts
    Entry("enrollment", _l("Inschrijvingen in groepen"), sections=("enrolments",), export=_export_enrolments,
          before_erase=_end_enrolments, links=(
              Link("user_id", Erase.ANONYMISE, "kept so the group's history and figures add up; marked as "
                   "removed so the anonymous account leaves the group's lists", role=_l("als deelnemer")),)),
    Entry("cohort_trainer", _l("Groepen die deze persoon traint"), sections=("cohorts_trained",),
          export=_export_cohorts_trained, links=(
              Link("user_id", Erase.DELETE, "an erased account trains nobody; the certificates keep the name "
                   "they were signed with (as initials)", role=_l("als trainer")),)),
    Entry("invitation", _l("Uitnodigingen"), sections=("invitations_sent", "invitations_received"),
          export=_export_invitations, before_erase=_delete_invitations_to_them, links=(
              Link("invited_by_id", Erase.UNLINK, "the invitation is the invitee's; who sent it does not matter "
                   "any more. Invitations addressed to the person's e-mail address are deleted (before_erase)",
                   role=_l("als afzender")),)),
    Entry("attendance", _l("Aanwezigheid"), sections=("attendance",), export=_export_attendance, links=(
        Link("user_id", Erase.KEEP, "no free text; the session's attendance figures stay right",
             role=_l("als deelnemer")),)),
    Entry("checkin_attempt", _l("Verkeerde incheckcodes"), sections=("checkin_wrong_codes",),
          export=_export_checkin_attempts, links=(
              Link("user_id", Erase.DELETE, "they only served the limit on wrong codes and the trainer's view "
                   "of that session", role=_l("als deelnemer")),)),
    # Curriculum
    Entry("lesson_progress", _l("Voortgang in lessen"), sections=("lesson_progress",),
          fields=("module_slug", "lesson_slug", "started_at", "completed_at"), links=(
              Link("user_id", Erase.KEEP, "no free text; progress statistics stay right",
                   role=_l("als deelnemer")),)),
    # Quizzes
    Entry("quiz_attempt", _l("Toetspogingen"), sections=("quiz_attempts",), export=_export_quiz_attempts,
          before_erase=_blank_open_answers, links=(
              Link("user_id", Erase.ANONYMISE, "scores and choices stay for the item analysis; open answers and "
                   "the trainer's feedback on them are wiped (before_erase)", role=_l("als deelnemer")),)),
    Entry("attempt_answer", _l("Antwoorden op open vragen"), sections=("quiz_reviews_given",),
          export=_export_quiz_reviews, links=(
              Link("reviewed_by_id", Erase.UNLINK, "the answer is the learner's and keeps its grade; the feedback "
                   "the person wrote is wiped", role=_l("als beoordelaar"),
                   blank={"reviewer_feedback": None}),)),
    # Scenarios
    Entry("scenario_run", _l("Oefenscenario's"), sections=("scenario_runs",), export=_export_scenario_runs, links=(
        Link("user_id", Erase.KEEP, "choices only, no free text; the statistics of paths through a scenario stay",
             role=_l("als deelnemer")),)),
    Entry("actor_profile", _l("Acteursprofiel"), sections=("actor_profile",), export=_export_actor_profile, links=(
        Link("user_id", Erase.DELETE, "availability is free text about the person; nobody else needs it",
             role=_l("als acteur")),)),
    Entry("actor_booking", _l("Boekingen als acteur"), sections=("actor_bookings",), export=_export_actor_bookings,
          links=(Link("actor_id", Erase.DELETE, "the rounds they played stay; the booking itself has no use after",
                      role=_l("als acteur")),)),
    Entry("role_play_round", _l("Rollenspelrondes"),
          sections=("role_play_rounds", "role_play_scores_given", "role_play_notes_written"),
          export=_export_rounds, before_erase=_wipe_what_others_wrote_about_them, links=(
              Link("professional_id", Erase.KEEP, "the outcome counts in the figures; the actor's feedback and the "
                   "raters' comments about the person are wiped (before_erase)", role=_l("als professional")),
              Link("player_id", Erase.KEEP, "the round belongs to the professional's record and needs a player",
                   role=_l("als speler")),
          )),
    Entry("round_observer", _l("Rollenspelrondes"), exported_in="role_play_rounds", links=(
        Link("user_id", Erase.DELETE, "that an anonymous account watched has no use; their scores stay (without "
             "comment)", role=_l("als observator")),)),
    Entry("round_score", _l("Scores bij rollenspel"), exported_in="role_play_scores_given", links=(
        Link("rater_id", Erase.ANONYMISE, "the level stays, so the professional's assessment stays complete; the "
             "comment is free text the person wrote", role=_l("als beoordelaar"), blank={"comment": ""}),)),
    Entry("round_note", _l("Notities bij rollenspel"), exported_in="role_play_notes_written", links=(
        Link("author_id", Erase.DELETE, "free text the person wrote (reflection, feedback, aftercare)",
             role=_l("als schrijver")),)),
    # Certification
    Entry("practice_assignment", _l("Praktijkopdrachten"), sections=("practice_assignments",
                                                                    "practice_reviews_given"),
          export=_export_practice, before_erase=_blank_practice_texts, links=(
              Link("user_id", Erase.ANONYMISE, "the versions stay (number, words, decision, dates); the reflections "
                   "and the feedback on them are wiped (before_erase)", role=_l("als deelnemer")),)),
    Entry("practice_version", _l("Versies van praktijkopdrachten"), exported_in="practice_reviews_given", links=(
        Link("reviewed_by_id", Erase.UNLINK, "the decision stays with the learner's assignment; the feedback the "
             "person wrote is wiped", role=_l("als beoordelaar"), blank={"feedback": None}),)),
    Entry("trainer_licence", _l("Trainerslicenties"), sections=("trainer_licences",), export=_export_licences, links=(
        Link("user_id", Erase.KEEP, "shows that the certificates they signed were signed with a valid licence; the "
             "account is switched off, so it counts for nothing", role=_l("als trainer")),
        Link("granted_by_id", Erase.UNLINK, "the licence is the trainer's; who granted it is in the audit log",
             role=_l("als beheerder"), export=False, export_why=OTHER_PERSONS_ROWS),
        Link("withdrawn_by_id", Erase.UNLINK, "the licence is the trainer's; who withdrew it is in the audit log",
             role=_l("als beheerder"), export=False, export_why=OTHER_PERSONS_ROWS),
    )),
    Entry("certificate", _l("Certificaten"), sections=("certificates",), export=_export_certificates,
          before_erase=_certificates_show_initials, links=(
              Link("user_id", Erase.ANONYMISE, "stays verifiable for whoever holds the PDF or link, with initials "
                   "instead of the name (before_erase); national counts stay right", role=_l("als houder")),
              Link("issued_by_id", Erase.UNLINK, "the certificate is the holder's; the trainer's name on it becomes "
                   "initials (before_erase)", role=_l("als aftekenend trainer"), export=False,
                   export_why=OTHER_PERSONS_ROWS),
              Link("revoked_by_id", Erase.UNLINK, "the revocation stays; who did it is in the audit log",
                   role=_l("als beheerder"), export=False, export_why=OTHER_PERSONS_ROWS),
          )),
    # LTI: the learning platforms of hogescholen (jimtraining/lti)
    Entry("lti_user_link", _l("Koppelingen met leeromgevingen"), sections=("lti_accounts",),
          export=_export_lti_links, links=(
              Link("user_id", Erase.DELETE, "the link lets the LMS open the account; an erased account must not be "
                   "reachable from it (a later launch makes a new, empty account)", role=_l("als gebruiker")),)),
    Entry("lti_grade", _l("Cijfers voor leeromgevingen"), sections=("lti_grades",),
          fields=("source", "score_given", "score_maximum", "passed", "achieved_at", "state", "sent_at"), links=(
              Link("user_id", Erase.DELETE, "scores not sent yet must not go out for an erased account; those sent "
                   "are in the hogeschool's own gradebook", role=_l("als deelnemer")),)),
    # The audit log is append-only (AuditEvent refuses ORM updates and deletes). Erasure is the one documented
    # exception: a core UPDATE (services applies links with update(table)) nulls the ids and replaces the names;
    # the events themselves, their reasons and details stay.
    Entry("audit_event", _l("Logboek"), sections=("audit_events",), export=_export_audit, links=(
        Link("actor_id", Erase.UNLINK, "the log is kept (legal); who did it becomes 'verwijderde gebruiker'",
             role=_l("als uitvoerder"), blank={"actor_name": ERASED_NAME_IN_LOG}),
        Link("subject_id", Erase.UNLINK, "the log is kept (legal); who it was about becomes 'verwijderde gebruiker'",
             role=_l("als betrokkene"), blank={"subject_name": ERASED_NAME_IN_LOG}),
    )),
)


def active_entries(metadata: MetaData | None = None, entries: Iterable[Entry] | None = None) -> list[Entry]:
    """The entries whose table exists, in registry order."""
    tables = (metadata or db.metadata).tables
    return [entry for entry in (ENTRIES if entries is None else entries) if entry.table in tables]


def user_columns(tbl: Table) -> list:
    """The columns of a table that point at a person."""
    return [column for column in tbl.columns if any(fk.target_fullname == USER_KEY for fk in column.foreign_keys)]


def registry_problems(metadata: MetaData, entries: Iterable[Entry] | None = None) -> list[str]:
    """Everything the registry does not cover, as messages that say what to do (empty when all is covered)."""
    entries = list(ENTRIES if entries is None else entries)
    problems = []
    by_table: dict[str, Entry] = {}
    for entry in entries:
        if entry.table in by_table:
            problems.append(f"{entry.table}: registered twice in jimtraining/privacy/registry.py")
        by_table[entry.table] = entry
    sections = [section for entry in entries if entry.table in metadata.tables for section in entry.sections]
    for section in {s for s in sections if sections.count(s) > 1}:
        problems.append(f"export section {section!r} is written by more than one entry")
    where = "jimtraining/privacy/registry.py (and a line in docs/PRIVACY.md)"
    for tbl in metadata.sorted_tables:
        columns = user_columns(tbl)
        if not columns:
            continue
        names = ", ".join(c.name for c in columns)
        entry = by_table.get(tbl.name)
        if entry is None:
            problems.append(
                f"{tbl.name}: column(s) {names} point at {USER_KEY}, but the privacy registry has no entry for "
                f"this table. Add Entry({tbl.name!r}, ...) to {where}: say which rows are the person's in the "
                f"export, and for each of {names} a Link saying what erasing an account does with the rows "
                f"(Erase.DELETE, ANONYMISE with the free-text columns to blank, UNLINK, or KEEP) and why.")
            continue
        links = {link.column: link for link in entry.links}
        for column in columns:
            if column.name not in links:
                problems.append(
                    f"{tbl.name}.{column.name} points at {USER_KEY}, but Entry({tbl.name!r}) in {where} has no "
                    f"Link for it: add Link({column.name!r}, Erase..., why=...) saying what the export and erasure "
                    f"do with the rows it finds.")
        for link in entry.links:
            column = tbl.c.get(link.column)
            if column is None or column not in columns:
                problems.append(f"{tbl.name}.{link.column}: the registry has a Link for it, but it is not a column "
                                f"that points at {USER_KEY} (any more): remove or fix the Link")
                continue
            if not link.why.strip():
                problems.append(f"{tbl.name}.{link.column}: say why erasure does {link.erase} (Link.why)")
            if link.erase is Erase.UNLINK and not column.nullable:
                problems.append(f"{tbl.name}.{link.column} is NOT NULL, so erasure cannot UNLINK it: choose DELETE, "
                                f"ANONYMISE or KEEP")
            for name in link.blank:
                if name not in tbl.c:
                    problems.append(f"{tbl.name}.{link.column}: blanks {name!r}, which is not a column")
            if not link.export and not link.export_why.strip():
                problems.append(f"{tbl.name}.{link.column}: not exported; say why (Link.export_why)")
        exported = [link for link in entry.links if link.export]
        ways = sum((entry.export is not None or bool(entry.fields), entry.exported_in is not None))
        if exported and ways != 1:
            problems.append(f"{tbl.name}: say how its rows are exported: export=function, fields=(...) or "
                            f"exported_in='<section>' (exactly one)")
        if entry.exported_in is not None and entry.exported_in not in sections:
            problems.append(f"{tbl.name}: exported_in={entry.exported_in!r}, but no entry writes that section")
        if (entry.export is not None or entry.fields) and not entry.sections:
            problems.append(f"{tbl.name}: name the export section(s) it writes (Entry.sections)")
        if entry.fields and entry.export is None and not exported:
            problems.append(f"{tbl.name}: fields=(...) exports the rows found through exported links, but no Link "
                            f"has export=True")
        for name in entry.fields:
            if name not in tbl.c:
                problems.append(f"{tbl.name}: exports {name!r}, which is not a column")
    for entry in entries:
        if entry.table not in metadata.tables and not entry.optional:
            problems.append(f"{entry.table}: registered in the privacy registry, but there is no such table (any "
                            f"more): remove the entry or mark it optional")
    return problems
