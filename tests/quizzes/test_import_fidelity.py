"""Quiz import fidelity (issue 14, items 16-19): what a GIFT or Moodle XML file says is what quiz.yml gets, or the
line is reported; the rest of quiz.yml is never rewritten."""

import random
import textwrap

import pytest
import yaml

from jimtraining.content_tree import load_content
from jimtraining.quizzes.gift import parse_gift
from jimtraining.quizzes.moodle_xml import parse_moodle_xml
from jimtraining.quizzes.types import QUESTION_TYPES, Matching
from jimtraining.rendering import render_markdown


def only(result):
    assert len(result.questions) == 1, result.problems
    return result.questions[0]


def line_of(source: str, fragment: str) -> int:
    return next(number for number, line in enumerate(source.splitlines(), 1) if fragment in line)


def grade(question: dict, response) -> float:
    qtype = QUESTION_TYPES[question["type"]]
    return qtype.grade(qtype.normalise(question), response)


# Item 16: format prefixes and HTML on every text ---------------------------------------------------------------

def test_format_prefixes_on_options_and_feedback_are_read_and_html_never_shows_as_tags():
    """Item 16: [html], [plain], [markdown] on options, option feedback and general feedback are honoured; HTML
    becomes Markdown (question text, feedback) or plain text (options), never literal tags."""
    source = textwrap.dedent("""\
        ::Keuze::[html]<p>Wie kiest de <b>JIM</b>?</p>{
            =[html]<p>De <em>jongere</em></p>#[html]<p>Klopt<br>helemaal.</p>
            ~[plain]De <hulpverlener> #[markdown]**Nee**, die ondersteunt.
            ~De ouders # [html]Nee &amp; ook <i>niet</i> de school.
            ####[html]<p>De <strong>jongere</strong> kiest.</p>
        }
        """)
    question = only(parse_gift(source))
    assert question["text"] == "Wie kiest de **JIM**?"
    assert "<strong>JIM</strong>" in render_markdown(question["text"])
    assert [(o["text"], o["feedback"]) for o in question["options"]] == [
        ("De jongere", "Klopt\nhelemaal."),
        ("De <hulpverlener>", "Nee, die ondersteunt."),  # [plain] is kept as written; the page escapes it
        ("De ouders", "Nee & ook niet de school."),  # the question's [html] is the default for its answers
    ]
    assert question["feedback"] == "De **jongere** kiest."


def test_format_prefixes_on_matching_items_are_read():
    """Item 16: Moodle's own fixture puts [html], [moodle], [plain] and [markdown] on the left side of pairs."""
    source = ("::Activiteiten::[html]Koppel de <b>activiteit</b>.{\n"
              "    =[html]<i>Forum</i> voor discussies -> Forum\n"
              "    =[markdown]Een **wiki** om samen te schrijven -> Wiki\n"
              "    =[plain]Een <b> in platte tekst -> Tekst\n}\n")
    question = only(parse_gift(source))
    assert [(p["left"], p["right"]) for p in question["pairs"]] == [
        ("Forum voor discussies", "Forum"), ("Een wiki om samen te schrijven", "Wiki"),
        ("Een <b> in platte tekst", "Tekst")]


def test_html_in_xml_question_text_keeps_emphasis_lists_and_links_as_markdown():
    """Item 16: Moodle XML HTML becomes Markdown that renders the same, with the link kept."""
    source = """<?xml version="1.0"?><quiz><question type="truefalse"><name><text>Lijst</text></name>
<questiontext format="html"><text><![CDATA[<p>Lees <a href="https://example.org/jim">de bron</a>:</p>
<ul><li>een <strong>tante</strong></li><li>een buurman</li></ul>]]></text></questiontext>
<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question></quiz>"""
    html = render_markdown(only(parse_moodle_xml(source))["text"])
    assert '<a href="https://example.org/jim" rel="noopener noreferrer">de bron</a>' in html
    assert "<li>een <strong>tante</strong></li>" in html and "&lt;" not in html


# Item 17: escapes and empty options ------------------------------------------------------------------------

def test_unknown_escapes_keep_their_backslash():
    """Item 17: only GIFT's own escapes (\\~ \\= \\# \\{ \\} \\: \\\\ \\n) lose their backslash; \\( and \\t stay."""
    source = "::Pad::Wat staat er in C:\\temp en in \\(x^2\\)? {=Het pad C:\\temp ~Niets\\: leeg}\n"
    question = only(parse_gift(source))
    assert render_markdown(question["text"]) == "<p>Wat staat er in C:\\temp en in \\(x^2\\)?</p>"
    assert [o["text"] for o in question["options"]] == ["Het pad C:\\temp", "Niets: leeg"]


@pytest.mark.parametrize("empty", ["~#alleen feedback", "~[html]<p></p>", "~%50%", "~   "])
def test_an_option_that_ends_up_empty_is_an_import_error_with_its_line(empty):
    """Item 17: an empty option is reported at its own line and the question is not imported."""
    source = f"::Leeg::Welke?{{\n    =Goed\n    {empty}\n    ~Fout\n}}\n"
    result = parse_gift(source)
    assert result.questions == []
    assert result.problems == [(3, "overgeslagen: antwoord 2 is leeg")]


def test_an_xml_option_that_is_only_a_picture_is_an_import_error_with_its_line():
    """Item 17: a Moodle answer that is only an embedded picture would be an empty option."""
    source = """<?xml version="1.0"?>
<quiz><question type="multichoice"><name><text>Vlag</text></name>
<questiontext format="html"><text>Welke vlag?</text></questiontext><single>true</single>
<answer fraction="100" format="html"><text><![CDATA[<p>Frankrijk</p>]]></text></answer>
<answer fraction="0" format="html"><text><![CDATA[<p><img src="@@PLUGINFILE@@/nl.png" alt="Vlag"></p>]]></text></answer>
</question></quiz>"""
    result = parse_moodle_xml(source)
    assert result.questions == []
    assert result.problems == [(5, "overgeslagen: antwoord 2 is leeg")]


def test_cli_import_never_writes_a_question_that_content_check_rejects(runner, app, content_dir, monkeypatch,
                                                                      tmp_path):
    """Item 17: no "0 problems" import that `content check` then rejects: bad questions are reported, not written."""
    content_dir.module("01-basis")
    content_dir.lesson("01-basis", "01-les.md")
    monkeypatch.setitem(app.config, "MODULES_DIR", str(content_dir.root))
    gift = tmp_path / "vragen.gift"
    gift.write_text("::Goed::Wie kiest? {=De jongere ~De hulpverlener}\n\n"
                    "::Leeg::Welke? {=Ja ~#alleen feedback}\n\n"
                    "::Dubbel::Koppel. {=A -> 1 =B -> 1}\n", encoding="utf-8")
    result = runner.invoke(args=["quiz", "import", str(gift), "--module", "basis"])
    assert result.exit_code == 0, result.output
    assert "Imported 1 question(s)" in result.output and "2 problem(s) reported" in result.output
    assert "vragen.gift:3: overgeslagen: antwoord 2 is leeg" in result.output
    assert "vragen.gift:5: overgeslagen: de vraag past zo niet in quiz.yml: twee paren hebben dezelfde 'right'" \
        in result.output
    check = runner.invoke(args=["content", "check"])
    assert check.exit_code == 0, check.output


# Item 18: meaning kept or the line reported ----------------------------------------------------------------------

def test_several_right_answers_in_multiple_choice_mean_any_one_is_right():
    """Item 18: in Moodle, {=a =b ~c} is a single-answer question where a and b both earn full marks."""
    question = only(parse_gift("::Stad::Waar zetelt de regering? {=Den Haag =s-Gravenhage ~Amsterdam}\n"))
    assert question["type"] == "single_choice"
    assert [o["weight"] for o in question["options"]] == [100, 100, 0]
    assert [grade(question, option) for option in ("a", "b", "c")] == [1.0, 1.0, 0.0]
    assert load_question_problems(question) == []


def test_weighted_answers_keep_moodles_partial_credit():
    """Item 18: ~%50% ... ~%-100% is Moodle's multiple-answer question, graded as the sum of the ticked weights,
    never below 0 or above 100%."""
    source = ("::Kleuren::Wat ligt tussen oranje en groen?{\n    ~%50%geel\n    ~%-100%rood\n    ~%50%geelgroen\n"
              "    ~%-100%blauw\n}\n")
    question = only(parse_gift(source))
    assert question["type"] == "multiple_response"
    assert [o["weight"] for o in question["options"]] == [50, -100, 50, -100]
    assert grade(question, ["a"]) == 0.5
    assert grade(question, ["a", "c"]) == 1.0
    assert grade(question, ["a", "b", "c"]) == 0.0  # Moodle: 50 - 100 + 50
    assert grade(question, ["b", "d"]) == 0.0


def test_partial_credit_in_a_single_answer_question_is_kept():
    """Item 18: {=goed ~%50%half ~fout}: the half-right answer earns half, as in Moodle."""
    question = only(parse_gift("::Half::Hoe? {=goed ~%50%half ~fout}\n"))
    assert [grade(question, option) for option in ("a", "b", "c")] == [1.0, 0.5, 0.0]


def test_equal_shares_stay_a_plain_multiple_response_question():
    """Item 18: right answers sharing +100% and wrong ones -100% is how our multiple_response grades anyway."""
    question = only(parse_gift("::Netwerk::Wie? {~%50%tante ~%50%buurman ~%-100%arts}\n"))
    assert [o.get("correct", False) for o in question["options"]] == [True, True, False]
    assert "weight" not in question["options"][0]


@pytest.mark.parametrize("source", [
    "::Koppel::Koppel. {=JIM -> Mentor =Verwijzer -> Plan = -> Chat}\n",
    """<?xml version="1.0"?><quiz><question type="matching"><name><text>Koppel</text></name>
<questiontext><text>Koppel.</text></questiontext>
<subquestion format="html"><text>JIM</text><answer><text>Mentor</text></answer></subquestion>
<subquestion format="html"><text>Verwijzer</text><answer><text>Plan</text></answer></subquestion>
<subquestion format="html"><text></text><answer><text>Chat</text></answer></subquestion></question></quiz>""",
], ids=["gift", "xml"])
def test_matching_distractors_are_kept_and_shown_among_the_answers(source):
    """Item 18: an extra right-hand answer without a left one (GIFT rejected the question, XML dropped it) is kept
    as a distractor: offered among the answers, always wrong."""
    question = only(parse_moodle_xml(source) if source.startswith("<") else parse_gift(source))
    assert question["distractors"] == ["Chat"]
    data = Matching().normalise(question)
    drawn = Matching().draw(data, False, random.Random(1))
    offered = {Matching.right_texts(data)[item_id] for _token, item_id in drawn["rights"]}
    assert offered == {"Mentor", "Plan", "Chat"}
    assert Matching().grade(data, {"p1": "p1", "p2": "*1"}) == 0.5


def test_categories_tags_and_invalid_ids_are_reported_and_a_valid_moodle_id_becomes_the_question_id():
    """Item 18: $CATEGORY, [tag:] and unusable [id:] are reported with their line; a usable [id:] is kept."""
    source = textwrap.dedent("""\
        $CATEGORY: $course$/JIM/Week 1

        // [id:wie-kiest] [tag:week1]
        ::Wie::Wie kiest de JIM? {=De jongere ~De hulpverlener}

        // [id:Vraag 2!]
        ::Tweede::Klopt dit? {TRUE}
        """)
    result = parse_gift(source)
    assert [q["id"] for q in result.questions] == ["wie-kiest", "tweede"]
    assert result.problems == [
        (1, "overgeslagen: categorie '$course$/JIM/Week 1'; quiz.yml kent geen categorieën, de vragen komen in de "
            "vragenbank van de module"),
        (4, "overgeslagen: tag 'week1'; quiz.yml kent geen tags"),
        (7, "het Moodle-id 'Vraag 2!' kan geen vraag-id zijn (kleine letters, cijfers en streepjes, uniek); de vraag "
            "kreeg id 'tweede'"),
    ]


def test_embedded_files_are_reported_with_their_line_and_web_links_are_kept():
    """Item 18: @@PLUGINFILE@@ pictures and files are left out with a report at their line; a link to a web page
    stays a link."""
    source = """<?xml version="1.0"?>
<quiz>
  <question type="truefalse">
    <name><text>Logo</text></name>
    <questiontext format="html">
      <text><![CDATA[<p>Dit <img src="@@PLUGINFILE@@/logo.jpg" alt="JIM-logo"> is het logo.</p>]]></text>
      <file name="logo.jpg" encoding="base64">/9j/4AAQ</file>
      <file name="extra.pdf" encoding="base64">JVBERi0x</file>
    </questiontext>
    <generalfeedback format="html">
      <text><![CDATA[<p>Zie <a href="https://example.org/jim">de website</a>.</p>]]></text>
    </generalfeedback>
    <answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>
    <tags><tag><text>logo</text></tag></tags>
  </question>
</quiz>"""
    result = parse_moodle_xml(source)
    question = only(result)
    assert question["text"] == "Dit is het logo."
    assert question["feedback"] == "Zie [de website](https://example.org/jim)."
    assert result.problems == [
        (6, "overgeslagen: afbeelding 'logo.jpg' (alt-tekst: 'JIM-logo'); quiz.yml kan geen afbeeldingen uit "
            "Moodle bevatten"),
        (8, "overgeslagen: ingebed bestand 'extra.pdf'; quiz.yml kan geen bestanden uit Moodle bevatten"),
        (14, "overgeslagen: tag 'logo'; quiz.yml kent geen tags"),
    ]


def test_short_answer_numerical_and_lowercase_true_are_reported_not_changed():
    """Item 18: what our types cannot express is skipped with its line, never imported with another meaning."""
    source = "::Kort::Afkorting? {=JIM =jim}\n\n::Getal::Hoeveel? {#15}\n\n::Klein::Klopt het? {true}\n"
    result = parse_gift(source)
    assert result.questions == []
    assert [line for line, _message in result.problems] == [1, 3, 5]
    assert "schrijf {TRUE} of {FALSE}" in result.problems[2][1]


def load_question_problems(question):
    from jimtraining.quizzes.loader import question_problems

    return question_problems(question)


@pytest.mark.parametrize(("options", "message"), [
    ([{"id": "a", "text": "x", "weight": 50}, {"id": "b", "text": "y", "weight": 0}],
     "de positieve gewichten ('weight') tellen op tot 50; dat moet 100 zijn"),
    ([{"id": "a", "text": "x", "weight": 100, "correct": True}, {"id": "b", "text": "y"}],
     "gebruik in één vraag 'weight' of 'correct', niet allebei"),
    ([{"id": "a", "text": "x", "weight": 150}, {"id": "b", "text": "y"}],
     "'weight' is een percentage van -100 tot en met 100"),
])
def test_content_check_explains_wrong_weights(options, message):
    """Item 18: weights are checked like every other field of quiz.yml."""
    question = {"id": "q", "type": "multiple_response", "text": "T", "feedback": "F", "options": options}
    assert message in load_question_problems(question)


# Item 19: quiz.yml is extended, not rewritten --------------------------------------------------------------

EXISTING = """\
# Toets van module 1. Beheerd door de hogeschool; niet herschrijven!
title: 'Toets: basis'   # enkele aanhalingstekens, zo laten
pass_mark: 70
shuffle_options: yes
draw: 1
questions:
- id: eerste    # de eerste vraag
  text: >-
    Een lange tekst
    over twee regels.
  type: true_false
  answer: false
  feedback: "Uitleg."
"""


def test_import_keeps_everything_already_in_quiz_yml_byte_for_byte(runner, app, content_dir, monkeypatch, tmp_path):
    """Item 19: comments, key order, quotes and layout of the questions already there stay byte for byte."""
    content_dir.module("01-basis")
    content_dir.lesson("01-basis", "01-les.md")
    quiz = content_dir.raw("01-basis/quiz.yml", EXISTING)
    monkeypatch.setitem(app.config, "MODULES_DIR", str(content_dir.root))
    gift = tmp_path / "nieuw.gift"
    gift.write_text("::Eerste::Wie kiest? {=De jongere ~De hulpverlener####De jongere kiest.}\n", encoding="utf-8")
    result = runner.invoke(args=["quiz", "import", str(gift), "--module", "basis"])
    assert result.exit_code == 0, result.output
    written = quiz.read_bytes()
    assert written.startswith(EXISTING.encode("utf-8"))
    added = yaml.safe_load(written)["questions"][1]
    assert (added["id"], added["type"], added["feedback"]) == ("eerste-2", "single_choice", "De jongere kiest.")
    assert runner.invoke(args=["content", "check"]).exit_code == 0


def test_import_leaves_an_unreadable_quiz_yml_alone(runner, app, content_dir, monkeypatch, tmp_path):
    """Item 19: a quiz.yml that is not valid YAML is never replaced by the imported questions."""
    content_dir.module("01-basis")
    content_dir.lesson("01-basis", "01-les.md")
    broken = "title: Toets\nquestions:\n  - id: a\n    text: [niet afgesloten\n"
    quiz = content_dir.raw("01-basis/quiz.yml", broken)
    monkeypatch.setitem(app.config, "MODULES_DIR", str(content_dir.root))
    gift = tmp_path / "nieuw.gift"
    gift.write_text("::Q::Wie kiest? {=De jongere ~De hulpverlener}\n", encoding="utf-8")
    result = runner.invoke(args=["quiz", "import", str(gift), "--module", "basis"])
    assert result.exit_code != 0 and "not valid YAML" in result.output and "nothing was changed" in result.output
    assert quiz.read_text(encoding="utf-8") == broken


def test_import_into_a_module_without_quiz_yml_writes_the_modules_layout(runner, app, content_dir, monkeypatch,
                                                                          tmp_path):
    """Item 19: a new quiz.yml is written in the layout of the modules (double-quoted texts, a blank line between
    questions) and passes content check."""
    content_dir.module("01-basis")
    content_dir.lesson("01-basis", "01-les.md")
    monkeypatch.setitem(app.config, "MODULES_DIR", str(content_dir.root))
    gift = tmp_path / "nieuw.gift"
    gift.write_text("::A::Wie kiest? {=De jongere ~De hulpverlener}\n\n::B::Klopt dit? {TRUE}\n", encoding="utf-8")
    assert runner.invoke(args=["quiz", "import", str(gift), "--module", "basis"]).exit_code == 0
    text = (content_dir.root / "01-basis" / "quiz.yml").read_text(encoding="utf-8")
    assert '\n  - id: a\n    type: single_choice\n    text: "Wie kiest?"\n' in text
    assert '\n\n  - id: b\n' in text
    assert load_content(content_dir.root).problems == []


def test_weights_and_distractors_work_through_the_quiz_pages(client, make_user, login, synced_content):
    """Item 18: an imported weighted question and a matching question with a distractor can be taken: the
    distractor is offered, and grading follows Moodle's weights."""
    from tests.support.content import sync
    from tests.support.quizzes import QUIZ_YML, answer_form, latest_attempt

    quiz = QUIZ_YML.format(draw=6, max_attempts=3, time_limit="", show_answers="after_attempt")
    quiz = quiz.replace('''      - id: a
        text: "Een tante"
        correct: true
      - id: b
        text: "Een buurman"
        correct: true
      - id: c
        text: "De eigen hulpverlener"
      - id: d
        text: "De verwijzer"''', '''      - {id: a, text: "Een tante", weight: 50}
      - {id: b, text: "Een buurman", weight: 50}
      - {id: c, text: "De eigen hulpverlener", weight: -100}
      - {id: d, text: "De verwijzer", weight: 0}''')
    quiz = quiz.replace('    feedback: "UITLEG-BEGRIPPEN"',
                        '    distractors: ["AFLEIDER-CHAT"]\n    feedback: "UITLEG-BEGRIPPEN"')
    synced_content.raw("01-basis/quiz.yml", quiz)
    sync(synced_content)
    learner = make_user(name="Lotte Leerling")
    login(client, learner)
    assert client.submit("/modules/basis/quiz/start", page="/modules/basis/quiz").status_code == 302
    attempt = latest_attempt(learner)
    page = client.get(f"/quiz/attempts/{attempt.id}").get_data(as_text=True)
    assert page.count("AFLEIDER-CHAT") == 3  # one choice in each of the three drop-downs
    answers = {"kiezen": "a", "wie-kan-jim-zijn": ["a", "d"], "familie": False,
               "begrippen": {"p1": "p1", "p2": "*1", "p3": "p3"}, "stappen": ["i1", "i2", "i3"]}
    client.submit(f"/quiz/attempts/{attempt.id}/submit", answer_form(attempt, answers))
    attempt = latest_attempt(learner)
    answer = {a.question_key: a.points_awarded for a in attempt.answers}
    assert answer["wie-kan-jim-zijn"] == pytest.approx(0.5)  # 50 + 0
    assert answer["begrippen"] == pytest.approx(2 / 3, abs=1e-3)  # the distractor is never right
    result = client.get(f"/quiz/attempts/{attempt.id}/result").get_data(as_text=True)
    assert "AFLEIDER-CHAT" in result  # the learner sees what they chose
