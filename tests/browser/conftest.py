"""A live server with the demo data and Debian's Chromium driven by Playwright.

Chromium comes from Debian (`apt-get install chromium`), never a downloaded browser build. Without it these
tests are skipped with a message, except in CI (CI=true), where a missing browser fails the run.
"""

import os
import shutil
import threading

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from jimtraining import create_app
from jimtraining.content_tree import load_content, sync_content
from jimtraining.demo import seed_demo
from jimtraining.extensions import db
from tests.support.database import config_for_tests

CHROMIUM = os.environ.get("JIM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


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
def live_server(tmp_path_factory):
    """The app on a free port on 127.0.0.1, with its own SQLite database holding the demo data."""
    url = "sqlite:///" + str(tmp_path_factory.mktemp("live") / "live.db")
    app = create_app(config_for_tests(url))
    with app.app_context():
        upgrade()
        sync_content(load_content(app.config["MODULES_DIR"]))
        seed_demo()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


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
