"""Moments and dates.

Every moment is stored in UTC. Every date a person reads (pages, PDFs, mails, CSV and JSON exports) is the
calendar date in the Netherlands (BABEL_DEFAULT_TIMEZONE, Europe/Amsterdam): a certificate signed at 00:47 on
7 December is dated 7 December everywhere, although it is still 6 December in UTC. Templates get this from
Flask-Babel's date filters; code that writes a date itself uses ``local_date``.
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

#: The time zone of the dates people read, unless the app configures another in BABEL_DEFAULT_TIMEZONE.
LOCAL_TIMEZONE = "Europe/Amsterdam"


def utcnow() -> datetime:
    """Timezone-aware now; stored as UTC in every database."""
    return datetime.now(UTC)


def as_utc(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; every moment we store is UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def local_zone() -> ZoneInfo:
    """The time zone of the dates people read: the app's BABEL_DEFAULT_TIMEZONE, else Europe/Amsterdam."""
    from flask import current_app, has_app_context

    name = current_app.config.get("BABEL_DEFAULT_TIMEZONE") if has_app_context() else None
    return ZoneInfo(name or LOCAL_TIMEZONE)


def local_time(moment: datetime) -> datetime:
    """A stored moment as the clock on the wall in the Netherlands shows it."""
    return as_utc(moment).astimezone(local_zone())


def local_date(moment: datetime) -> date:
    """The calendar date a person in the Netherlands reads for a stored moment."""
    return local_time(moment).date()


def local_date_iso(moment: datetime | None) -> str:
    """``local_date`` as YYYY-MM-DD for exports (CSV, JSON); empty when there is no moment."""
    return local_date(moment).isoformat() if moment is not None else ""
