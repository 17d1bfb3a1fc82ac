"""The study load of the course unit, computed from the content on the platform (never typed in a file).

Per module of the course unit's track (every module when it names none): reading (the words of its active
lessons at the unit's reading pace), the quiz (the questions one attempt draws, times the unit's minutes per
question) and the group sessions that treat it (from the lecturer guide); then the hours for the practice
assignment and the online scenarios. The pace, minutes per question and those hours are course guidance written
in modules/onderwijseenheid/ (`study_load`).
The EC proposal divides the total by the hours of one study credit (WHW, article 7.4).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jimtraining.curriculum.courseunit import UnitPart

#: Hours of study in one study credit (EC) in Dutch higher education: WHW, article 7.4.
HOURS_PER_EC = 28
_WORD_RE = re.compile(r"\w+")


def word_count(markdown: str) -> int:
    """Words of a Markdown text (the markup signs are no words)."""
    return len(_WORD_RE.findall(markdown))


@dataclass
class ModuleLoad:
    title: str
    slug: str
    words: int
    reading_minutes: float
    questions: int
    quiz_minutes: float
    session_minutes: int

    @property
    def minutes(self) -> float:
        return self.reading_minutes + self.quiz_minutes + self.session_minutes


@dataclass
class StudyLoad:
    modules: list[ModuleLoad] = field(default_factory=list)
    #: Sessions that name no module of the track (an introduction, a closing), in minutes.
    other_session_minutes: int = 0
    practice_hours: int = 0
    scenario_hours: int = 0
    guidance: dict = field(default_factory=dict)

    @property
    def reading_hours(self) -> float:
        return sum(m.reading_minutes for m in self.modules) / 60

    @property
    def quiz_hours(self) -> float:
        return sum(m.quiz_minutes for m in self.modules) / 60

    @property
    def session_hours(self) -> float:
        return (sum(m.session_minutes for m in self.modules) + self.other_session_minutes) / 60

    @property
    def total_hours(self) -> float:
        return self.reading_hours + self.quiz_hours + self.session_hours + self.practice_hours + self.scenario_hours

    @property
    def exact_ec(self) -> float:
        return self.total_hours / HOURS_PER_EC

    @property
    def proposed_ec(self) -> int:
        """The total in whole study credits, rounded to the nearest, at least one."""
        return max(1, int(self.exact_ec + 0.5))


def compute_study_load(content, parts: list[UnitPart]) -> StudyLoad | None:
    """The study load from the catalogue (`content`, content.catalogue.Catalogue) and the parts of the course unit,
    over the modules and quizzes of the unit's track (`track` next to `study_load`), or over every module without
    one; None when no part has `study_load`."""
    plan = next((part for part in parts if part.study_load), None)
    if plan is None:
        return None
    guidance = plan.study_load
    pace = guidance.get("words_per_minute") or 1
    per_question = guidance.get("minutes_per_question", 0)
    track = content.track(plan.track)
    if track is not None and not track.archived:
        requirements = track.requirements or {}
        slugs = list(requirements.get("modules") or ())
        quizzes = set(requirements.get("quizzes") or ())
    else:  # no track named (or it left the platform): every module and quiz
        slugs = [module.slug for module in content.active]
        quizzes = set(slugs)
    sessions = [session for part in parts for session in part.sessions]
    load = StudyLoad(practice_hours=guidance.get("practice_hours", 0),
                     scenario_hours=guidance.get("scenario_hours", 0), guidance=guidance)
    shared: dict[str, int] = dict.fromkeys(slugs, 0)
    for session in sessions:
        mine = [slug for slug in session.modules if slug in shared]
        if not mine:
            load.other_session_minutes += session.minutes
        for slug in mine:  # a session on two modules counts half for each
            shared[slug] += session.minutes / len(mine)
    for module in content.modules(slugs):
        words = sum(word_count(lesson.body) for lesson in module.active_lessons)
        quiz = module.active_quiz if module.slug in quizzes else None
        questions = quiz.draw_count if quiz is not None else 0
        load.modules.append(ModuleLoad(
            title=module.title, slug=module.slug, words=words, reading_minutes=words / pace, questions=questions,
            quiz_minutes=questions * per_question, session_minutes=shared[module.slug]))
    return load


def literature(content) -> list[dict]:
    """Every source the active modules cite, once, in the order they first appear, with the modules citing it."""
    found: dict[tuple, dict] = {}
    for module in content.active:
        for source in module.sources:
            key = (source.get("title"), source.get("publisher"), source.get("date"))
            entry = found.setdefault(key, {**source, "modules": []})
            entry["modules"].append(module)
    return sorted(found.values(), key=lambda entry: entry["title"].lstrip("[").lower())
