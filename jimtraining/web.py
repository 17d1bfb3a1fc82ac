"""Small helpers shared by the views."""

from urllib.parse import urlsplit


def safe_next(target: str | None) -> str | None:
    """Only follow a redirect target that stays on this site."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        return None
    return target


def has_nul_byte(values) -> bool:
    """True when any submitted value holds a NUL character, which no database column can store."""
    return any("\x00" in value for value in values)


def csv_safe(value: str) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas; prefix those with a quote."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


#: Page numbers beyond this are typing mistakes (and would not fit in a database integer).
MAX_PAGE = 100_000


def page_of(query, per_page: int = 50):
    """One page of a select (Flask-SQLAlchemy's Pagination: two statements, the count and the rows) for the page
    number in ``?page=``; a page number that is not one gives page 1, one past the end an empty page."""
    from flask import request

    from jimtraining.extensions import db

    page = request.args.get("page", 1, type=int)
    return db.paginate(query, page=min(max(page or 1, 1), MAX_PAGE), per_page=per_page, error_out=False)


def like_pattern(text: str) -> str:
    """``%text%`` for LIKE/ILIKE with escape character backslash: % and _ typed by a person match themselves."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
