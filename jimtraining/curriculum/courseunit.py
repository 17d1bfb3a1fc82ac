"""The course unit (onderwijseenheid) for hogescholen: Markdown files with front matter in modules/onderwijseenheid/.

Layout (documented for authors in modules/README.md)::

    modules/onderwijseenheid/NN-slug.md    front matter: title, summary and, where a part needs them, track,
                                           study_load, sessions, outcomes, shows

``load_course_unit`` reads and checks the files for `flask content check` (competences, modules and tracks that do
not exist, unknown fields, broken links); ``read_course_unit`` reads them for the lecturers' pages without the
cross-checks. Nothing here touches the database; the study load is computed in curriculum/studyload.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext as _

from jimtraining.content.checks import MAX_SLUG, required_text, unknown_keys, whole_number
from jimtraining.content.frontmatter import read_front_matter
from jimtraining.content.problems import Problem, Reporter
from jimtraining.curriculum.links import LESSON_FILE_RE, check_links, split_slug

#: The folder in modules/ that holds the course unit.
FOLDER = "onderwijseenheid"
PART_KEYS = {"title", "summary", "track", "study_load", "sessions", "outcomes", "shows"}
STUDY_LOAD_KEYS = {"words_per_minute", "minutes_per_question", "practice_hours", "scenario_hours"}
SESSION_KEYS = {"title", "minutes", "modules"}
OUTCOME_KEYS = {"text", "competences", "modules"}
#: What a part may show besides its text, computed from the other content.
SHOWS = {"studielast", "literatuur"}
MAX_TITLE = 200
_IMAGE_RE = re.compile(r"!\[")


@dataclass
class Session:
    title: str
    minutes: int
    modules: list[str]


@dataclass
class Outcome:
    text: str
    competences: list[str]
    modules: list[str]


@dataclass
class UnitPart:
    slug: str
    position: int
    filename: str
    title: str
    summary: str
    body: str
    track: str | None = None
    #: Course guidance for the study load (words per minute, minutes per question, hours of practice), or {}.
    study_load: dict = field(default_factory=dict)
    sessions: list[Session] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    shows: str | None = None

    @property
    def source_path(self) -> str:
        return f"{FOLDER}/{self.filename}"


def _slug_list(item: dict, key: str, known: set[str] | None, at: tuple, report, unknown: str) -> list[str]:
    value = item.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        report(at + (key,), _("'%(key)s' moet een lijst met tekst zijn", key=key))
        return []
    for index, slug in enumerate(value):
        if known is not None and slug not in known:
            report(at + (key, index), unknown % {"id": slug})
    return [v.strip() for v in value]


def _study_load(data: dict, report) -> dict:
    value = data.get("study_load")
    if value is None:
        return {}
    if not isinstance(value, dict):
        report(("study_load",), _("'study_load' bestaat uit velden (naam: waarde)"))
        return {}
    unknown_keys(value, STUDY_LOAD_KEYS, ("study_load",), report)
    return {
        "words_per_minute": whole_number(value, "words_per_minute", ("study_load",), (50, 400), report, True),
        "minutes_per_question": whole_number(value, "minutes_per_question", ("study_load",), (1, 30), report, True),
        "practice_hours": whole_number(value, "practice_hours", ("study_load",), (0, 200), report, True),
        "scenario_hours": whole_number(value, "scenario_hours", ("study_load",), (0, 200), report, True),
    }


def _items(data: dict, key: str, report) -> list:
    value = data.get(key, [])
    if not isinstance(value, list):
        report((key,), _("'%(key)s' moet een lijst zijn", key=key))
        return []
    return value


def _sessions(data: dict, report, module_slugs: set[str] | None) -> list[Session]:
    sessions = []
    for index, item in enumerate(_items(data, "sessions", report)):
        at = ("sessions", index)
        if not isinstance(item, dict):
            report(at, _("elke bijeenkomst heeft een 'title', 'minutes' en 'modules'"))
            continue
        unknown_keys(item, SESSION_KEYS, at, report)
        sessions.append(Session(
            title=required_text(item, "title", at, report, MAX_TITLE),
            minutes=whole_number(item, "minutes", at, (15, 600), report, required=True),
            modules=_slug_list(item, "modules", module_slugs, at, report, _("onbekende module '%(id)s'"))))
    return sessions


def _outcomes(data: dict, report, competences: dict | None, module_slugs: set[str] | None) -> list[Outcome]:
    outcomes = []
    for index, item in enumerate(_items(data, "outcomes", report)):
        at = ("outcomes", index)
        if not isinstance(item, dict):
            report(at, _("elke leeruitkomst heeft een 'text' en 'competences'"))
            continue
        unknown_keys(item, OUTCOME_KEYS, at, report)
        known = set(competences) if competences is not None else None
        ids = _slug_list(item, "competences", known, at, report,
                         _("onbekende competentie '%(id)s' (zie competences.yml)"))
        if not ids:
            report(at + ("competences",), _("een leeruitkomst noemt minstens één competentie uit competences.yml"))
        outcomes.append(Outcome(
            text=required_text(item, "text", at, report),
            competences=ids,
            modules=_slug_list(item, "modules", module_slugs, at, report, _("onbekende module '%(id)s'"))))
    return outcomes


def _read_part(folder: Path, file: Path, position: int, slug: str, problems: list, competences: dict | None,
               module_slugs: set[str] | None, track_slugs: set[str] | None) -> UnitPart | None:
    relpath = f"{FOLDER}/{file.name}"
    fm = read_front_matter(file, relpath, problems)
    if fm is None:
        return None
    report = Reporter(problems, relpath, fm.lines)
    unknown_keys(fm.data, PART_KEYS, (), report)
    track = fm.data.get("track")
    if track is not None and (not isinstance(track, str) or (track_slugs is not None and track not in track_slugs)):
        report(("track",), _("onbekend certificeringstraject '%(slug)s' (zie modules/tracks/)", slug=track))
        track = None
    shows = fm.data.get("shows")
    if shows is not None and shows not in SHOWS:
        report(("shows",), _("'shows' is een van: %(allowed)s", allowed=", ".join(sorted(SHOWS))))
        shows = None
    return UnitPart(
        slug=slug, position=position, filename=file.name,
        title=required_text(fm.data, "title", (), report, MAX_TITLE, missing=_("titel ontbreekt ('title')")),
        summary=required_text(fm.data, "summary", (), report, missing=_("samenvatting ontbreekt ('summary')")),
        body=fm.body, track=track, study_load=_study_load(fm.data, report),
        sessions=_sessions(fm.data, report, module_slugs),
        outcomes=_outcomes(fm.data, report, competences, module_slugs), shows=shows)


def _part_files(folder: Path, problems: list) -> list[tuple[Path, int, str]]:
    found, positions = [], set()
    for file in sorted(folder.iterdir()):
        if file.name.startswith(".") or file.is_dir():
            continue
        parsed = split_slug(file.name, LESSON_FILE_RE)
        if parsed is None or len(parsed[1]) > MAX_SLUG:
            problems.append(Problem(f"{FOLDER}/{file.name}", 1, _(
                "bestandsnaam moet de vorm NN-slug.md hebben (twee cijfers, dan kleine letters, cijfers en "
                "streepjes)")))
            continue
        if parsed[0] in positions:
            problems.append(Problem(f"{FOLDER}/{file.name}", 1, _(
                "volgnummer %(nn)02d komt al voor bij een ander onderdeel", nn=parsed[0])))
        positions.add(parsed[0])
        found.append((file, parsed[0], parsed[1]))
    return found


def load_course_unit(root: Path, problems: list, competences: dict, modules: list,
                     track_slugs: set[str]) -> list[UnitPart]:
    """Read and check root/onderwijseenheid/ (absent: no course unit, no problem). `modules` are the modules as
    read (curriculum.loader.ModuleFile): links may point at their lessons and at the other parts."""
    folder = root / FOLDER
    if not folder.is_dir():
        return []
    module_slugs = {module.slug for module in modules}
    files = _part_files(folder, problems)
    link_targets = {f"{FOLDER}/{file.name}" for file, _position, _slug in files}
    for module in modules:
        link_targets.add(f"{module.folder}/module.md")
        link_targets.update(f"{module.folder}/{lesson.filename}" for lesson in module.lessons)
    parts = []
    for file, position, slug in files:
        part = _read_part(folder, file, position, slug, problems, competences, module_slugs, track_slugs)
        if part is None:
            continue
        first_line = len(file.read_text(encoding="utf-8").splitlines()) - len(part.body.splitlines()) + 1
        check_links(part.source_path, part.body, first_line, root, link_targets, problems)
        for offset, line in enumerate(part.body.splitlines()):
            if _IMAGE_RE.search(line):
                problems.append(Problem(part.source_path, first_line + offset, _(
                    "de onderwijseenheid heeft geen afbeeldingen: beschrijf het in tekst")))
        parts.append(part)
    with_load = [part for part in parts if part.study_load]
    for part in with_load[1:]:
        problems.append(Problem(part.source_path, 1, _(
            "'study_load' staat al in %(other)s: de studielast wordt op één plek berekend",
            other=with_load[0].source_path)))
    return parts


def read_course_unit(root: Path) -> list[UnitPart]:
    """The parts as the lecturers' pages show them (checked by `content check`; problems here are ignored)."""
    folder = Path(root) / FOLDER
    if not folder.is_dir():
        return []
    problems: list = []
    parts = []
    for file, position, slug in _part_files(folder, problems):
        part = _read_part(folder, file, position, slug, problems, None, None, None)
        if part is not None:
            parts.append(part)
    return parts
