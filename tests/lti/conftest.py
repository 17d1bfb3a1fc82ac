"""The LTI tests' world: a small curriculum with a quiz and a scenario, and an emulated LMS registered with the tool
through `flask lti add-platform`, reachable over the tool's HTTP session."""

import re

import pytest

from jimtraining.content_tree import load_content, sync_content
from jimtraining.lti import toolconf
from tests.lti.platform import EmulatedLms
from tests.scenarios.conftest import SCENARIO_YML

#: A quiz without open questions: handing it in grades it at once. Pass mark 60: one of two right fails.
QUIZ_YML = """\
title: "Toets basis"
draw: 2
pass_mark: 60
max_attempts: 5
shuffle_options: false
show_answers: after_attempt
questions:
  - id: familie
    type: true_false
    text: "Een JIM moet familie zijn."
    answer: false
    feedback: "Iedereen die de jongere vertrouwt."
  - id: kiezen
    type: true_false
    text: "De jongere kiest de JIM."
    answer: true
    feedback: "De jongere kiest zelf."
"""
RIGHT = {"q-familie": "false", "q-kiezen": "true"}
HALF = {"q-familie": "true", "q-kiezen": "true"}


@pytest.fixture
def lti_content(synced_content):
    synced_content.raw("01-basis/quiz.yml", QUIZ_YML)
    synced_content.raw("scenarios/testscenario.yml", SCENARIO_YML)
    tree = load_content(synced_content.root)
    assert tree.ok, [str(p) for p in tree.problems]
    sync_content(tree)
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


def hand_in(client, answers: dict, module: str = "basis"):
    """Start the module's quiz and hand it in with these answers, through the pages."""
    response = client.submit(f"/modules/{module}/quiz/start", page=f"/modules/{module}/quiz")
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    attempt_url = response.headers["Location"]
    attempt_id = int(re.search(r"/quiz/attempts/(\d+)", attempt_url).group(1))
    response = client.submit(f"/quiz/attempts/{attempt_id}/submit", answers, page=attempt_url)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return attempt_id
