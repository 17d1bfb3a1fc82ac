"""`content check` on scenarios: every kind of broken scenario is reported as path:line: message."""

import pytest

from jimtraining.config import PROJECT_ROOT
from jimtraining.content_tree import load_content
from tests.support.scenarios import COMPETENCES_YML, SCENARIO_YML


def problems(content_dir, text):
    if not (content_dir.root / "01-basis").exists():
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
    assert len(tree.scenarios) >= 8
    for scenario in tree.scenarios:
        nodes = scenario.data["practice"]["nodes"]
        assert len(nodes) >= 8, scenario.slug
        assert sum(1 for n in nodes if n.get("ending")) >= 2, scenario.slug
        assert len(scenario.data["rubric"]) >= 4, scenario.slug
        assert all(criterion["competence"] in tree.competences for criterion in scenario.data["rubric"])
        assert scenario.cutoff is not None and scenario.cutoff.min_level >= 2, scenario.slug
        assert set(scenario.data["debrief"]) == {"reactions", "description", "analysis", "summary"}


def test_shipped_rubrics_name_at_most_eight_competences_and_show_their_names():
    tree = load_content(PROJECT_ROOT / "modules")
    used = {c["competence"] for s in tree.scenarios for c in s.data["rubric"]}
    assert used <= set(tree.competences) and len(tree.competences) <= 8
    criterion = tree.scenarios[0].data["rubric"][0]
    assert criterion["competence_name"] == tree.competences[criterion["competence"]].name


def test_shipped_scenarios_raise_no_warnings():
    assert [str(w) for w in load_content(PROJECT_ROOT / "modules").warnings] == []


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


# Competences, cut-off and the best ending ------------------------------------------------------------------------

def with_competences(content_dir, text):
    content_dir.module("01-basis")
    content_dir.lesson("01-basis", "01-les.md")
    content_dir.competences(COMPETENCES_YML, "jongere-in-de-regie")
    return problems(content_dir, text)


def test_a_rubric_competence_names_an_id_from_competences_yml(content_dir):
    assert with_competences(content_dir, SCENARIO_YML) == []
    tree = load_content(content_dir.root)
    rubric = tree.scenarios[0].data["rubric"]
    assert [c["competence_name"] for c in rubric] == ["De jongere in de regie", "Gelijkwaardig samenwerken met de JIM"]


def test_an_unknown_competence_is_a_problem_at_its_line(content_dir):
    text = SCENARIO_YML.replace("competence: gelijkwaardig-samenwerken", 'competence: "Samenwerken"')
    found = with_competences(content_dir, text)
    line = line_of(text, '    competence: "Samenwerken"')
    assert any(p.startswith(f"scenarios/test.yml:{line}: onbekende competentie 'Samenwerken'") for p in found), found


@pytest.mark.parametrize(("old", "new", "message"), [
    ("rubric_cutoff:\n  min_level: 2\n  min_total: 5\n", "", "'rubric_cutoff' ontbreekt"),
    ("  min_total: 5\n", "  min_total: 9\n", "'min_total' is een heel getal van 2 tot 8"),
    ("  min_total: 5\n", "  min_total: 1\n", "'min_total' is een heel getal van 2 tot 8"),
    ("  min_total: 5\n", "  min_total: true\n", "'min_total' is een heel getal"),
    ("  min_level: 2\n", "  min_level: 5\n", "'min_level' is een heel getal van 1 tot 4"),
    ("  min_total: 5\n", "  min_total: 3\n", "lager dan min_level × criteria (4)"),
    ("  min_total: 5\n", "  min_total: 5\n  lowest_level_allowed: false\n", "onbekend veld 'lowest_level_allowed'"),
    ("      best: true\n", "", "precies één einde heeft 'best: true'"),
    ("      jimwerker: \"JIMWERKER-LEERZAAM\"", "      jimwerker: \"JIMWERKER-LEERZAAM\"\n      best: true",
     "precies één einde heeft 'best: true'"),
    ("    - id: gesprek\n", "    - id: gesprek\n      best: true\n", "alleen een einde kan 'best: true' hebben"),
])
def test_a_missing_or_impossible_cutoff_or_best_ending_is_reported(content_dir, old, new, message):
    text = SCENARIO_YML.replace(old, new)
    assert text != SCENARIO_YML
    found = problems(content_dir, text)
    assert any(message in p for p in found), found


def test_the_cutoff_is_on_the_loaded_scenario(content_dir):
    content_dir.module("01-basis")
    content_dir.raw("scenarios/test.yml", SCENARIO_YML)
    cutoff = load_content(content_dir.root).scenarios[0].cutoff
    assert (cutoff.min_level, cutoff.min_total, cutoff.criteria) == (2, 5, ("regie", "samen"))


def chain_scenario(best_position: int, nodes: int = 5) -> str:
    """A scenario of `nodes` decisions of two choices each; the best choice (regie +1) is written at
    best_position (1 or 2) and the other choice leads to the same next node."""
    text = SCENARIO_YML[:SCENARIO_YML.index("practice:")]
    text += "practice:\n  variables: [{id: regie, label: Regie}]\n  start: n0\n  nodes:\n"
    for n in range(nodes):
        target = f"n{n + 1}" if n + 1 < nodes else "check"
        good = f'        - {{text: "Goed {n}", to: {target}, feedback: "F", effects: {{regie: 1}}}}\n'
        poor = f'        - {{text: "Minder {n}", to: {target}, feedback: "F"}}\n'
        text += f'    - id: n{n}\n      text: "Stap {n}"\n      choices:\n'
        text += good + poor if best_position == 1 else poor + good
    text += (f'    - id: check\n      redirect:\n        - {{if: "regie >= {nodes}", to: goed}}\n'
             '        - {to: minder}\n'
             '    - {id: goed, ending: true, best: true, title: "G", text: "G", jimwerker: "J"}\n'
             '    - {id: minder, ending: true, title: "M", text: "M", jimwerker: "J"}\n')
    return text


def warnings_of(content_dir, text):
    content_dir.module("01-basis")
    content_dir.lesson("01-basis", "01-les.md")
    content_dir.raw("scenarios/test.yml", text)
    tree = load_content(content_dir.root)
    assert tree.problems == []
    return [str(w) for w in tree.warnings]


def test_best_choices_all_written_first_give_a_warning_not_a_problem(content_dir):
    found = warnings_of(content_dir, chain_scenario(best_position=1))
    assert any("de beste keuze (hoogste som van effecten) staat in 5 van 5 knopen op plek 1" in w for w in found), found


def test_best_choices_all_written_second_give_the_same_warning(content_dir):
    found = warnings_of(content_dir, chain_scenario(best_position=2))
    assert any("in 5 van 5 knopen op plek 2" in w for w in found), found


def test_best_choices_spread_over_positions_give_no_position_warning(content_dir):
    text = chain_scenario(best_position=1)
    for n in (1, 3):  # put the good choice second in two of the five nodes
        good = f'        - {{text: "Goed {n}", to: n{n + 1}, feedback: "F", effects: {{regie: 1}}}}\n'
        poor = f'        - {{text: "Minder {n}", to: n{n + 1}, feedback: "F"}}\n'
        text = text.replace(good + poor, poor + good)
    assert not any("de beste keuze" in w for w in warnings_of(content_dir, text))


def test_an_easy_best_ending_for_a_first_option_clicker_gives_a_warning(content_dir):
    # The fixture: a clicker reaches the good ending in exactly a quarter of the runs.
    found = warnings_of(content_dir, SCENARIO_YML)
    assert any("haalt het beste einde in 25% van de keren" in w for w in found), found
    assert not any("het beste einde" in w for w in warnings_of(content_dir, chain_scenario(best_position=2)))


def test_cli_check_prints_warnings_and_still_passes(runner, content_dir, app, monkeypatch):
    content_dir.module("01-basis")
    content_dir.lesson("01-basis", "01-les.md")
    content_dir.raw("scenarios/test.yml", chain_scenario(best_position=1))
    monkeypatch.setitem(app.config, "MODULES_DIR", str(content_dir.root))
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert "warning: scenarios/test.yml:" in result.output and "OK:" in result.output


def test_a_loop_of_redirects_is_a_problem_not_a_crash(content_dir):
    text = SCENARIO_YML.replace('''    - id: check
      redirect:
        - if: "regie >= 2"
          to: einde-goed
        - to: einde-leerzaam''', '''    - id: check
      redirect:
        - if: "regie >= 2"
          to: einde-goed
        - to: rondje
    - id: rondje
      redirect:
        - if: "regie >= 9"
          to: einde-leerzaam
        - to: check''')
    assert text != SCENARIO_YML
    content_dir.module("01-basis")
    content_dir.lesson("01-basis", "01-les.md")
    content_dir.raw("scenarios/test.yml", text)
    tree = load_content(content_dir.root)
    assert any("komt nooit bij een knoop met tekst" in str(p) for p in tree.problems), tree.problems
