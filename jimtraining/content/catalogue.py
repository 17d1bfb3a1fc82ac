"""The content as plain read-only data, kept in memory by each process.

Modules, lessons, quizzes, certification tracks and role-play scenarios change only when `flask content sync` writes
them, yet every learner page needs them (the module list, lock states, progress bars). Loading them as ORM objects
on each request cost more than the rest of such a page. So a process loads them once into small read-only copies
and keeps them, keyed by the token in the one-row table `content_version`:

- every flush that writes a content row (a ContentModel: module, lesson, quiz, question, track, scenario) also gives
  that row a new random token, in the same transaction (`_content_written`), whichever process or command does it;
- a process reads the token (one small query) at most every CONTENT_CHECK_SECONDS (default 2; 0: on every
  request) and uses the kept copy while the token is the same, so a sync is seen by every process within that
  time, and by the process that wrote it at once.

A sync that commits while a process is loading can leave that process with a mix of old and new content under
the old token, and for CONTENT_CHECK_SECONDS after a sync by another process a hand-in is graded against the
old pass mark; both heal at the next check.

This module is the machinery; each domain declares its copies (`row_copy`: a dataclass with the columns of its
model) and the loader that fills its part of the Catalogue (`catalogue_loader`), in its own catalogue.py, which
the app imports at start (jimtraining/__init__.py). The copies have the attributes of the ORM rows that pages and
services read (`module.active_lessons`, `lesson.module`, `module.quiz`, `track.requirements`, ...). They are
shared between requests: never change them. Writes go through the ORM models, looked up by id or slug.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from flask import current_app, g, has_app_context
from sqlalchemy import event, insert, select, update
from sqlalchemy.orm import Session

from jimtraining.content.models import ContentModel, ContentVersion, content_models
from jimtraining.extensions import db
from jimtraining.timeutil import utcnow


@dataclass(eq=False)
class Catalogue:
    """The content of one content version. Each part is filled by the loader of the domain that owns it."""

    #: The content_version token this copy was loaded at (None: the row is missing, the copy is not kept).
    token: str | None
    #: Every module (curriculum.catalogue.ModuleInfo), archived ones too, by slug.
    by_slug: dict[str, Any] = field(default_factory=dict)
    #: The modules shown to learners, in curriculum order.
    active: list = field(default_factory=list)
    #: Every certification track (certification.catalogue.TrackInfo), archived ones too, by slug.
    tracks: dict[str, Any] = field(default_factory=dict)
    #: Every role-play scenario (scenarios.catalogue.ScenarioInfo), archived ones too, by slug.
    scenarios: dict[str, Any] = field(default_factory=dict)

    def module(self, slug: str):
        return self.by_slug.get(slug)

    def track(self, slug: str | None):
        return self.tracks.get(slug) if slug else None

    def scenario(self, slug: str | None):
        return self.scenarios.get(slug) if slug else None

    def modules(self, slugs) -> list:
        """The named modules that exist (archived ones too), in the order given."""
        return [self.by_slug[slug] for slug in slugs or () if slug in self.by_slug]


# Declaring a domain's part -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Loader:
    models: tuple[type, ...]
    after: tuple[type, ...]
    load: Callable[[Catalogue], None]


_LOADERS: list[_Loader] = []


def catalogue_loader(*models: type, after: tuple[type, ...] = ()):
    """Register `load(catalogue)`, which reads the rows of `models` into the catalogue, after the loaders of the
    models in `after` (whose copies it links to)."""
    def register(load: Callable[[Catalogue], None]):
        _LOADERS.append(_Loader(models, after, load))
        return load
    return register


def row_copy(model: type, **convert: Callable):
    """Class decorator for the catalogue's read-only copy of a content row: cls becomes a dataclass whose fields
    are the model's columns, in table order, then cls's own annotated fields (with defaults: links to other
    copies). `cls.from_row(row, **own)` builds one from a row of the model's table; `convert` names a function
    for a column whose stored value is copied otherwise (a JSON list as a tuple, say)."""
    def decorate(cls):
        columns = list(model.__table__.columns)
        cls.__annotations__ = {**{column.key: _python_type(column) for column in columns},
                               **cls.__dict__.get("__annotations__", {})}
        cls = dataclass(eq=False)(cls)

        def from_row(row, **own):
            return cls(**{column.key: convert[column.key](row[column.name]) if column.key in convert
                          else row[column.name] for column in columns}, **own)

        cls.from_row = staticmethod(from_row)
        return cls
    return decorate


def _python_type(column) -> type:
    try:
        return column.type.python_type
    except NotImplementedError:
        return object


# Reading --------------------------------------------------------------------------------------------------------

_TOKEN = select(ContentVersion.token).where(ContentVersion.id == 1)
_CACHE_KEY = "jim_catalogue"


def catalogue() -> Catalogue:
    """The content as it is in the database: one small query (the token) at most every CONTENT_CHECK_SECONDS
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
    """One query per table (modules, lessons, quizzes, tracks, scenarios; quiz questions are not part of it)."""
    loaded = Catalogue(token=token)
    for loader in _in_order():
        loader.load(loaded)
    return loaded


def _in_order() -> list[_Loader]:
    """The registered loaders, each after those it links to; an error when a content model has none."""
    covered = {model for loader in _LOADERS for model in loader.models}
    missing = [model.__name__ for model in content_models() if model.in_catalogue and model not in covered]
    if missing:
        raise RuntimeError(f"the catalogue has no loader for {', '.join(missing)}: import the domain's catalogue "
                           "module where the app imports the models (jimtraining/__init__.py)")
    ordered, done, waiting = [], set(), list(_LOADERS)
    while waiting:
        ready = [loader for loader in waiting if set(loader.after) <= done]
        if not ready:
            raise RuntimeError("catalogue loaders wait for content that no loader reads")
        for loader in ready:
            ordered.append(loader)
            done.update(loader.models)
            waiting.remove(loader)
    return ordered


# Keeping the token current -------------------------------------------------------------------------------------

@event.listens_for(Session, "after_flush")
def _content_written(session, _flush_context) -> None:
    """A flush that wrote content gives content_version a new token, in the same transaction."""
    written = any(isinstance(obj, ContentModel) for obj in chain(session.new, session.deleted)) or any(
        isinstance(obj, ContentModel) and session.is_modified(obj) for obj in session.dirty)
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
