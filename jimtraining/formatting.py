"""Dates in templates: Flask-Babel's `datetimeformat` and `dateformat` filters, remembered per moment, pattern,
language and time zone; numbers with `numberformat`.

Babel builds the text from the pattern on every call, which costs about a tenth of a millisecond; a cohort page
formats every session of the cohort on every view, and the same few moments come back all day.
"""

from functools import lru_cache

import flask_babel
from flask_babel import get_locale, get_timezone


def _remembered(formatter):
    @lru_cache(maxsize=4096)
    def remembered(moment, pattern, rebase, _locale: str, _timezone: str) -> str:
        # The language and time zone are part of the key; the formatter reads them from the request again.
        return formatter(moment, pattern, rebase)

    def template_filter(moment=None, pattern=None, rebase=True) -> str:
        if moment is None:  # "now": nothing to remember
            return formatter(moment, pattern, rebase)
        return remembered(moment, pattern, rebase, str(get_locale()), str(get_timezone()))

    template_filter.__doc__ = formatter.__doc__
    return template_filter


datetimeformat = _remembered(flask_babel.format_datetime)
dateformat = _remembered(flask_babel.format_date)


def numberformat(value, pattern: str = "#,##0.#") -> str:
    """A number as the reader's language writes it: 6.0 -> "6" and 2.5 -> "2,5" in Dutch ("2.5" in English);
    pattern "0.00" for two decimals always ("1,00")."""
    return flask_babel.format_decimal(value, format=pattern)


def register(app) -> None:
    app.jinja_env.filters.update(datetimeformat=datetimeformat, dateformat=dateformat, numberformat=numberformat)
