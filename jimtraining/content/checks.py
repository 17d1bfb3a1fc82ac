"""The checks every content reader uses. Each reports through report(path in the YAML document, message) (a
problems.Reporter), so a problem lands on the line of the key or item it is about."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from flask_babel import gettext as _

from jimtraining.content.problems import Problem, Report

#: A slug or id: lowercase letters and digits in groups joined by single hyphens ("wat-is-jim", "a", "2b").
SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
SLUG_RE = re.compile(rf"^{SLUG}$")
#: The length of the slug columns of the content tables.
MAX_SLUG = 100


def has_text(value) -> bool:
    """True for a string with something besides white space."""
    return isinstance(value, str) and bool(value.strip())


def file_slug(path: Path, relpath: str, problems: list) -> str | None:
    """The slug of a file named <slug>.yml, or None after adding a problem."""
    slug = path.stem
    if not SLUG_RE.match(slug) or len(slug) > MAX_SLUG:
        problems.append(Problem(relpath, 1, _("bestandsnaam moet een slug zijn: kleine letters, cijfers, streepjes")))
        return None
    return slug


def unknown_keys(mapping: dict, allowed: set[str], at: tuple, report: Report) -> None:
    """Report every key of the mapping that is not allowed, with the keys that are."""
    for key in mapping:
        if key not in allowed:
            report(at + (str(key),), _("onbekend veld '%(key)s' (toegestaan: %(allowed)s)", key=key,
                                       allowed=", ".join(sorted(allowed))))


def required_text(mapping: dict, key: str, at: tuple, report: Report, max_length: int | None = None,
                  missing: str | None = None) -> str:
    """The stripped text of a field that must be there; "" after reporting what is wrong with it. `missing` is
    the message for a field that is absent or empty (default: "'key' ontbreekt")."""
    value = mapping.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        report(at + (key,), missing or _("'%(key)s' ontbreekt", key=key))
        return ""
    if not isinstance(value, str):
        report(at + (key,), _("'%(key)s' moet tekst zijn (zet hem tussen aanhalingstekens)", key=key))
        return ""
    if max_length and len(value.strip()) > max_length:
        report(at + (key,), _("'%(key)s' is te lang (hoogstens %(n)s tekens)", key=key, n=max_length))
        return ""
    return value.strip()


def string_list(mapping: dict, key: str, at: tuple, report: Report, required: bool) -> list[str]:
    """A field that is a list of texts (stripped); [] after reporting what is wrong with it."""
    value = mapping.get(key, [] if not required else None)
    if value is None or (required and value == []):
        report(at + (key,), _("'%(key)s' ontbreekt of is leeg", key=key))
        return []
    if not isinstance(value, list) or not all(has_text(v) for v in value):
        report(at + (key,), _("'%(key)s' moet een lijst met tekst zijn", key=key))
        return []
    return [v.strip() for v in value]


def whole_number(mapping: dict, key: str, at: tuple, limits: tuple[int, int], report: Report,
                 required: bool = False) -> int:
    """A whole number from low to high (inclusive); 0 when it is absent (then reported if required) or wrong."""
    low, high = limits
    if key not in mapping:
        if required:
            report(at + (key,), _("'%(key)s' ontbreekt (een heel getal van %(low)s tot en met %(high)s)", key=key,
                                  low=low, high=high))
        return 0
    value = mapping[key]
    if isinstance(value, bool):
        report(at + (key,), _("'%(key)s' is een getal, geen ja of nee (true/false)", key=key))
        return 0
    if not isinstance(value, int) or not low <= value <= high:
        report(at + (key,), _("'%(key)s' is een heel getal van %(low)s tot en met %(high)s", key=key, low=low,
                              high=high))
        return 0
    return value


def check_ids(items, path: tuple, key: str, report: Report, max_length: int,
              also: Callable[[str, tuple], None] | None = None) -> list[str]:
    """Check the 'id' of every item in a content list (format, length, duplicates); returns the valid ids.
    `also(id, at)` runs a check of the reader's own on each valid id, right after the duplicate check."""
    ids = []
    for index, item in enumerate(items):
        item_id = item.get("id") if isinstance(item, dict) else None
        if not isinstance(item_id, str) or not SLUG_RE.match(item_id) or len(item_id) > max_length:
            report(path + (key, index), _("elk onderdeel heeft een 'id' van kleine letters, cijfers en streepjes"))
            continue
        if item_id in ids:
            report(path + (key, index, "id"), _("dubbele id '%(id)s'", id=item_id))
        if also is not None:
            also(item_id, path + (key, index, "id"))
        ids.append(item_id)
    return ids
