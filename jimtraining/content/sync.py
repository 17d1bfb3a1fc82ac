"""Writing checked content to the database: rows are matched by slug, updated in place, archived when their
file is gone and restored when it comes back, so editing or moving text never loses what learners did."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from sqlalchemy import inspect

from jimtraining.extensions import db
from jimtraining.timeutil import utcnow


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    unchanged: int = 0

    def record(self, row, name: str, changed: bool) -> None:
        """Count a row that existed already: restored when it was archived, updated when its fields changed."""
        if row.archived:
            row.archived = False
            self.restored.append(name)
        elif changed:
            self.updated.append(name)
        else:
            self.unchanged += 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.archived or self.restored)


@cache
def synced_fields(source_type: type, model: type, key: str = "slug") -> tuple[str, ...]:
    """What a sync copies from a parsed file (a dataclass) to its row: every field of the file that is also a
    column of the model, except the key that matched them. Declared once, by the two classes themselves."""
    columns = {attribute.key for attribute in inspect(model).column_attrs}
    return tuple(f.name for f in dataclasses.fields(source_type) if f.name in columns and f.name != key)


def apply_fields(row, source, names: Iterable[str]) -> bool:
    """Copy the named fields from source to row; True when anything changed."""
    changed = False
    for name in names:
        value = getattr(source, name)
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def sync_by_slug(model: type, rows: Iterable, sources: Iterable, report: SyncReport, prefix: str = "",
                 key: str = "slug", add: Callable | None = None, now: datetime | None = None,
                 then: Callable | None = None) -> None:
    """Bring the rows of one kind of content in line with its parsed files.

    `rows` are the existing rows (archived ones too) and `sources` the parsed files, matched by `key`. A new
    source becomes a new row, handed to `add` (default: the session; a parent's list for children); a known one
    has its fields updated (synced_fields) and is restored when it was archived; a row without a source is
    archived. Each is recorded in `report` as prefix + key. A model with a `synced_at` column gets `now` when a
    row is created or changed. `then(row, source)` runs after each source, for its children.
    """
    now = now or utcnow()
    stamped = "synced_at" in inspect(model).column_attrs
    add = add or db.session.add
    existing = {getattr(row, key): row for row in rows}
    seen = set()
    for source in sources:
        slug = getattr(source, key)
        seen.add(slug)
        fields = synced_fields(type(source), model, key)
        row = existing.get(slug)
        if row is None:
            row = model(**{key: slug}, archived=False)
            apply_fields(row, source, fields)
            if stamped:
                row.synced_at = now
            add(row)
            report.created.append(prefix + slug)
        else:
            changed = apply_fields(row, source, fields)
            if changed and stamped:
                row.synced_at = now
            report.record(row, prefix + slug, changed)
        if then is not None:
            then(row, source)
    for slug, row in existing.items():
        if slug not in seen and not row.archived:
            row.archived = True
            report.archived.append(prefix + slug)
