"""The curriculum as plain read-only data, kept in memory by each process.

Modules, lessons, quizzes, certification tracks and role-play scenarios change only when `flask content sync` writes
them, yet every learner page needs all of them (the module list, lock states, progress bars). Loading them as ORM
objects on each request cost more than the rest of such a page. So a process loads them once into the small classes
below and keeps them, keyed by the token in the one-row table `content_version`:

- every flush that writes a module, lesson, quiz, question, track or scenario also gives that row a new random
  token, in the same transaction (`_content_written`), whichever process or command does it;
- a process reads the token (one small query) at most every CONTENT_CHECK_SECONDS (default 2; 0: on every
  request) and uses the kept copy while the token is the same, so a sync is seen by every process within that
  time, and by the process that wrote it at once.

A sync that commits while a process is loading can leave that process with a mix of old and new content under
the old token, and for CONTENT_CHECK_SECONDS after a sync by another process a hand-in is graded against the
old pass mark; both heal at the next check.

The objects have the attributes of the ORM rows that pages and services read (`module.active_lessons`,
`lesson.module`, `lesson.source_path`, `module.quiz`, `track.requirements`, ...). They are shared between requests:
never change them. Writes go through the ORM models, looked up by id or slug.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain

from flask import current_app, g, has_app_context
from sqlalchemy import event, insert, select, update
from sqlalchemy.orm import Session

from jimtraining.certification.models import Track, TrackRules
from jimtraining.curriculum.models import ContentVersion, Lesson, Module
from jimtraining.extensions import db
from jimtraining.quizzes.models import Question, Quiz
from jimtraining.scenarios.models import Scenario
from jimtraining.scenarios.rubric import RubricCutoff, cutoff_of
from jimtraining.timeutil import utcnow


@dataclass(eq=False)
class QuizInfo:
    id: int
    title: str
    draw_count: int
    pass_mark: int
    max_attempts: int | None
    time_limit_minutes: int | None
    shuffle_options: bool
    show_answers: str
    archived: bool
    module: ModuleInfo | None = None


@dataclass(eq=False)
class LessonInfo:
    id: int
    slug: str
    position: int
    filename: str
    title: str
    minutes: int
    body: str
    archived: bool
    module: ModuleInfo | None = None

    @property
    def source_path(self) -> str:
        return f"{self.module.folder}/{self.filename}"


@dataclass(eq=False)
class ModuleInfo:
    id: int
    slug: str
    position: int
    folder: str
    title: str
    summary: str
    minutes: int
    prerequisites: tuple[str, ...]
    goals: tuple[str, ...]
    sources: tuple[dict, ...]
    body: str
    archived: bool
    synced_at: datetime
    #: Every lesson in order, archived ones too (as Module.lessons).
    lessons: tuple[LessonInfo, ...] = ()
    #: Lessons shown to learners, in order.
    active_lessons: tuple[LessonInfo, ...] = ()
    quiz: QuizInfo | None = None

    @property
    def active_quiz(self) -> QuizInfo | None:
        """The quiz learners take, or None (no quiz, or its file was removed)."""
        return self.quiz if self.quiz is not None and not self.quiz.archived else None


@dataclass(eq=False)
class TrackInfo(TrackRules):
    """A certification track (modules/tracks/), as certification.models.Track."""

    id: int
    slug: str
    title: str
    summary: str
    audience: str
    renews: str | None
    valid_months: int
    requirements: dict
    position: int
    archived: bool


@dataclass(eq=False)
class ScenarioInfo:
    """A role-play scenario (modules/scenarios/), as scenarios.models.Scenario. `data` is shared: read it only."""

    id: int
    slug: str
    title: str
    work_context: str
    data: dict
    archived: bool

    @property
    def cutoff(self) -> RubricCutoff | None:
        """The rubric's cut-off for "voldoende" (scenarios.rubric.RubricCutoff), None for data from before."""
        return cutoff_of(self.data)


@dataclass(eq=False)
class Catalogue:
    #: The content_version token this copy was loaded at (None: the row is missing, the copy is not kept).
    token: str | None
    #: Every module, archived ones too, by slug.
    by_slug: dict[str, ModuleInfo] = field(default_factory=dict)
    #: The modules shown to learners, in curriculum order.
    active: list[ModuleInfo] = field(default_factory=list)
    #: Every certification track, archived ones too, by slug.
    tracks: dict[str, TrackInfo] = field(default_factory=dict)
    #: Every role-play scenario, archived ones too, by slug.
    scenarios: dict[str, ScenarioInfo] = field(default_factory=dict)

    def module(self, slug: str) -> ModuleInfo | None:
        return self.by_slug.get(slug)

    def track(self, slug: str | None) -> TrackInfo | None:
        return self.tracks.get(slug) if slug else None

    def scenario(self, slug: str | None) -> ScenarioInfo | None:
        return self.scenarios.get(slug) if slug else None

    def modules(self, slugs) -> list[ModuleInfo]:
        """The named modules that exist (archived ones too), in the order given."""
        return [self.by_slug[slug] for slug in slugs or () if slug in self.by_slug]


_TOKEN = select(ContentVersion.token).where(ContentVersion.id == 1)
_CACHE_KEY = "jim_catalogue"


def catalogue() -> Catalogue:
    """The curriculum as it is in the database: one small query (the token) at most every CONTENT_CHECK_SECONDS
    per process, and a full load after a content change. A change written by this process is seen at once."""
    memo = g.get("_jim_catalogue") if has_app_context() else None
    if memo is not None:
        return memo
    kept, checked = current_app.extensions.get(_CACHE_KEY, (None, 0.0))
    seconds = current_app.config.get("CONTENT_CHECK_SECONDS", 0)
    if kept is None or not seconds or time.monotonic() - checked >= seconds:
        token = db.session.execute(_TOKEN).scalar()
        if token is None or kept is None or kept.token != token:
            kept = _load(token)
        if token is not None:
            current_app.extensions[_CACHE_KEY] = (kept, time.monotonic())
    g._jim_catalogue = kept
    return kept


def _load(token: str | None) -> Catalogue:
    """Five queries: modules, lessons, quizzes, tracks, scenarios (quiz questions are not part of it)."""
    modules = {}
    for row in db.session.execute(select(Module.__table__).order_by(Module.position, Module.id)).mappings():
        modules[row["id"]] = ModuleInfo(
            id=row["id"], slug=row["slug"], position=row["position"], folder=row["folder"], title=row["title"],
            summary=row["summary"], minutes=row["minutes"], prerequisites=tuple(row["prerequisites"] or ()),
            goals=tuple(row["goals"] or ()), sources=tuple(row["sources"] or ()), body=row["body"],
            archived=row["archived"], synced_at=row["synced_at"])
    lessons: dict[int, list[LessonInfo]] = {module_id: [] for module_id in modules}
    for row in db.session.execute(select(Lesson.__table__).order_by(Lesson.position, Lesson.id)).mappings():
        lesson = LessonInfo(id=row["id"], slug=row["slug"], position=row["position"], filename=row["filename"],
                            title=row["title"], minutes=row["minutes"], body=row["body"], archived=row["archived"],
                            module=modules.get(row["module_id"]))
        lessons.setdefault(row["module_id"], []).append(lesson)
    for row in db.session.execute(select(Quiz.__table__)).mappings():
        module = modules.get(row["module_id"])
        if module is not None:
            module.quiz = QuizInfo(id=row["id"], title=row["title"], draw_count=row["draw_count"],
                                   pass_mark=row["pass_mark"], max_attempts=row["max_attempts"],
                                   time_limit_minutes=row["time_limit_minutes"],
                                   shuffle_options=row["shuffle_options"], show_answers=row["show_answers"],
                                   archived=row["archived"], module=module)
    for module_id, module in modules.items():
        module.lessons = tuple(lessons[module_id])
        module.active_lessons = tuple(lesson for lesson in module.lessons if not lesson.archived)
    tracks = {row["slug"]: TrackInfo(
        id=row["id"], slug=row["slug"], title=row["title"], summary=row["summary"], audience=row["audience"],
        renews=row["renews"], valid_months=row["valid_months"], requirements=row["requirements"] or {},
        position=row["position"], archived=row["archived"])
        for row in db.session.execute(select(Track.__table__).order_by(Track.position, Track.id)).mappings()}
    scenarios = {row["slug"]: ScenarioInfo(id=row["id"], slug=row["slug"], title=row["title"],
                                           work_context=row["work_context"], data=row["data"],
                                           archived=row["archived"])
                 for row in db.session.execute(select(Scenario.__table__)).mappings()}
    return Catalogue(token=token, by_slug={m.slug: m for m in modules.values()},
                     active=[m for m in modules.values() if not m.archived], tracks=tracks, scenarios=scenarios)


# Keeping the token current -------------------------------------------------------------------------------------

CONTENT_MODELS = (Module, Lesson, Quiz, Question, Track, Scenario)


@event.listens_for(Session, "after_flush")
def _content_written(session, _flush_context) -> None:
    """A flush that wrote content gives content_version a new token, in the same transaction."""
    written = any(isinstance(obj, CONTENT_MODELS) for obj in chain(session.new, session.deleted)) or any(
        isinstance(obj, CONTENT_MODELS) and session.is_modified(obj) for obj in session.dirty)
    if not written:
        return
    table = ContentVersion.__table__
    values = {"token": uuid.uuid4().hex, "changed_at": utcnow()}
    connection = session.connection()
    if connection.execute(update(table).where(table.c.id == 1).values(**values)).rowcount == 0:
        connection.execute(insert(table).values(id=1, **values))
    session.info["content_written"] = True
    _forget_in_request()


@event.listens_for(Session, "after_rollback")
def _content_rolled_back(session) -> None:
    """The request may have read its own uncommitted content: read everything again after a rollback."""
    if session.info.pop("content_written", False):
        _forget()


@event.listens_for(Session, "after_commit")
def _content_committed(session) -> None:
    """This process wrote content: its next request reads the token again instead of waiting for the next check."""
    if session.info.pop("content_written", False):
        _forget()


def _forget_in_request() -> None:
    if has_app_context():
        g.pop("_jim_catalogue", None)


def _forget() -> None:
    if has_app_context():
        g.pop("_jim_catalogue", None)
        current_app.extensions.pop(_CACHE_KEY, None)
