"""How values are written in a JSON export: a person's data export (jimtraining/privacy), section by section."""

from collections.abc import Iterable
from datetime import date, datetime

from jimtraining.timeutil import as_utc


def value(item):
    """A value as JSON: moments in UTC ISO 8601, dates as ISO dates."""
    if isinstance(item, datetime):
        return as_utc(item).isoformat()
    if isinstance(item, date):
        return item.isoformat()
    return item


def pick(obj, names: Iterable[str]) -> dict:
    """These attributes of an object, as JSON values."""
    return {name: value(getattr(obj, name)) for name in names}
