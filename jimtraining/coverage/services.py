"""Competences x module goals x quiz questions x rubric criteria, and the gaps between them.

The competences are read from competences.yml in the content folder (they are not synced to the database); the
goals, lessons and scenarios from the content catalogue; the questions per goal with one query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app

from jimtraining.content.catalogue import catalogue
from jimtraining.content.competences import Competence, load_competences
from jimtraining.quizzes.services import questions_per_goal


@dataclass
class GoalRow:
    module_title: str
    module_slug: str
    #: 1 = the module's first goal.
    number: int
    text: str
    #: Active quiz questions that test this goal (0 also when the module has no quiz).
    questions: int
    #: Titles of the lessons that teach it (the goal's `lessons` in module.md).
    lessons: list[str] = field(default_factory=list)


@dataclass
class CriterionRow:
    scenario_title: str
    scenario_slug: str
    text: str


@dataclass
class CompetenceRow:
    competence: Competence
    goals: list[GoalRow] = field(default_factory=list)
    criteria: list[CriterionRow] = field(default_factory=list)

    @property
    def questions(self) -> int:
        return sum(goal.questions for goal in self.goals)

    @property
    def goals_without_questions(self) -> list[GoalRow]:
        return [goal for goal in self.goals if not goal.questions]

    @property
    def has_gap(self) -> bool:
        return not self.goals or not self.criteria or bool(self.goals_without_questions)


@dataclass
class Coverage:
    competences: list[CompetenceRow]
    #: Goals that name no competence (or one that competences.yml does not have).
    unassigned_goals: list[GoalRow]
    #: Rubric criteria whose competence is not in competences.yml.
    unassigned_criteria: list[CriterionRow]

    @property
    def goals(self) -> list[GoalRow]:
        return [goal for row in self.competences for goal in row.goals] + self.unassigned_goals

    @property
    def question_count(self) -> int:
        return sum(goal.questions for goal in self.goals)

    @property
    def criterion_count(self) -> int:
        return sum(len(row.criteria) for row in self.competences) + len(self.unassigned_criteria)

    @property
    def goals_without_questions(self) -> list[GoalRow]:
        return [goal for goal in self.goals if not goal.questions]

    @property
    def competences_without_goals(self) -> list[CompetenceRow]:
        return [row for row in self.competences if not row.goals]

    @property
    def competences_without_criteria(self) -> list[CompetenceRow]:
        return [row for row in self.competences if not row.criteria]


def coverage() -> Coverage:
    """The coverage of the active content (archived modules, questions and scenarios left out)."""
    competences = load_competences(Path(current_app.config["MODULES_DIR"]), [])
    rows = {key: CompetenceRow(competence) for key, competence in competences.items()}
    counts = questions_per_goal()
    content = catalogue()
    unassigned_goals: list[GoalRow] = []
    for module in content.active:
        quiz = module.active_quiz
        titles = {lesson.slug: lesson.title for lesson in module.active_lessons}
        links = list(module.goal_links or ())
        for number, text in enumerate(module.goals or (), start=1):
            link = links[number - 1] if number <= len(links) else {}
            goal = GoalRow(module.title, module.slug, number, text,
                           counts.get((quiz.id, number), 0) if quiz is not None else 0,
                           [titles[slug] for slug in link.get("lessons", []) if slug in titles])
            row = rows.get(link.get("competence"))
            (row.goals if row is not None else unassigned_goals).append(goal)
    unassigned_criteria: list[CriterionRow] = []
    for scenario in sorted(content.scenarios.values(), key=lambda s: s.title):
        if scenario.archived:
            continue
        for criterion in scenario.data.get("rubric") or []:
            found = CriterionRow(scenario.title, scenario.slug, criterion.get("criterion", ""))
            row = rows.get(criterion.get("competence"))
            (row.criteria if row is not None else unassigned_criteria).append(found)
    return Coverage(list(rows.values()), unassigned_goals, unassigned_criteria)
