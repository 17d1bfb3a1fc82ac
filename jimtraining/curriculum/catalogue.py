"""The catalogue's copies of modules and lessons (content.catalogue keeps them per process)."""

from __future__ import annotations

from sqlalchemy import select

from jimtraining.content.catalogue import Catalogue, catalogue_loader, row_copy
from jimtraining.curriculum.models import Lesson, Module
from jimtraining.extensions import db


def _as_tuple(value) -> tuple:
    return tuple(value or ())


@row_copy(Lesson)
class LessonInfo:
    module: ModuleInfo | None = None

    @property
    def source_path(self) -> str:
        return f"{self.module.folder}/{self.filename}"


@row_copy(Module, prerequisites=_as_tuple, goals=_as_tuple, sources=_as_tuple)
class ModuleInfo:
    #: Every lesson in order, archived ones too (as Module.lessons).
    lessons: tuple[LessonInfo, ...] = ()
    #: Lessons shown to learners, in order.
    active_lessons: tuple[LessonInfo, ...] = ()
    #: The quiz (quizzes.catalogue.QuizInfo; set by the quizzes' loader, as Quiz sets Module.quiz), or None.
    quiz: object | None = None

    @property
    def active_quiz(self):
        """The quiz learners take, or None (no quiz, or its file was removed)."""
        return self.quiz if self.quiz is not None and not self.quiz.archived else None


@catalogue_loader(Module, Lesson)
def _load_modules(content: Catalogue) -> None:
    modules = {row["id"]: ModuleInfo.from_row(row) for row in db.session.execute(
        select(Module.__table__).order_by(Module.position, Module.id)).mappings()}
    lessons: dict[int, list[LessonInfo]] = {module_id: [] for module_id in modules}
    for row in db.session.execute(select(Lesson.__table__).order_by(Lesson.position, Lesson.id)).mappings():
        lessons.setdefault(row["module_id"], []).append(LessonInfo.from_row(row, module=modules.get(row["module_id"])))
    for module_id, module in modules.items():
        module.lessons = tuple(lessons[module_id])
        module.active_lessons = tuple(lesson for lesson in module.lessons if not lesson.archived)
    content.by_slug = {module.slug: module for module in modules.values()}
    content.active = [module for module in modules.values() if not module.archived]
