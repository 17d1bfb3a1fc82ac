"""Which questions an attempt draws: a blueprint over the module's goals.

Every goal of the module gets at least one question; the other places are spread over the goals (the goal with
the fewest questions so far goes first). Within a goal the questions the learner has seen least often come first,
so a retake draws other questions where the bank has them. A bank whose questions name no goal is drawn the same
way without the goals. The draw is stored with the attempt (QuizAttempt.drawn), so a refresh shows the same
questions.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from typing import Protocol


class Drawable(Protocol):
    key: str
    goal: int | None


def _least_seen(pool: list, seen: Counter, rng: random.Random):
    """One question of the pool: at random among those the learner has seen least often."""
    fewest = min(seen[q.key] for q in pool)
    return rng.choice([q for q in pool if seen[q.key] == fewest])


def draw_questions(questions: Sequence[Drawable], count: int, goal_count: int, seen: Counter,
                   rng: random.Random) -> list:
    """`count` questions (fewer when the bank is smaller), in random order.

    `goal_count` is the number of goals of the module (0: unknown); `seen` counts per question key how often the
    learner's earlier attempts drew it."""
    count = min(count, len(questions))
    by_goal: dict[int | None, list] = {}
    for question in questions:
        goal = question.goal if question.goal is not None and 1 <= question.goal <= (goal_count or 10**6) else None
        by_goal.setdefault(goal, []).append(question)
    goals = [goal for goal in by_goal if goal is not None]
    rng.shuffle(goals)
    chosen: list = []
    per_goal: Counter = Counter()

    def take(goal):
        question = _least_seen(by_goal[goal], seen, rng)
        by_goal[goal].remove(question)
        chosen.append(question)
        per_goal[goal] += 1

    # Every goal once (the goals in random order, in case the draw is smaller than the number of goals).
    for goal in goals:
        if len(chosen) == count:
            break
        take(goal)
    # The rest spread: the goal with the fewest questions so far first, unseen questions before seen ones.
    while len(chosen) < count:
        open_goals = [goal for goal in by_goal if by_goal[goal]]
        fewest_seen = min(min(seen[q.key] for q in by_goal[goal]) for goal in open_goals)
        fresh = [goal for goal in open_goals if min(seen[q.key] for q in by_goal[goal]) == fewest_seen]
        least = min(per_goal[goal] for goal in fresh)
        take(rng.choice([goal for goal in fresh if per_goal[goal] == least]))
    rng.shuffle(chosen)
    return chosen
