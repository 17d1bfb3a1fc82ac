"""What a learner sees after an attempt: the right answers (only when the quiz's setting allows it) and, after a
failed attempt, the module goals to revisit with the lessons that teach them."""

from __future__ import annotations

from dataclasses import dataclass, field

#: quiz.show_answers values (see quizzes.loader.SHOW_ANSWERS).
AFTER_PASSING = "after_passing"
AFTER_LAST_ATTEMPT = "after_last_attempt"
ALWAYS = "always"


def reveals_answers(quiz, summary) -> bool:
    """True when the learner of `summary` (a services.QuizSummary) may see the right answers of their attempts.

    after_passing: once they passed. after_last_attempt: once they passed or have no attempt left (the answers
    can no longer turn a retake into a memory test). always (or the older after_attempt): after every attempt."""
    setting = quiz.show_answers
    if setting in (ALWAYS, "after_attempt"):
        return True
    if summary.passed:
        return True
    if setting == AFTER_LAST_ATTEMPT:
        return summary.attempts_left == 0 and summary.open_attempt is None
    return False


@dataclass
class GoalToRevisit:
    number: int
    text: str
    #: (title, lesson slug) of the lessons that teach the goal; empty: the module page is the place to go.
    lessons: list[tuple[str, str]] = field(default_factory=list)


def goals_to_revisit(attempt, module, goal_of: dict[str, int | None]) -> list[GoalToRevisit]:
    """The goals of the module whose questions in this (graded, failed) attempt did not earn full points, in the
    module's order. `goal_of` gives the goal of each drawn question key (from the attempt's draw)."""
    if attempt.passed is not False:
        return []
    missed = set()
    answers = {answer.question_key: answer for answer in attempt.answers}
    for entry in attempt.drawn:
        answer = answers.get(entry["key"])
        fraction = answer.fraction if answer is not None else 0
        goal = goal_of.get(entry["key"])
        if goal is not None and fraction is not None and fraction < 1:
            missed.add(goal)
    goals = list(module.goals or ())
    links = list(module.goal_links or ())
    titles = {lesson.slug: lesson.title for lesson in module.active_lessons}
    result = []
    for number in sorted(missed):
        if not 1 <= number <= len(goals):
            continue
        slugs = links[number - 1].get("lessons", []) if number <= len(links) else []
        result.append(GoalToRevisit(number, goals[number - 1],
                                    [(titles[slug], slug) for slug in slugs if slug in titles]))
    return result


def goal_of_drawn(attempt, current_goals: dict[str, int | None] | None = None) -> dict[str, int | None]:
    """The goal of each question an attempt drew, as it was drawn; attempts from before goals were kept take the
    bank's current goals (`current_goals`, by key)."""
    result = {}
    for entry in attempt.drawn:
        if "goal" in entry:
            result[entry["key"]] = entry["goal"]
        elif current_goals is not None:
            result[entry["key"]] = current_goals.get(entry["key"])
    return result


def needs_current_goals(attempt) -> bool:
    return any("goal" not in entry for entry in attempt.drawn)
