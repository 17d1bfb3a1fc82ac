"""The trainer's group matrix names its quiz columns and flags what needs the trainer: a quiz whose open answer
waits for grading is "nakijken" (linked to the review queue), not "–"; the dashboard counts what waits."""

import pytest

from tests.support.quizzes import PERFECT, answer_form


@pytest.fixture
def learner(make_user, client, login):
    user = make_user(name="Lotte Leerling")
    login(client, user)
    return user


def test_quiz_columns_carry_the_quiz_title_in_the_header(app, login, make_user, make_cohort, learner, quiz_module):
    trainer = make_user(role="trainer")
    cohort = make_cohort(trainers=[trainer], learners=[learner], module_slugs=["basis", "verder"])
    client = app.test_client()
    login(client, trainer)
    page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert '<th scope="col" class="matrix-quiz">Toets basis</th>' in page  # the quiz's own title
    assert "<abbr" not in page and "Toets 1" not in page
    assert "Wacht op jou" not in page  # nothing waits yet


def test_a_quiz_waiting_for_review_is_flagged_and_counted(app, client, login, make_user, make_cohort, learner,
                                                         quiz_module, start):
    trainer = make_user(role="trainer")
    cohort = make_cohort(trainers=[trainer], learners=[learner], module_slugs=["basis"])
    attempt = start(learner)
    client.submit(f"/quiz/attempts/{attempt.id}/submit", answer_form(attempt, PERFECT))
    trainer_client = app.test_client()
    login(trainer_client, trainer)
    page = trainer_client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    row = page[page.index("Lotte Leerling</a></th>"):]
    row = row[:row.index("</tr>")]
    assert '<a class="badge badge-info" href="/quizzes/review">nakijken</a>' in row
    quiz_cell = row.split("<td>")[2]  # after the name and the modules done
    assert "nakijken" in quiz_cell and "–" not in quiz_cell
    assert "Wacht op jou" in page and "1</strong> toets met een open antwoord om na te kijken" in page


def test_the_review_queue_names_the_module_not_its_slug_or_the_question_key(app, client, login, make_user,
                                                                          make_cohort, learner, quiz_module, start):
    trainer = make_user(role="trainer")
    make_cohort(trainers=[trainer], learners=[learner], module_slugs=["basis"])
    attempt = start(learner)
    client.submit(f"/quiz/attempts/{attempt.id}/submit", answer_form(attempt, PERFECT))
    trainer_client = app.test_client()
    login(trainer_client, trainer)
    page = trainer_client.get("/quizzes/review").get_data(as_text=True)
    assert "Module: Basis" in page
    assert "basis ·" not in page and "reflectie" not in page  # the module slug and the question key
