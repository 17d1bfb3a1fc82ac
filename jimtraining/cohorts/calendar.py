"""iCalendar (.ics) files for sessions, built with the icalendar library."""

from icalendar import Calendar, Event

from jimtraining.timeutil import as_utc, utcnow


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//JIM-training//NL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    return calendar


def _event(session) -> Event:
    event = Event()
    event.add("uid", f"session-{session.id}@jimtraining")
    event.add("dtstamp", utcnow())
    event.add("dtstart", as_utc(session.starts_at))
    event.add("dtend", as_utc(session.ends_at))
    event.add("summary", f"{session.cohort.name}: {session.title}")
    if session.location:
        event.add("location", session.location)
    description = session.agenda or ""
    if session.online_url:
        event.add("url", session.online_url)
        description = f"{description}\n\n{session.online_url}".strip()
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
