"""Cohorts in Chromium: enrol with a join code, take attendance on a phone, the trainer's dashboard; axe-core."""

import re

from playwright.sync_api import expect

from tests.browser.test_learner_in_browser import assert_accessible, log_in


def test_trainer_dashboard_is_accessible_and_shows_the_learners(page):
    log_in(page, email="trainer@example.org")
    page.goto("/cohorts/")
    assert_accessible(page)
    page.get_by_role("link", name="JIMwerkers Twente, najaar").click()
    assert page.get_by_role("heading", level=1).inner_text() == "JIMwerkers Twente, najaar"
    assert page.get_by_role("rowheader", name="Priya Professional").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="aanwezigheid").click()
    assert_accessible(page)


def test_trainer_takes_attendance_on_a_phone(page):
    log_in(page, email="trainer@example.org")
    page.goto("/cohorts/")
    page.get_by_role("link", name="JIMwerkers Twente, najaar").click()
    page.get_by_role("link", name=re.compile("Sketch: op je handen zitten")).click()
    assert_accessible(page)
    page.get_by_role("link", name="Aanwezigheid opnemen").click()
    assert_accessible(page)
    first = page.locator(".attendee").first
    first.get_by_role("button", name="Afgemeld").click()
    expect(page.locator("[data-live-message]")).to_contain_text("afgemeld")  # saved in the background
    page.reload()
    expect(page.locator(".attendee").first.get_by_role("button", name="Afgemeld")).to_have_attribute(
        "aria-pressed", "true")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing sticks out sideways on a phone


def test_learner_joins_with_a_code(browser, live_server):
    trainer = browser.new_context(base_url=live_server, viewport={"width": 1024, "height": 800}).new_page()
    log_in(trainer, email="docent@example.org")
    trainer.goto("/cohorts/")
    trainer.get_by_role("link", name="Hogeschool Midden, klas SPH-2B").click()
    code = trainer.locator(".join-code").inner_text()
    learner = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844}).new_page()
    log_in(learner, email="deelnemer01@example.org")
    learner.goto("/join")
    assert_accessible(learner)
    learner.get_by_label("Groepscode").fill(code.lower())
    learner.get_by_role("button", name="Aanmelden bij de groep").click()
    learner.wait_for_url("**/")
    assert "Je doet nu mee met de groep Hogeschool Midden, klas SPH-2B." in learner.locator(".flashes").inner_text()
    assert learner.get_by_role("heading", name="Hogeschool Midden, klas SPH-2B").is_visible()
    assert_accessible(learner)
