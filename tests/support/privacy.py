"""Free text that names its writer, so a privacy test can check whose words ended up where, and helpers to look
at every row."""

from jimtraining.certification.models import AuditEvent
from jimtraining.extensions import db
from jimtraining.quizzes.models import GRADED, AttemptAnswer, QuizAttempt
from jimtraining.timeutil import utcnow
from tests.support.certification import REFLECTION

#: Free text of the learner (Lotte) and of the second learner (Sem), each unmistakable.
LOTTE = {
    "reflection": REFLECTION + " LOTTE-REFLECTIE",
    "open_answer": "LOTTE-OPEN-ANTWOORD: ik vraag de jongere wie hij vertrouwt.",
    "self_reflection": "LOTTE-ZELFREFLECTIE na de ronde.",
    "peer_comment": "LOTTE-OBSERVATIE over Sem.",
}
SEM = {
    "reflection": REFLECTION + " SEM-REFLECTIE",
    "open_answer": "SEM-OPEN-ANTWOORD over zijn eigen werk.",
    "self_reflection": "SEM-ZELFREFLECTIE na zijn ronde.",
    "peer_comment": "SEM-OBSERVATIE over Lotte.",
}
ABOUT_LOTTE = {
    "trainer_comment": "TRAINER-OVER-LOTTE: vroeg goed door.",
    "actor_feedback": "ACTEUR-OVER-LOTTE: ik voelde me gehoord.",
    "aftercare": "ACTEUR-NAZORG: het spelen ging goed.",
    "quiz_feedback": "TRAINER-QUIZFEEDBACK-LOTTE: mooi antwoord.",
    "practice_feedback": "TRAINER-PRAKTIJKFEEDBACK-LOTTE: schrijf meer over de JIM.",
}


def open_attempt(learner, text, module_slug="basis", reviewer=None, feedback=None):
    """A graded attempt with a single-choice answer and an open answer (free text)."""
    attempt = QuizAttempt(
        user_id=learner.id, module_slug=module_slug, number=1, status=GRADED, passed=True, percent=100.0, score=2,
        max_score=2, submitted_at=utcnow(), graded_at=utcnow(),
        drawn=[{"key": "keuze", "question": {"type": "single_choice", "text": "Wie kiest?", "points": 1,
                                            "feedback": "", "data": {}}, "options": []},
               {"key": "open", "question": {"type": "open", "text": "Vertel.", "points": 1, "feedback": "",
                                           "data": {"model_answer": "De jongere."}}}])
    db.session.add(attempt)
    db.session.flush()
    db.session.add(AttemptAnswer(attempt_id=attempt.id, question_key="keuze", response="de-jongere", fraction=1.0,
                                 points_awarded=1.0))
    db.session.add(AttemptAnswer(attempt_id=attempt.id, question_key="open", response=text, fraction=1.0,
                                 points_awarded=1.0, needs_review=True, reviewer_feedback=feedback,
                                 reviewed_by_id=reviewer.id if reviewer else None,
                                 reviewed_at=utcnow() if reviewer else None))
    db.session.commit()
    return attempt


def audit_events():
    return db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id)).all()


def snapshot():
    """Every row of every table, to show that something changed nothing."""
    return {tbl.name: [tuple(row) for row in db.session.execute(tbl.select().order_by(*tbl.primary_key.columns))]
            for tbl in db.metadata.sorted_tables}
