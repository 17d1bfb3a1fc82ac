"""iCalendar (.ics) files for sessions, built with the icalendar library (RFC 5545).

A calendar app keeps an event by its UID and replaces it when a file brings a higher SEQUENCE (or a later
LAST-MODIFIED / DTSTAMP): the session's random `calendar_uid` and the `calendar_sequence` and `calendar_modified_at`
that jimtraining/cohorts/models.py keeps up make a moved session move in the learner's calendar too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from werkzeug.urls import iri_to_uri

from jimtraining.timeutil import as_utc

if TYPE_CHECKING:
    from icalendar import Calendar, Event

# icalendar (10 MiB with what it loads) is imported in the functions that write a file: a web worker loads it
# when someone downloads a calendar, not at start (jimtraining/serving.py).


def _calendar(name: str) -> Calendar:
    from icalendar import Calendar, vText

    calendar = Calendar()
    calendar.add("prodid", "-//JIM-training//NL")
    calendar.add("version", "2.0")
    # icalendar writes properties it does not know (X-WR-CALNAME, and NAME in version 7.3) unescaped: a comma,
    # semicolon, backslash or line break in a cohort's name would break the file. vText escapes them.
    calendar.add("name", vText(name))  # RFC 7986
    calendar.add("x-wr-calname", vText(name))  # what most calendar apps read
    return calendar


def _event(session) -> Event:
    from icalendar import Event, vUri

    event = Event()
    modified = as_utc(session.calendar_modified_at)
    event.add("uid", session.calendar_uid)
    # Without a METHOD, DTSTAMP is when the event's information was last revised (RFC 5545 3.8.7.2).
    event.add("dtstamp", modified)
    event.add("last-modified", modified)
    event.add("sequence", session.calendar_sequence)
    event.add("dtstart", as_utc(session.starts_at))
    event.add("dtend", as_utc(session.ends_at))
    event.add("summary", f"{session.cohort.name}: {session.title}")
    if session.location:
        event.add("location", session.location)
    description = session.agenda or ""
    if session.online_url:
        # A URI value is not TEXT: it is not escaped, so spaces and other letters must be percent-encoded (and a
        # host name in IDNA form). Nothing that is already encoded is encoded twice.
        uri = iri_to_uri(session.online_url)
        event.add("url", vUri(uri))
        description = f"{description}\n\n{uri}".strip()
    if description:
        event.add("description", description)
    return event


def session_calendar(session) -> bytes:
    calendar = _calendar(session.cohort.name)
    calendar.add_component(_event(session))
    return calendar.to_ical()


def cohort_calendar(cohort) -> bytes:
    calendar = _calendar(cohort.name)
    for session in cohort.sessions:
        calendar.add_component(_event(session))
    return calendar.to_ical()
