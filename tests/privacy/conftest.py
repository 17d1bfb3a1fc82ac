"""Two learners in one cohort, each with a bit of everything; every free text names its writer, so a test can
check whose words ended up where."""

from datetime import timedelta

import pytest

from jimtraining.certification.models import AuditEvent
from jimtraining.certification.practice import review_practice, submit_practice
from jimtraining.certification.services import create_certificate
from jimtraining.extensions import db
from jimtraining.quizzes.models import GRADED, AttemptAnswer, QuizAttempt
from jimtraining.roleplay.models import ActorProfile, RoundNote, RoundScore
from jimtraining.scenarios.models import ScenarioChoice, ScenarioRun
from jimtraining.timeutil import utcnow
from tests.certification import conftest as certification
from tests.certification.conftest import REFLECTION, finish_modules, mark, play_round

# The certification world (modules, a track, a licensed trainer, a cohort with ended sessions) as a fixture here
# too (client_for, a logged-in client per person, is in tests/conftest.py).
world = certification.world

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


@pytest.fixture
def people(world):
    """Lotte and Sem in cohort A, with progress, attempts, runs, rounds (each the other's observer), practice
    versions with feedback, certificates and audit events."""
    lotte, sem, trainer, actor = world["learner"], world["second"], world["trainer"], world["actor"]
    lotte.skj_number = "1234567"
    db.session.commit()
    sessions = world["sessions"]
    finish_modules(lotte)
    finish_modules(sem, slugs=("basis",))
    mark(sessions, lotte, ["present"] * 4 + ["excused"])
    mark(sessions, sem, ["present"] * 5)
    open_attempt(lotte, LOTTE["open_answer"], reviewer=trainer, feedback=ABOUT_LOTTE["quiz_feedback"])
    open_attempt(sem, SEM["open_answer"])
    for person, slug in ((lotte, "lotte-scenario"), (sem, "sem-scenario")):
        run = ScenarioRun(user_id=person.id, scenario_slug=slug, current_node="einde", variables={"vertrouwen": 2},
                          practice={"nodes": []}, finished_at=utcnow())
        db.session.add(run)
        db.session.flush()
        db.session.add(ScenarioChoice(run_id=run.id, step=1, node_id="start", choice_index=1))
    db.session.add(ActorProfile(user_id=actor.id, availability="ACTEUR-BESCHIKBAARHEID: dinsdag", rehearsed=[]))
    db.session.commit()

    lotte_round = play_round(sessions[-1], lotte, actor)
    lotte_round.observers = [sem]
    sem_round = play_round(sessions[-1], sem, actor)
    sem_round.observers = [lotte]
    unreleased = play_round(sessions[-2], lotte, actor, released=False)
    db.session.add_all([
        RoundScore(round_id=lotte_round.id, rater_id=trainer.id, view="trainer", criterion_id="gelijkwaardig",
                   level=3, comment=ABOUT_LOTTE["trainer_comment"]),
        RoundScore(round_id=lotte_round.id, rater_id=sem.id, view="peer", criterion_id="gelijkwaardig", level=2,
                   comment=SEM["peer_comment"]),
        RoundScore(round_id=sem_round.id, rater_id=lotte.id, view="peer", criterion_id="gelijkwaardig", level=4,
                   comment=LOTTE["peer_comment"]),
        RoundScore(round_id=unreleased.id, rater_id=trainer.id, view="trainer", criterion_id="gelijkwaardig",
                   level=1, comment="TRAINER-NOG-NIET-VRIJGEGEVEN"),
        RoundNote(round_id=lotte_round.id, author_id=lotte.id, kind="self_reflection", text=LOTTE["self_reflection"]),
        RoundNote(round_id=lotte_round.id, author_id=actor.id, kind="actor_feedback",
                  text=ABOUT_LOTTE["actor_feedback"]),
        RoundNote(round_id=lotte_round.id, author_id=actor.id, kind="aftercare", text=ABOUT_LOTTE["aftercare"]),
        RoundNote(round_id=sem_round.id, author_id=sem.id, kind="self_reflection", text=SEM["self_reflection"]),
    ])
    db.session.commit()

    track = world["track"]
    first = submit_practice(lotte, track, LOTTE["reflection"])
    review_practice(first, "returned", ABOUT_LOTTE["practice_feedback"], trainer)
    submit_practice(lotte, track, LOTTE["reflection"] + " Tweede versie.")
    submit_practice(sem, track, SEM["reflection"])

    lotte_certificate = create_certificate(lotte, trainer, track, world["cohort"], utcnow() - timedelta(days=30))
    sem_certificate = create_certificate(sem, trainer, track, world["cohort"], utcnow() - timedelta(days=20))
    db.session.commit()
    return {**world, "lotte": lotte, "sem": sem, "lotte_round": lotte_round, "sem_round": sem_round,
            "unreleased": unreleased, "lotte_certificate": lotte_certificate, "sem_certificate": sem_certificate}


def audit_events():
    return db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id)).all()


def snapshot():
    """Every row of every table, to show that something changed nothing."""
    return {tbl.name: [tuple(row) for row in db.session.execute(tbl.select().order_by(*tbl.primary_key.columns))]
            for tbl in db.metadata.sorted_tables}
