"""Read the modules and lessons in modules/ and report every problem as ``path:line: message``.

Layout (documented for authors in modules/README.md)::

    modules/NN-module-slug/module.md        front matter: title, summary, minutes, prerequisites, goals, sources
    modules/NN-module-slug/NN-lesson.md     front matter: title, minutes
    modules/NN-module-slug/images/...       pictures used by the lessons

Nothing here touches the database: ``load_modules`` returns plain objects and adds problems to a list;
``services.sync_modules`` writes them. The other content of a module folder (its quiz.yml) and of modules/
(scenarios, tracks) is read by its own domain; jimtraining/content_tree.py puts the whole tree together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext as _

from jimtraining.content.checks import MAX_SLUG, required_text, string_list, unknown_keys
from jimtraining.content.frontmatter import FrontMatter, read_front_matter
from jimtraining.content.problems import Problem, Reporter
from jimtraining.content.yamlmap import LineMap
from jimtraining.curriculum.links import LESSON_FILE_RE, MODULE_DIR_RE, check_links, split_slug

#: Folders in modules/ that hold other kinds of content and are not modules.
OTHER_CONTENT_DIRS = {"scenarios", "tracks", "onderwijseenheid"}
MODULE_KEYS = {"title", "summary", "minutes", "prerequisites", "goals", "sources"}
#: Limits that match the database columns, so a file that passes the check always loads.
MAX_TITLE = 200
MAX_MINUTES = 10_000
MAX_FOLDER = 120
MAX_FILENAME = 160
LESSON_KEYS = {"title", "minutes"}
#: Fields of a goal written as a mapping: `{text: "...", competence: <id from competences.yml>, lessons: [...]}`;
#: `lessons` names the lessons (their slugs: file names without NN- and .md) that teach the goal.
GOAL_KEYS = {"text", "competence", "lessons"}


@dataclass
class LessonFile:
    slug: str
    position: int
    filename: str
    title: str
    minutes: int
    body: str


@dataclass
class ModuleFile:
    """A module folder as read. The fields that are columns of curriculum.models.Module are what sync writes."""

    slug: str
    position: int
    folder: str
    title: str
    summary: str
    minutes: int
    prerequisites: list[str]
    goals: list[str]
    sources: list[dict]
    body: str
    lessons: list[LessonFile] = field(default_factory=list)
    #: The module's quiz (quiz.yml, a quizzes.loader.QuizFile), if it has one; read by content_tree.
    quiz: object | None = None
    #: The competence id of each goal (same order as `goals`), None for a goal that names none.
    goal_competences: list[str | None] = field(default_factory=list)
    #: Per goal: {"competence": id or None, "lessons": [lesson slugs that teach it]} (a column of Module).
    goal_links: list[dict] = field(default_factory=list)
    #: The lines of module.md's front matter.
    lines: LineMap = field(default_factory=lambda: LineMap(None))


def _minutes(fm: FrontMatter, report) -> int:
    value = fm.data.get("minutes")
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_MINUTES:
        report(("minutes",), _("'minutes' moet een heel getal van 1 tot %(max)s zijn (geschatte minuten)",
                               max=MAX_MINUTES))
        return 0
    return value


def _goals(fm: FrontMatter, report, competences: dict) -> tuple[list[str], list[str | None]]:
    """The goals' texts and competence ids. A goal is a sentence, or `{text, competence, lessons}`. Once
    competences.yml exists every goal names one of its ids; an unknown id is always a problem."""
    value = fm.data.get("goals")
    if not value or not isinstance(value, list):
        report(("goals",), _("'%(key)s' ontbreekt of is leeg", key="goals"))
        return [], []
    texts: list[str] = []
    ids: list[str | None] = []
    for index, item in enumerate(value):
        at = ("goals", index)
        text, competence = (item, None) if isinstance(item, str) else (None, None)
        if isinstance(item, dict):
            text, competence = item.get("text"), item.get("competence")
            allowed = ", ".join(sorted(GOAL_KEYS))
            for key in item:
                if key not in GOAL_KEYS:
                    report(at, _("onbekend veld '%(key)s' bij een leerdoel (toegestaan: %(allowed)s)", key=key,
                                 allowed=allowed))
        if not isinstance(text, str) or not text.strip():
            report(at, _("een leerdoel is een zin, of de velden 'text' en 'competence'"))
            text = ""
        if competence is not None and (not isinstance(competence, str) or competence not in competences):
            report(at, _("onbekende competentie '%(id)s' (zie competences.yml)", id=competence))
            competence = None
        elif competence is None and competences:
            report(at, _("dit leerdoel noemt geen competentie: schrijf het als 'text' met 'competence' (een id uit "
                         "competences.yml)"))
        texts.append(text.strip())
        ids.append(competence)
    return texts, ids


def _sources(fm: FrontMatter, report) -> list[dict]:
    value = fm.data.get("sources")
    if not value or not isinstance(value, list):
        report(("sources",), _("'sources' ontbreekt: noem de bronnen van deze module"))
        return []
    sources = []
    for index, item in enumerate(value):
        if not isinstance(item, dict) or not isinstance(item.get("title"), str) or not item["title"].strip():
            report(("sources", index), _("elke bron heeft een 'title'"))
            continue
        sources.append({k: str(item[k]) for k in ("title", "publisher", "date") if item.get(k)})
    return sources


def load_modules(root: Path, problems: list[Problem], competences: dict,
                 also_read: Callable[[ModuleFile, Path], None] | None = None) -> list[ModuleFile]:
    """Read every module and lesson under root (an existing folder). Problems are collected, never raised.

    `competences` (content.competences, by id) are what goals may name. `also_read(module, folder)` reads what
    else a module folder holds (its quiz), after the lessons and before the check that the module has any."""
    modules: list[ModuleFile] = []
    module_dirs = []
    for entry in sorted(root.iterdir()):
        if not entry.is_dir() or entry.name.startswith(".") or entry.name in OTHER_CONTENT_DIRS:
            continue
        parsed = split_slug(entry.name, MODULE_DIR_RE)
        if parsed is None:
            problems.append(Problem(entry.name, 1, _(
                "mapnaam moet de vorm NN-slug hebben (twee cijfers, dan kleine letters, cijfers en streepjes)")))
            continue
        if len(entry.name) > MAX_FOLDER or len(parsed[1]) > MAX_SLUG:
            problems.append(Problem(entry.name, 1, _("mapnaam is te lang (hoogstens %(n)s tekens)", n=MAX_FOLDER)))
            continue
        if any(position == parsed[0] for _entry, (position, _slug) in module_dirs):
            problems.append(Problem(entry.name, 1, _(
                "volgnummer %(nn)02d komt al voor bij een andere module", nn=parsed[0])))
        module_dirs.append((entry, parsed))

    # All lesson files first, so links between modules can be checked.
    lesson_paths: set[str] = set()
    for entry, _parsed in module_dirs:
        lesson_paths.add(f"{entry.name}/module.md")
        for file in entry.glob("*.md"):
            if LESSON_FILE_RE.match(file.name) and not file.is_dir():
                lesson_paths.add(f"{entry.name}/{file.name}")

    seen_modules: dict[str, str] = {}
    for entry, (position, slug) in module_dirs:
        module = _load_module(root, entry, position, slug, lesson_paths, problems, competences, also_read)
        if module is None:
            continue
        if slug in seen_modules:
            problems.append(Problem(f"{entry.name}/module.md", 1, _(
                "dubbele module-slug '%(slug)s' (ook in %(other)s)", slug=slug, other=seen_modules[slug])))
            continue
        seen_modules[slug] = entry.name
        modules.append(module)

    _check_prerequisites(modules, problems)
    return modules


def _load_module(root, entry, position, slug, lesson_paths, problems, competences, also_read) -> ModuleFile | None:
    relpath = f"{entry.name}/module.md"
    module_md = entry / "module.md"
    if not module_md.is_file():
        problems.append(Problem(relpath, 1, _("module.md ontbreekt in deze modulemap")))
        return None
    fm = read_front_matter(module_md, relpath, problems)
    if fm is None:
        return None
    report = Reporter(problems, relpath, fm.lines)
    unknown_keys(fm.data, MODULE_KEYS, (), report)
    goals, goal_competences = _goals(fm, report, competences)
    module = ModuleFile(
        slug=slug,
        position=position,
        folder=entry.name,
        title=required_text(fm.data, "title", (), report, MAX_TITLE, missing=_("titel ontbreekt ('title')")),
        summary=required_text(fm.data, "summary", (), report, missing=_("samenvatting ontbreekt ('summary')")),
        minutes=_minutes(fm, report),
        prerequisites=string_list(fm.data, "prerequisites", (), report, required=False),
        goals=goals,
        goal_competences=goal_competences,
        sources=_sources(fm, report),
        body=fm.body,
        lines=fm.lines,
    )
    check_links(relpath, fm.body, fm.body_line, root, lesson_paths, problems)
    seen_lessons: dict[str, str] = {}
    seen_positions: dict[int, str] = {}
    for file in sorted(entry.iterdir()):
        if file.is_dir() or file.name == "module.md" or file.suffix != ".md":
            continue
        lesson_rel = f"{entry.name}/{file.name}"
        parsed = split_slug(file.name, LESSON_FILE_RE)
        if parsed is None:
            problems.append(Problem(lesson_rel, 1, _(
                "bestandsnaam van een les moet de vorm NN-slug.md hebben (twee cijfers, dan kleine letters, "
                "cijfers en streepjes)")))
            continue
        lesson_position, lesson_slug = parsed
        if len(file.name) > MAX_FILENAME or len(lesson_slug) > MAX_SLUG:
            problems.append(Problem(lesson_rel, 1, _("bestandsnaam is te lang (hoogstens %(n)s tekens)",
                                                     n=MAX_FILENAME)))
            continue
        if lesson_position in seen_positions:
            problems.append(Problem(lesson_rel, 1, _(
                "volgnummer %(nn)02d komt al voor in deze module (%(other)s)", nn=lesson_position,
                other=seen_positions[lesson_position])))
        seen_positions.setdefault(lesson_position, file.name)
        lesson_fm = read_front_matter(file, lesson_rel, problems)
        if lesson_fm is None:
            continue
        if lesson_slug in seen_lessons:
            problems.append(Problem(lesson_rel, 1, _(
                "dubbele les-slug '%(slug)s' (ook in %(other)s)", slug=lesson_slug, other=seen_lessons[lesson_slug])))
            continue
        seen_lessons[lesson_slug] = file.name
        lesson_report = Reporter(problems, lesson_rel, lesson_fm.lines)
        unknown_keys(lesson_fm.data, LESSON_KEYS, (), lesson_report)
        module.lessons.append(LessonFile(
            slug=lesson_slug,
            position=lesson_position,
            filename=file.name,
            title=required_text(lesson_fm.data, "title", (), lesson_report, MAX_TITLE,
                                missing=_("titel ontbreekt ('title')")),
            minutes=_minutes(lesson_fm, lesson_report),
            body=lesson_fm.body,
        ))
        check_links(lesson_rel, lesson_fm.body, lesson_fm.body_line, root, lesson_paths, problems)
    module.goal_links = _goal_links(fm, module, report)
    if also_read is not None:
        also_read(module, entry)
    if not module.lessons and not any(p.path.startswith(entry.name + "/") for p in problems):
        problems.append(Problem(relpath, 1, _("deze module heeft nog geen lessen")))
    return module


def _goal_links(fm: FrontMatter, module: ModuleFile, report) -> list[dict]:
    """Per goal its competence and the lessons that teach it (`lessons`: slugs of this module's lessons)."""
    raw_goals = fm.data.get("goals") if isinstance(fm.data.get("goals"), list) else []
    known = {lesson.slug for lesson in module.lessons}
    links = []
    for index, competence in enumerate(module.goal_competences):
        item = raw_goals[index] if index < len(raw_goals) else None
        lessons = item.get("lessons", []) if isinstance(item, dict) else []
        if not isinstance(lessons, list) or not all(isinstance(slug, str) for slug in lessons):
            report(("goals", index, "lessons"), _("'lessons' is een lijst van lessen van deze module (de "
                                                  "bestandsnaam zonder NN- en .md)"))
            lessons = []
        for position, slug in enumerate(lessons):
            if slug not in known:
                report(("goals", index, "lessons", position), _(
                    "onbekende les '%(slug)s' bij dit leerdoel (lessen van deze module: %(known)s)", slug=slug,
                    known=", ".join(sorted(known)) or "-"))
        links.append({"competence": competence, "lessons": [slug for slug in lessons if slug in known]})
    return links


def _check_prerequisites(modules: list[ModuleFile], problems: list[Problem]) -> None:
    by_slug = {m.slug: m for m in modules}
    for module in modules:
        relpath = f"{module.folder}/module.md"
        for index, prerequisite in enumerate(module.prerequisites):
            if prerequisite not in by_slug:
                problems.append(Problem(relpath, module.lines.line("prerequisites", index),
                                        _("onbekende voorkennis-module '%(slug)s'", slug=prerequisite)))

    # Depth-first search for cycles; each cycle is reported once, at the module where it is found.
    state: dict[str, int] = {}
    reported: set[frozenset] = set()

    def visit(slug: str, trail: list[str]) -> None:
        state[slug] = 1
        for nxt in by_slug[slug].prerequisites:
            if nxt not in by_slug:
                continue
            if state.get(nxt) == 1:
                cycle = trail[trail.index(nxt):] + [nxt]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    module = by_slug[slug]
                    problems.append(Problem(f"{module.folder}/module.md", module.lines.line("prerequisites"), _(
                        "circulaire voorkennis: %(cycle)s", cycle=" -> ".join(cycle))))
            elif state.get(nxt) is None:
                visit(nxt, trail + [nxt])
        state[slug] = 2

    for module in modules:
        if module.slug not in state:
            visit(module.slug, [module.slug])
