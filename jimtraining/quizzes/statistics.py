"""Item analysis over all graded attempts of a quiz.

- difficulty: the average share of the points earned on a question (1.0 = everyone had it right);
- discrimination: the upper-lower index. Among the attempts that drew the question, rank by total score; take
  the top 27% and the bottom 27% (at least one attempt each); the index is the average share earned in the upper
  group minus that in the lower group (-1..1; higher means the question separates strong from weak);
- how often each option was chosen.
Only learners' graded attempts count (all their attempts, first or repeat); trainers trying a quiz do not.
The page costs four queries whatever the number of attempts: quiz and questions, attempts, answers.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select

from jimtraining.accounts.models import User
from jimtraining.extensions import db
from jimtraining.quizzes.models import GRADED, AttemptAnswer, Question, QuizAttempt
from jimtraining.quizzes.types import QUESTION_TYPES
from jimtraining.roles import Role

GROUP_SHARE = 0.27


@dataclass
class QuestionStats:
    question: Question
    answered: int = 0
    difficulty: float | None = None
    discrimination: float | None = None
    option_counts: Counter = field(default_factory=Counter)

    @property
    def type_label(self) -> str:
        """The kind of question as a person says it ("Eén goed antwoord"), never its code."""
        qtype = QUESTION_TYPES.get(self.question.type)
        return str(qtype.label) if qtype else ""

    def option_rows(self):
        """(label, times chosen, is correct) per option, for choice and true/false questions."""
        data = self.question.data
        if self.question.type in ("single_choice", "multiple_response"):
            return [(o["text"], self.option_counts.get(o["id"], 0), o["correct"]) for o in data["options"]]
        if self.question.type == "true_false":
            return [("true", self.option_counts.get("true", 0), data["answer"] is True),
                    ("false", self.option_counts.get("false", 0), data["answer"] is False)]
        return []


def upper_lower_index(scored: list[tuple[float, float]]) -> float | None:
    """scored: (total percent of the attempt, share earned on this question). None below two attempts.

    Attempts with the same total are ranked by their share on the question, weakest first; so a tie never
    credits the question with separating attempts that the total does not separate (ties pull the index
    towards 0, the cautious side).
    """
    if len(scored) < 2:
        return None
    ranked = sorted(scored, key=lambda pair: (pair[0], -pair[1]))
    size = max(1, math.floor(len(ranked) * GROUP_SHARE + 0.5))
    lower = [share for _total, share in ranked[:size]]
    upper = [share for _total, share in ranked[-size:]]
    return round(sum(upper) / len(upper) - sum(lower) / len(lower), 4)


def quiz_statistics(quiz) -> tuple[list[QuestionStats], int]:
    """Statistics per question (in bank order) and the number of graded attempts."""
    attempts = {row.id: row.percent for row in db.session.execute(
        select(QuizAttempt.id, QuizAttempt.percent).join(User, User.id == QuizAttempt.user_id)
        .where(QuizAttempt.module_slug == quiz.module.slug, QuizAttempt.status == GRADED, User.role == Role.LEARNER)
    )}
    stats = {q.key: QuestionStats(q) for q in quiz.questions}
    per_question: dict[str, list[tuple[float, float]]] = {key: [] for key in stats}
    if attempts:
        answers = db.session.execute(
            select(AttemptAnswer.attempt_id, AttemptAnswer.question_key, AttemptAnswer.fraction,
                   AttemptAnswer.response)
            .join(QuizAttempt).where(QuizAttempt.module_slug == quiz.module.slug, QuizAttempt.status == GRADED)
        )
        for row in answers:
            if row.attempt_id not in attempts:  # trainers' and admins' own tries
                continue
            item = stats.get(row.question_key)
            if item is None or row.fraction is None:
                continue
            item.answered += 1
            per_question[row.question_key].append((attempts[row.attempt_id] or 0.0, row.fraction))
            qtype = QUESTION_TYPES[item.question.type]
            item.option_counts.update(qtype.chosen(item.question.data, row.response))
    for key, item in stats.items():
        shares = [share for _total, share in per_question[key]]
        item.difficulty = round(sum(shares) / len(shares), 4) if shares else None
        item.discrimination = upper_lower_index(per_question[key])
    ordered = sorted(stats.values(), key=lambda s: (s.question.archived, s.question.position))
    return ordered, len(attempts)
