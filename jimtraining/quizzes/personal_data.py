"""The quizzes' part of a person's data export and of erasing an account: their attempts with the answers, and
the feedback they gave as a reviewer.

jimtraining/privacy/registry.py says which tables point at a person and what erasure does with each; this module
builds these tables' export sections and does what a registry link cannot say (docs/PRIVACY.md says why).
"""

from collections import Counter

from sqlalchemy import null, select, update

from jimtraining.curriculum.models import Module
from jimtraining.exports.values import pick, value
from jimtraining.extensions import db
from jimtraining.quizzes.models import AttemptAnswer, Question, Quiz, QuizAttempt

ATTEMPT_FIELDS = ("module_slug", "number", "status", "started_at", "deadline_at", "submitted_at", "graded_at",
                  "score", "max_score", "percent", "passed")
ANSWER_FIELDS = ("question_key", "response", "fraction", "points_awarded", "needs_review", "reviewer_feedback",
                 "reviewed_at", "saved_at")


def export_quiz_attempts(user) -> dict:
    attempts = db.session.scalars(select(QuizAttempt).where(QuizAttempt.user_id == user.id)
                                  .order_by(QuizAttempt.started_at, QuizAttempt.id)
                                  .options(db.selectinload(QuizAttempt.answers))).all()
    return {"quiz_attempts": [{**pick(a, ATTEMPT_FIELDS),
                               "answers": [pick(answer, ANSWER_FIELDS)
                                           for answer in sorted(a.answers, key=lambda item: item.id)]}
                              for a in attempts]}


def export_quiz_reviews(user) -> dict:
    rows = db.session.execute(select(AttemptAnswer, QuizAttempt.module_slug)
                              .join(QuizAttempt, QuizAttempt.id == AttemptAnswer.attempt_id)
                              .where(AttemptAnswer.reviewed_by_id == user.id).order_by(AttemptAnswer.id)).all()
    # The feedback you wrote; not the learner, not their answer.
    return {"quiz_reviews_given": [{"module_slug": slug, "question_key": answer.question_key,
                                    "feedback": answer.reviewer_feedback, "reviewed_at": value(answer.reviewed_at)}
                                   for answer, slug in rows]}


def open_question_keys(attempt) -> set[str]:
    """The keys of the open questions (free text) in an attempt, from the copy made when it was drawn."""
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


def blank_open_answers(user_id: int) -> Counter:
    """Open answers are free text the person wrote, and the trainer's feedback on them is about the person:
    both go. Choices, points and grades stay for the item analysis."""
    counts = Counter()
    answers = AttemptAnswer.__table__
    for attempt in db.session.scalars(select(QuizAttempt).where(QuizAttempt.user_id == user_id)):
        keys = open_question_keys(attempt)
        if keys:
            result = db.session.execute(update(answers).where(answers.c.attempt_id == attempt.id,
                                                              answers.c.question_key.in_(keys))
                                        .values(response=null()))
            counts["attempt_answer.anonymise"] += max(result.rowcount or 0, 0)
        result = db.session.execute(update(answers).where(answers.c.attempt_id == attempt.id,
                                                          answers.c.reviewer_feedback.is_not(None))
                                    .values(reviewer_feedback=None))
        counts["attempt_answer.anonymise"] += max(result.rowcount or 0, 0)
    return counts
