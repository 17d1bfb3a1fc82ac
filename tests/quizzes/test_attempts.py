"""Taking a quiz: start, save as you go, submit, results; and everything that must not work."""

import threading
from datetime import UTC, timedelta

import pytest
from sqlalchemy import func, select

from jimtraining.extensions import db
from jimtraining.quizzes.models import AttemptAnswer, QuizAttempt
from jimtraining.timeutil import utcnow
from tests.exports import both_variants, offers_both_variants
from tests.support.content import sync
from tests.support.quizzes import PERFECT, answer_form, latest_attempt, write_quiz


@pytest.fixture
def learner(make_user, client, login):
    user = make_user(name="Lotte Leerling")
    login(client, user)
    return user


def test_quiz_page_shows_attempts_left_and_the_pass_mark(client, learner, quiz_module):
    page = client.get("/modules/basis/quiz").get_data(as_text=True)
    assert "Pogingen over: 3 van 3." in page
    assert "Je hebt 60% nodig om te slagen." in page
    assert "Begin de toets" in page


def test_attempt_page_never_contains_which_answer_is_right(client, learner, quiz_module, start):
    attempt = start(learner)
    page = client.get(f"/quiz/attempts/{attempt.id}").get_data(as_text=True)
    assert "Wie kiest de JIM?" in page and "De jongere" in page
    for secret in ("correct", "FB-KIEZEN", "UITLEG-", "MODEL-REFLECTIE", 'value="a"', 'value="p1"', 'value="i1"',
                   "data-correct", "is-correct"):
        assert secret not in page, secret
    for entry in attempt.drawn:  # only this attempt's random tokens appear as values
        for group in ("options", "lefts", "rights", "items"):
            for tok, item_id in entry.get(group, []):
                assert f'value="{tok}"' in page or f':{tok}"' in page
                assert f'value="{item_id}"' not in page


def test_perfect_answers_pass_once_the_open_answer_is_reviewed(client, app, login, make_user, make_cohort, learner,
                                                               quiz_module, start):
    attempt = start(learner)
    response = client.submit(f"/quiz/attempts/{attempt.id}/submit", answer_form(attempt, PERFECT),
                             page=f"/quiz/attempts/{attempt.id}")
    assert response.headers["Location"] == f"/quiz/attempts/{attempt.id}/result"
    attempt = latest_attempt(learner)
    assert attempt.status == "pending_review" and attempt.percent is None
    assert "Een trainer beoordeelt nog een open vraag" in client.get(f"/quiz/attempts/{attempt.id}/result").get_data(
        as_text=True)

    trainer = app.test_client()
    login(trainer, make_cohort(trainers=[make_user(role="trainer")], learners=[learner]).trainers[0])
    open_answer = db.session.scalar(select(AttemptAnswer).where(AttemptAnswer.needs_review.is_(True)))
    assert f"/quizzes/review/{open_answer.id}" in trainer.get("/quizzes/review").get_data(as_text=True)
    reviewed = trainer.submit(f"/quizzes/review/{open_answer.id}", {"points": "2", "feedback": "Sterk antwoord."},
                              page=f"/quizzes/review/{open_answer.id}")
    assert reviewed.status_code == 302
    attempt = latest_attempt(learner)
    assert (attempt.status, attempt.score, attempt.max_score, attempt.percent, attempt.passed) == (
        "graded", 7.0, 7.0, 100.0, True)
    result = client.get(f"/quiz/attempts/{attempt.id}/result").get_data(as_text=True)
    assert "Sterk antwoord." in result and "UITLEG-KIEZEN" in result and "FB-KIEZEN-A" in result
    assert "Score: 7 van 7 punten (100%)" in result and "7.0" not in result  # Dutch numbers, no "7.0"


def test_review_refuses_points_above_the_maximum(app, client, login, make_user, make_cohort, learner, quiz_module,
                                                 start):
    attempt = start(learner)
    client.submit(f"/quiz/attempts/{attempt.id}/submit", answer_form(attempt, PERFECT))
    trainer = app.test_client()
    login(trainer, make_cohort(trainers=[make_user(role="trainer")], learners=[learner]).trainers[0])
    answer = db.session.scalar(select(AttemptAnswer).where(AttemptAnswer.needs_review.is_(True)))
    response = trainer.submit(f"/quizzes/review/{answer.id}", {"points": "5"}, page=f"/quizzes/review/{answer.id}")
    assert response.status_code == 200
    assert "Geef 0 tot en met 2 punten." in response.get_data(as_text=True)
    db.session.refresh(answer)
    assert answer.needs_review


def test_wrong_answers_score_partially_and_fail(client, learner, quiz_module, start):
    attempt = start(learner)
    answers = {"kiezen": "b", "wie-kan-jim-zijn": ["a"], "familie": True,
               "begrippen": {"p1": "p1", "p2": "p3", "p3": "p2"}, "stappen": ["i1", "i3", "i2"]}
    client.submit(f"/quiz/attempts/{attempt.id}/submit", answer_form(attempt, answers))
    attempt = latest_attempt(learner)
    # 0 + 0.5 + 0 + 1/3 + 0 (i1->i3 wrong, i3->i2 wrong) + open unanswered 0, out of 7
    assert attempt.status == "graded"
    assert attempt.score == pytest.approx(0.8333, abs=1e-3)
    assert attempt.passed is False


def test_answers_are_saved_as_you_go_and_shown_again(client, learner, quiz_module, start):
    attempt = start(learner)
    response = client.submit(f"/quiz/attempts/{attempt.id}/save", answer_form(attempt, {"kiezen": "a"}),
                             page=f"/quiz/attempts/{attempt.id}", headers={"Accept": "application/json"})
    assert response.get_json() == {"saved": True, "message": "Je antwoorden zijn opgeslagen."}
    entry = attempt.drawn_entry("kiezen")
    page = client.get(f"/quiz/attempts/{attempt.id}").get_data(as_text=True)
    assert f'value="{entry["options"][[i for _t, i in entry["options"]].index("a")][0]}" checked' in page


def test_a_second_start_resumes_the_open_attempt(client, learner, quiz_module, start):
    first = start(learner)
    second = start(learner)
    assert first.id == second.id
    assert db.session.scalar(select(func.count(QuizAttempt.id))) == 1


def test_submitting_twice_counts_once(client, learner, quiz_module, start):
    attempt = start(learner)
    form = answer_form(attempt, PERFECT)
    client.submit(f"/quiz/attempts/{attempt.id}/submit", form)
    again = client.submit(f"/quiz/attempts/{attempt.id}/submit", answer_form(attempt, {"kiezen": "b"}),
                          follow_redirects=True)
    assert "Deze poging was al ingeleverd. Er is niets dubbel geteld." in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count(AttemptAnswer.id))) == 6
    assert db.session.scalar(select(AttemptAnswer.response).where(AttemptAnswer.question_key == "kiezen")) == "a"


def test_two_submits_at_the_same_moment_count_once(app, make_user, login, quiz_module):
    user = make_user()
    clients = [app.test_client(), app.test_client()]
    for c in clients:
        login(c, user)
    clients[0].submit("/modules/basis/quiz/start", page="/modules/basis/quiz")
    attempt = latest_attempt(user)
    form = answer_form(attempt, PERFECT)
    url = f"/quiz/attempts/{attempt.id}/submit"  # plain values only: ORM objects stay in this thread
    tokens = [c.csrf_token(f"/quiz/attempts/{attempt.id}") for c in clients]
    barrier = threading.Barrier(2)
    results = []

    def submit(c, csrf):
        with app.app_context():
            barrier.wait()
            response = c.post(url, data={**form, "csrf_token": csrf})
            results.append(response.status_code)

    threads = [threading.Thread(target=submit, args=(c, t)) for c, t in zip(clients, tokens, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [302, 302]
    db.session.expire_all()
    assert db.session.scalar(select(func.count(AttemptAnswer.id))) == 6
    attempt = latest_attempt(user)
    assert attempt.status == "pending_review" and attempt.submitted_at is not None


def test_saving_after_the_time_limit_is_refused_and_late_submit_counts_saved_answers(client, learner,
                                                                                     synced_content, start):
    write_quiz(synced_content, time_limit=10)
    sync(synced_content)
    attempt = start(learner)
    client.submit(f"/quiz/attempts/{attempt.id}/save", answer_form(attempt, {"kiezen": "a"}),
                  page=f"/quiz/attempts/{attempt.id}")
    attempt.deadline_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    late_save = client.submit(f"/quiz/attempts/{attempt.id}/save", answer_form(attempt, {"familie": False}),
                              page=f"/quiz/attempts/{attempt.id}", headers={"Accept": "application/json"})
    assert late_save.status_code == 409
    assert "De tijd is om" in late_save.get_json()["message"]
    late_submit = client.submit(f"/quiz/attempts/{attempt.id}/submit", answer_form(attempt, PERFECT),
                                page=f"/quiz/attempts/{attempt.id}", follow_redirects=True)
    assert "De tijd was om" in late_submit.get_data(as_text=True)
    attempt = latest_attempt(learner)
    assert attempt.status == "graded"
    assert attempt.score == 1.0  # only the answer saved in time
    responses = dict(db.session.execute(select(AttemptAnswer.question_key, AttemptAnswer.response)).all())
    assert responses["familie"] is None


def test_maximum_attempts_hold_on_the_server(client, learner, synced_content, start):
    write_quiz(synced_content, max_attempts=1)
    sync(synced_content)
    attempt = start(learner)
    client.submit(f"/quiz/attempts/{attempt.id}/submit", answer_form(attempt, {"kiezen": "b"}))
    response = client.submit("/modules/basis/quiz/start", page="/modules/basis/quiz", follow_redirects=True)
    assert "Je hebt al je pogingen voor deze toets gebruikt." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(QuizAttempt.id))) == 1


def test_answering_a_question_that_was_not_drawn_is_refused(client, learner, synced_content, start):
    write_quiz(synced_content, draw=1)
    sync(synced_content)
    attempt = start(learner)
    other = next(key for key in ("kiezen", "familie") if key != attempt.drawn[0]["key"])
    response = client.submit(f"/quiz/attempts/{attempt.id}/save", {f"q-{other}": "true"},
                             page=f"/quiz/attempts/{attempt.id}", follow_redirects=True)
    assert f"Vraag &#39;{other}&#39; hoort niet bij deze poging." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(AttemptAnswer.id))) == 0
    submitted = client.submit(f"/quiz/attempts/{attempt.id}/submit", {f"q-{other}": "true"},
                              page=f"/quiz/attempts/{attempt.id}", follow_redirects=True)
    assert "hoort niet bij deze poging" in submitted.get_data(as_text=True)
    assert latest_attempt(learner).status == "in_progress"


def test_a_half_finished_question_does_not_block_saving_the_others(client, learner, quiz_module, start):
    attempt = start(learner)
    form = answer_form(attempt, {"kiezen": "a"})
    entry = attempt.drawn_entry("stappen")
    form[f"q-stappen:{entry['items'][0][0]}"] = "1"  # one of three places chosen
    response = client.submit(f"/quiz/attempts/{attempt.id}/save", form, page=f"/quiz/attempts/{attempt.id}",
                             headers={"Accept": "application/json"})
    assert response.status_code == 422
    assert "De andere antwoorden zijn opgeslagen." in response.get_json()["message"]
    saved = dict(db.session.execute(select(AttemptAnswer.question_key, AttemptAnswer.response)).all())
    assert saved == {"kiezen": "a"}


def test_editing_the_quiz_during_an_attempt_changes_nothing_for_that_attempt(client, learner, quiz_module,
                                                                            start):
    attempt = start(learner)
    text = (quiz_module.root / "01-basis" / "quiz.yml").read_text()
    # 'kiezen' loses an option, 'begrippen' becomes a different type, and points change
    text = text.replace('      - id: c\n        text: "De gemeente"\n        feedback: "FB-KIEZEN-C"\n', "")
    text = text.replace("    points: 2\n", "    points: 9\n")
    quiz_module.raw("01-basis/quiz.yml", text)
    sync(quiz_module)
    assert "De gemeente" in client.get(f"/quiz/attempts/{attempt.id}").get_data(as_text=True)
    client.submit(f"/quiz/attempts/{attempt.id}/submit", answer_form(attempt, {"kiezen": "c"}))
    attempt = latest_attempt(learner)
    assert attempt.max_score == 7.0  # as drawn: the open question was worth 2
    assert client.get(f"/quiz/attempts/{attempt.id}/result").status_code == 200


def test_unknown_option_is_refused_with_a_message(client, learner, quiz_module, start):
    attempt = start(learner)
    response = client.submit(f"/quiz/attempts/{attempt.id}/submit", {"q-kiezen": "verzonnen"},
                             page=f"/quiz/attempts/{attempt.id}", follow_redirects=True)
    assert "Dit antwoord hoort niet bij deze vraag." in response.get_data(as_text=True)
    assert latest_attempt(learner).status == "in_progress"


def test_another_learner_cannot_see_or_change_an_attempt(app, client, login, make_user, learner, quiz_module,
                                                         start):
    attempt = start(learner)
    intruder = app.test_client()
    login(intruder, make_user())
    token = intruder.csrf_token()
    assert intruder.get(f"/quiz/attempts/{attempt.id}").status_code == 404
    assert intruder.post(f"/quiz/attempts/{attempt.id}/save", data={"csrf_token": token}).status_code == 404
    assert intruder.post(f"/quiz/attempts/{attempt.id}/submit", data={"csrf_token": token}).status_code == 404
    client.submit(f"/quiz/attempts/{attempt.id}/submit", answer_form(attempt, PERFECT))
    assert intruder.get(f"/quiz/attempts/{attempt.id}/result").status_code == 404
    assert latest_attempt(learner).status == "pending_review"


@pytest.mark.parametrize("path", ["/quizzes/", "/quizzes/basis/results", "/quizzes/basis/results.csv",
                                  "/quizzes/basis/statistics", "/quizzes/review"])
def test_learners_get_403_on_trainer_quiz_pages(client, learner, quiz_module, path):
    assert client.get(path).status_code == 403


def test_right_answers_wait_until_passing_when_the_quiz_says_so(client, learner, synced_content, start):
    write_quiz(synced_content, show_answers="after_passing")
    sync(synced_content)
    attempt = start(learner)
    client.submit(f"/quiz/attempts/{attempt.id}/submit", answer_form(attempt, {"kiezen": "b"}))
    page = client.get(f"/quiz/attempts/{attempt.id}/result").get_data(as_text=True)
    for hint in ("FB-KIEZEN", "UITLEG-", "goed antwoord", "is-correct", "is-wrong", "van 1 punt", "van 2 punten"):
        assert hint not in page, hint
    assert "De goede antwoorden zie je als je geslaagd bent." in page
    assert "jouw keuze" in page  # the learner still sees what they answered


def test_module_is_completed_only_when_the_quiz_is_passed(client, learner, quiz_module, start):
    for path in ("/modules/basis/eerste/done", "/modules/basis/tweede/done"):
        client.submit(path, page="/modules/basis")
    page = client.get("/").get_data(as_text=True)
    assert "Nog te doen: de toets" in page
    assert client.get("/modules/verder/derde").status_code == 302  # still locked
    attempt = start(learner)
    perfect_closed = {k: v for k, v in PERFECT.items() if k != "reflectie"}
    client.submit(f"/quiz/attempts/{attempt.id}/submit", answer_form(attempt, perfect_closed))
    assert latest_attempt(learner).passed  # 5 of 7 points = 71%
    assert client.get("/modules/verder/derde").status_code == 200


def test_results_csv_lists_attempts_and_defuses_formulas(app, client, login, make_user, make_cohort, quiz_module,
                                                          start):
    learner = make_user(name="=HYPERLINK(1)")
    login(client, learner)
    attempt = start(learner)
    client.submit(f"/quiz/attempts/{attempt.id}/submit", answer_form(attempt, {"kiezen": "a"}))
    trainer = app.test_client()
    login(trainer, make_cohort(trainers=[make_user(role="trainer")], learners=[learner]).trainers[0])
    response = trainer.get("/quizzes/basis/results.csv")
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0].startswith("name,email,attempt,status")
    assert lines[1].startswith("'=HYPERLINK(1)")
    assert response.headers["Content-Type"].startswith("text/csv")


def test_results_csv_defuses_a_formula_in_the_email_column_in_both_variants(app, client, login, make_user,
                                                                           make_cohort, quiz_module, start):
    """Issue 14 item 11 and 12: the e-mail column went out unguarded; the results page offers the Excel variant
    beside the standard one and the rows are the same in both."""
    learner = make_user(name="Lotte Leerling", email="+cmd|'/ccalc'!a0@example.org")
    login(client, learner)
    attempt = start(learner)
    client.submit(f"/quiz/attempts/{attempt.id}/submit", answer_form(attempt, {"kiezen": "a"}))
    trainer = app.test_client()
    login(trainer, make_cohort(trainers=[make_user(role="trainer")], learners=[learner]).trainers[0])
    standard, excel = both_variants(trainer, "/quizzes/basis/results.csv")  # checks every cell
    assert standard[1][:2] == ["Lotte Leerling", "'+cmd|'/ccalc'!a0@example.org"]
    assert [row[:4] for row in excel] == [row[:4] for row in standard]
    assert offers_both_variants(trainer.get("/quizzes/basis/results").get_data(as_text=True),
                                "/quizzes/basis/results.csv")


def test_results_csv_gives_exact_moments_in_utc_with_their_offset(app, client, login, make_user, make_cohort,
                                                                   quiz_module, start):
    """Issue 14 item 1: a moment in an export is either a date as people in the Netherlands read it or an exact
    timestamp that says its own zone; the quiz results give the exact moments, in UTC with "+00:00", on SQLite
    (which stores them without a zone) as on PostgreSQL."""
    import csv
    import io
    from datetime import UTC, datetime

    learner = make_user()
    login(client, learner)
    attempt = start(learner)
    client.submit(f"/quiz/attempts/{attempt.id}/submit", answer_form(attempt, {"kiezen": "a"}))
    trainer = app.test_client()
    login(trainer, make_cohort(trainers=[make_user(role="trainer")], learners=[learner]).trainers[0])
    row = next(csv.DictReader(io.StringIO(trainer.get("/quizzes/basis/results.csv").get_data(as_text=True))))
    for column in ("started_at", "submitted_at"):
        moment = datetime.fromisoformat(row[column])
        assert moment.utcoffset() is not None and moment.tzinfo.utcoffset(moment).total_seconds() == 0, row[column]
        assert abs((datetime.now(UTC) - moment).total_seconds()) < 600  # UTC indeed, not local time


def test_module_page_shows_attempts_left_and_best_score(client, learner, quiz_module, start):
    attempt = start(learner)
    client.submit(f"/quiz/attempts/{attempt.id}/submit", answer_form(attempt, {k: v for k, v in PERFECT.items()
                                                                               if k != "reflectie"}))
    page = client.get("/modules/basis").get_data(as_text=True)
    assert "Pogingen over: 2 van 3." in page
    assert "Je beste score: 71%" in page
    assert "Je bent geslaagd voor de toets." in page


def test_time_limit_is_shown_in_dutch_time(client, learner, synced_content, start):
    from datetime import datetime

    write_quiz(synced_content, time_limit=10)
    sync(synced_content)
    attempt = start(learner)
    attempt.deadline_at = datetime(2026, 7, 1, 10, 30, tzinfo=UTC)  # summer: 12:30 in Amsterdam
    db.session.commit()
    page = client.get(f"/quiz/attempts/{attempt.id}").get_data(as_text=True)
    assert "Lever in vóór 12:30." in page


def test_nobody_grades_their_own_open_answer(app, client, login, make_user, quiz_module):
    trainer = make_user(role="trainer")
    login(client, trainer)
    client.submit("/modules/basis/quiz/start", page="/modules/basis/quiz")
    attempt = latest_attempt(trainer)
    client.submit(f"/quiz/attempts/{attempt.id}/submit", answer_form(attempt, PERFECT))
    answer = db.session.scalar(select(AttemptAnswer).where(AttemptAnswer.needs_review.is_(True)))
    assert f"/quizzes/review/{answer.id}" not in client.get("/quizzes/review").get_data(as_text=True)
    assert client.get(f"/quizzes/review/{answer.id}").status_code == 403
    assert client.submit(f"/quizzes/review/{answer.id}", {"points": "2"}).status_code == 403


@pytest.mark.parametrize("points", ["sNaN", "NaN", "inf", "-1", "abc", "1e999999", "9" * 500])
def test_odd_review_points_get_a_message(app, client, login, make_user, make_cohort, learner, quiz_module, start,
                                         points):
    attempt = start(learner)
    client.submit(f"/quiz/attempts/{attempt.id}/submit", answer_form(attempt, PERFECT))
    trainer = app.test_client()
    login(trainer, make_cohort(trainers=[make_user(role="trainer")], learners=[learner]).trainers[0])
    answer = db.session.scalar(select(AttemptAnswer).where(AttemptAnswer.needs_review.is_(True)))
    response = trainer.submit(f"/quizzes/review/{answer.id}", {"points": points}, page=f"/quizzes/review/{answer.id}")
    assert response.status_code == 200
    assert 'class="error"' in response.get_data(as_text=True)
    db.session.refresh(answer)
    assert answer.needs_review


def test_concurrent_submits_grade_once(app, make_user, login, quiz_module, monkeypatch):
    from jimtraining.quizzes import services

    outcomes = []
    real_submit = services.submit_attempt
    monkeypatch.setattr(services, "submit_attempt",
                        lambda attempt, quiz, responses: outcomes.append(real_submit(attempt, quiz, responses))
                        or outcomes[-1])
    user = make_user()
    clients = [app.test_client() for _ in range(4)]
    for c in clients:
        login(c, user)
    clients[0].submit("/modules/basis/quiz/start", page="/modules/basis/quiz")
    attempt = latest_attempt(user)
    url, form = f"/quiz/attempts/{attempt.id}/submit", answer_form(attempt, PERFECT)
    tokens = [c.csrf_token(f"/quiz/attempts/{attempt.id}") for c in clients]
    barrier = threading.Barrier(len(clients))

    def submit(c, csrf):
        with app.app_context():
            barrier.wait()
            c.post(url, data={**form, "csrf_token": csrf})

    threads = [threading.Thread(target=submit, args=pair) for pair in zip(clients, tokens, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == [False] * (len(outcomes) - 1) + [True]  # one hand-in graded, the others refused
    answers = db.session.scalars(select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt.id)).all()
    assert sorted(a.question_key for a in answers) == sorted(entry["key"] for entry in attempt.drawn)


def test_trainers_see_and_grade_only_their_own_learners(app, client, login, make_user, make_cohort, learner,
                                                        quiz_module, start):
    attempt = start(learner)
    client.submit(f"/quiz/attempts/{attempt.id}/submit", answer_form(attempt, PERFECT))
    make_cohort(trainers=[make_user(role="trainer")], learners=[learner])
    stranger = app.test_client()
    login(stranger, make_cohort(trainers=[make_user(role="trainer")]).trainers[0])
    answer = db.session.scalar(select(AttemptAnswer).where(AttemptAnswer.needs_review.is_(True)))
    assert "Lotte Leerling" not in stranger.get("/quizzes/basis/results").get_data(as_text=True)
    assert "Lotte Leerling" not in stranger.get("/quizzes/basis/results.csv").get_data(as_text=True)
    assert f"/quizzes/review/{answer.id}" not in stranger.get("/quizzes/review").get_data(as_text=True)
    assert stranger.get(f"/quizzes/review/{answer.id}").status_code == 403
    assert stranger.get(f"/quiz/attempts/{attempt.id}/result").status_code == 404


def test_result_page_reads_scores_the_dutch_way(client, learner, quiz_module, start):
    attempt = start(learner)
    answers = {"kiezen": "b", "wie-kan-jim-zijn": ["a"], "familie": True,
               "begrippen": {"p1": "p1", "p2": "p3", "p3": "p2"}, "stappen": ["i1", "i3", "i2"]}
    client.submit(f"/quiz/attempts/{attempt.id}/submit", answer_form(attempt, answers))
    page = client.get(f"/quiz/attempts/{attempt.id}/result").get_data(as_text=True)
    assert "Score: 0,8 van 7 punten" in page
    assert "0 van 1 punt<" in page  # one point: singular
    assert "0.0" not in page and "van 1 punten" not in page
