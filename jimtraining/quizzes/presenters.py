"""What the quiz pages show: questions with per-attempt tokens, and results with feedback.

Nothing here puts correctness into a page before the attempt is handed in: the form items carry only tokens and
texts; the result items are built only for closed attempts.
"""

from __future__ import annotations

from jimtraining.quizzes.models import IN_PROGRESS
from jimtraining.quizzes.services import attempt_questions
from jimtraining.quizzes.types import Matching
from jimtraining.rendering import render_content_markdown


def _token_of(entry: dict, key: str, item_id) -> str | None:
    return next((tok for tok, iid in entry.get(key, []) if iid == item_id), None)


def form_items(attempt, quiz, saved: dict) -> list[dict]:
    """The drawn questions of an open attempt, with the learner's saved answers filled in."""
    questions = attempt_questions(attempt, quiz)
    items = []
    for number, entry in enumerate(attempt.drawn, start=1):
        question = questions[entry["key"]]
        response = saved.get(question.key)
        item = {"number": number, "key": question.key, "type": question.type, "points": question.points,
                "text": render_content_markdown(question.text), "name": f"q-{question.key}"}
        data = question.data
        if question.type in ("single_choice", "multiple_response"):
            texts = {o["id"]: o["text"] for o in data["options"]}
            chosen = set(response if isinstance(response, list) else [response])
            item["options"] = [{"token": tok, "text": texts[oid], "checked": oid in chosen}
                               for tok, oid in entry["options"]]
        elif question.type == "true_false":
            item["value"] = None if response is None else ("true" if response else "false")
        elif question.type == "matching":
            lefts = {p["id"]: p["left"] for p in data["pairs"]}
            rights = Matching.right_texts(data)
            response = response or {}
            item["rights"] = [{"token": tok, "text": rights[pid]} for tok, pid in entry["rights"]]
            item["lefts"] = [{"token": tok, "text": lefts[pid], "name": f"q-{question.key}:{tok}",
                              "selected": _token_of(entry, "rights", response.get(pid))}
                             for tok, pid in entry["lefts"]]
        elif question.type == "ordering":
            texts = {i["id"]: i["text"] for i in data["items"]}
            positions = {iid: index + 1 for index, iid in enumerate(response or [])}
            item["count"] = len(entry["items"])
            item["parts"] = [{"token": tok, "text": texts[iid], "name": f"q-{question.key}:{tok}",
                              "position": positions.get(iid)} for tok, iid in entry["items"]]
        elif question.type == "open":
            item["value"] = response or ""
        items.append(item)
    return items


def result_items(attempt, quiz, reveal: bool) -> list[dict]:
    """Per question: the learner's answer, its score and feedback; the right answers only when `reveal`."""
    assert attempt.status != IN_PROGRESS, "results are shown only for handed-in attempts"
    questions = attempt_questions(attempt, quiz)
    answers = {a.question_key: a for a in attempt.answers}
    items = []
    for number, entry in enumerate(attempt.drawn, start=1):
        question = questions[entry["key"]]
        answer = answers.get(question.key)
        response = answer.response if answer else None
        data = question.data
        item = {"number": number, "question": question, "text": render_content_markdown(question.text),
                "feedback": render_content_markdown(question.feedback) if reveal else None,
                # Points per question would tell which answers were right: only with the answers.
                "points": question.points, "awarded": (answer.points_awarded if answer else 0) if reveal else None,
                "needs_review": bool(answer and answer.needs_review),
                "reviewer_feedback": answer.reviewer_feedback if answer else None, "lines": []}
        if question.type in ("single_choice", "multiple_response"):
            chosen = set(response if isinstance(response, list) else [response])
            for _tok, oid in entry["options"]:
                option = next(o for o in data["options"] if o["id"] == oid)
                picked = oid in chosen
                if picked or reveal:
                    item["lines"].append({"text": option["text"], "picked": picked,
                                          "correct": option["correct"] if reveal else None,
                                          "feedback": option["feedback"] if reveal else ""})
        elif question.type == "true_false":
            if response is not None:
                feedback = data["feedback_true"] if response else data["feedback_false"]
                item["lines"].append({"text": "true" if response else "false", "picked": True,
                                      "correct": (response is data["answer"]) if reveal else None,
                                      "feedback": feedback if reveal else "", "is_bool": True})
            if reveal:
                item["right_answer"] = "true" if data["answer"] else "false"
        elif question.type == "matching":
            rights = Matching.right_texts(data)
            for pair in data["pairs"]:
                given = (response or {}).get(pair["id"])
                item["lines"].append({"text": pair["left"], "answer": rights.get(given, ""),
                                      "right": pair["right"] if reveal else None,
                                      "correct": (given == pair["id"]) if reveal else None})
        elif question.type == "ordering":
            texts = {i["id"]: i["text"] for i in data["items"]}
            item["given_order"] = [texts[i] for i in (response or []) if i in texts]
            item["right_order"] = [i["text"] for i in data["items"]] if reveal else None
        elif question.type == "open":
            item["answer_text"] = response or ""
            item["model_answer"] = data["model_answer"] if reveal and not item["needs_review"] else None
        items.append(item)
    return items
