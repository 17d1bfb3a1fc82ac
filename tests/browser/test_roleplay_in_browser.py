"""Role-play in Chromium: a branching scenario played to an end, and a live round on a phone-sized screen."""

import re

from tests.browser.test_learner_in_browser import assert_accessible, log_in


def test_learner_plays_a_branching_scenario_to_an_end(page):
    log_in(page)
    page.goto("/scenarios/")
    assert_accessible(page)
    page.locator(".card-title a").first.click()
    assert_accessible(page)
    page.get_by_role("button", name="Begin met oefenen").click()
    for _step in range(40):
        if "/result" in page.url:
            break
        page.locator("input[name=choice]").first.check()
        page.get_by_role("button", name="Kies", exact=True).click()
        page.wait_for_load_state()
    assert "/result" in page.url
    assert page.get_by_role("heading", name="Wat een JIMwerker zou doen").is_visible()
    assert_accessible(page)


def test_live_round_on_a_phone(browser, live_server):
    def phone():
        return browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844}).new_page()

    trainer = phone()
    log_in(trainer, email="trainer@example.org")
    trainer.goto("/cohorts/")
    trainer.get_by_role("link", name="JIMwerkers Twente, najaar").click()
    trainer.get_by_role("link", name=re.compile("Sketch: op je handen zitten")).click()
    session_url = trainer.url
    trainer.locator("summary", has_text="Trainingsacteur boeken").click()
    trainer.get_by_label("Trainingsacteur", exact=True).select_option(label="Alex Acteur")
    trainer.get_by_role("button", name="Boeken").click()
    trainer.goto(session_url)
    trainer.get_by_label("Wie speelt de professional?").select_option(label="Priya Professional")
    trainer.get_by_label("Wie speelt de jongere?").select_option(label="Alex Acteur (trainingsacteur)")
    observer_name = trainer.locator("input[name=observer_ids] + label").first.inner_text()
    if observer_name == "Priya Professional":
        observer_name = trainer.locator("input[name=observer_ids] + label").nth(1).inner_text()
    trainer.get_by_label(observer_name, exact=True).check()
    trainer.get_by_role("button", name="Ronde maken").click()
    trainer.wait_for_url("**/rounds/*")
    round_url = trainer.url
    assert_accessible(trainer)

    def score(page, level):
        for fieldset in page.locator("form.score-form fieldset").all():
            fieldset.locator("input[type=radio]").nth(level - 1).check()
            fieldset.locator("textarea").fill("Vroeg door naar wat de jongere wilde.")
        page.get_by_role("button", name="Scores opslaan").click()
        assert "Je scores zijn opgeslagen." in page.locator(".flashes").inner_text()

    score(trainer, 3)

    observer = phone()
    log_in(observer, email=_email_of(observer_name))
    observer.goto(round_url)
    assert "Acteursinstructie" not in observer.content()
    score(observer, 4)
    assert_accessible(observer)

    learner = phone()
    log_in(learner)
    learner.goto(round_url)
    assert learner.get_by_role("link", name="Bekijk de nabespreking").count() == 0

    trainer.goto(round_url + "/debrief")
    trainer.get_by_label("Voldoende", exact=True).check()
    trainer.get_by_role("button", name="Vrijgeven aan de deelnemer").click()
    assert "De uitslag is vrijgegeven aan de deelnemer." in trainer.locator(".flashes").inner_text()

    learner.goto(round_url)
    learner.get_by_role("link", name="Bekijk de nabespreking").click()
    assert "Uitslag: voldoende" in learner.content()
    assert "Vroeg door naar wat de jongere wilde." in learner.content()
    assert_accessible(learner)


def _email_of(name: str) -> str:
    """The demo learners are deelnemer01..25 in the order of FIRST_NAMES in jimtraining/demo.py."""
    from jimtraining.demo import FIRST_NAMES

    return f"deelnemer{FIRST_NAMES.index(name.split()[0]) + 1:02d}@example.org"
