"""Each demo role's start page (issue 16 item 1) on a phone and on a laptop: its own workspace, nothing sticking out
sideways, no axe violations."""

import pytest

from tests.browser.test_learner_in_browser import assert_accessible, log_in

START_PAGES = [
    ("trainer@example.org", "Wacht op jou"),
    ("docent@example.org", "Wacht op jou"),
    ("actor@example.org", "Je volgende boekingen"),
    ("admin@example.org", "Licenties die binnen 60 dagen aflopen"),
    ("deelnemer03@example.org", "Je certificaat"),
]


@pytest.mark.parametrize("width,height", [(390, 844), (1280, 900)])
@pytest.mark.parametrize(("email", "heading"), START_PAGES)
def test_every_role_lands_on_its_own_workspace_that_fits_the_screen(browser, live_server, email, heading, width,
                                                                     height):
    page = browser.new_context(base_url=live_server, viewport={"width": width, "height": height}).new_page()
    log_in(page, email=email)
    assert page.get_by_role("heading", name=heading, exact=True).is_visible()
    if email == "actor@example.org":
        assert page.get_by_text("Op slot").count() == 0  # no learner module list for a trainee actor
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page)
    page.context.close()
