"""A module with a quiz of every question type, and helpers that answer it as a browser would."""

from sqlalchemy import select

from jimtraining.curriculum.models import Module
from jimtraining.extensions import db
from jimtraining.quizzes.models import QuizAttempt

QUIZ_YML = """\
title: "Toets basis"
draw: {draw}
pass_mark: 60
max_attempts: {max_attempts}
{time_limit}shuffle_options: true
show_answers: {show_answers}
questions:
  - id: kiezen
    type: single_choice
    text: "Wie kiest de JIM?"
    options:
      - id: a
        text: "De jongere"
        correct: true
        feedback: "FB-KIEZEN-A"
      - id: b
        text: "De hulpverlener"
        feedback: "FB-KIEZEN-B"
      - id: c
        text: "De gemeente"
        feedback: "FB-KIEZEN-C"
    feedback: "UITLEG-KIEZEN"
  - id: wie-kan-jim-zijn
    type: multiple_response
    text: "Wie kan een JIM zijn?"
    options:
      - id: a
        text: "Een tante"
        correct: true
      - id: b
        text: "Een buurman"
        correct: true
      - id: c
        text: "De eigen hulpverlener"
      - id: d
        text: "De verwijzer"
    feedback: "UITLEG-WIE"
  - id: familie
    type: true_false
    text: "Een JIM moet familie zijn."
    answer: false
    feedback: "UITLEG-FAMILIE"
  - id: begrippen
    type: matching
    text: "Koppel."
    pairs:
      - id: p1
        left: "JIM"
        right: "Mentor uit het netwerk"
      - id: p2
        left: "JIMwerker"
        right: "Professional"
      - id: p3
        left: "Verwijzer"
        right: "Maakt het veiligheidsplan"
    feedback: "UITLEG-BEGRIPPEN"
  - id: stappen
    type: ordering
    text: "Zet op volgorde."
    items:
      - id: i1
        text: "Netwerk verkennen"
      - id: i2
        text: "JIM kiezen"
      - id: i3
        text: "JIM vragen"
    feedback: "UITLEG-STAPPEN"
  - id: reflectie
    type: open
    points: 2
    text: "Wat doe je als de jongere niemand noemt?"
    model_answer: "MODEL-REFLECTIE"
    feedback: "UITLEG-REFLECTIE"
"""

ALL_KEYS = ["kiezen", "wie-kan-jim-zijn", "familie", "begrippen", "stappen", "reflectie"]
#: What a learner who knows everything answers (in author ids; the helper turns them into tokens).
PERFECT = {
    "kiezen": "a",
    "wie-kan-jim-zijn": ["a", "b"],
    "familie": False,
    "begrippen": {"p1": "p1", "p2": "p2", "p3": "p3"},
    "stappen": ["i1", "i2", "i3"],
    "reflectie": "Samen het netwerk in kaart brengen.",
}


def write_quiz(content_dir, draw=6, max_attempts=3, time_limit=None, show_answers="after_attempt"):
    limit = f"time_limit: {time_limit}\n" if time_limit else ""
    content_dir.raw("01-basis/quiz.yml", QUIZ_YML.format(draw=draw, max_attempts=max_attempts, time_limit=limit,
                                                         show_answers=show_answers))



def module_quiz(slug="basis"):
    return db.session.scalar(select(Module).where(Module.slug == slug)).quiz


def token(entry, group, item_id):
    return next(tok for tok, iid in entry[group] if iid == item_id)


def answer_form(attempt, answers: dict) -> dict:
    """Form fields for answers given in author ids, using the attempt's per-attempt tokens."""
    form = {}
    for entry in attempt.drawn:
        key = entry["key"]
        if key not in answers:
            continue
        value = answers[key]
        if key == "kiezen":
            form[f"q-{key}"] = token(entry, "options", value)
        elif key == "wie-kan-jim-zijn":
            form[f"q-{key}"] = [token(entry, "options", v) for v in value]
        elif key == "familie":
            form[f"q-{key}"] = "true" if value else "false"
        elif key == "begrippen":
            for left, right in value.items():
                form[f"q-{key}:{token(entry, 'lefts', left)}"] = token(entry, "rights", right)
        elif key == "stappen":
            for position, item in enumerate(value, start=1):
                form[f"q-{key}:{token(entry, 'items', item)}"] = str(position)
        elif key == "reflectie":
            form[f"q-{key}"] = value
    return form


def latest_attempt(user) -> QuizAttempt:
    db.session.expire_all()
    return db.session.scalars(select(QuizAttempt).where(QuizAttempt.user_id == user.id)
                              .order_by(QuizAttempt.id.desc())).first()
