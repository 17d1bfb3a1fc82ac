"""Open every page a demo role can reach, at a phone's and a desktop's size; used by test_every_page_in_browser.py
and by `make screenshots` (tests/browser/screenshots.py).

The crawl starts at "/" (after logging in, for every role but the anonymous visitor) and follows the same-origin
links of each page it opens, with GET only. It leaves out the logout (a POST form anyway), downloads (CSV, PDF,
calendar, JSON, images: by their path or a `download` attribute, or by the answer's content type), static files,
the sign-in hand-offs to other hosts (SSO, LTI) and every other host. Pages that differ only by an id (a number
or a long code in the path) or by the values of their query string count as one route, of which it opens at most
`per_route` samples, so a group with 25 learners costs three learner pages, not 25.

For each page it calls `visit(page, url, size)` once per size, on the same loaded page resized: the page is
loaded once and axe, the overflow check and screenshots see it at 390x844 and at 1280x900.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urlsplit

DEMO_PASSWORD = "jim-demo-wachtwoord"


@dataclass(frozen=True)
class DemoRole:
    name: str
    #: The demo account (README, "Demo accounts"); None: an anonymous visitor.
    email: str | None


ROLES = (
    DemoRole("anonymous", None),
    DemoRole("learner", "professional@example.org"),
    DemoRole("trainer", "trainer@example.org"),
    DemoRole("lecturer", "docent@example.org"),
    DemoRole("actor", "actor@example.org"),
    DemoRole("admin", "admin@example.org"),
)

#: (width, height): the design size of a phone first, then a desktop.
SIZES = ((390, 844), (1280, 900))

#: Paths that are never opened: files, the API, sign-in hand-offs to other hosts.
SKIP_PREFIXES = ("/static/", "/api/", "/sso/", "/lti/", "/.well-known/", "/healthz", "/logout", "/password/reset/")
#: Paths ending like this are downloads.
DOWNLOAD_SUFFIXES = (".csv", ".pdf", ".ics", ".json", ".png", ".svg", ".xml", ".zip", ".imscc", ".txt", ".jpg")

_ID_SEGMENT = re.compile(r"\d+|(?=[^/]*\d)[A-Za-z0-9_-]{12,}")


def route_by_path(path_and_query: str) -> str:
    """The route of a URL without the app: ids and codes in the path become `<id>`, query values are dropped."""
    parts = urlsplit(path_and_query)
    path = "/".join("<id>" if _ID_SEGMENT.fullmatch(segment) else segment for segment in parts.path.split("/"))
    return path + _query_keys(parts.query)


#: URL arguments that are ids too: a lesson (there are 48, all on one template), a code, a token, a file.
ID_ARGUMENTS = {"lesson_slug", "code", "token", "filename"}


def router(app, slugs: bool = True) -> Callable[[str], str]:
    """The route of a URL by the app's URL map: its endpoint with the slugs of modules, scenarios and tracks in it
    (each module's quiz and statistics are different pages), without its ids (every learner of a group, every
    lesson, every certificate code is one route), plus the names in the query string. With slugs=False: the
    endpoint and the names in the query string (the template, roughly)."""
    adapter = app.url_map.bind("localhost")

    def route_of(path_and_query: str) -> str:
        parts = urlsplit(path_and_query)
        try:
            endpoint, args = adapter.match(parts.path, method="GET")
        except Exception:  # a redirect or a page that does not exist: its path is its route
            return route_by_path(path_and_query)
        kept = [f"[{name}={value}]" for name, value in sorted(args.items()) if slugs and isinstance(value, str)
                and name not in ID_ARGUMENTS and not _ID_SEGMENT.fullmatch(value)]
        return endpoint + "".join(kept) + _query_keys(parts.query)

    return route_of


def _query_keys(query: str) -> str:
    keys = sorted({pair.split("=", 1)[0] for pair in query.split("&") if pair})
    return "?" + "&".join(keys) if keys else ""


def log_in(page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(lambda url: "/login" not in url)


@dataclass
class CrawlResult:
    role: DemoRole
    #: Every page opened, in order (path and query).
    pages: list[str] = field(default_factory=list)
    #: Links that answered with an error: (the page linking, the link, the status).
    broken: list[tuple[str, str, int]] = field(default_factory=list)


_LINKS_JS = """() => Array.from(document.querySelectorAll('a[href]'))
    .filter(a => !a.hasAttribute('download'))
    .map(a => a.href)"""


def _wanted(url: str, origin: str) -> str | None:
    """The path and query of a link the crawl follows, or None."""
    url, _fragment = urldefrag(url)
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != origin:
        return None
    path = parts.path or "/"
    if path.startswith(SKIP_PREFIXES) or path.lower().endswith(DOWNLOAD_SUFFIXES):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def _viewport(size: tuple[int, int]) -> dict:
    return {"width": size[0], "height": size[1]}


def crawl(browser, base_url: str, role: DemoRole, visit: Callable, *, route_of: Callable[[str], str] = route_by_path,
          per_route: int = 3, max_pages: int = 250) -> CrawlResult:
    """Open every page `role` reaches from "/" and call visit(page, url, (width, height)) for each size."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(base_url))
    context = browser.new_context(base_url=base_url, viewport=_viewport(SIZES[0]))
    try:
        page = context.new_page()
        if role.email:
            log_in(page, role.email)
        result = CrawlResult(role)
        queue = deque([("/", "/")])
        seen = {"/"}
        opened, queued = Counter(), Counter({route_of("/"): 1})  # pages per route
        while queue and len(result.pages) < max_pages:
            url, linked_from = queue.popleft()
            try:
                response = page.goto(url)
            except Exception as error:  # a download starts instead of a page
                if "Download is starting" in str(error):
                    continue
                raise
            if response is None:
                continue
            if response.status >= 400:
                result.broken.append((linked_from, url, response.status))
                continue
            if "text/html" not in response.headers.get("content-type", ""):
                continue
            landed = _wanted(page.url, origin)
            if landed is None:
                continue
            if landed != url:  # a redirect: count the page it ends on
                if landed in result.pages:
                    continue
                seen.add(landed)
            route = route_of(landed)
            if opened[route] >= per_route:
                continue
            opened[route] += 1
            result.pages.append(landed)
            # Both sizes, starting with the one the page is at: one resize a page.
            sizes = SIZES if page.viewport_size == _viewport(SIZES[0]) else SIZES[::-1]
            for size in sizes:
                if page.viewport_size != _viewport(size):
                    page.set_viewport_size(_viewport(size))
                visit(page, landed, size)
            for href in page.evaluate(_LINKS_JS):
                link = _wanted(href, origin)
                if link is None or link in seen:
                    continue
                seen.add(link)
                link_route = route_of(link)
                if queued[link_route] < per_route:
                    queued[link_route] += 1
                    queue.append((link, landed))
        return result
    finally:
        context.close()
