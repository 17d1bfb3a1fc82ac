"""Certification in Chromium: the demo trainer signs off an eligible learner, the learner downloads the PDF,
the verification page says it is valid; axe-core finds no violations on these pages."""

import io
import re

from pypdf import PdfReader

from tests.browser.test_learner_in_browser import assert_accessible, log_in

ELIGIBLE = "Sanne de Vries"  # deelnemer01 in the demo: every requirement of the JIMwerker track met


def test_trainer_signs_off_learner_downloads_pdf_and_verify_page_says_valid(browser, live_server):
    def phone():
        return browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844},
                                   accept_downloads=True).new_page()

    trainer = phone()
    log_in(trainer, email="trainer@example.org")
    trainer.goto("/cohorts/")
    trainer.get_by_role("link", name="JIMwerkers Twente, najaar").click()
    assert_accessible(trainer)
    row = trainer.locator("tr", has=trainer.get_by_role("link", name=ELIGIBLE))
    row.get_by_role("link", name="klaar om af te tekenen").click()
    assert trainer.get_by_role("heading", name="Certificaat").is_visible()
    assert_accessible(trainer)
    trainer.get_by_role("link", name="Certificaat aftekenen").click()  # first a preview of the certificate
    assert trainer.get_by_text("Voorbeeld").is_visible() and ELIGIBLE in trainer.locator("main").inner_text()
    assert_accessible(trainer)
    trainer.get_by_role("button", name="Ja, certificaat aftekenen").click()
    flash = trainer.locator(".flashes").inner_text()
    number = re.search(r"JIM-\d{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", flash).group(0)
    assert ELIGIBLE in flash

    learner = phone()
    log_in(learner, email="deelnemer01@example.org")
    learner.locator(".menu-narrow summary").click()  # the menu is folded on a phone
    learner.get_by_role("link", name="Certificaat", exact=True).click()
    assert learner.get_by_text(number).is_visible()
    assert_accessible(learner)
    with learner.expect_download() as download:
        learner.get_by_role("link", name="Download als PDF").first.click()
    text = " ".join(" ".join(page.extract_text() for page in
                             PdfReader(io.BytesIO(open(download.value.path(), "rb").read())).pages).split())
    assert ELIGIBLE in text and number in text and f"{live_server}/verify/" in text

    learner.get_by_role("link", name=re.compile("Controlepagina")).first.click()
    assert learner.get_by_text("Geldig certificaat").is_visible()
    assert learner.get_by_text(number).is_visible()
    assert_accessible(learner)


def test_trainer_reviews_a_practice_assignment_on_a_phone(page):
    log_in(page, email="trainer@example.org")
    page.goto("/cohorts/")
    page.get_by_role("link", name="JIMwerkers Twente, najaar").click()
    page.get_by_role("link", name="Praktijkopdrachten").click()
    assert_accessible(page)
    page.get_by_role("row", name=re.compile("Wacht op jou")).get_by_role("link").click()
    assert_accessible(page)
    levels = page.locator("input[type=radio][name^='level-'][value='4']")  # the highest level of every criterion
    for index in range(levels.count()):
        levels.nth(index).check()
    page.get_by_label("Goedkeuren").check()
    page.get_by_role("button", name="Besluit opslaan").click()
    assert "Je besluit is opgeslagen." in page.locator(".flashes").inner_text()


def test_national_dashboard_and_public_progress_are_accessible(page):
    page.goto("/progress")
    assert page.get_by_role("heading", name="Voortgang van JIM in Nederland").is_visible()
    assert page.locator("svg[role=img]").count() >= 3
    assert_accessible(page)
    log_in(page, email="admin@example.org")
    page.goto("/admin/national")
    assert_accessible(page)
    page.goto("/admin/licences")
    assert_accessible(page)
    page.goto("/admin/certificates")
    assert_accessible(page)
    page.goto("/admin/audit")
    assert_accessible(page)


def test_learner_practice_page_is_accessible(page):
    log_in(page, email="deelnemer02@example.org")
    page.goto("/certification")
    assert_accessible(page)
    page.get_by_role("link", name="Naar de praktijkopdracht").click()
    assert_accessible(page)
