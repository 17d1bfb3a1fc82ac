"""The mails the app sends."""

import pytest


@pytest.fixture
def outbox(app):
    """Mails sent during the test (Flask-Mailman's locmem backend keeps them on the extension)."""
    state = app.extensions["mailman"]
    state.outbox = []
    return state.outbox
