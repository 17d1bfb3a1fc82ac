"""Who may see and do what with a quiz attempt, and its loaders.

A learner's attempt is theirs: for anyone who may not see it, it does not exist (404, not 403). Trainers see the
attempts of the learners they train and grade their open answers; admins everyone's.
"""

from __future__ import annotations

from flask import abort
from sqlalchemy import bindparam, select

from jimtraining.access import Rule, can, require, rule
from jimtraining.cohorts.enrolment import learner_ids_of_trainer
from jimtraining.extensions import db
from jimtraining.quizzes.models import AttemptAnswer, QuizAttempt
from jimtraining.roles import Role


def trains_learner(user, learner_id: int) -> bool:
    """An admin, or a trainer of one of the learner's active cohorts (one query for a trainer, none otherwise)."""
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.TRAINER and learner_id in learner_ids_of_trainer(user)


@rule("attempt.take")
def take_attempt(user, attempt) -> bool:
    """Only the learner answers, saves and hands in their own attempt."""
    return attempt.user_id == user.id


@rule("attempt.view")
def view_attempt(user, attempt) -> bool:
    """The result of an attempt: the learner, an admin, or a trainer of one of the learner's active cohorts."""
    return attempt.user_id == user.id or trains_learner(user, attempt.user_id)


@rule("attempt.review")
def review_attempt(user, attempt) -> bool:
    """Grading an attempt's open answers: an admin or a trainer of the learner, never in their own attempt."""
    return attempt.user_id != user.id and trains_learner(user, attempt.user_id)


#: Built once: the hand-in is the page a whole group opens at the same moment.
_ATTEMPT = select(QuizAttempt).where(QuizAttempt.id == bindparam("attempt_id"))


def attempt_or_404(attempt_id, need: str | Rule = take_attempt) -> QuizAttempt:
    """Load an attempt; 404 when it does not exist or the current user may not `need` it (another learner's
    attempt does not exist for you)."""
    attempt = db.session.execute(_ATTEMPT, {"attempt_id": attempt_id}).scalar_one_or_none()
    if attempt is None or not can(need, attempt):
        abort(404)
    return attempt


def answer_or_404(answer_id) -> AttemptAnswer:
    """An answer to grade: 404 when it does not exist, 403 unless the current user may review its attempt."""
    answer = db.get_or_404(AttemptAnswer, answer_id)
    require(review_attempt, answer.attempt)
    return answer
