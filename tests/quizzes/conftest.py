"""The quiz tests' content: the test curriculum with a quiz of every question type on module 'basis'
(tests/support/quizzes.py has the quiz and the helpers that answer it)."""

import pytest

from tests.support.content import sync
from tests.support.quizzes import latest_attempt, write_quiz


@pytest.fixture
def quiz_module(synced_content):
    """The test curriculum with a quiz on module 'basis' (all six questions drawn)."""
    write_quiz(synced_content)
    sync(synced_content)
    return synced_content


@pytest.fixture
def start(client):
    """Start (or resume) the quiz of module 'basis' through the page; returns the attempt."""

    def do_start(user, module="basis"):
        response = client.submit(f"/modules/{module}/quiz/start", page=f"/modules/{module}/quiz")
        assert response.status_code == 302, response.get_data(as_text=True)[:300]
        return latest_attempt(user)

    return do_start
