"""Small helpers shared by the views."""

from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for

#: Where `make run` serves: the links in mails sent outside a request (cron) when BASE_URL is not set, which
#: only development allows.
LOCAL_ADDRESS = "http://127.0.0.1:5000"


def absolute_url(endpoint: str, **values) -> str:
    """An absolute link to a page, for mails, the certificate PDF and its QR code.

    With BASE_URL (required in production) the link is built on it alone: the Host header of the request, which
    anyone can forge and which behind a proxy names an internal address, plays no part. Without BASE_URL
    (development) it is the address of the request, or of `make run` outside one."""
    base = current_app.config.get("BASE_URL")
    if base:
        parts = urlsplit(base)
        adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path.rstrip("/") or "/",
                                           url_scheme=parts.scheme)
        current_app.inject_url_defaults(endpoint, values)
        return adapter.build(endpoint, values, force_external=True)
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    with current_app.test_request_context(base_url=LOCAL_ADDRESS):
        return url_for(endpoint, _external=True, **values)


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
