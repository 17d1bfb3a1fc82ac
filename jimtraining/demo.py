"""Demo data for a local installation. Every person here is fictional; the password is for the demo only."""

import logging
import random

from sqlalchemy import select

from jimtraining.accounts.services import create_user
from jimtraining.cohorts.models import Organisation
from jimtraining.curriculum.models import Module
from jimtraining.curriculum.services import active_modules, set_lesson_done
from jimtraining.extensions import db
from jimtraining.quizzes.services import attempt_questions, review_answer, start_attempt, submit_attempt

log = logging.getLogger(__name__)

DEMO_PASSWORD = "jim-demo-wachtwoord"

ORGANISATIONS = [
    ("Jeugdzorg De Brug (demo)", "jeugdzorg"),
    ("Wijkteam Oost (demo)", "wijkteam"),
    ("Gemeente Veldhoven-aan-Zee (demo)", "gemeente"),
    ("Scholengroep De Horizon (demo)", "school"),
    ("Hogeschool Midden (demo)", "hogeschool"),
    ("Stichting Thuisbasis (demo)", "anders"),
]

ACCOUNTS = [
    # email, name, role, organisation index, region, work context
    ("admin@example.org", "Demi Beheer", "admin", None, "Landelijk", None),
    ("trainer@example.org", "Tom Trainer", "trainer", 0, "Twente", "jeugdhulp"),
    ("professional@example.org", "Priya Professional", "learner", 1, "Twente", "wijkteam"),
    ("actor@example.org", "Alex Acteur", "actor", 5, "Twente", None),
]


def seed_demo() -> None:
    """Organisations of every kind, the four demo accounts, and some progress for the demo professional."""
    organisations = []
    for name, kind in ORGANISATIONS:
        organisation = db.session.scalar(select(Organisation).where(Organisation.name == name))
        if organisation is None:
            organisation = Organisation(name=name, kind=kind)
            db.session.add(organisation)
        organisations.append(organisation)
    db.session.commit()

    users = {}
    for email, name, role, org_index, region, work_context in ACCOUNTS:
        users[role] = create_user(
            email=email, name=name, password=DEMO_PASSWORD, role=role,
            organisation_id=organisations[org_index].id if org_index is not None else None,
            region=region, work_context=work_context,
        )

    # The professional has finished the first module (lessons and quiz, with the open answer graded by the
    # trainer) and started the second, so the dashboard shows progress and "continue" right away.
    modules = active_modules()
    if modules:
        for lesson in modules[0].active_lessons:
            set_lesson_done(users["learner"], lesson, True)
        if modules[0].quiz is not None:
            _pass_quiz(users["learner"], users["trainer"], modules[0].quiz)
        if len(modules) > 1 and modules[1].active_lessons:
            set_lesson_done(users["learner"], modules[1].active_lessons[0], True)
    elif db.session.scalar(select(Module.id).limit(1)) is None:
        log.warning("demo seed: no modules in the database yet; run `flask content sync` first for demo progress")
    log.info("demo data added")


def _right_answer(question):
    data = question.data
    if question.type == "single_choice":
        return next(o["id"] for o in data["options"] if o["correct"])
    if question.type == "multiple_response":
        return sorted(o["id"] for o in data["options"] if o["correct"])
    if question.type == "true_false":
        return data["answer"]
    if question.type == "matching":
        return {p["id"]: p["id"] for p in data["pairs"]}
    if question.type == "ordering":
        return [i["id"] for i in data["items"]]
    return "Ik zou samen met de jongere kijken wie er in het netwerk zijn, en de jongere zelf laten kiezen."


def _pass_quiz(learner, trainer, quiz):
    attempt = start_attempt(learner, quiz, random.Random(7))
    questions = attempt_questions(attempt, quiz)
    submit_attempt(attempt, quiz, {e["key"]: _right_answer(questions[e["key"]]) for e in attempt.drawn})
    for answer in attempt.answers:
        if answer.needs_review:
            review_answer(answer, quiz, questions[answer.question_key].points,
                          "Goed: je laat de regie bij de jongere.", trainer)
