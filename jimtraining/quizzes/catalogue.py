"""The catalogue's copies of quizzes, linked to their modules (content.catalogue keeps them per process)."""

from __future__ import annotations

from sqlalchemy import select

from jimtraining.content.catalogue import Catalogue, catalogue_loader, row_copy
from jimtraining.curriculum.models import Module
from jimtraining.extensions import db
from jimtraining.quizzes.models import Quiz


@row_copy(Quiz)
class QuizInfo:
    #: The module's copy (curriculum.catalogue.ModuleInfo), whose `quiz` this is.
    module: object | None = None


@catalogue_loader(Quiz, after=(Module,))
def _load_quizzes(content: Catalogue) -> None:
    modules = {module.id: module for module in content.by_slug.values()}
    for row in db.session.execute(select(Quiz.__table__)).mappings():
        module = modules.get(row["module_id"])
        if module is not None:
            module.quiz = QuizInfo.from_row(row, module=module)
