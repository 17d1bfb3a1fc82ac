"""The app with the demo data on a free port of 127.0.0.1, and Debian's Chromium, for the browser tests and
`make screenshots`."""

import os
import threading
from contextlib import contextmanager

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


def demo_app(database_url: str):
    """A new app on an empty database, migrated, with modules/ loaded and the demo data added (as `make run`)."""
    app = create_app(config_for_tests(database_url))
    with app.app_context():
        upgrade()
        sync_content(load_content(app.config["MODULES_DIR"]))
        seed_demo()
        db.session.remove()
    return app


@contextmanager
def serving(app):
    """Serve the app in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    # As in production, links made outside a request (the certificate PDF, drawn by a job) use BASE_URL.
    previous = app.config.get("BASE_URL")
    app.config["BASE_URL"] = previous or url
    try:
        yield url
    finally:
        app.config["BASE_URL"] = previous
        server.shutdown()
