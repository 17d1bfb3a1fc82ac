"""The finish in Chromium: the menu is one row at 1280 px and folds behind "Menu" (details/summary, no JavaScript)
on a phone; the pages this finish touched do not scroll sideways at 390 px and have no axe violations."""

import pytest

from tests.browser.test_learner_in_browser import assert_accessible, log_in

WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def open_as(browser, live_server, email, viewport, javascript=True):
    page = browser.new_context(base_url=live_server, viewport=viewport, java_script_enabled=javascript).new_page()
    log_in(page, email=email)
    return page


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.mark.parametrize("email", ["trainer@example.org", "docent@example.org", "admin@example.org",
                                   "actor@example.org", "professional@example.org"])
def test_the_menu_is_one_row_at_1280_px_for_every_role(browser, live_server, email):
    page = open_as(browser, live_server, email, WIDE)
    assert page.locator(".menu-wide").is_visible() and not page.locator(".menu-narrow").is_visible()
    items = page.locator(".menu-wide .nav > li")
    tops = {round(items.nth(i).bounding_box()["y"]) for i in range(items.count())}
    assert len(tops) == 1, f"the menu wraps to {len(tops)} rows"
    assert page.locator(".site-header").bounding_box()["height"] <= 64


def test_the_menu_folds_on_a_phone_and_opens_without_javascript(browser, live_server):
    page = open_as(browser, live_server, "trainer@example.org", PHONE, javascript=False)
    assert page.locator(".site-header").bounding_box()["height"] <= 64
    groups = page.locator(".menu-narrow").get_by_role("link", name="Groepen")
    assert not groups.is_visible()
    page.locator(".menu-narrow summary").click()
    assert groups.is_visible()
    groups.click()
    assert page.get_by_role("heading", level=1, name="Groepen").is_visible()


@pytest.mark.parametrize("email, paths", [
    ("trainer@example.org", ["/cohorts/", "/cohorts/1", "/quizzes/", "/quizzes/wat-is-jim/statistics",
                             "/quizzes/review"]),
    ("professional@example.org", ["/quiz/attempts/1/result", "/certification", "/progress"]),
    ("admin@example.org", ["/admin/users", "/admin/outbox", "/admin/national", "/admin/organisations"]),
])
def test_pages_of_the_finish_fit_a_phone_and_are_accessible(browser, live_server, email, paths):
    page = open_as(browser, live_server, email, PHONE)
    for path in paths:
        page.goto(path)
        assert overflow(page) == 0, f"{path} scrolls sideways at 390 px"
        assert_accessible(page)
