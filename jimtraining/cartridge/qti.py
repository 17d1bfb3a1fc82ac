"""A quiz as a QTI 1.2.1 assessment in the Common Cartridge 1.1 profile (what Moodle's CC importer reads).

Written: one right answer (cc.multiple_choice), several right answers (cc.multiple_response), true/false
(cc.true_false) and open questions (cc.essay). Other types (matching, ordering) have no CC profile; they are
left out and named in the result, so the command and the package's README can say so.
"""

from __future__ import annotations

from lxml import etree

from jimtraining.cartridge.services import CC_PROFILES, QuestionData, QuizData
from jimtraining.cartridge.xml import XSI, sub
from jimtraining.rendering import render_markdown

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
QTI_SCHEMA = "http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_qtiasiv1p2p1_v1p0.xsd"
#: The answer texts of a true/false question, as the learner reads them in the platform.
TRUE_FALSE = (("true", "Waar"), ("false", "Niet waar"))


def _q(tag: str) -> str:
    return f"{{{QTI_NS}}}{tag}"


def _metadata(parent, fields: list[tuple[str, str]], wrapper: str | None = None) -> None:
    meta = sub(sub(parent, _q(wrapper)) if wrapper else parent, _q("qtimetadata"))
    for label, entry in fields:
        field = sub(meta, _q("qtimetadatafield"))
        sub(field, _q("fieldlabel"), label)
        sub(field, _q("fieldentry"), entry)


def _html(parent, markdown_text: str) -> None:
    """A <material> with the text rendered by the platform's sanitised Markdown pipeline."""
    sub(sub(parent, _q("material")), _q("mattext"), str(render_markdown(markdown_text)), texttype="text/html")


def _plain(parent, text: str) -> None:
    sub(sub(parent, _q("material")), _q("mattext"), text, texttype="text/plain")


def options_of(question: QuestionData) -> list[tuple[str, str, bool]]:
    """(ident, text, right) of each answer, in the author's order."""
    if question.type == "true_false":
        truth = "true" if question.data.get("answer") else "false"
        return [(ident, text, ident == truth) for ident, text in TRUE_FALSE]
    return [(f"o_{option['id']}", option["text"], bool(option.get("correct"))) for option in question.data["options"]]


def _choice_item(item, question: QuestionData) -> None:
    presentation = sub(item, _q("presentation"))
    _html(presentation, question.text)
    single = question.type != "multiple_response"
    lid = sub(presentation, _q("response_lid"), ident="response1", rcardinality="Single" if single else "Multiple")
    choices = sub(lid, _q("render_choice"))
    options = options_of(question)
    for ident, text, _right in options:
        _plain(sub(choices, _q("response_label"), ident=ident), text)
    processing = sub(item, _q("resprocessing"))
    sub(sub(processing, _q("outcomes")), _q("decvar"), varname="SCORE", vartype="Decimal", minvalue="0",
        maxvalue="100")
    if question.feedback:
        condition = sub(processing, _q("respcondition"), continue_="Yes")
        sub(sub(condition, _q("conditionvar")), _q("other"))
        sub(condition, _q("displayfeedback"), feedbacktype="Response", linkrefid="general_fb")
    right = [ident for ident, _text, is_right in options if is_right]
    if single:
        for ident in right:  # a single-choice question may have several fully right answers
            condition = sub(processing, _q("respcondition"), continue_="No")
            sub(sub(condition, _q("conditionvar")), _q("varequal"), ident, respident="response1", case="Yes")
            sub(condition, _q("setvar"), "100", varname="SCORE", action="Set")
    else:
        condition = sub(processing, _q("respcondition"), continue_="No")
        both = sub(sub(condition, _q("conditionvar")), _q("and"))
        for ident, _text, is_right in options:
            parent = both if is_right else sub(both, _q("not"))
            # Moodle's importer finds the right answers as the varequal case="Yes" outside a <not>.
            sub(parent, _q("varequal"), ident, respident="response1", case="Yes")
        sub(condition, _q("setvar"), "100", varname="SCORE", action="Set")


def _essay_item(item, question: QuestionData) -> None:
    presentation = sub(item, _q("presentation"))
    _html(presentation, question.text)
    response = sub(presentation, _q("response_str"), ident="response1", rcardinality="Single")
    sub(response, _q("render_fib"), rows="10", prompt="Box")
    processing = sub(item, _q("resprocessing"))
    sub(sub(processing, _q("outcomes")), _q("decvar"), varname="SCORE", vartype="Decimal", minvalue="0",
        maxvalue="100")
    if question.feedback:  # Moodle's importer reads general feedback from a continue="Yes" condition
        condition = sub(processing, _q("respcondition"), continue_="Yes")
        sub(sub(condition, _q("conditionvar")), _q("other"))
        sub(condition, _q("displayfeedback"), feedbacktype="Response", linkrefid="general_fb")


def assessment(quiz: QuizData, ident: str, title: str) -> tuple[etree._Element, list[QuestionData]]:
    """The <questestinterop> of a quiz, and the questions left out because CC has no type for them."""
    root = etree.Element(_q("questestinterop"), nsmap={None: QTI_NS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{QTI_NS} {QTI_SCHEMA}")
    test = sub(root, _q("assessment"), ident=ident, title=title)
    fields = [("cc_profile", "cc.exam.v0p1"), ("qmd_assessmenttype", "Examination"),
              ("qmd_scoretype", "Percentage"), ("cc_maxattempts", str(quiz.max_attempts or "unlimited"))]
    _metadata(test, fields)
    section = sub(test, _q("section"), ident=f"{ident}_s")
    skipped = []
    for number, question in enumerate(quiz.questions, 1):
        profile = CC_PROFILES.get(question.type)
        if profile is None:
            skipped.append(question)
            continue
        item = sub(section, _q("item"), ident=f"{ident}_q{number}", title=f"Vraag {number}")
        _metadata(item, [("cc_profile", profile), ("cc_weighting", str(question.points))], "itemmetadata")
        (_essay_item if question.type == "open" else _choice_item)(item, question)
        if question.feedback:
            feedback = sub(item, _q("itemfeedback"), ident="general_fb")
            _html(sub(feedback, _q("flow_mat")), question.feedback)
    return root, skipped
