"""GIFT and Moodle XML import on real-world-shaped files, and the GIFT export round trip."""

from pathlib import Path

import yaml

from jimtraining.content_tree import load_content
from jimtraining.quizzes.gift import parse_gift, to_gift
from jimtraining.quizzes.moodle_xml import parse_moodle_xml
from jimtraining.rendering import render_markdown
from tests.support.quizzes import QUIZ_YML

DATA = Path(__file__).parent / "data"


def by_id(result):
    return {q["id"]: q for q in result.questions}


def test_gift_import_converts_supported_types_and_reports_the_rest_with_lines():
    result = parse_gift((DATA / "hogeschool.gift").read_text(encoding="utf-8"))
    questions = by_id(result)
    assert list(questions) == ["wie-kiest-de-jim", "waar-of-niet", "netwerk", "begrippen", "reflectie"]

    single = questions["wie-kiest-de-jim"]
    assert single["type"] == "single_choice"
    assert single["text"] == "Wie kiest de JIM?"  # [html]: HTML becomes Markdown
    assert [(o["text"], o.get("correct", False), o["feedback"]) for o in single["options"]] == [
        ("De jongere zelf", True, "Klopt: de jongere kiest."),   # escaped colon
        ("De ambulant hulpverlener", False, "Nee, die ondersteunt alleen."),
        ("De gemeente", False, ""),
    ]
    assert single["feedback"] == "De regie ligt bij de jongere."

    truth = questions["waar-of-niet"]
    assert (truth["type"], truth["answer"], truth["feedback_true"], truth["feedback_false"]) == (
        "true_false", True, "Goed zo.", "Toch wel waar.")
    assert truth["feedback"] == "Buren of een sportcoach kan ook."

    multi = questions["netwerk"]
    assert multi["type"] == "multiple_response"
    assert [o.get("correct", False) for o in multi["options"]] == [True, True, False]

    first_pair = questions["begrippen"]["pairs"][0]
    assert (first_pair["left"], first_pair["right"]) == ("JIM", "Jouw Ingebrachte Mentor")
    reflection = questions["reflectie"]
    assert reflection["type"] == "open"
    assert "{= of ~} tekens gebruikt: hoe ging dat?" in reflection["text"]

    lines = dict(result.problems)
    source = (DATA / "hogeschool.gift").read_text(encoding="utf-8").splitlines()
    assert "korte-antwoordvragen" in lines[source.index("::Afkorting::Waar staat JIM voor? {=Jouw Ingebrachte "
                                                        "Mentor =jouw ingebrachte mentor}") + 1]
    numeric = "::Rekenen::Hoeveel trajecten zijn er in Groningen geëvalueerd? {#15}"
    assert "numerieke" in lines[source.index(numeric) + 1]
    assert "beschrijving" in lines[source.index("Dit is alleen een beschrijving zonder antwoorden.") + 1]
    assert any("modelantwoord" in message for message in lines.values())


def test_moodle_xml_import_converts_supported_types_and_reports_the_rest():
    source = (DATA / "hogeschool.xml").read_text(encoding="utf-8")
    result = parse_moodle_xml(source)
    questions = by_id(result)
    assert list(questions) == ["rol-van-de-jimwerker", "jim-is-een-vrijwilliger", "koppel", "reflectie", "stappen"]
    single = questions["rol-van-de-jimwerker"]
    assert single["text"] == "Wat doet de **JIMwerker** in een crisis?"
    assert single["points"] == 2
    assert single["feedback"] == "Op je handen blijven zitten & vertrouwen op het netwerk."
    assert [o.get("correct", False) for o in single["options"]] == [True, False]
    truth = questions["jim-is-een-vrijwilliger"]
    assert (truth["answer"], truth["feedback_false"]) == (False, "Klopt.")
    assert len(questions["koppel"]["pairs"]) == 2
    assert questions["reflectie"]["model_answer"] == "Noemt gelijkwaardigheid en loslaten."
    assert [i["text"] for i in questions["stappen"]["items"]] == ["Netwerk verkennen", "JIM kiezen", "JIM vragen"]
    assert questions["koppel"]["distractors"] == ["Afleider"]  # kept, no longer dropped (issue 14, item 18)
    shortanswer_line = source.splitlines().index('  <question type="shortanswer">') + 1
    assert (shortanswer_line, "vraagsoort 'shortanswer' van 'Afkorting' wordt niet ondersteund") in result.problems


def test_moodle_xml_with_an_entity_bomb_is_refused():
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
            "<quiz>&lol2;</quiz>")
    result = parse_moodle_xml(bomb)
    assert result.questions == [] and result.problems


def test_export_to_gift_and_import_again_gives_the_same_bank():
    bank = yaml.safe_load(QUIZ_YML.format(draw=6, max_attempts=3, time_limit="", show_answers="after_attempt"))
    exportable = [q for q in bank["questions"] if q["type"] != "ordering"]
    text, skipped = to_gift(bank["questions"])
    assert skipped == ["stappen"]
    again = parse_gift(text)
    assert again.problems == []

    def normal(q):
        q = dict(q)
        q.setdefault("points", 1)
        if "options" in q:
            q["options"] = [{"id": o["id"], "text": o["text"], "correct": bool(o.get("correct")),
                             "feedback": o.get("feedback", "")} for o in q["options"]]
        if q["type"] == "true_false":
            q.setdefault("feedback_true", "")
            q.setdefault("feedback_false", "")
        return q

    assert [normal(q) for q in again.questions] == [normal(q) for q in exportable]


def test_cli_import_adds_questions_to_quiz_yml_and_reports_problems(runner, app, content_dir, monkeypatch):
    content_dir.module("01-basis")
    content_dir.lesson("01-basis", "01-les.md")
    monkeypatch.setitem(app.config, "MODULES_DIR", str(content_dir.root))
    result = runner.invoke(args=["quiz", "import", str(DATA / "hogeschool.gift"), "--module", "basis"])
    assert result.exit_code == 0, result.output
    assert "Imported 5 question(s)" in result.output
    assert "hogeschool.gift:" in result.output and "numerieke" in result.output
    bank = yaml.safe_load((content_dir.root / "01-basis" / "quiz.yml").read_text())
    assert len(bank["questions"]) == 5 and bank["draw"] == 5
    again = runner.invoke(args=["quiz", "import", str(DATA / "hogeschool.xml"), "--module", "basis"])
    assert again.exit_code == 0, again.output
    bank = yaml.safe_load((content_dir.root / "01-basis" / "quiz.yml").read_text())
    ids = [q["id"] for q in bank["questions"]]
    assert len(ids) == 10 and len(set(ids)) == 10 and "reflectie-2" in ids
    assert load_content(content_dir.root).modules[0].quiz is not None


def test_cli_export_writes_gift(runner, app, quiz_module, monkeypatch, tmp_path):
    target = tmp_path / "bank.gift"
    result = runner.invoke(args=["quiz", "export", "--module", "basis", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert "not exported (GIFT has no ordering questions): stappen" in result.output
    assert "::kiezen::[markdown]Wie kiest de JIM?" in target.read_text()


def test_cli_import_of_an_unknown_module_fails_clearly(runner):
    result = runner.invoke(args=["quiz", "import", str(DATA / "hogeschool.gift"), "--module", "bestaat-niet"])
    assert result.exit_code != 0 and "no module with slug 'bestaat-niet'" in result.output


def test_gift_edge_cases_are_reported_not_crashed_on():
    source = "\n\n".join([
        "// points: ²\n::A::Vraag A {=ja ~nee}",
        "::B::Vraag B {%50%zonder teken ~nee}",
        "::C::Vraag C {~%abc%raar ~nee}",
        "::D::Vraag D {=goed ~%50%half ~fout}",
        "::E::Vraag E {=open",
        "::F::Pad C\\:\\\\new {T}",
    ])
    result = parse_gift(source)
    questions = by_id(result)
    assert questions["a"].get("points", 1) == 1
    assert "b" not in questions and "c" not in questions and "e" not in questions
    d = questions["d"]  # partial credit is kept (issue 14, item 18)
    assert d["type"] == "single_choice" and [o["weight"] for o in d["options"]] == [100, 50, 0]
    messages = " ".join(message for _line, message in result.problems)
    assert "zonder = of ~" in messages and "ongeldig gewicht" in messages
    assert "niet tussen { en }" in messages
    assert render_markdown(questions["f"]["text"]) == "<p>Pad C:\\new</p>"  # Markdown that shows the backslash


def test_gift_round_trip_keeps_backslashes_and_multiline_model_answers():
    bank = [{"id": "pad", "type": "open", "text": "Map C:\\new\\nog", "model_answer": "Regel 1\nRegel 2",
             "feedback": "Uitleg", "points": 2}]
    text, _skipped = to_gift(bank)
    again = parse_gift(text).questions[0]
    assert (again["text"], again["model_answer"], again["points"]) == ("Map C:\\new\\nog", "Regel 1\nRegel 2", 2)


def test_moodle_xml_edge_cases():
    source = """<?xml version="1.0"?>
<quiz>
<!-- <question type="multichoice"> in a comment does not count -->
<question type="multichoice"><name><text>Q</text></name>
  <questiontext><text>Vraag</text></questiontext><defaultgrade>inf</defaultgrade><single>true</single>
  <answer fraction="100"><text>goed</text></answer><answer fraction="50"><text>half</text></answer>
  <answer fraction="0"><text>fout</text></answer>
</question>
<question type="cloze"><name><text>Cloze</text></name><questiontext><text>x</text></questiontext></question>
</quiz>"""
    result = parse_moodle_xml(source)
    q = result.questions[0]
    assert q.get("points", 1) == 1 and q["type"] == "single_choice"
    assert [o["weight"] for o in q["options"]] == [100, 50, 0]  # partial credit kept
    cloze_line = source.splitlines().index('<question type="cloze"><name><text>Cloze</text></name>'
                                           '<questiontext><text>x</text></questiontext></question>') + 1
    assert (cloze_line, "vraagsoort 'cloze' van 'Cloze' wordt niet ondersteund") in result.problems


def test_cli_import_of_a_non_utf8_file_fails_clearly(runner, app, content_dir, monkeypatch, tmp_path):
    content_dir.module("01-basis")
    content_dir.lesson("01-basis", "01-les.md")
    monkeypatch.setitem(app.config, "MODULES_DIR", str(content_dir.root))
    latin = tmp_path / "latin.gift"
    latin.write_bytes("::Q::Café? {=ja ~nee}".encode("latin-1"))
    result = runner.invoke(args=["quiz", "import", str(latin), "--module", "basis"])
    assert result.exit_code != 0 and "is not UTF-8 text" in result.output


def test_many_questions_with_the_same_title_get_unique_ids_quickly():
    source = "\n\n".join("::Zelfde::Vraag {=a ~b}" for _ in range(3000))
    ids = [q["id"] for q in parse_gift(source).questions]
    assert len(set(ids)) == 3000 and ids[1] == "zelfde-2"
