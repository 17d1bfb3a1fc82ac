"""Each attempt draws by a blueprint: every goal of the module at least once, the rest spread; a retake draws
questions the learner has not seen where the bank has them; the draw is kept with the attempt."""

import random
import re
from collections import Counter
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from jimtraining.config import PROJECT_ROOT
from jimtraining.content_tree import load_content, sync_content
from jimtraining.curriculum.models import Module
from jimtraining.extensions import db
from jimtraining.quizzes.blueprint import draw_questions
from jimtraining.quizzes.models import GRADED
from jimtraining.quizzes.services import start_attempt
from tests.quizzes.test_quiz_check import TWO_GOALS, tagged
from tests.support.content import sync
from tests.support.quizzes import latest_attempt

SHIPPED = load_content(PROJECT_ROOT / "modules")


@dataclass
class Q:
    key: str
    goal: int | None


def bank(goals: dict[int, int]) -> list[Q]:
    """A bank with goals[g] questions for goal g."""
    return [Q(f"g{goal}-{n}", goal) for goal, count in goals.items() for n in range(count)]


@pytest.mark.parametrize("module", SHIPPED.modules, ids=lambda m: m.slug)
def test_every_draw_from_a_shipped_bank_covers_every_goal_of_its_module(module):
    goals = set(range(1, len(module.goals) + 1))
    for seed in range(300):
        rng = random.Random(seed)
        seen = Counter(rng.choice([q.key for q in module.quiz.questions]) for _ in range(rng.randrange(12)))
        drawn = draw_questions(module.quiz.questions, module.quiz.draw_count, len(module.goals), seen, rng)
        assert len(drawn) == module.quiz.draw_count
        assert len({q.key for q in drawn}) == len(drawn)
        assert {q.goal for q in drawn} == goals, (module.slug, seed)


def test_the_places_beyond_one_per_goal_are_spread_over_the_goals():
    questions = bank({1: 5, 2: 5, 3: 5})
    for seed in range(100):
        per_goal = Counter(q.goal for q in draw_questions(questions, 6, 3, Counter(), random.Random(seed)))
        assert sorted(per_goal.values()) == [2, 2, 2]


def test_retakes_go_through_the_whole_bank_before_repeating_a_question():
    questions, seen, rng = bank({1: 4, 2: 4, 3: 4}), Counter(), random.Random(7)
    for _attempt in range(3):
        drawn = draw_questions(questions, 4, 3, seen, rng)
        assert all(seen[q.key] == 0 for q in drawn)
        seen.update(q.key for q in drawn)
    assert set(seen) == {q.key for q in questions}


def test_a_bank_without_goals_is_drawn_unseen_first():
    questions = [Q(f"q{n}", None) for n in range(10)]
    first = draw_questions(questions, 5, 0, Counter(), random.Random(1))
    second = draw_questions(questions, 5, 0, Counter(q.key for q in first), random.Random(2))
    assert not {q.key for q in first} & {q.key for q in second}


def grade(attempt):
    attempt.status = GRADED
    attempt.passed = False
    db.session.commit()


@pytest.fixture
def shipped(app):
    sync_content(SHIPPED)
    return {m.slug: m for m in db.session.scalars(select(Module))}


def test_every_attempt_at_every_shipped_quiz_covers_every_goal_and_retakes_differ_where_the_bank_allows(
        shipped, make_user):
    """Acceptance 2 of issue 17: through the service that starts attempts, for every shipped module."""
    for module_file in SHIPPED.modules:
        module = shipped[module_file.slug]
        quiz, goals = module.quiz, set(range(1, len(module.goals) + 1))
        bank_goals = {q.key: q.goal for q in quiz.questions}
        for learner_number in range(4):
            learner = make_user()
            rng = random.Random(learner_number)
            earlier: list[set[str]] = []
            for _number in range(quiz.max_attempts):
                attempt = start_attempt(learner, quiz, rng)
                keys = {entry["key"] for entry in attempt.drawn}
                assert {bank_goals[key] for key in keys} == goals, module.slug
                assert {entry["goal"] for entry in attempt.drawn} == goals  # kept with the draw
                if len(earlier) == 1:
                    assert repeats_are_the_fewest_possible(bank_goals, earlier[0], keys, quiz.draw_count)
                earlier.append(keys)
                grade(attempt)


def repeats_are_the_fewest_possible(bank_goals: dict[str, int], first: set[str], second: set[str],
                                    draw: int) -> bool:
    """A retake repeats a question only where the bank leaves no choice: a goal whose every question was drawn
    last time, or too few unseen questions in all."""
    forced = sum(1 for goal in set(bank_goals.values())
                 if all(key in first for key, g in bank_goals.items() if g == goal))
    unseen = len(bank_goals) - len(first)
    return len(first & second) == max(forced, draw - unseen, 0)


def test_a_retake_of_a_small_bank_repeats_only_what_it_must(synced_content, make_user):
    synced_content.raw("01-basis/module.md", TWO_GOALS)
    synced_content.raw("01-basis/quiz.yml", tagged(draw=4))  # 6 questions, 3 per goal
    sync(synced_content)
    quiz = db.session.scalar(select(Module).where(Module.slug == "basis")).quiz
    learner = make_user()
    first = start_attempt(learner, quiz, random.Random(3))
    grade(first)
    second = start_attempt(learner, quiz, random.Random(4))
    first_keys, second_keys = {e["key"] for e in first.drawn}, {e["key"] for e in second.drawn}
    assert len(first_keys & second_keys) == 2  # 6 questions, 4 per attempt: 2 unseen left, 2 must repeat
    assert first_keys | second_keys == {q.key for q in quiz.questions}


def questions_on(page: str) -> list[str]:
    """The question texts and answer fields of an attempt page, in order."""
    return re.findall(r'class="question-text">(.*?)</div>|name="(q-[^"]+)"[^>]*value="([^"]*)"', page, re.S)


def test_a_refresh_and_a_second_start_show_the_same_questions(client, make_user, login, synced_content, start):
    synced_content.raw("01-basis/module.md", TWO_GOALS)
    synced_content.raw("01-basis/quiz.yml", tagged(draw=3))
    sync(synced_content)
    learner = make_user()
    login(client, learner)
    attempt = start(learner)
    first_page = questions_on(client.get(f"/quiz/attempts/{attempt.id}").get_data(as_text=True))
    assert len([text for text, _name, _value in first_page if text]) == 3  # the three drawn questions
    again = start(learner)
    assert again.id == attempt.id and again.drawn == attempt.drawn
    assert questions_on(client.get(f"/quiz/attempts/{attempt.id}").get_data(as_text=True)) == first_page
    assert latest_attempt(learner).drawn == attempt.drawn


@pytest.mark.parametrize("module", SHIPPED.modules, ids=lambda m: m.slug)
def test_every_shipped_goal_names_the_lessons_that_teach_it(module):
    """So the goals to revisit after a failed attempt link to lessons, not only to the module page."""
    assert len(module.goal_links) == len(module.goals)
    assert all(link["lessons"] for link in module.goal_links), module.slug
