"""Read a module's quiz.yml (documented in modules/README.md) and report problems as path:line: message."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext as _

from jimtraining.content.checks import SLUG_RE, unknown_keys
from jimtraining.content.problems import Collector, Problem, Reporter
from jimtraining.content.yamlmap import read_yaml_file
from jimtraining.quizzes.types import QUESTION_TYPES
from jimtraining.rendering import images_without_alt

QUIZ_KEYS = {"title", "draw", "pass_mark", "max_attempts", "time_limit", "shuffle_options", "show_answers",
             "questions"}
QUESTION_KEYS = {"id", "type", "text", "points", "feedback", "goal"}
#: When a learner sees the right answers (quizzes.feedback.reveals_answers); the first is the default, which
#: never lets a retake become a memory test.
SHOW_ANSWERS = ("after_passing", "after_last_attempt", "always")
#: Older spellings still read: "after_attempt" is what "always" was called before.
SHOW_ANSWERS_ALIASES = {"after_attempt": "always"}
MAX_TIME_LIMIT = 600


@dataclass
class QuestionFile:
    key: str
    position: int
    type: str
    text: str
    points: int
    feedback: str
    data: dict
    #: The module goal (1 = the first of the module's `goals`) this question tests, or None.
    goal: int | None = None


@dataclass
class QuizFile:
    title: str
    draw_count: int
    pass_mark: int
    max_attempts: int | None
    time_limit_minutes: int | None
    shuffle_options: bool
    show_answers: str
    questions: list[QuestionFile] = field(default_factory=list)


def load_quiz(path: Path, relpath: str, problems: list, goal_count: int = 0) -> QuizFile | None:
    """Parse and check one quiz.yml; problems are appended, never raised. `goal_count` is the number of goals of
    the module (0: unknown), against which the questions' `goal` numbers are checked."""
    loaded = read_yaml_file(path, relpath, problems)
    if loaded is None:
        return None
    data, lines = loaded
    report = Reporter(problems, relpath, lines)
    if not isinstance(data, dict):
        problems.append(Problem(relpath, 1, _("een toets bestaat uit velden (naam: waarde) met een lijst 'questions'")))
        return None
    unknown_keys(data, QUIZ_KEYS, (), report)

    quiz = QuizFile(
        title=str(data.get("title") or _("Toets")).strip()[:200],
        draw_count=0,
        pass_mark=70,
        max_attempts=None,
        time_limit_minutes=None,
        shuffle_options=True,
        show_answers=SHOW_ANSWERS[0],
    )
    pass_mark = data.get("pass_mark", 70)
    if isinstance(pass_mark, bool) or not isinstance(pass_mark, int | float) or not 1 <= pass_mark <= 100:
        report(("pass_mark",), _("'pass_mark' is een percentage van 1 tot en met 100"))
    else:
        quiz.pass_mark = round(pass_mark)
    max_attempts = data.get("max_attempts")
    if max_attempts is not None:
        if isinstance(max_attempts, bool) or not isinstance(max_attempts, int) or not 1 <= max_attempts <= 100:
            report(("max_attempts",), _("'max_attempts' is een heel getal van 1 tot 100 (of laat het weg)"))
        else:
            quiz.max_attempts = max_attempts
    time_limit = data.get("time_limit")
    if time_limit is not None:
        if isinstance(time_limit, bool) or not isinstance(time_limit, int) or not 1 <= time_limit <= MAX_TIME_LIMIT:
            report(("time_limit",), _("'time_limit' is een aantal minuten van 1 tot %(max)s (of laat het weg)",
                                      max=MAX_TIME_LIMIT))
        else:
            quiz.time_limit_minutes = time_limit
    shuffle = data.get("shuffle_options", True)
    if not isinstance(shuffle, bool):
        report(("shuffle_options",), _("'shuffle_options' is true of false"))
    else:
        quiz.shuffle_options = shuffle
    show = data.get("show_answers", SHOW_ANSWERS[0])
    show = SHOW_ANSWERS_ALIASES.get(show, show) if isinstance(show, str) else show
    if show not in SHOW_ANSWERS:
        report(("show_answers",), _(
            "'show_answers' zegt wanneer een deelnemer de goede antwoorden ziet: after_passing (na het slagen), "
            "after_last_attempt (na het slagen of na de laatste poging) of always (na elke poging)"))
    elif show == "after_last_attempt" and data.get("max_attempts") is None:
        report(("show_answers",), _(
            "'show_answers: after_last_attempt' heeft 'max_attempts' nodig: zonder een grens aan het aantal "
            "pogingen komt er geen laatste poging en ziet een deelnemer die niet slaagt de antwoorden nooit"))
    else:
        quiz.show_answers = show

    questions = data.get("questions")
    if not isinstance(questions, list) or not questions:
        report(("questions",), _("'questions' ontbreekt of is leeg"))
        return quiz
    seen: set[str] = set()
    for index, raw in enumerate(questions):
        question = _load_question(raw, index, ("questions", index), report, seen)
        if question is not None:
            quiz.questions.append(question)

    draw = data.get("draw", len(questions))
    if isinstance(draw, bool) or not isinstance(draw, int) or draw < 1:
        report(("draw",), _("'draw' is het aantal vragen per poging: een heel getal vanaf 1"))
    elif draw > len(questions):
        report(("draw",), _("'draw' vraagt %(draw)s vragen, maar de vragenbank heeft er %(count)s",
                            draw=draw, count=len(questions)))
    else:
        quiz.draw_count = draw
    if goal_count:
        _check_goals(quiz, goal_count, report)
    return quiz


def _check_goals(quiz: QuizFile, goal_count: int, report) -> None:
    """A `goal` names one of the module's goals. Once one question of a bank names its goal, all do, every goal
    has at least two questions and an attempt draws at least one question per goal."""
    tagged = [q for q in quiz.questions if q.goal is not None]
    for question in tagged:
        if question.goal > goal_count:
            report(("questions", question.position - 1, "goal"), _(
                "leerdoel %(goal)s bestaat niet: module.md heeft %(count)s leerdoelen", goal=question.goal,
                count=goal_count))
    if not tagged:
        return
    for question in quiz.questions:
        if question.goal is None:
            report(("questions", question.position - 1, "id"), _(
                "deze vraag noemt geen leerdoel ('goal'); in deze toets noemt elke vraag het leerdoel dat ze toetst"))
    per_goal = Counter(q.goal for q in tagged)
    for goal in range(1, goal_count + 1):
        if per_goal[goal] < 2:
            report(("questions",), _("leerdoel %(goal)s wordt door minder dan twee vragen getoetst (%(count)s); "
                                     "geef elk leerdoel minstens twee vragen", goal=goal, count=per_goal[goal]))
    if quiz.draw_count and quiz.draw_count < goal_count:
        report(("draw",), _("'draw' is %(draw)s, maar de module heeft %(count)s leerdoelen: trek minstens één vraag "
                            "per leerdoel", draw=quiz.draw_count, count=goal_count))


def _load_question(raw, index: int, path: tuple, report, seen: set[str]) -> QuestionFile | None:
    if not isinstance(raw, dict):
        report(path, _("een vraag bestaat uit velden zoals id, type en text"))
        return None
    ok = True
    key = raw.get("id")
    if not isinstance(key, str) or not SLUG_RE.match(key) or len(key) > 60:
        report(path + ("id",), _("elke vraag heeft een 'id' van kleine letters, cijfers en streepjes (hoogstens 60)"))
        ok = False
    elif key in seen:
        report(path + ("id",), _("dubbele vraag-id '%(id)s'", id=key))
        ok = False
    else:
        seen.add(key)
    qtype = QUESTION_TYPES.get(raw.get("type"))
    if qtype is None:
        report(path + ("type",), _("onbekende vraagsoort '%(type)s' (kies uit: %(types)s)", type=raw.get("type"),
                                   types=", ".join(QUESTION_TYPES)))
        return None
    for field_name in raw:
        if field_name not in QUESTION_KEYS | qtype.extra_keys:
            report(path + (str(field_name),), _("onbekend veld '%(key)s' bij een vraag van soort %(type)s",
                                                key=field_name, type=qtype.key))
    if not isinstance(raw.get("text"), str) or not raw["text"].strip():
        report(path + ("text",), _("de vraag heeft geen 'text'"))
        ok = False
    if not isinstance(raw.get("feedback"), str) or not raw["feedback"].strip():
        report(path + ("feedback",), _("geef 'feedback' die uitlegt waarom het goede antwoord goed is"))
        ok = False
    for field_name in ("text", "feedback"):
        for target in images_without_alt(raw[field_name]) if isinstance(raw.get(field_name), str) else []:
            report(path + (field_name,), _("afbeelding zonder alt-tekst: %(target)s", target=target))
    points = raw.get("points", 1)
    if isinstance(points, bool) or not isinstance(points, int) or not 1 <= points <= 100:
        report(path + ("points",), _("'points' is een heel getal van 1 tot 100"))
        ok = False
    goal = raw.get("goal")
    if goal is not None and (isinstance(goal, bool) or not isinstance(goal, int) or not 1 <= goal <= 50):
        report(path + ("goal",), _("'goal' is het nummer van het leerdoel in module.md dat de vraag toetst (1 = het "
                                   "eerste)"))
        ok = False
    problems_before = report.count
    qtype.check(raw, path, report)
    if not ok or report.count != problems_before:
        return None
    return QuestionFile(key=key, position=index + 1, type=qtype.key, text=raw["text"].strip(), points=points,
                        feedback=raw["feedback"].strip(), data=qtype.normalise(raw), goal=goal)


def question_problems(raw) -> list[str]:
    """What `flask content check` would report about one question of quiz.yml: the import runs every question it
    converts through this, so it never writes a question that the check then rejects."""
    collect = Collector()
    _load_question(raw, 0, ("questions", 0), collect, set())
    return collect.messages
