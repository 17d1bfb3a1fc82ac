"""The suite's fixtures, from tests/support/ (one module per concern). Test files import helpers from
tests.support, never from a conftest.py."""

import pytest

pytest.register_assert_rewrite("tests.support")

pytest_plugins = [
    "tests.support.database",
    "tests.support.limiter",
    "tests.support.client",
    "tests.support.factories",
    "tests.support.content",
    "tests.support.world",
    "tests.support.mail",
    "tests.support.clock",
    "tests.support.scenarios",
    "tests.support.api",
]
