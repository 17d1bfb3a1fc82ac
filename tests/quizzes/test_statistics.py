"""Item analysis on a known set of attempts, checked against values worked out by hand; query budgets."""

import re

import pytest

from jimtraining.extensions import db
from jimtraining.quizzes.models import AttemptAnswer, QuizAttempt
from jimtraining.quizzes.statistics import quiz_statistics, upper_lower_index
from tests.support.database import count_queries
from tests.support.quizzes import module_quiz


def add_attempt(user_id, number, percent, answers, status="graded"):
    """answers: question key -> (fraction, response)."""
    attempt = QuizAttempt(user_id=user_id, module_slug="basis", number=number, status=status, percent=percent,
                          score=percent / 100 * 7, max_score=7, passed=percent >= 60,
                          drawn=[{"key": key} for key in answers])
    attempt.answers = [AttemptAnswer(question_key=key, fraction=fraction, response=response,
                                     points_awarded=fraction)
                       for key, (fraction, response) in answers.items()]
    db.session.add(attempt)
    return attempt


def test_upper_lower_index_by_hand():
    # 10 attempts -> groups of round(2.7) = 3. Lowest three totals earned 0, 0, 1 on the question: 1/3.
    # Highest three earned 1, 1, 1: 1. Index = 1 - 1/3 = 0.6667.
    scored = [(10, 0), (20, 0), (30, 1), (40, 0), (50, 1), (60, 0), (70, 1), (80, 1), (90, 1), (95, 1)]
    assert upper_lower_index(scored) == pytest.approx(0.6667, abs=1e-4)
    assert upper_lower_index([(50, 1)]) is None


def test_statistics_match_hand_computed_values(quiz_module, make_user):
    users = [make_user() for _ in range(4)]
    # question 'kiezen' (a is right); 'familie' (false is right)
    add_attempt(users[0].id, 1, 100.0, {"kiezen": (1.0, "a"), "familie": (1.0, False)})
    add_attempt(users[1].id, 1, 75.0, {"kiezen": (1.0, "a"), "familie": (0.0, True)})
    add_attempt(users[2].id, 1, 25.0, {"kiezen": (0.0, "b"), "familie": (1.0, False)})
    add_attempt(users[3].id, 1, 0.0, {"kiezen": (0.0, "c"), "familie": (0.0, True)})
    add_attempt(users[3].id, 2, 50.0, {"kiezen": (0.0, "b")}, status="in_progress")  # not counted
    db.session.commit()
    stats, count = quiz_statistics(module_quiz())
    by_key = {s.question.key: s for s in stats}
    assert count == 4
    kiezen = by_key["kiezen"]
    assert kiezen.answered == 4
    assert kiezen.difficulty == 0.5                     # 2 of 4 right
    assert kiezen.discrimination == 1.0                 # groups of 1: top (100%) right, bottom (0%) wrong
    assert dict(kiezen.option_counts) == {"a": 2, "b": 1, "c": 1}
    assert [(label, n) for label, n, _right in kiezen.option_rows()] == [
        ("De jongere", 2), ("De hulpverlener", 1), ("De gemeente", 1)]
    familie = by_key["familie"]
    assert familie.difficulty == 0.5
    assert familie.discrimination == 1.0                # top 100% right (1), bottom 0% wrong (0)
    assert dict(familie.option_counts) == {"false": 2, "true": 2}
    assert by_key["stappen"].answered == 0 and by_key["stappen"].difficulty is None


def _fill(users, count, offset=0):
    for index in range(count):
        user = users[index % len(users)]
        add_attempt(user.id, offset + index + 1, float(index % 100),
                    {"kiezen": (1.0 if index % 2 else 0.0, "a" if index % 2 else "b"),
                     "familie": (1.0, False), "stappen": (0.5, ["i1", "i3", "i2"])})
    db.session.commit()


def test_quiz_and_statistics_pages_cost_the_same_queries_for_10_and_500_attempts(app, client, login, make_user,
                                                                                 quiz_module):
    trainer = make_user(role="trainer")
    learner = make_user()
    users = [make_user() for _ in range(5)]
    login(client, trainer)
    _fill(users, 10)
    stats_small = count_queries(lambda: client.get("/quizzes/basis/statistics"))
    results_small = count_queries(lambda: client.get("/quizzes/basis/results"))
    learner_client = app.test_client()
    login(learner_client, learner)
    quiz_small = count_queries(lambda: learner_client.get("/modules/basis/quiz"))
    _fill(users, 490, offset=10)
    assert count_queries(lambda: client.get("/quizzes/basis/statistics")) == stats_small
    assert count_queries(lambda: client.get("/quizzes/basis/results")) == results_small
    assert count_queries(lambda: learner_client.get("/modules/basis/quiz")) == quiz_small
    assert stats_small <= 8 and quiz_small <= 8
    page = client.get("/quizzes/basis/statistics").get_data(as_text=True)
    assert "500 beoordeelde pogingen" in page


def test_statistics_page_names_question_types_in_words_and_writes_dutch_decimals(client, login, make_user,
                                                                                  quiz_module):
    users = [make_user() for _ in range(2)]
    add_attempt(users[0].id, 1, 100.0, {"kiezen": (1.0, "a")})
    add_attempt(users[1].id, 1, 0.0, {"kiezen": (0.0, "b")})
    db.session.commit()
    login(client, make_user(role="trainer"))
    page = client.get("/quizzes/basis/statistics").get_data(as_text=True)
    assert "Eén goed antwoord" in page and "Waar of niet waar" in page
    assert "single_choice" not in page and "true_false" not in page
    # difficulty and discrimination of one question
    assert '<td class="number">0,50</td>' in page and '<td class="number">1,00</td>' in page
    assert "0.50" not in page


def test_ties_in_the_total_do_not_make_a_question_look_discriminating():
    assert upper_lower_index([(50, 1), (50, 0)]) == upper_lower_index([(50, 0), (50, 1)])
    assert upper_lower_index([(50, 1), (50, 0)]) <= 0


def test_trainers_own_attempts_are_left_out_of_the_statistics(quiz_module, make_user):
    trainer = make_user(role="trainer")
    learner = make_user()
    add_attempt(trainer.id, 1, 100.0, {"kiezen": (1.0, "a")})
    add_attempt(learner.id, 1, 0.0, {"kiezen": (0.0, "b")})
    db.session.commit()
    stats, count = quiz_statistics(module_quiz())
    assert count == 1
    assert next(s for s in stats if s.question.key == "kiezen").difficulty == 0.0


def test_item_analysis_names_question_kinds_in_words_and_uses_decimal_commas(client, login, make_user, quiz_module):
    login(client, make_user(role="trainer"))
    _fill([make_user() for _ in range(3)], 10)
    page = client.get("/quizzes/basis/statistics").get_data(as_text=True)
    for code in ("single_choice", "multiple_response", "true_false", "ordering"):
        assert f"<td>{code}</td>" not in page, code
    assert "Eén goed antwoord" in page and "Waar of niet waar" in page
    assert re.search(r'<td class="number">\d,\d\d</td>', page)
    assert not re.search(r'<td class="number">\d\.\d\d</td>', page)
