"""Every page each demo role can reach, at 390x844 and at 1280x900 (issue 16, acceptance 2 and 4).

For the anonymous visitor and each demo role (learner, trainer, lecturer, actor, admin) the crawler in crawl.py
opens every page reachable from the start page by following links (a few samples per route) and checks at both
sizes that nothing sticks out sideways, that axe-core finds no WCAG 2.1 A/AA violation, that no slug or question
type code is readable, and that a Dutch page writes no number with a decimal point. One test per role collects
every finding, each naming role, size, URL and the element or text, then fails with all of them.

axe-core is what costs time (about a third of a second a page and size on two cores, most of it the contrast
rule), and its findings belong to templates rather than to texts. So for each role it checks AXE_SAMPLES pages of
each endpoint (three of the eight quiz statistics pages, say), and it skips a page whose main content, at that
size, it already checked for another role (a lesson the trainer, the lecturer and the admin all see): that page's
header and menu are checked on the role's other pages. Overflow and text checks run on every page. The six tests
open about 450 pages and take about two and a half minutes on two quiet cores (December 2026).
"""

import pytest
from sqlalchemy import select

from jimtraining.certification.models import Track
from jimtraining.curriculum.models import Lesson, Module
from jimtraining.extensions import db
from jimtraining.quizzes.models import Question
from jimtraining.quizzes.types import QUESTION_TYPES
from jimtraining.scenarios.models import Scenario
from tests.browser import page_checks
from tests.browser.crawl import ROLES, crawl, router

#: Findings shown in one failure message; the rest are counted.
SHOWN = 60
#: Pages of one endpoint that axe-core checks, per role.
AXE_SAMPLES = 3


@pytest.fixture(scope="module")
def identifiers(live_app):
    """The slugs of modules, lessons, scenarios and tracks, the ids of questions (the demo's content), and the
    question type codes: the ones of more than one word, as a one-word slug ("school") is also just a word."""
    with live_app.app_context():
        names = set(QUESTION_TYPES)
        for column in (Module.slug, Lesson.slug, Scenario.slug, Track.slug, Question.key):
            names.update(db.session.scalars(select(column)))
        db.session.remove()
    return page_checks.identifier_pattern(name for name in names if "-" in name or "_" in name)


@pytest.fixture(scope="module")
def axe_checked():
    """(size, main content) pairs axe-core has checked, for every role."""
    return set()


@pytest.mark.parametrize("role", ROLES, ids=[role.name for role in ROLES])
def test_every_page_fits_the_screen_is_accessible_and_shows_no_identifiers(role, browser, live_server, live_app,
                                                                           identifiers, axe_checked):
    #: (url, finding): {size: how often on the page}
    findings: dict[tuple[str, str], dict[str, int]] = {}
    endpoint_of, axe_samples = router(live_app, slugs=False), {}

    def visit(page, url, size):
        checks = page_checks.overflow(page)
        endpoint, seen = endpoint_of(url), (size, page_checks.main_content(page))
        if seen not in axe_checked and len(axe_samples.setdefault((endpoint, size), set())) < AXE_SAMPLES:
            axe_checked.add(seen)
            axe_samples[endpoint, size].add(url)
            checks += page_checks.axe_violations(page)
        texts = page_checks.visible_texts(page)
        checks += page_checks.identifiers_in(texts, identifiers)
        if page.evaluate("document.documentElement.lang").startswith("nl"):
            checks += page_checks.decimal_points_in(texts)
        at = "x".join(map(str, size))
        for finding in checks:
            sizes = findings.setdefault((url, finding), {})
            sizes[at] = sizes.get(at, 0) + 1

    result = crawl(browser, live_server, role, visit, route_of=router(live_app))

    assert len(result.pages) > (2 if role.email is None else 10), f"{role.name} reached only {result.pages}"
    problems = [f"{role.name} at {' and '.join(sizes)} on {url}: {finding}"
                + (f" ({max(sizes.values())} times)" if max(sizes.values()) > 1 else "")
                for (url, finding), sizes in findings.items()]
    problems += [f"{role.name}: {page} links to {link}, which answers {status}" for page, link, status in result.broken]
    shown = "\n".join(problems[:SHOWN]) + (f"\n... and {len(problems) - SHOWN} more" if len(problems) > SHOWN else "")
    assert not problems, f"{len(problems)} problems on {len(result.pages)} pages of the {role.name}:\n{shown}"
