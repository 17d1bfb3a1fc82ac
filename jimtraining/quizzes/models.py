"""Quizzes (from quiz.yml), attempts and answers.

Questions are content, matched by their stable `key` on every sync. Attempts and answers point at the module
slug and the question key, so editing or re-importing a quiz never breaks past attempts.
"""

from datetime import timedelta

from jimtraining.content.models import ContentModel
from jimtraining.extensions import db
from jimtraining.timeutil import as_utc, utcnow

#: Seconds after the time limit in which a submit still counts (the network is not instant).
GRACE_SECONDS = 30

IN_PROGRESS = "in_progress"
PENDING_REVIEW = "pending_review"
GRADED = "graded"


class Quiz(ContentModel, db.Model):
    id = db.Column(db.Integer, primary_key=True)
    module_id = db.Column(db.Integer, db.ForeignKey("module.id"), nullable=False, unique=True)
    title = db.Column(db.String(200), nullable=False)
    #: Questions drawn at random for each attempt.
    draw_count = db.Column(db.Integer, nullable=False)
    #: Percentage needed to pass.
    pass_mark = db.Column(db.Integer, nullable=False, default=70)
    #: None means unlimited.
    max_attempts = db.Column(db.Integer, nullable=True)
    #: None means no time limit.
    time_limit_minutes = db.Column(db.Integer, nullable=True)
    shuffle_options = db.Column(db.Boolean, nullable=False, default=True)
    #: When a learner sees the right answers of an attempt: "after_passing" (once they passed), "after_last_attempt"
    #: (once they passed or used their last attempt) or "always" (after every attempt). See `reveals_answers`.
    show_answers = db.Column(db.String(20), nullable=False, default="after_passing")

    module = db.relationship("Module", backref=db.backref("quiz", uselist=False, lazy="selectin"))
    questions = db.relationship("Question", back_populates="quiz", order_by="Question.position",
                                cascade="all, delete-orphan")

    @property
    def active_questions(self):
        return [q for q in self.questions if not q.archived]


class Question(ContentModel, db.Model):
    __table_args__ = (db.UniqueConstraint("quiz_id", "key", name="uq_question_quiz_key"),)
    #: Read per attempt, not kept in the catalogue.
    in_catalogue = False

    id = db.Column(db.Integer, primary_key=True)
    quiz_id = db.Column(db.Integer, db.ForeignKey("quiz.id"), nullable=False, index=True)
    #: Stable id from quiz.yml.
    key = db.Column(db.String(60), nullable=False)
    position = db.Column(db.Integer, nullable=False)
    #: A key of jimtraining.quizzes.types.QUESTION_TYPES.
    type = db.Column(db.String(30), nullable=False)
    #: Question text in Markdown.
    text = db.Column(db.Text, nullable=False)
    points = db.Column(db.Integer, nullable=False, default=1)
    #: General feedback: why the right answer is right.
    feedback = db.Column(db.Text, nullable=False, default="")
    #: The module goal this question tests (1 = the first of the module's goals), None when the bank names none.
    goal = db.Column(db.Integer, nullable=True)
    #: Type-specific content (options with correctness, pairs, items, model answer). Never sent to a page as is.
    data = db.Column(db.JSON, nullable=False, default=dict)

    quiz = db.relationship("Quiz", back_populates="questions")


class QuizAttempt(db.Model):
    __table_args__ = (
        db.UniqueConstraint("user_id", "module_slug", "number", name="uq_quiz_attempt_user_module_number"),
        # Covers best score and pass per learner and module, so the dashboards skip the rows with the drawn
        # questions (migration 0011).
        db.Index("ix_quiz_attempt_user_results", "user_id", "module_slug", "passed", "percent"),
        db.Index("ix_quiz_attempt_module_status", "module_slug", "status"),
        # The few attempts waiting for review, by learner: the review queue and its count on the start page.
        db.Index("ix_quiz_attempt_status_user", "status", "user_id"),
    )

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user_account.id"), nullable=False, index=True)
    module_slug = db.Column(db.String(100), nullable=False)
    #: 1 for the first attempt of this user at this quiz, 2 for the second, ...
    number = db.Column(db.Integer, nullable=False)
    #: in_progress -> graded, or in_progress -> pending_review -> graded.
    status = db.Column(db.String(20), nullable=False, default=IN_PROGRESS)
    started_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    #: Answers saved or submitted after this moment (plus a short grace) do not count.
    deadline_at = db.Column(db.DateTime(timezone=True), nullable=True)
    submitted_at = db.Column(db.DateTime(timezone=True), nullable=True)
    graded_at = db.Column(db.DateTime(timezone=True), nullable=True)
    score = db.Column(db.Float, nullable=True)
    max_score = db.Column(db.Float, nullable=True)
    percent = db.Column(db.Float, nullable=True)
    passed = db.Column(db.Boolean, nullable=True)
    #: The questions drawn for this attempt, in order, with per-attempt option tokens:
    #: [{"key": ..., "options": [[token, option_id], ...], ...}]
    drawn = db.Column(db.JSON, nullable=False, default=list)

    user = db.relationship("User")
    answers = db.relationship("AttemptAnswer", back_populates="attempt", cascade="all, delete-orphan")

    def time_is_up(self, now=None) -> bool:
        if self.deadline_at is None:
            return False
        return (now or utcnow()) > as_utc(self.deadline_at) + timedelta(seconds=GRACE_SECONDS)

    def drawn_entry(self, key: str) -> dict | None:
        return next((entry for entry in self.drawn if entry["key"] == key), None)


class AttemptAnswer(db.Model):
    __table_args__ = (db.UniqueConstraint("attempt_id", "question_key", name="uq_attempt_answer_question"),)

    id = db.Column(db.Integer, primary_key=True)
    attempt_id = db.Column(db.Integer, db.ForeignKey("quiz_attempt.id", ondelete="CASCADE"), nullable=False,
                           index=True)
    question_key = db.Column(db.String(60), nullable=False)
    #: The answer as the question type reads it (option id, list of ids, mapping, text).
    response = db.Column(db.JSON, nullable=True)
    #: Share of the points earned (0..1); None while a trainer still has to grade it.
    fraction = db.Column(db.Float, nullable=True)
    #: Points earned (fraction x points of the question).
    points_awarded = db.Column(db.Float, nullable=True)
    needs_review = db.Column(db.Boolean, nullable=False, default=False)
    #: Written feedback of the trainer on an open answer.
    reviewer_feedback = db.Column(db.Text, nullable=True)
    reviewed_by_id = db.Column(db.Integer, db.ForeignKey("user_account.id"), nullable=True)
    reviewed_at = db.Column(db.DateTime(timezone=True), nullable=True)
    saved_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)

    attempt = db.relationship("QuizAttempt", back_populates="answers")
    reviewed_by = db.relationship("User", foreign_keys=[reviewed_by_id])
