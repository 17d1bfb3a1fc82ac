"""`content check` on a scenario's reference round: a transcript with one expert score (1-4) and reason per
criterion of the rubric."""

import pytest
import yaml

from jimtraining.config import PROJECT_ROOT
from jimtraining.content_tree import load_content
from tests.support.scenarios import SCENARIO_YML


def problems(content_dir, text):
    if not (content_dir.root / "01-basis").exists():
        content_dir.module("01-basis")
        content_dir.lesson("01-basis", "01-les.md")
    content_dir.raw("scenarios/test.yml", text)
    return [str(p) for p in load_content(content_dir.root).problems]


def test_every_shipped_scenario_has_a_reference_round_with_a_score_and_reason_per_criterion():
    for path in sorted((PROJECT_ROOT / "modules" / "scenarios").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        reference = data["reference_round"]
        assert list(reference["scores"]) == [c["id"] for c in data["rubric"]], path.name
        assert all(score["reason"].strip() for score in reference["scores"].values()), path.name
        levels = [score["level"] for score in reference["scores"].values()]
        # Kappa needs variance in the expert's levels: with two neighbouring levels one small miss already fails.
        assert len(set(levels)) >= 3, path.name


@pytest.mark.parametrize(("old", "new", "message"), [
    ("    regie: {level: 3, reason: \"REDEN-REGIE\"}\n", "", "de expert geeft geen score voor criterium 'regie'"),
    ("{level: 3, reason: \"REDEN-REGIE\"}", "{level: 5, reason: \"REDEN-REGIE\"}",
     "'level' is een heel getal van 1 tot 4"),
    ("{level: 3, reason: \"REDEN-REGIE\"}", "{level: 3}", "de score van 'regie' mist een 'reason'"),
    ("    samen: {level: 2", "    onbekend: {level: 1, reason: \"x\"}\n    samen: {level: 2",
     "'onbekend' is geen criterium van de rubric"),
    ("TRANSCRIPT-BEGIN\n", "TRANSCRIPT-BEGIN\n", None),
    ("reference_round:\n", "reference_round_weg:\n", "'reference_round' ontbreekt"),
    ("{level: 2, reason: \"REDEN-SAMEN\"}", "{level: 3, reason: \"REDEN-SAMEN\"}",
     "de expert gebruikt 1 verschillende niveaus; gebruik er minstens 2"),
])
def test_a_broken_reference_round_is_reported_clearly(content_dir, old, new, message):
    text = SCENARIO_YML.replace(old, new, 1)
    if message is None:  # the transcript cut down to its first line and a few words
        line = "    " + " ".join(["woord"] * 15) + "\n"
        text = text.replace(line * 8, line, 1)
        message = "het transcript is te kort"
    assert text != SCENARIO_YML
    found = problems(content_dir, text)
    assert any(message in problem and problem.startswith("scenarios/test.yml:") for problem in found), found
