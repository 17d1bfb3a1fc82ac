"""Deep Linking and Assignment and Grade Services: the lecturer links two items with gradebook columns, a learner
passes the linked quiz, and the LMS receives the score once, also when it did not answer the first time."""

import jwt
from sqlalchemy import delete, select

from jimtraining.cohorts.models import Cohort
from jimtraining.content.catalogue import catalogue
from jimtraining.extensions import db
from jimtraining.lti import grades
from jimtraining.lti.models import GRADE_PENDING, GRADE_SENT, LtiContext, LtiGrade
from jimtraining.quizzes.models import AttemptAnswer
from jimtraining.timeutil import utcnow
from tests.lti.platform import INSTRUCTOR, Person
from tests.support.content import sync
from tests.support.database import statements_run
from tests.support.lti import HALF, RIGHT, hand_in

DAAN = Person("sub-daan", "Daan Docent", "daan@hogeschool.example", roles=list(INSTRUCTOR))
LOTTE = Person("sub-lotte", "Lotte Leerling", "lotte@hogeschool.example")


def deep_link(lms, client, targets=("quiz:basis", "module:basis")):
    """The lecturer opens "add content" in the LMS, picks the targets, and the LMS places the links."""
    response = lms.launch(client, DAAN, message_type="LtiDeepLinkingRequest")
    assert response.status_code == 302 and response.headers["Location"].endswith("/lti/deep-link")
    page = client.get("/lti/deep-link")
    assert page.status_code == 200
    response = client.submit("/lti/deep-link", {"item": list(targets)}, page="/lti/deep-link")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return lms.receive_deep_link(response.get_data(as_text=True))


def test_the_lecturer_deep_links_two_items_each_with_a_line_item(lms, browser):
    placed = deep_link(lms, browser())

    assert [link.title for link in placed] == ["Toets basis", "Basis"]
    assert [link.custom for link in placed] == [{"jim_target": "quiz:basis"}, {"jim_target": "module:basis"}]
    assert all(link.lineitem for link in placed)
    assert [item["resourceId"] for item in lms.lineitems.values()] == ["quiz:basis", "module:basis"]
    assert all(item["scoreMaximum"] == 100 and item["label"] for item in lms.lineitems.values())
    cohort = db.session.get(Cohort, db.session.scalar(select(LtiContext.cohort_id)))
    assert cohort.module_slugs == ["basis"]  # the class cohort's dashboard follows what was linked


def test_the_deep_linking_answer_names_its_key(lms, browser):
    client = browser()
    lms.launch(client, DAAN, message_type="LtiDeepLinkingRequest")
    response = client.submit("/lti/deep-link", {"item": ["scenario:testscenario"]}, page="/lti/deep-link")
    html = response.get_data(as_text=True)
    token = html.split('name="JWT" value="')[1].split('"')[0]
    header = jwt.get_unverified_header(token)
    assert header["kid"] in [key["kid"] for key in lms.tool_jwks()["keys"]]  # Brightspace requires the kid
    assert "form-action 'self' https://lms.hogeschool.example" in response.headers["Content-Security-Policy"]


def test_a_learner_cannot_open_the_deep_linking_page(lms, client):
    lms.launch(client, LOTTE)
    assert client.get("/lti/deep-link").status_code == 403


def test_a_passed_quiz_reaches_the_gradebook_once(lms, browser):
    quiz_link, _module_link = deep_link(lms, browser())
    learner = browser()
    assert lms.launch(learner, LOTTE, resource_link=quiz_link).headers["Location"].endswith("/modules/basis/quiz")

    hand_in(learner, RIGHT)

    assert len(lms.scores) == 1
    score = lms.scores[0]
    assert score["lineitem"] == quiz_link.lineitem
    assert score["userId"] == "sub-lotte"
    assert score["scoreGiven"] == 100 and score["scoreMaximum"] == 100
    assert score["activityProgress"] == "Completed" and score["gradingProgress"] == "FullyGraded"
    assert "Geslaagd" in score["comment"]
    assert grades.send_pending_grades() == (0, 0)
    assert len(lms.scores) == 1


def test_a_score_the_lms_did_not_take_is_retried_and_arrives_once(lms, browser):
    quiz_link, _module_link = deep_link(lms, browser())
    learner = browser()
    lms.launch(learner, LOTTE, resource_link=quiz_link)
    lms.down = "no answer"

    hand_in(learner, RIGHT)

    assert lms.scores == []
    row = db.session.scalar(select(LtiGrade))
    assert row.state == GRADE_PENDING and row.tries == 1 and "no answer" in row.last_error
    assert grades.send_pending_grades() == (0, 0)  # not due yet
    lms.down = 503
    assert grades.send_pending_grades(now=utcnow() + grades.LONGEST_RETRY) == (0, 1)
    lms.down = None
    assert grades.send_pending_grades(now=utcnow() + 2 * grades.LONGEST_RETRY) == (1, 0)
    assert grades.send_pending_grades(now=utcnow() + 3 * grades.LONGEST_RETRY) == (0, 0)
    assert len(lms.scores) == 1 and lms.scores[0]["scoreGiven"] == 100
    db.session.expire_all()
    assert db.session.get(LtiGrade, row.id).state == GRADE_SENT


def test_a_failed_attempt_is_sent_as_not_passed_and_the_next_attempt_gets_its_own_score(lms, browser):
    quiz_link, _module_link = deep_link(lms, browser())
    learner = browser()
    lms.launch(learner, LOTTE, resource_link=quiz_link)

    hand_in(learner, HALF)
    hand_in(learner, RIGHT)

    assert [(s["scoreGiven"], "Niet geslaagd" in s["comment"]) for s in lms.scores] == [(50, True), (100, False)]


def test_a_completed_module_reaches_the_module_column(lms, browser):
    _quiz_link, module_link = deep_link(lms, browser())
    learner = browser()
    lms.launch(learner, LOTTE, resource_link=module_link)
    for lesson in ("eerste", "tweede"):
        response = learner.submit(f"/modules/basis/{lesson}/done", page=f"/modules/basis/{lesson}")
        assert response.status_code == 302
    assert [s["lineitem"] for s in lms.scores] == []  # the quiz is not passed yet

    hand_in(learner, RIGHT)

    # The module's column, and the quiz's: its link was never opened, the course's line items name it.
    assert sorted(s["lineitem"] for s in lms.scores) == sorted([module_link.lineitem, _quiz_link.lineitem])
    assert all(s["scoreGiven"] == 100 for s in lms.scores)
    learner.submit("/modules/basis/eerste/undo", page="/modules/basis/eerste")
    learner.submit("/modules/basis/eerste/done", page="/modules/basis/eerste")
    assert len(lms.scores) == 2  # completed once: sent once


def test_a_learner_who_did_not_come_from_the_lms_sends_nothing_and_costs_no_statement(lms, browser, client_for,
                                                                                     make_user):
    deep_link(lms, browser())
    client = client_for(make_user())

    statements = statements_run(lambda: hand_in(client, RIGHT))

    assert lms.scores == [] and db.session.scalar(select(db.func.count()).select_from(LtiGrade)) == 0
    assert not [sql for sql in statements if "lti_" in sql]


def test_the_grades_of_a_passed_quiz_and_its_module_are_enqueued_in_one_statement(lms, browser):
    quiz_link, module_link = deep_link(lms, browser())
    learner = browser()
    lms.launch(learner, LOTTE, resource_link=module_link)
    for lesson in ("eerste", "tweede"):
        learner.submit(f"/modules/basis/{lesson}/done", page=f"/modules/basis/{lesson}")
    hand_in(learner, RIGHT)
    user_id = db.session.scalar(select(LtiGrade.user_id))
    db.session.execute(delete(LtiGrade))
    db.session.commit()
    catalogue()

    statements = statements_run(lambda: grades.enqueue(user_id, [
        grades.Result("quiz:basis", "attempt:1", 100, True), grades._module_completed(user_id, "basis")]))

    assert len(statements) == 1 and statements[0].lstrip().upper().startswith("INSERT")
    # Both columns: the quiz link was never opened; the course's line items, read at the launch, name it.
    assert db.session.scalar(select(db.func.count()).select_from(LtiGrade)) == 2


OPEN_QUIZ = """\
title: "Toets basis"
draw: 1
pass_mark: 50
max_attempts: 3
shuffle_options: false
show_answers: after_attempt
questions:
  - id: reflectie
    type: open
    points: 2
    text: "Wat doe je als de jongere niemand noemt?"
    model_answer: "Samen het netwerk verkennen."
    feedback: "Vraag door."
"""


def test_a_quiz_graded_by_the_lecturer_reaches_the_gradebook_when_the_review_ends(lms, browser, lti_content):
    lti_content.raw("01-basis/quiz.yml", OPEN_QUIZ)
    sync(lti_content)
    lecturer = browser()
    quiz_link, _module_link = deep_link(lms, lecturer)
    learner = browser()
    lms.launch(learner, LOTTE, resource_link=quiz_link)
    hand_in(learner, {"q-reflectie": "Ik vraag naar mensen van vroeger."})
    assert lms.scores == []  # waiting for the lecturer

    answer_id = db.session.scalar(select(AttemptAnswer.id))
    response = lecturer.submit(f"/quizzes/review/{answer_id}", {"points": "2", "feedback": "Goed."},
                               page=f"/quizzes/review/{answer_id}")

    assert response.status_code == 302
    assert [(s["userId"], s["scoreGiven"]) for s in lms.scores] == [("sub-lotte", 100)]


def test_a_finished_scenario_reaches_its_column_once(lms, browser):
    (scenario_link,) = deep_link(lms, browser(), targets=("scenario:testscenario",))
    learner = browser()
    assert lms.launch(learner, LOTTE, resource_link=scenario_link).headers["Location"].endswith(
        "/scenarios/testscenario")

    for _run in range(2):
        response = learner.submit("/scenarios/testscenario/practice", page="/scenarios/testscenario")
        run_id = int(response.headers["Location"].rsplit("/", 1)[1])
        for node in ("begin", "gesprek"):
            learner.submit(f"/practice/{run_id}/choose", {"node": node, "choice": "0"}, page=f"/practice/{run_id}")

    assert [(s["lineitem"], s["scoreGiven"]) for s in lms.scores] == [(scenario_link.lineitem, 100)]


def test_a_link_to_something_that_is_gone_opens_the_overview(lms, client):
    response = lms.launch(client, LOTTE, custom={"jim_target": "module:bestaat-niet"})

    assert response.status_code == 302 and response.headers["Location"].endswith("/modules/")
