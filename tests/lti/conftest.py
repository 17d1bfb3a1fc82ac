"""The LTI tests' world: a small curriculum with a quiz and a scenario, and an emulated LMS registered with the tool
through `flask lti add-platform`, reachable over the tool's HTTP session."""

import pytest

from jimtraining.lti import toolconf
from tests.lti.platform import EmulatedLms
from tests.support.content import sync
from tests.support.lti import QUIZ_YML
from tests.support.scenarios import SCENARIO_YML


@pytest.fixture
def lti_content(synced_content):
    synced_content.raw("01-basis/quiz.yml", QUIZ_YML)
    synced_content.raw("scenarios/testscenario.yml", SCENARIO_YML)
    sync(synced_content)
    return synced_content


def _connect(monkeypatch, lms):
    def session():
        http = toolconf.TimeoutSession()
        http.mount("https://", lms.transport())
        http.mount("http://", lms.transport())
        return http

    monkeypatch.setattr(toolconf, "http_session", session)


@pytest.fixture
def lms(app, runner, monkeypatch, lti_content):
    """The emulated LMS, registered with the CLI, its HTTP endpoints behind the tool's requests session."""
    toolconf.forget_access_tokens()
    platform = EmulatedLms(app)
    _connect(monkeypatch, platform)
    platform.register(runner)
    yield platform
    toolconf.forget_access_tokens()


@pytest.fixture
def unregistered_lms(app, monkeypatch, lti_content):
    """An LMS the tool does not know (its HTTP endpoints reachable all the same)."""
    platform = EmulatedLms(app, issuer="https://lms.onbekend.example", client_id="other", key_name="other")
    _connect(monkeypatch, platform)
    return platform


@pytest.fixture
def browser(app):
    """A fresh browser (cookie jar) inside the LMS: browser() -> client."""
    return app.test_client
