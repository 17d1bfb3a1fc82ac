"""A learner takes a quiz end to end in Chromium; the quiz pages pass axe-core."""

from tests.browser.test_learner_in_browser import assert_accessible, log_in


def test_learner_takes_a_quiz_end_to_end(page):
    log_in(page)
    page.goto("/modules/een-jim-vinden/quiz")
    assert_accessible(page)
    page.get_by_role("button", name="Begin de toets").click()
    page.wait_for_url("**/quiz/attempts/*")
    assert_accessible(page)

    for fieldset in page.locator("fieldset.question").all():
        radios = fieldset.locator("input[type=radio]")
        boxes = fieldset.locator("input[type=checkbox]")
        selects = fieldset.locator("select")
        text = fieldset.locator("textarea")
        if radios.count():
            radios.first.check()
        elif boxes.count():
            boxes.first.check()
        elif text.count():
            text.fill("Ik kijk samen met de jongere wie er in het netwerk zijn.")
        for index in range(selects.count()):
            selects.nth(index).select_option(index=index + 1)

    page.get_by_role("button", name="Tussendoor opslaan").click()
    page.wait_for_url("**/quiz/attempts/*")
    assert "Je antwoorden zijn opgeslagen." in page.locator(".flashes").inner_text()

    page.get_by_role("button", name="Toets inleveren").click()
    page.wait_for_url("**/result")
    assert page.get_by_role("heading", level=1).inner_text() == "Resultaat van poging 1"
    assert page.locator("section.question.result").count() == 6
    assert_accessible(page)


def test_answers_are_saved_automatically_while_the_learner_works(page):
    log_in(page)
    page.goto("/modules/jim-in-verschillende-werkvelden/quiz")  # open for the demo professional, not yet tried
    page.get_by_role("button", name="Begin de toets").click()
    page.wait_for_url("**/quiz/attempts/*")
    page.locator("fieldset.question input[type=radio]").first.check()
    page.locator(".save-status", has_text="Je antwoorden zijn opgeslagen.").wait_for(timeout=10000)


def test_trainer_quiz_pages_are_accessible(page):
    log_in(page, email="trainer@example.org")
    for path in ("/quizzes/", "/quizzes/wat-is-jim/results", "/quizzes/wat-is-jim/statistics", "/quizzes/review"):
        page.goto(path)
        assert page.get_by_role("heading", level=1).is_visible()
        assert_accessible(page)
    page.goto("/quizzes/wat-is-jim/results")
    page.get_by_role("link", name="Poging 1 van Priya Professional").click()
    assert "Priya Professional" in page.content()
    assert_accessible(page)
