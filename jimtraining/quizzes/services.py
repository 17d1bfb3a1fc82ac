"""Quiz writes: sync from files, attempts (start, save, submit), grading and review."""

from __future__ import annotations

import logging
import random
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from jimtraining.content.sync import SyncReport, apply_fields, sync_by_slug, synced_fields
from jimtraining.curriculum.models import Module
from jimtraining.extensions import db
from jimtraining.quizzes.blueprint import draw_questions
from jimtraining.quizzes.models import (
    GRADED,
    IN_PROGRESS,
    PENDING_REVIEW,
    AttemptAnswer,
    Question,
    Quiz,
    QuizAttempt,
)
from jimtraining.quizzes.types import QUESTION_TYPES, AnswerError
from jimtraining.signals import progress_changed, quiz_graded
from jimtraining.timeutil import utcnow

log = logging.getLogger(__name__)


class QuizError(Exception):
    """A quiz action that cannot be done; the message is shown to the learner."""


# Sync -------------------------------------------------------------------------------------------------------

def sync_quiz(module, source, report: SyncReport) -> None:
    """Bring one module's quiz in line with its quiz.yml (source None: archive it). Questions match by key; a
    change to any of them counts as an update of the quiz."""
    quiz = module.quiz
    name = f"{module.slug}/quiz"
    if source is None:
        if quiz is not None and not quiz.archived:
            quiz.archived = True
            report.archived.append(name)
        return
    if quiz is None:
        quiz = Quiz(module=module, archived=False)
        db.session.add(quiz)
        report.created.append(name)
    elif quiz.archived:
        quiz.archived = False
        report.restored.append(name)
    changed = apply_fields(quiz, source, synced_fields(type(source), Quiz))
    questions = SyncReport()
    sync_by_slug(Question, quiz.questions, source.questions, questions, key="key", add=quiz.questions.append)
    if (changed or questions.changed) and name not in report.created and name not in report.restored:
        report.updated.append(name)


# Reading ----------------------------------------------------------------------------------------------------

def module_and_quiz(module_slug: str) -> tuple[Module, Quiz] | None:
    """A module (also an archived one) with its quiz, for the trainer's pages; None when either is missing."""
    module = db.session.scalar(select(Module).where(Module.slug == module_slug))
    return (module, module.quiz) if module is not None and module.quiz is not None else None


def quiz_for_module(module) -> Quiz | None:
    quiz = module.quiz
    return quiz if quiz is not None and not quiz.archived else None


def attempts_of(user_id: int, module_slug: str) -> list[QuizAttempt]:
    return list(db.session.scalars(
        select(QuizAttempt).where(QuizAttempt.user_id == user_id, QuizAttempt.module_slug == module_slug)
        .order_by(QuizAttempt.number)
    ))


def passed_modules(user_id: int) -> set[str]:
    """Slugs of the modules whose quiz this user passed."""
    return set(db.session.scalars(
        select(QuizAttempt.module_slug).where(QuizAttempt.user_id == user_id, QuizAttempt.passed.is_(True))
        .distinct()
    ))


@dataclass
class QuizSummary:
    quiz: Quiz
    attempts: list[QuizAttempt]

    @property
    def used(self) -> int:
        return len(self.attempts)

    @property
    def attempts_left(self) -> int | None:
        if self.quiz.max_attempts is None:
            return None
        return max(0, self.quiz.max_attempts - self.used)

    @property
    def open_attempt(self) -> QuizAttempt | None:
        return next((a for a in self.attempts if a.status == IN_PROGRESS), None)

    @property
    def best_percent(self) -> float | None:
        scores = [a.percent for a in self.attempts if a.status == GRADED and a.percent is not None]
        return max(scores) if scores else None

    @property
    def passed(self) -> bool:
        return any(a.passed for a in self.attempts)

    @property
    def waiting_for_review(self) -> bool:
        return any(a.status == PENDING_REVIEW for a in self.attempts)

    @property
    def can_start(self) -> bool:
        return self.open_attempt is None and (self.attempts_left is None or self.attempts_left > 0)


# Attempts ---------------------------------------------------------------------------------------------------

def start_attempt(user, quiz, rng: random.Random | None = None) -> QuizAttempt:
    """Resume the open attempt, or draw the questions for a new one. Raises QuizError when none are left.

    `quiz` is a Quiz or the catalogue's QuizInfo: the questions are read from the database here."""
    module_slug = quiz.module.slug
    summary = QuizSummary(quiz, attempts_of(user.id, module_slug))
    if summary.open_attempt is not None:
        return summary.open_attempt
    if not summary.can_start:
        raise QuizError(_("Je hebt al je pogingen voor deze toets gebruikt."))
    rng = rng or random.SystemRandom()
    questions = list(db.session.scalars(
        select(Question).where(Question.quiz_id == quiz.id, Question.archived.is_(False)).order_by(Question.position)))
    # The blueprint: every goal of the module at least once, questions seen in earlier attempts last.
    seen = Counter(entry["key"] for earlier in summary.attempts for entry in earlier.drawn)
    chosen = draw_questions(questions, quiz.draw_count, len(quiz.module.goals or ()), seen, rng)
    drawn = []
    for question in chosen:
        # A copy of the question as it was drawn: editing quiz.yml later never changes this attempt.
        entry = {"key": question.key, "goal": question.goal, "question": {
            "type": question.type, "text": question.text, "points": question.points,
            "feedback": question.feedback, "data": question.data}}
        entry.update(QUESTION_TYPES[question.type].draw(question.data, quiz.shuffle_options, rng))
        drawn.append(entry)
    now = utcnow()
    attempt = QuizAttempt(
        user_id=user.id, module_slug=module_slug, number=summary.used + 1, status=IN_PROGRESS, started_at=now,
        deadline_at=now + timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None,
        drawn=drawn,
    )
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:
        # A second click started the same attempt number a moment earlier: use that one.
        db.session.commit()
        existing = QuizSummary(quiz, attempts_of(user.id, module_slug)).open_attempt
        if existing is None:
            raise QuizError(_("Je hebt al je pogingen voor deze toets gebruikt.")) from None
        return existing
    db.session.commit()
    log.info("quiz attempt started: user=%s module=%s number=%s", user.id, module_slug, attempt.number)
    return attempt


@dataclass
class DrawnQuestion:
    """A question as it was when an attempt drew it."""

    key: str
    type: str
    text: str
    points: int
    feedback: str
    data: dict


def questions_per_goal() -> dict[tuple[int, int | None], int]:
    """How many questions (archived ones left out) each quiz has per module goal: {(quiz id, goal): count}, goal
    None for questions that name none. One query, for the coverage page."""
    rows = db.session.execute(
        select(Question.quiz_id, Question.goal, func.count()).where(Question.archived.is_(False))
        .group_by(Question.quiz_id, Question.goal))
    return {(quiz_id, goal): count for quiz_id, goal, count in rows}


def questions_by_key(quiz) -> dict[str, Question]:
    """All questions of the quiz (a Quiz or the catalogue's QuizInfo), archived ones too."""
    return {q.key: q for q in db.session.scalars(select(Question).where(Question.quiz_id == quiz.id))}


def attempt_questions(attempt: QuizAttempt, quiz: Quiz) -> dict[str, DrawnQuestion]:
    """The drawn questions of an attempt as they were drawn, whatever happened to quiz.yml since."""
    current = None  # the quiz's questions, loaded only for attempts from before snapshots were kept
    result = {}
    for entry in attempt.drawn:
        snapshot = entry.get("question")
        if snapshot is None:
            current = current if current is not None else questions_by_key(quiz)
            row = current[entry["key"]]
            snapshot = {"type": row.type, "text": row.text, "points": row.points, "feedback": row.feedback,
                        "data": row.data}
        result[entry["key"]] = DrawnQuestion(key=entry["key"], **snapshot)
    return result


def read_responses(attempt: QuizAttempt, quiz: Quiz, form) -> tuple[dict[str, object], list[str]]:
    """Read the answers in a submitted form. Returns (responses by question key, error messages)."""
    questions = attempt_questions(attempt, quiz)
    drawn_keys = {entry["key"] for entry in attempt.drawn}
    responses, errors = {}, []
    for name in form.keys():
        if name.startswith("q-"):
            key = name[2:].split(":", 1)[0]
            if key not in drawn_keys:
                errors.append(_("Vraag '%(key)s' hoort niet bij deze poging.", key=key))
    for number, entry in enumerate(attempt.drawn, start=1):
        question = questions.get(entry["key"])
        if question is None:
            continue
        qtype = QUESTION_TYPES[question.type]
        try:
            if hasattr(qtype, "parse_fields"):
                prefix = f"q-{question.key}:"
                fields = {name[len(prefix):]: form.get(name, "") for name in form.keys() if name.startswith(prefix)}
                responses[question.key] = qtype.parse_fields(entry, fields) if fields else None
            else:
                responses[question.key] = qtype.parse(question.data, entry, form.getlist(f"q-{question.key}"), form)
        except AnswerError as error:
            responses.pop(question.key, None)
            errors.append(_("Vraag %(n)s: %(message)s", n=number, message=str(error)))
    return responses, errors


# The statements of saving and handing in, built once (building one costs more than SQLite needs to run it).
# synchronize_session=False: both callers commit right after, which expires the attempt in the session anyway.
_CLAIM = (update(QuizAttempt)
          .where(QuizAttempt.id == bindparam("attempt_id"), QuizAttempt.status == IN_PROGRESS)
          .values(status=bindparam("new_status")).execution_options(synchronize_session=False))
_STORED_ANSWERS = select(AttemptAnswer).where(AttemptAnswer.attempt_id == bindparam("attempt_id"))
_SAVED_RESPONSES = (select(AttemptAnswer.question_key, AttemptAnswer.response)
                    .where(AttemptAnswer.attempt_id == bindparam("attempt_id")))


def saved_responses(attempt_id: int) -> dict[str, object]:
    """question key -> what the learner saved so far, for the attempt page: the two columns, not the answer rows."""
    return dict(db.session.execute(_SAVED_RESPONSES, {"attempt_id": attempt_id}).all())
#: What closing an attempt writes (_outcome and the hand-in moment).
_RESULT_FIELDS = ("submitted_at", "status", "score", "max_score", "percent", "passed", "graded_at")
_CLOSE = (update(QuizAttempt).where(QuizAttempt.id == bindparam("attempt_id"))
          .values({name: bindparam(f"new_{name}") for name in _RESULT_FIELDS})
          .execution_options(synchronize_session=False))
_INSERT_ANSWERS = insert(AttemptAnswer).execution_options(render_nulls=True)  # one INSERT, also with NULLs


def _claim(attempt_id: int, new_status: str | None = None) -> bool:
    """Take the write lock on an open attempt; with new_status, close it. False when it is no longer open.

    The conditional UPDATE is atomic on SQLite and PostgreSQL, so of two submits at the same moment exactly one
    wins; the other sees no row to change.
    """
    result = db.session.execute(_CLAIM, {"attempt_id": attempt_id, "new_status": new_status or IN_PROGRESS})
    return result.rowcount == 1


def _store(attempt: QuizAttempt, responses: dict[str, object]) -> None:
    existing = {a.question_key: a for a in db.session.scalars(_STORED_ANSWERS, {"attempt_id": attempt.id})}
    now = utcnow()
    for key, response in responses.items():
        answer = existing.get(key)
        if answer is None and response is None:
            continue  # nothing answered yet: no row needed
        if answer is None:
            db.session.add(AttemptAnswer(attempt_id=attempt.id, question_key=key, response=response, saved_at=now))
        elif answer.response != response:
            answer.response = response
            answer.saved_at = now


def save_answers(attempt: QuizAttempt, responses: dict[str, object]) -> None:
    """Save answers as the learner goes. Raises QuizError when the attempt is closed or the time is up."""
    db.session.commit()  # end any read transaction: the claim below must be the first statement
    if attempt.time_is_up():
        raise QuizError(_("De tijd is om. Lever je toets in; antwoorden van na de eindtijd tellen niet."))
    if not _claim(attempt.id):
        db.session.rollback()
        raise QuizError(_("Deze poging is al ingeleverd. Je antwoorden zijn niet meer te wijzigen."))
    _store(attempt, responses)
    db.session.commit()


def submit_attempt(attempt: QuizAttempt, quiz: Quiz, responses: dict[str, object]) -> bool:
    """Hand in an attempt: store the last answers (unless the time is up), grade, close.

    Returns False (and changes nothing) when the attempt was already handed in, for instance by a second click.

    Everything that can be worked out beforehand is: the write lock (the claim) is held for four statements, so
    a whole group handing in at the same moment does not queue behind each other's grading.
    """
    questions = attempt_questions(attempt, quiz)
    keys = [entry["key"] for entry in attempt.drawn]
    attempt_id, user_id, submitted_at, pass_mark = attempt.id, attempt.user_id, attempt.submitted_at, quiz.pass_mark
    module_slug = attempt.module_slug
    late = attempt.time_is_up()
    db.session.commit()  # end any read transaction: the claim below must be the first statement
    if not _claim(attempt_id, new_status=GRADED):
        db.session.rollback()
        return False
    now = utcnow()
    existing = {a.question_key: a for a in db.session.scalars(_STORED_ANSWERS, {"attempt_id": attempt_id})}
    new_rows, waiting, score = [], False, 0.0
    for key in keys:
        question, answer = questions[key], existing.get(key)
        response = answer.response if answer is not None else None
        if not late and key in responses:
            response = responses[key]
        fraction = QUESTION_TYPES[question.type].grade(question.data, response)
        points = None if fraction is None else round(fraction * question.points, 4)
        waiting = waiting or fraction is None
        score += points or 0
        if answer is None:
            new_rows.append({"attempt_id": attempt_id, "question_key": key, "response": response,
                             "fraction": fraction, "points_awarded": points, "needs_review": fraction is None,
                             "saved_at": now})
            continue
        if answer.response != response:
            answer.response, answer.saved_at = response, now
        answer.fraction, answer.points_awarded, answer.needs_review = fraction, points, fraction is None
    if new_rows:
        db.session.execute(_INSERT_ANSWERS, new_rows)
    values = {"submitted_at": submitted_at or now, "graded_at": None,
              **_outcome(float(sum(questions[key].points for key in keys)), score, waiting, pass_mark, now)}
    db.session.execute(_CLOSE, {"attempt_id": attempt_id, **{f"new_{name}": values[name] for name in _RESULT_FIELDS}})
    progress_changed(db.session, [user_id])  # a Core write: the flush listener does not see it
    db.session.commit()
    log.info("quiz attempt submitted: attempt=%s status=%s percent=%s", attempt_id, values["status"],
             values.get("percent"))
    if values["status"] == GRADED:
        quiz_graded.send(None, attempt_id=attempt_id, user_id=user_id, module_slug=module_slug,
                         score=values["score"], max_score=values["max_score"], percent=values["percent"],
                         passed=values["passed"], graded_at=values["graded_at"], by_id=user_id)
    return True


def _outcome(max_score: float, score: float, waiting: bool, pass_mark: int, now) -> dict:
    """An attempt's result fields: waiting for a trainer while an open answer is not graded, else its score."""
    if waiting:
        return {"max_score": max_score, "status": PENDING_REVIEW, "score": None, "percent": None, "passed": None}
    score = round(score, 4)
    percent = round(100 * score / max_score, 2) if max_score else 0.0
    return {"max_score": max_score, "status": GRADED, "score": score, "percent": percent,
            "passed": percent >= pass_mark, "graded_at": now}


def _finish(attempt: QuizAttempt, quiz: Quiz) -> None:
    """Grade an attempt whose every answer now has its points (the last open answer was just reviewed)."""
    questions = attempt_questions(attempt, quiz)
    max_score = float(sum(questions[e["key"]].points for e in attempt.drawn))
    score = sum(a.points_awarded or 0 for a in attempt.answers)
    for name, value in _outcome(max_score, score, False, quiz.pass_mark, utcnow()).items():
        setattr(attempt, name, value)


def review_answer(answer: AttemptAnswer, quiz: Quiz, points: float, feedback: str, reviewer) -> None:
    """A trainer grades an open answer; the attempt is final once every open answer is graded."""
    question = attempt_questions(answer.attempt, quiz)[answer.question_key]
    points = float(points)
    if not 0 <= points <= question.points:
        raise QuizError(_("Geef 0 tot en met %(max)s punten.", max=question.points))
    answer.points_awarded = points
    answer.fraction = round(points / question.points, 4)
    answer.needs_review = False
    answer.reviewer_feedback = feedback.strip() or None
    answer.reviewed_by_id = reviewer.id
    answer.reviewed_at = utcnow()
    attempt = answer.attempt
    db.session.flush()
    finished = attempt.status == PENDING_REVIEW and not any(a.needs_review for a in attempt.answers)
    if finished:
        _finish(attempt, quiz)
    db.session.commit()
    log.info("open answer %s reviewed by %s: %s points", answer.id, reviewer.id, points)
    if finished:
        quiz_graded.send(None, attempt_id=attempt.id, user_id=attempt.user_id, module_slug=attempt.module_slug,
                         score=attempt.score, max_score=attempt.max_score, percent=attempt.percent,
                         passed=attempt.passed, graded_at=attempt.graded_at, by_id=reviewer.id)


def review_queue(module_slugs: list[str] | None = None) -> list[AttemptAnswer]:
    """Open answers waiting for a trainer, oldest first."""
    query = (select(AttemptAnswer).join(QuizAttempt)
             .where(AttemptAnswer.needs_review.is_(True), QuizAttempt.status == PENDING_REVIEW)
             .options(db.joinedload(AttemptAnswer.attempt).joinedload(QuizAttempt.user))
             .order_by(QuizAttempt.submitted_at, AttemptAnswer.id))
    if module_slugs is not None:
        query = query.where(QuizAttempt.module_slug.in_(module_slugs))
    return list(db.session.scalars(query).unique())


def attempts_for_quiz(module_slug: str) -> list[QuizAttempt]:
    """Every attempt at one quiz with its learner, for the results table and export."""
    return list(db.session.scalars(
        select(QuizAttempt).where(QuizAttempt.module_slug == module_slug)
        .options(db.joinedload(QuizAttempt.user))
        .order_by(QuizAttempt.user_id, QuizAttempt.number)
    ).unique())
