"""Every CSV export page on a phone: both variants offered, nothing sticking out sideways; the Excel download is
the Excel variant."""

import re

import pytest

from tests.browser.test_learner_in_browser import assert_accessible, log_in

PAGES = [
    ("trainer@example.org", None),  # the cohort dashboard, reached by its link below
    ("trainer@example.org", "/quizzes/wat-is-jim/results"),
    ("admin@example.org", "/admin/audit"),
    ("admin@example.org", "/admin/national"),
    ("deelnemer01@example.org", "/certification"),
]


@pytest.mark.parametrize(("email", "path"), PAGES)
def test_export_pages_offer_both_variants_and_fit_a_phone(browser, live_server, email, path):
    """Issue 14 item 12: beside the standard CSV every export offers the Excel variant, and says which is which;
    at 390 px the longer links wrap instead of widening the page."""
    page = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844},
                               accept_downloads=True).new_page()
    log_in(page, email=email)
    if path is None:
        page.goto("/cohorts/")
        page.get_by_role("link", name="JIMwerkers Twente, najaar").click()
    else:
        page.goto(path)
    downloads = page.locator(".downloads")
    excel = downloads.get_by_role("link", name="Voor Excel (puntkomma's)")
    standard = downloads.get_by_role("link", name="Standaard CSV (komma's, voor andere programma's)")
    assert excel.is_visible() and standard.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
    with page.expect_download() as download:
        excel.click()
    assert re.search(r"-excel\.csv$", download.value.suggested_filename)
    with open(download.value.path(), "rb") as file:
        assert file.read(3) == b"\xef\xbb\xbf"
    page.context.close()
