"""After an attempt: the right answers only when the quiz's `show_answers` allows it, and after a failed attempt the
goals to revisit with the lessons that teach them."""

import pytest

from jimtraining.content_tree import load_content
from jimtraining.extensions import db
from tests.quizzes.test_quiz_check import base, problems, tagged
from tests.support.content import sync
from tests.support.quizzes import PERFECT, answer_form

MODULE_MD = """---
title: "Basis"
summary: "Kort."
minutes: 30
goals:
  - text: "Je kunt uitleggen wie de JIM kiest."
    lessons: [eerste]
  - text: "Je kunt de rol van de JIM beschrijven."
sources:
  - title: "Een bron"
---
Intro.
"""

#: Goal 1: kiezen, wie-kan-jim-zijn, stappen; goal 2: familie, begrippen (the open question is left out, so an
#: attempt is graded at once).
GOAL_2_RIGHT = {"familie": False, "begrippen": PERFECT["begrippen"]}
GOAL_1_RIGHT = {key: PERFECT[key] for key in ("kiezen", "wie-kan-jim-zijn", "stappen")}
SECRETS = ("FB-KIEZEN", "UITLEG-", "goed antwoord", "is-correct")


def quiz_text(show_answers: str | None = "after_passing", max_attempts: int | None = 3) -> str:
    text = tagged(goals=(1, 1, 2, 2, 1, 2), draw=5).split("  - id: reflectie")[0]
    text = text.replace("show_answers: after_attempt\n", f"show_answers: {show_answers}\n" if show_answers else "")
    text = text.replace("pass_mark: 60", "pass_mark: 80")  # the three goal-1 questions alone do not pass
    return text.replace("max_attempts: 3\n", f"max_attempts: {max_attempts}\n" if max_attempts else "")


@pytest.fixture
def learner(make_user, client, login):
    user = make_user()
    login(client, user)
    return user


@pytest.fixture
def quiz_with_goals(synced_content):
    def write(**settings):
        synced_content.raw("01-basis/module.md", MODULE_MD)
        synced_content.raw("01-basis/quiz.yml", quiz_text(**settings))
        sync(synced_content)
    return write


def hand_in(client, start, learner, answers) -> str:
    attempt = start(learner)
    client.submit(f"/quiz/attempts/{attempt.id}/submit", answer_form(attempt, answers))
    return client.get(f"/quiz/attempts/{attempt.id}/result").get_data(as_text=True)


def test_a_failed_attempt_names_the_missed_goal_with_a_link_to_its_lesson(client, learner, quiz_with_goals, start):
    quiz_with_goals()
    page = hand_in(client, start, learner, GOAL_2_RIGHT)
    assert "Niet geslaagd" in page
    assert "Leerdoelen om nog eens te bekijken" in page
    assert "Je kunt uitleggen wie de JIM kiest." in page
    assert 'href="/modules/basis/eerste">Eerste les</a>' in page
    assert "Je kunt de rol van de JIM beschrijven." not in page  # every goal-2 question was right


def test_a_missed_goal_without_lessons_links_to_the_module_page(client, learner, quiz_with_goals, start):
    quiz_with_goals()
    page = hand_in(client, start, learner, GOAL_1_RIGHT | {"familie": True})
    assert "Je kunt de rol van de JIM beschrijven." in page
    assert "Je kunt uitleggen wie de JIM kiest." not in page
    assert 'href="/modules/basis">Bekijk de lessen van de module Basis</a>' in page


def test_a_passed_attempt_lists_no_goals_to_revisit(client, learner, quiz_with_goals, start):
    quiz_with_goals()
    page = hand_in(client, start, learner, GOAL_1_RIGHT | GOAL_2_RIGHT)
    assert "Geslaagd" in page and "Leerdoelen om nog eens te bekijken" not in page
    assert "goed antwoord" in page and "UITLEG-KIEZEN" in page  # after passing the answers are shown


def test_by_default_a_failed_attempt_keeps_the_right_answers_hidden(client, learner, quiz_with_goals, start):
    quiz_with_goals(show_answers=None)
    page = hand_in(client, start, learner, GOAL_2_RIGHT)
    for secret in SECRETS:
        assert secret not in page, secret
    assert "De goede antwoorden zie je als je geslaagd bent." in page


def test_after_last_attempt_shows_the_answers_only_once_no_attempt_is_left(client, learner, quiz_with_goals, start):
    quiz_with_goals(show_answers="after_last_attempt", max_attempts=2)
    first = hand_in(client, start, learner, GOAL_2_RIGHT)
    for secret in SECRETS:
        assert secret not in first, secret
    assert "als je geslaagd bent of als je je laatste poging hebt gedaan" in first
    last = hand_in(client, start, learner, GOAL_2_RIGHT)
    assert "Niet geslaagd" in last and "goed antwoord" in last and "UITLEG-KIEZEN" in last


@pytest.mark.parametrize("setting", ["always", "after_attempt"])
def test_always_shows_the_answers_after_a_failed_attempt(client, learner, quiz_with_goals, start, setting):
    quiz_with_goals(show_answers=setting)
    page = hand_in(client, start, learner, GOAL_2_RIGHT)
    assert "Niet geslaagd" in page and "goed antwoord" in page and "UITLEG-KIEZEN" in page


def test_a_trainer_sees_the_answers_of_a_failed_attempt(app, client, learner, quiz_with_goals, start, login,
                                                         make_user, make_cohort):
    quiz_with_goals()
    attempt = start(learner)
    client.submit(f"/quiz/attempts/{attempt.id}/submit", answer_form(attempt, GOAL_2_RIGHT))
    trainer = app.test_client()
    login(trainer, make_cohort(trainers=[make_user(role="trainer")], learners=[learner]).trainers[0])
    assert "goed antwoord" in trainer.get(f"/quiz/attempts/{attempt.id}/result").get_data(as_text=True)


def test_after_last_attempt_without_a_limit_on_attempts_is_reported(content_dir):
    text = base(show_answers="after_last_attempt").replace("max_attempts: 3\n", "")
    assert problems(content_dir, text) == [
        "01-basis/quiz.yml:5: 'show_answers: after_last_attempt' heeft 'max_attempts' nodig: zonder een grens aan "
        "het aantal pogingen komt er geen laatste poging en ziet een deelnemer die niet slaagt de antwoorden nooit"]


def test_an_unknown_show_answers_value_is_reported_with_the_choices(content_dir):
    found = problems(content_dir, base(show_answers="meteen"))
    assert found == ["01-basis/quiz.yml:6: 'show_answers' zegt wanneer een deelnemer de goede antwoorden ziet: "
                     "after_passing (na het slagen), after_last_attempt (na het slagen of na de laatste poging) of "
                     "always (na elke poging)"]


def test_a_lesson_a_goal_names_must_exist(content_dir):
    content_dir.raw("01-basis/module.md", MODULE_MD.replace("[eerste]", "[bestaat-niet]"))
    content_dir.lesson("01-basis", "01-eerste.md")
    content_dir.raw("01-basis/quiz.yml", quiz_text())
    found = [str(p) for p in load_content(content_dir.root).problems]
    assert len(found) == 1 and "onbekende les 'bestaat-niet' bij dit leerdoel (lessen van deze module: eerste" in \
        found[0] and found[0].startswith("01-basis/module.md:7:")


def test_an_attempt_drawn_before_goals_were_kept_takes_the_goals_of_the_bank(client, learner, quiz_with_goals,
                                                                             start):
    quiz_with_goals()
    attempt = start(learner)
    attempt.drawn = [{k: v for k, v in entry.items() if k != "goal"} for entry in attempt.drawn]
    db.session.commit()
    client.submit(f"/quiz/attempts/{attempt.id}/submit", answer_form(attempt, GOAL_2_RIGHT))
    page = client.get(f"/quiz/attempts/{attempt.id}/result").get_data(as_text=True)
    assert "Je kunt uitleggen wie de JIM kiest." in page
    assert "Je kunt de rol van de JIM beschrijven." not in page
