"""A live server with the demo data and Debian's Chromium driven by Playwright.

Chromium comes from Debian (`apt-get install chromium`), never a downloaded browser build. Without it these
tests are skipped with a message, except in CI (CI=true), where a missing browser fails the run.
"""

import os
import shutil

import pytest

from tests.browser.live import CHROMIUM, CHROMIUM_ARGS, demo_app, serving


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_path():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        message = f"Chromium not found at {CHROMIUM}: install it with `apt-get install -y chromium`"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The app served by live_server, with its own SQLite database holding the demo data."""
    return demo_app("sqlite:///" + str(tmp_path_factory.mktemp("live") / "live.db"))


@pytest.fixture(scope="session")
def live_server(live_app):
    """The app on a free port on 127.0.0.1."""
    with serving(live_app) as url:
        yield url


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844})
    page = context.new_page()
    yield page
    context.close()
