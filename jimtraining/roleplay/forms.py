"""Reading the role-play forms. They are plain HTML forms (a CSRF token, selects and checkboxes filled from the
session page); these helpers turn their fields into values and never fail on odd input."""

from jimtraining.urls import MAX_ID

#: At most this many observers are read from one form.
MAX_OBSERVERS = 50


def form_id(value) -> int:
    """A record id from a form field; 0 (which matches nothing) for anything else."""
    value = (value or "").strip()
    if value.isascii() and value.isdigit() and 0 < len(value) <= 10 and int(value) <= MAX_ID:
        return int(value)
    return 0


def observer_ids(values: list[str]) -> list[int]:
    return [i for i in (form_id(v) for v in values[:MAX_OBSERVERS]) if i]


def timer_minutes(value) -> int:
    """The length of a round in minutes as typed (10 when empty); 0 for anything that is not a small number."""
    text = (value or "10").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 3 else 0


def availability(value) -> str:
    return (value or "").strip()[:2000]


def reason(value) -> str:
    """A deviation reason as typed (stripped); a reason that is too long is refused by the service, not cut."""
    return (value or "").strip()[:10000]
