"""The shared Flask-Limiter object.

The limiter is one object for every app in the process: a test that builds its own app (bench mode switches limits
off, another points at a dead Redis) changes it for every later test. `shared_limiter` (used by every test) puts
back the state the suite's app gave it and empties its counts, before the test and after it.
"""

import pytest

from jimtraining.extensions import limiter


@pytest.fixture(scope="session")
def _limiter_as_the_suite_app_left_it(app) -> dict:
    return dict(vars(limiter))


def _put_back(state: dict) -> None:
    for name in set(vars(limiter)) - set(state):
        delattr(limiter, name)
    vars(limiter).update(state)
    limiter.reset()


@pytest.fixture
def shared_limiter(_limiter_as_the_suite_app_left_it):
    """The limiter as the suite's app configured it, with no counts (no login or password-reset throttling carried
    over from another test); put back again after the test, whatever app the test built."""
    _put_back(_limiter_as_the_suite_app_left_it)
    yield limiter
    _put_back(_limiter_as_the_suite_app_left_it)
