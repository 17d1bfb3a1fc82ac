"""Who may open what in the curriculum, and the loaders of the module and lesson pages.

Every logged-in person reads the curriculum; a module stays locked until its prerequisites are done, except for
trainers and admins, who review it all.
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from jimtraining.access import Rule, require, rule, see_all_content
from jimtraining.curriculum.services import LearnerProgress, ModuleStatus, learner_progress
from jimtraining.roles import Role


@rule("module.open")
def open_module(user, status: ModuleStatus) -> bool:
    """A module's lessons, pictures and quiz: open once its prerequisites are done (`status` is this person's
    status of the module); trainers and admins open every module."""
    return not status.locked or see_all_content(user)


def module_or_404(slug, need: str | Rule | None = None) -> tuple[LearnerProgress, ModuleStatus]:
    """The current user's progress and their status of one active module: 404 for unknown or archived modules,
    then 403 when `need` refuses."""
    progress = learner_progress(current_user)
    status = progress.status_of(slug)
    if status is None:
        abort(404)
    if need is not None:
        require(need, status)
    return progress, status


def lesson_or_404(module, lesson_slug):
    """An active lesson of the module; 404 for unknown or archived lessons."""
    lesson = next((lesson for lesson in module.active_lessons if lesson.slug == lesson_slug), None)
    if lesson is None:
        abort(404)
    return lesson


@rule("courseunit.read")
def read_course_unit(user) -> bool:
    """The course unit for hogescholen (study load, lecturer guide, assessment criteria): for the people who
    schedule and teach it, lecturers and trainers (both have the trainer role), and admins; learners follow the
    modules and do not need it."""
    return user.role in (Role.TRAINER, Role.ADMIN)
