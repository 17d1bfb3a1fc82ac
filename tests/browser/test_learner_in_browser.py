"""The demo professional logs in on a phone-sized screen, opens a lesson, and axe-core finds no violations."""

from axe_playwright_python.sync_playwright import Axe

AXE = Axe()


def assert_accessible(page):
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()


def log_in(page, email="professional@example.org", password="jim-demo-wachtwoord"):
    page.goto("/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/")


def test_professional_logs_in_opens_a_lesson_and_pages_are_accessible(page):
    log_in(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Hallo Priya Professional"
    assert_accessible(page)

    page.get_by_role("link", name="Verder met:").click()
    page.wait_for_url("**/modules/een-jim-vinden/**")
    assert page.locator("article h1").is_visible()
    assert page.get_by_role("button", name="Klaar met deze les").is_visible()
    assert_accessible(page)


def test_marking_a_lesson_done_with_the_keyboard(page):
    log_in(page)
    page.goto("/modules/een-jim-vinden/het-netwerk-verkennen")
    page.get_by_role("button", name="Klaar met deze les").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/modules/een-jim-vinden/ik-heb-niemand")
    assert "de les is klaar" in page.locator(".flashes").inner_text()


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Naar de inhoud")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhoud"


def test_login_page_and_module_overview_are_accessible(page):
    page.goto("/login")
    assert_accessible(page)
    log_in(page)
    page.goto("/modules/")
    assert_accessible(page)


def test_locked_module_page_and_profile_are_accessible(page):
    log_in(page)
    page.goto("/modules/de-rol-van-de-jimwerker")
    assert page.get_by_role("heading", name="Deze module is nog op slot").is_visible()
    assert_accessible(page)
    page.goto("/profile")
    assert_accessible(page)


def test_admin_user_pages_are_accessible(page):
    log_in(page, email="admin@example.org")
    page.goto("/admin/users")
    assert page.get_by_role("cell", name="Priya Professional").is_visible()
    assert_accessible(page)
    page.goto("/admin/users/new")
    assert_accessible(page)


def test_form_errors_are_announced_and_accessible(page):
    log_in(page)
    page.goto("/profile")
    page.get_by_label("SKJ-registratienummer (niet verplicht)").fill("12-ab")
    page.get_by_role("button", name="Opslaan").click()
    assert page.get_by_role("alert").is_visible()
    assert page.get_by_label("SKJ-registratienummer (niet verplicht)").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
