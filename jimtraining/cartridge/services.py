"""What goes into a cartridge: the active modules in curriculum order, their lessons and their quiz questions, as
synced by `flask content sync`; and the package files built from them."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from jimtraining.curriculum.models import Module
from jimtraining.extensions import db
from jimtraining.quizzes.models import Quiz

#: Question types the CC 1.1 QTI profile has (our type -> the cc_profile it is written as).
CC_PROFILES = {
    "single_choice": "cc.multiple_choice.v0p1",
    "multiple_response": "cc.multiple_response.v0p1",
    "true_false": "cc.true_false.v0p1",
    "open": "cc.essay.v0p1",
}


@dataclass
class QuestionData:
    key: str
    type: str
    text: str
    points: int
    feedback: str
    data: dict


@dataclass
class QuizData:
    title: str
    pass_mark: int
    max_attempts: int | None
    questions: list[QuestionData] = field(default_factory=list)


@dataclass
class LessonData:
    slug: str
    filename: str
    title: str
    body: str


@dataclass
class ModuleData:
    slug: str
    folder: str
    title: str
    summary: str
    body: str
    lessons: list[LessonData] = field(default_factory=list)
    quiz: QuizData | None = None


def curriculum() -> list[ModuleData]:
    """The active modules with their active lessons and quiz, in curriculum order."""
    modules = db.session.scalars(select(Module).options(selectinload(Module.lessons)).where(Module.archived.is_(False))
                                 .order_by(Module.position)).all()
    quizzes = {quiz.module_id: quiz for quiz in db.session.scalars(
        select(Quiz).options(selectinload(Quiz.questions)).where(Quiz.archived.is_(False)))}
    result = []
    for module in modules:
        item = ModuleData(module.slug, module.folder, module.title, module.summary or "", module.body or "",
                          [LessonData(lesson.slug, lesson.filename, lesson.title, lesson.body or "")
                           for lesson in module.active_lessons])
        quiz = quizzes.get(module.id)
        if quiz is not None:
            questions = [QuestionData(q.key, q.type, q.text, q.points, q.feedback or "", q.data or {})
                         for q in quiz.active_questions]
            item.quiz = QuizData(quiz.title, quiz.pass_mark, quiz.max_attempts, questions)
        result.append(item)
    return result
