"""`content check` on scenarios: every kind of broken scenario is reported as path:line: message."""

import pytest

from jimtraining.config import PROJECT_ROOT
from jimtraining.curriculum.loader import load_content
from tests.scenarios.conftest import SCENARIO_YML


def problems(content_dir, text):
    content_dir.module("01-basis")
    content_dir.lesson("01-basis", "01-les.md")
    content_dir.raw("scenarios/test.yml", text)
    return [str(p) for p in load_content(content_dir.root).problems]


def line_of(text, needle, start=0):
    return text.splitlines().index(needle, start) + 1


def test_fixture_scenario_is_valid(content_dir):
    assert problems(content_dir, SCENARIO_YML) == []


def test_shipped_scenarios_are_valid_and_rich_enough():
    tree = load_content(PROJECT_ROOT / "modules")
    assert tree.problems == []
    assert len(tree.scenarios) >= 6
    for scenario in tree.scenarios:
        nodes = scenario.data["practice"]["nodes"]
        assert len(nodes) >= 8, scenario.slug
        assert sum(1 for n in nodes if n.get("ending")) >= 2, scenario.slug
        assert len(scenario.data["rubric"]) >= 4, scenario.slug


def test_unknown_target_is_reported(content_dir):
    text = SCENARIO_YML.replace("          to: crisis\n", "          to: nergens\n")
    found = problems(content_dir, text)
    assert f"scenarios/test.yml:{line_of(text, '          to: nergens')}: onbekend doel 'nergens'" in found


def test_unreachable_node_is_reported(content_dir):
    text = SCENARIO_YML.replace("          to: crisis\n", "          to: gesprek\n")
    found = problems(content_dir, text)
    line = line_of(text, "    - id: crisis")
    assert f"scenarios/test.yml:{line}: knoop 'crisis' is niet te bereiken vanaf het begin" in found


def test_dead_end_is_reported(content_dir):
    text = SCENARIO_YML.replace('''    - id: einde-leerzaam
      ending: true
      title: "De hulpverlener nam het over"
      text: "Sanne trekt zich terug."
      jimwerker: "JIMWERKER-LEERZAAM"''', '''    - id: einde-leerzaam
      text: "Sanne trekt zich terug."''')
    found = problems(content_dir, text)
    assert any("knoop 'einde-leerzaam' loopt dood" in p for p in found)


def test_loop_without_a_way_out_is_reported(content_dir):
    text = SCENARIO_YML.replace('''        - text: "Blijven ingrijpen"
          to: einde-leerzaam''', '''        - text: "Blijven ingrijpen"
          to: crisis''').replace('''        - text: "Toch praten"
          to: gesprek''', '''        - text: "Toch praten"
          to: crisis''')
    found = problems(content_dir, text)
    assert any("vanaf knoop 'crisis' is geen einde te bereiken" in p for p in found)


def test_unknown_variable_is_reported(content_dir):
    text = SCENARIO_YML.replace("effects: {regie: 1}\n        - text: \"Ingrijpen\"",
                                "effects: {moed: 1}\n        - text: \"Ingrijpen\"")
    assert any("onbekende variabele 'moed'" in p for p in problems(content_dir, text))
    text = SCENARIO_YML.replace('if: "veiligheid >= 1"', 'if: "angst >= 1"')
    assert any("onbekende variabele 'angst'" in p for p in problems(content_dir, text))


def test_invalid_condition_is_reported(content_dir):
    text = SCENARIO_YML.replace('if: "veiligheid >= 1"', 'if: "veiligheid => 1"')
    assert any("ongeldige voorwaarde" in p for p in problems(content_dir, text))


@pytest.mark.parametrize(("old", "new", "message"), [
    ('levels: ["l1", "l2", "l3", "l4"]', 'levels: ["l1", "l2", "l3"]', "precies 4 niveaus"),
    ("      will_not_play: \"GEHEIM-GRENS\"\n", "", "de actor_brief mist 'will_not_play'"),
    ("learning_goals: [basis]", "learning_goals: [bestaat-niet]", "onbekende module 'bestaat-niet'"),
    ("    kind: professional", "    kind: parent", "precies één rol heeft kind: professional"),
    ("start: begin", "start: nergens", "'start' verwijst naar een knoop die niet bestaat"),
    ('  analysis: ["Waarom?"]\n', "", "'debrief' mist vragen voor 'analysis'"),
    ("        - to: einde-leerzaam\n", "", "eindigt met een stap zonder 'if'"),
    ("work_context: jeugdhulp", "work_context: ruimtevaart", "'work_context' is een van"),
    ("title: \"Testscenario\"", "titel: \"Testscenario\"", "onbekend veld 'titel'"),
])
def test_other_broken_scenarios_are_reported(content_dir, old, new, message):
    text = SCENARIO_YML.replace(old, new)
    assert text != SCENARIO_YML
    found = problems(content_dir, text)
    assert any(message in p for p in found), found


def test_invalid_yaml_is_reported_with_a_line(content_dir):
    found = problems(content_dir, 'title: "open\nsummary: x\n')
    assert len(found) == 1 and found[0].startswith("scenarios/test.yml:") and "ongeldige YAML" in found[0]
