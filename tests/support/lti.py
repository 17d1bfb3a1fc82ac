"""The LTI tests' quiz (graded as soon as it is handed in) and a helper that hands it in through the pages."""

import re

#: A quiz without open questions: handing it in grades it at once. Pass mark 60: one of two right fails.
QUIZ_YML = """\
title: "Toets basis"
draw: 2
pass_mark: 60
max_attempts: 5
shuffle_options: false
show_answers: after_attempt
questions:
  - id: familie
    type: true_false
    text: "Een JIM moet familie zijn."
    answer: false
    feedback: "Iedereen die de jongere vertrouwt."
  - id: kiezen
    type: true_false
    text: "De jongere kiest de JIM."
    answer: true
    feedback: "De jongere kiest zelf."
"""
RIGHT = {"q-familie": "false", "q-kiezen": "true"}
HALF = {"q-familie": "true", "q-kiezen": "true"}


def hand_in(client, answers: dict, module: str = "basis"):
    """Start the module's quiz and hand it in with these answers, through the pages."""
    response = client.submit(f"/modules/{module}/quiz/start", page=f"/modules/{module}/quiz")
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    attempt_url = response.headers["Location"]
    attempt_id = int(re.search(r"/quiz/attempts/(\d+)", attempt_url).group(1))
    response = client.submit(f"/quiz/attempts/{attempt_id}/submit", answers, page=attempt_url)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return attempt_id
