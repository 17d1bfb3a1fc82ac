"""Curriculum writes and the progress figures the pages show."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache

from flask import has_request_context, request, url_for
from sqlalchemy import bindparam, null, select, union_all
from sqlalchemy.exc import IntegrityError

from jimtraining.content.catalogue import catalogue
from jimtraining.content.sync import SyncReport, sync_by_slug
from jimtraining.curriculum.catalogue import LessonInfo, ModuleInfo
from jimtraining.curriculum.courseunit import FOLDER as UNIT_FOLDER
from jimtraining.curriculum.links import LESSON_FILE_RE, lesson_for_path, resolve_relative, split_slug
from jimtraining.curriculum.models import Lesson, LessonProgress, Module
from jimtraining.extensions import db
from jimtraining.quizzes.models import QuizAttempt
from jimtraining.rendering import render_markdown
from jimtraining.signals import lesson_done
from jimtraining.timeutil import as_utc, utcnow

log = logging.getLogger(__name__)


# Sync ---------------------------------------------------------------------------------------------------------

def sync_modules(sources, report: SyncReport, now=None, also_sync=None) -> None:
    """Write the modules and lessons of a checked content tree: the curriculum's part of `flask content sync`.

    Rows are matched by slug, so editing text keeps every learner's progress; modules and lessons that left the
    files are archived (hidden, progress kept), never deleted. `also_sync(module, source)` writes what else a
    module folder holds (its quiz), right after the module's lessons.
    """
    now = now or utcnow()

    def lessons_and_more(module: Module, source) -> None:
        sync_by_slug(Lesson, module.lessons, source.lessons, report, prefix=f"{source.slug}/",
                     add=module.lessons.append, now=now)
        if also_sync is not None:
            also_sync(module, source)

    sync_by_slug(Module, db.session.scalars(select(Module)).all(), sources, report, now=now, then=lessons_and_more)


# Reading -----------------------------------------------------------------------------------------------------

def active_modules() -> list[Module]:
    """All modules shown to learners, in order, with their lessons loaded in the same query round."""
    return list(db.session.scalars(
        Module.active().order_by(Module.position).options(db.selectinload(Module.lessons))
    ).all())


#: A learner's lessons done and quizzes passed in one query (rows of the second part have no lesson).
_DONE_AND_PASSED = union_all(
    select(LessonProgress.module_slug, LessonProgress.lesson_slug, LessonProgress.completed_at, LessonProgress.id)
    .where(LessonProgress.user_id == bindparam("user_id"), LessonProgress.completed_at.is_not(None)),
    select(QuizAttempt.module_slug, null().cast(LessonProgress.lesson_slug.type),
           null().cast(LessonProgress.completed_at.type), null().cast(LessonProgress.id.type))
    .where(QuizAttempt.user_id == bindparam("user_id"), QuizAttempt.passed.is_(True)).distinct())


@dataclass
class ModuleStatus:
    module: ModuleInfo
    done: int
    total: int
    missing_prerequisites: list[ModuleInfo]
    #: None when the module has no quiz.
    quiz_passed: bool | None = None

    @property
    def lessons_done(self) -> bool:
        return self.total > 0 and self.done >= self.total

    @property
    def completed(self) -> bool:
        """All lessons done, and the quiz passed if the module has one."""
        return self.lessons_done and self.quiz_passed is not False

    @property
    def locked(self) -> bool:
        return bool(self.missing_prerequisites)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass
class LearnerProgress:
    """One learner's view of the curriculum: every active module with its progress and lock state."""

    statuses: list[ModuleStatus]
    done: set[tuple[str, str]]
    #: (module_slug, lesson_slug) of the active lesson the learner marked as done last, or None.
    last_done: tuple[str, str] | None = None

    def status_of(self, module_slug: str) -> ModuleStatus | None:
        return next((s for s in self.statuses if s.module.slug == module_slug), None)

    def is_done(self, lesson) -> bool:
        return (lesson.module.slug, lesson.slug) in self.done

    @property
    def completed_modules(self) -> int:
        return sum(1 for s in self.statuses if s.completed)


def learner_progress(user) -> LearnerProgress:
    """Progress and lock state of every active module for one user: one query for the lessons done and the quizzes
    passed; the curriculum itself comes from the process's catalogue."""
    modules = catalogue().active
    completions, passed = [], set()
    for row in db.session.execute(_DONE_AND_PASSED, {"user_id": user.id}):
        if row[1] is None:
            passed.add(row[0])
        else:
            completions.append(row)
    done = {(module_slug, lesson_slug) for module_slug, lesson_slug, _at, _id in completions}
    by_slug = {m.slug: m for m in modules}
    counts = {}
    quiz_passed = {}
    active_lessons = set()
    for module in modules:
        active = module.active_lessons
        active_lessons.update((module.slug, lesson.slug) for lesson in active)
        counts[module.slug] = (sum((module.slug, lesson.slug) in done for lesson in active), len(active))
        quiz_passed[module.slug] = (module.slug in passed) if module.active_quiz is not None else None
    statuses = []
    for module in modules:
        missing = [
            by_slug[slug] for slug in module.prerequisites
            if slug in by_slug and (counts[slug][0] < counts[slug][1] or quiz_passed[slug] is False)
        ]
        if counts[module.slug][0]:
            # Once started, a module stays open, even when a lesson is later added to a prerequisite.
            missing = []
        statuses.append(ModuleStatus(module, counts[module.slug][0], counts[module.slug][1], missing,
                                     quiz_passed[module.slug]))
    shown = [row for row in completions if (row[0], row[1]) in active_lessons]
    last = max(shown, key=lambda row: (as_utc(row[2]), row[3]), default=None)
    return LearnerProgress(statuses, done, (last[0], last[1]) if last is not None else None)


def continue_lesson(user, progress: LearnerProgress) -> LessonInfo | None:
    """The lesson to continue with: after the lesson finished last, the first one not yet done.

    Opening a lesson writes nothing (no state change on GET), so "where you left off" is the last lesson the
    learner marked as done.
    """
    ordered = [lesson for s in progress.statuses if not s.locked for lesson in s.module.active_lessons]
    if not ordered:
        return None
    start = 0
    if progress.last_done is not None:
        for index, lesson in enumerate(ordered):
            if (lesson.module.slug, lesson.slug) == progress.last_done:
                start = index
                break
    for lesson in ordered[start:] + ordered[:start]:
        if not progress.is_done(lesson):
            return lesson
    return None


def set_lesson_done(user, lesson: Lesson | LessonInfo, done: bool) -> LessonProgress:
    """Mark a lesson as done (or not done any more) for the user; safe when two requests race."""
    keys = {"user_id": user.id, "module_slug": lesson.module.slug, "lesson_slug": lesson.slug}
    query = select(LessonProgress).filter_by(**keys)
    progress = db.session.scalar(query)
    if progress is None:
        try:
            with db.session.begin_nested():
                progress = LessonProgress(**keys)
                db.session.add(progress)
        except IntegrityError:
            # The same learner's other request (a double click) created the row first.
            progress = db.session.scalar(query)
    if done and progress.completed_at is None:
        progress.completed_at = utcnow()
    elif not done:
        progress.completed_at = None
    db.session.commit()
    log.info("user %s marked %s/%s as %s", user.id, lesson.module.slug, lesson.slug, "done" if done else "not done")
    if done:
        lesson_done.send(None, user_id=keys["user_id"], module_slug=keys["module_slug"], by_id=keys["user_id"])
    return progress


# Rendering ---------------------------------------------------------------------------------------------------

def _content_url(source_relpath: str, target: str, is_image: bool) -> str | None:
    """The web address for a link or image written in a content file; None drops it."""
    resolved = resolve_relative(source_relpath, target)
    if resolved is None:
        # Web addresses and anchors stay as written (nh3 drops unsafe schemes); images never come from elsewhere.
        return None if is_image else target
    fragment = "#" + target.split("#", 1)[1] if "#" in target else ""
    folder, _, rest = resolved.partition("/")
    if folder == UNIT_FOLDER:
        part = split_slug(rest, LESSON_FILE_RE)
        return None if is_image or part is None else url_for("courseunit.part", slug=part[1]) + fragment
    module = lesson_for_path(f"{folder}/00-x.md")
    if module is None or not rest:
        return None
    if is_image or not resolved.endswith(".md"):
        return url_for("curriculum.module_file", slug=module[0], filename=rest)
    if rest == "module.md":
        return url_for("curriculum.module", slug=module[0]) + fragment
    found = lesson_for_path(resolved)
    if found is None:
        return None
    return url_for("curriculum.lesson", module_slug=found[0], lesson_slug=found[1]) + fragment


@lru_cache(maxsize=1024)
def _render_cached(source_relpath: str, body: str, script_root: str):
    return render_markdown(body, lambda target, is_image: _content_url(source_relpath, target, is_image))


def render_content(source_relpath: str, body: str):
    """Render a module or lesson text; cached because the curriculum changes only on sync."""
    return _render_cached(source_relpath, body, request.script_root if has_request_context() else "")
