"""Pictures always carry an alt attribute, and content check asks for a description wherever Markdown is written
(issue 14, item 21: axe's image-alt)."""

import pytest

from jimtraining.content_tree import load_content
from jimtraining.rendering import render_markdown
from tests.support.quizzes import QUIZ_YML
from tests.support.scenarios import SCENARIO_YML


@pytest.mark.parametrize("markdown", [
    "![](images/schema.png)",
    '<img src="images/schema.png">',
    '<p>Tekst <img src="images/schema.png" title="Een &quot;titel&quot; &gt; x"/></p>',
    "![][schema]\n\n[schema]: images/schema.png",
])
def test_every_picture_the_renderer_emits_has_an_alt_attribute(markdown):
    """Item 21: a picture without a description gets alt="" so screen readers skip it instead of reading the
    file name."""
    html = str(render_markdown(markdown))
    assert html.count("<img") == 1
    assert '<img alt=""' in html or ' alt="" ' in html or ' alt="">' in html


def test_a_picture_with_a_description_keeps_it():
    """Item 21: the author's alt text is never replaced."""
    html = str(render_markdown('![Schema van het netwerk](images/a.png) <img src="b.png" alt="Tweede">'))
    assert 'alt="Schema van het netwerk"' in html and 'alt="Tweede"' in html and 'alt=""' not in html


def test_images_without_alt_finds_markdown_pictures_without_a_description():
    """Item 21: what content check reports; raw HTML pictures are left to the renderer (alt="")."""
    from jimtraining.rendering import images_without_alt

    text = "![](a.png) ![Goed](b.png) ![ ](c.png) ![][d]\n\n[d]: d.png\n\n<img src='e.png'>"
    assert images_without_alt(text) == ["a.png", "c.png", "d.png"]


def test_content_check_reports_a_quiz_picture_without_alt_text(content_dir):
    """Item 21: quiz questions are Markdown too; a picture there needs a description, as in lessons."""
    content_dir.module("01-basis")
    content_dir.lesson("01-basis", "01-les.md")
    quiz = QUIZ_YML.format(draw=6, max_attempts=3, time_limit="", show_answers="after_attempt").replace(
        '    text: "Wie kiest de JIM?"', '    text: "Wie kiest de JIM? ![](images/jim.png)"', 1)
    content_dir.raw("01-basis/quiz.yml", quiz)
    line = quiz.splitlines().index('    text: "Wie kiest de JIM? ![](images/jim.png)"') + 1
    assert [str(p) for p in load_content(content_dir.root).problems] == [
        f"01-basis/quiz.yml:{line}: afbeelding zonder alt-tekst: images/jim.png"]


def test_content_check_reports_a_scenario_picture_without_alt_text(content_dir):
    """Item 21: the situation and the steps of a scenario are Markdown; their pictures need a description."""
    content_dir.module("01-basis")
    content_dir.lesson("01-basis", "01-les.md")
    text = SCENARIO_YML.replace('situation: "Een **fictieve** situatie."',
                                'situation: "Een **fictieve** situatie. ![](/static/a.png)"').replace(
        '      text: "Het wordt spannend."', '      text: "Het wordt spannend. ![](/static/b.png)"')
    content_dir.raw("scenarios/test.yml", text)
    lines = text.splitlines()
    situation = next(i for i, line in enumerate(lines, 1) if line.startswith("situation:"))
    step = lines.index('      text: "Het wordt spannend. ![](/static/b.png)"') + 1
    assert [str(p) for p in load_content(content_dir.root).problems] == [
        f"scenarios/test.yml:{situation}: afbeelding zonder alt-tekst: /static/a.png",
        f"scenarios/test.yml:{step}: afbeelding zonder alt-tekst: /static/b.png",
    ]
