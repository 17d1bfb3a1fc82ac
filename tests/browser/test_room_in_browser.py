"""The trainer in the room on a phone (390x844), in Chromium (issue 16, acceptance 3): attendance for 14 learners of
whom 2 are absent in at most 4 taps, with and without JavaScript; who checked in with the code shows up; the first
rubric criterion of a round can be scored on the first screen, and saving keeps the place."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser.test_learner_in_browser import assert_accessible, log_in

PHONE = {"width": 390, "height": 844}
GROUP = "JIMwerkers Twente, najaar"  # the demo group with 14 learners (13 demo learners and Priya Professional)


def phone(browser, live_server, javascript=True):
    return browser.new_context(base_url=live_server, viewport=PHONE, java_script_enabled=javascript).new_page()


def session_today(page, title: str) -> str:
    """As the group's trainer, plan a session that runs all day today (so check-in is open); its page's path."""
    page.goto("/cohorts/")
    page.get_by_role("link", name=GROUP).click()
    cohort_id = re.search(r"/cohorts/(\d+)", page.url).group(1)
    page.goto(f"/cohorts/{cohort_id}/sessions/new")
    page.get_by_label("Titel").fill(title)
    page.get_by_label("Datum").fill(datetime.now(ZoneInfo("Europe/Amsterdam")).date().isoformat())
    page.get_by_label("Begintijd").fill("00:01")
    page.get_by_label("Eindtijd").fill("23:59")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    page.wait_for_url(re.compile(r"/cohorts/\d+/sessions/\d+$"))
    return page.url


def in_view(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"]


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_attendance_for_14_learners_of_whom_2_are_absent_takes_at_most_4_taps(browser, live_server, javascript):
    trainer = phone(browser, live_server, javascript)
    log_in(trainer, email="trainer@example.org")
    session_url = session_today(trainer, f"Tellen {'met' if javascript else 'zonder'} JavaScript")
    taps = 0

    def tap(locator):
        nonlocal taps
        taps += 1
        locator.click()

    # From the session page: open the attendance, everyone present, then the two who are not there.
    tap(trainer.get_by_role("link", name="Aanwezigheid opnemen"))
    rows = trainer.locator(".attendee")
    assert rows.count() == 14
    tap(trainer.get_by_role("button", name="Iedereen aanwezig"))
    expect(trainer.locator("#aanwezigheid-telling")).to_contain_text("14 aanwezig")
    absent = [rows.nth(2), rows.nth(11)]
    absent_names = [row.locator(".attendee-name").inner_text() for row in absent]
    for row, name in zip(absent, absent_names, strict=True):
        tap(row.get_by_role("button", name="Afwezig"))
        if javascript:
            expect(trainer.locator("[data-live-message]")).to_have_text(f"{name}: afwezig.")
        else:
            # The page comes back at this learner, not at the top.
            assert trainer.url.endswith(f"#{row.get_attribute('id')}")
            assert in_view(trainer, trainer.locator(f"#{row.get_attribute('id')}"))
    assert taps <= 4

    # What was saved, as a fresh page load shows it.
    trainer.goto(session_url + "/attendance")
    expect(trainer.locator("#aanwezigheid-telling")).to_contain_text("12 aanwezig")
    expect(trainer.locator("#aanwezigheid-telling")).to_contain_text("2 afwezig")
    for row in trainer.locator(".attendee").all():
        name = row.locator(".attendee-name").inner_text()
        expected = "Afwezig" if name in absent_names else "Aanwezig"
        expect(row.get_by_role("button", name=expected, exact=True)).to_have_attribute("aria-pressed", "true")
    assert trainer.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    if javascript:
        assert_accessible(trainer)
    trainer.context.close()


def test_who_checks_in_with_the_code_on_the_projector_shows_on_the_attendance_page(browser, live_server):
    trainer = phone(browser, live_server)
    log_in(trainer, email="trainer@example.org")
    session_url = session_today(trainer, "Inchecken met de code")
    trainer.get_by_role("link", name="Aanwezigheid opnemen").click()
    checked_in = trainer.locator(".attendee", has=trainer.locator(".room-checked-in"))
    expect(checked_in).to_have_count(0)
    assert_accessible(trainer)

    projector = trainer.context.new_page()  # the same trainer, on the screen in the room
    projector.goto(session_url)
    projector.get_by_role("link", name="Code op het scherm tonen").click()
    assert projector.locator(".site-header").count() == 0  # full screen: no menu
    code = re.sub(r"\D", "", projector.locator(".projector-code").inner_text())
    assert len(code) == 6
    assert projector.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(projector)

    learner = phone(browser, live_server)
    log_in(learner, email="deelnemer01@example.org")
    learner.goto(session_url)
    learner.get_by_label("Code van de trainer").fill(code)
    learner.get_by_role("button", name="Inchecken").click()
    expect(learner.locator(".flashes")).to_contain_text("Je bent ingecheckt")

    # The open attendance page and the projector show it by themselves (they ask the server every 10 seconds)...
    expect(checked_in).to_have_count(1, timeout=20_000)
    expect(projector.locator(".projector-count")).to_have_text("1 van 14 aanwezig", timeout=20_000)
    expect(checked_in.get_by_role("button", name="Aanwezig", exact=True)).to_have_attribute("aria-pressed", "true")
    # ...and without JavaScript a reload shows it.
    without_js = phone(browser, live_server, javascript=False)
    log_in(without_js, email="trainer@example.org")
    without_js.goto(session_url + "/attendance")
    expect(without_js.locator(".attendee", has=without_js.locator(".room-checked-in"))).to_have_count(1)
    for page in (trainer, learner, without_js):
        page.context.close()


def test_a_criterion_is_scored_on_the_first_screen_of_the_round_and_saving_keeps_the_place(browser, live_server):
    trainer = phone(browser, live_server)
    log_in(trainer, email="trainer@example.org")
    session_today(trainer, "Rollenspel op de telefoon")
    trainer.get_by_role("button", name="Ronde maken").click()  # the form proposes who plays what
    trainer.wait_for_url("**/rounds/*")

    first = trainer.locator("fieldset.score-criterion").first
    bar_top = trainer.locator(".score-save").bounding_box()["y"]
    for option in first.locator("label.score-option").all():  # every level of the first criterion, not hidden
        box = option.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= bar_top, option.inner_text()
    assert trainer.get_by_role("link", name=re.compile("Terug naar de bijeenkomst")).is_visible()
    assert trainer.locator("details summary", has_text="De situatie").is_visible()
    assert_accessible(trainer)

    first.locator("input[type=radio]").nth(2).check()
    first.get_by_role("button", name="Opslaan en verder").click()
    expect(trainer.locator(".flashes")).to_contain_text("Je scores zijn opgeslagen.")
    second = trainer.locator("fieldset.score-criterion").nth(1)
    assert trainer.url.endswith(f"#{second.get_attribute('id')}")
    assert second.locator("legend").bounding_box()["y"] >= 0 and in_view(trainer, second.locator("legend"))
    assert trainer.locator("fieldset.score-criterion").first.locator("input[type=radio]").nth(2).is_checked()
    assert trainer.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    trainer.get_by_role("link", name="Naar de nabespreking").click()
    expect(trainer.locator(".debrief-scores tbody tr").first).to_contain_text("3 van 4")  # with its scale
    assert trainer.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(trainer)
    trainer.context.close()
