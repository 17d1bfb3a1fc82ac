"""The scenario tests' content: the test curriculum with two competences and the test scenario
(tests/support/scenarios.py)."""

import pytest

from tests.support.content import sync
from tests.support.scenarios import COMPETENCES_YML, SCENARIO_YML


@pytest.fixture
def scenario_content(synced_content):
    """The test curriculum plus two competences and the test scenario, synced."""
    synced_content.competences(COMPETENCES_YML, "jongere-in-de-regie")
    synced_content.raw("scenarios/testscenario.yml", SCENARIO_YML)
    sync(synced_content)
    return synced_content
