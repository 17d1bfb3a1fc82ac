"""Issue 14 items 3, 7 and 8 on a phone (390 px wide): the admin's user list and audit log, the profile and the
sessions page fit the screen (wide tables scroll inside their own box) and have no accessibility violations."""

import re

from tests.browser.test_learner_in_browser import assert_accessible, log_in


def assert_fits_the_screen(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url}: {overflow} px wider than the screen"


def test_admin_searches_users_and_pages_through_the_audit_log_on_a_phone(page):
    """Issue 14 item 3."""
    log_in(page, email="admin@example.org")
    page.goto("/admin/users")
    assert_fits_the_screen(page)
    page.get_by_label("Zoek op naam, e-mailadres of organisatie").fill("deelnemer0")
    page.get_by_label("Rol").select_option("learner")
    page.get_by_role("button", name="Zoeken").click()
    assert "deelnemer01@example.org" in page.locator("tbody").inner_text()
    assert "admin@example.org" not in page.locator("tbody").inner_text()
    assert_fits_the_screen(page)
    assert_accessible(page)
    page.goto("/admin/users?q=niemand-heet-zo")
    assert page.get_by_text("Geen gebruikers gevonden.").is_visible()
    page.goto("/admin/audit")
    assert_fits_the_screen(page)
    assert_accessible(page)


def test_profile_and_sessions_page_on_a_phone(browser, live_server, page):
    """Issue 14 items 7 and 8."""
    other = browser.new_context(base_url=live_server).new_page()
    log_in(other, email="trainer@example.org")
    log_in(page, email="trainer@example.org")
    page.goto("/profile")
    assert page.get_by_label("Huidig wachtwoord").is_visible()
    assert_fits_the_screen(page)
    assert_accessible(page)
    page.get_by_role("link", name="Waar je bent ingelogd").click()
    assert page.get_by_text("dit apparaat", exact=True).is_visible()
    assert_fits_the_screen(page)
    assert_accessible(page)
    page.get_by_role("button", name="Andere sessies beëindigen").click()
    # Other browser tests of this run may have logged the demo trainer in too: 1 or more other devices.
    flash = page.locator(".flashes").inner_text()
    assert re.search(r"Je bent op \d+ (ander apparaat|andere apparaten) uitgelogd\.", flash)
    other.goto("/profile")
    assert "/login" in other.url
    other.context.close()
