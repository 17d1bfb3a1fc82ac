"""What every content table shares, and the content version that tells each process its copy is stale."""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy import Select, select

from jimtraining.content.checks import MAX_SLUG
from jimtraining.extensions import db
from jimtraining.timeutil import utcnow


class ContentModel:
    """Base (mixin) of every row that `flask content sync` writes from modules/: module, lesson, quiz, question,
    track, scenario. Such a row is never deleted: when its file (or its entry in a file) is gone it is archived,
    so what learners did keeps pointing at it. Every flush that writes one renews the content version
    (content.catalogue)."""

    #: True when the row is gone from modules/: hidden from learners, kept for their history.
    archived = db.Column(db.Boolean, nullable=False, default=False)
    #: False for rows the catalogue does not copy (quiz questions, read per attempt).
    in_catalogue: ClassVar[bool] = True

    @classmethod
    def active(cls) -> Select:
        """select(cls) of the rows shown to learners: those not archived."""
        return select(cls).where(cls.archived.is_(False))


def slug_column(unique: bool = True) -> db.Column:
    """A content row's stable identity, taken from its file or folder name: what progress and history point at."""
    return db.Column(db.String(MAX_SLUG), nullable=False, unique=unique)


def synced_at_column() -> db.Column:
    """When `flask content sync` last created or changed the row."""
    return db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)


def content_models() -> list[type]:
    """Every content model (the mapped subclasses of ContentModel)."""
    found, todo = [], list(ContentModel.__subclasses__())
    while todo:
        model = todo.pop(0)
        if hasattr(model, "__table__") and model not in found:
            found.append(model)
        todo.extend(model.__subclasses__())
    return found


class ContentVersion(db.Model):
    """One row: a token that changes, in the same transaction, whenever a content row (module, lesson, quiz, question,
    track, scenario) is written. Each process keeps the content in memory and reloads it only when the token
    differs from the one it loaded (jimtraining/content/catalogue.py)."""

    id = db.Column(db.Integer, primary_key=True)
    #: A random value, new on every change (a counter could repeat after the table was emptied).
    token = db.Column(db.String(32), nullable=False)
    changed_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
