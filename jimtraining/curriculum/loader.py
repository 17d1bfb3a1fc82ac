"""Read the curriculum from modules/ and report every problem as ``path:line: message``.

Layout (documented for authors in modules/README.md)::

    modules/NN-module-slug/module.md        front matter: title, summary, minutes, prerequisites, goals, sources
    modules/NN-module-slug/NN-lesson.md     front matter: title, minutes
    modules/NN-module-slug/images/...       pictures used by the lessons

Nothing here touches the database: ``load_content`` returns plain objects and a list of problems;
``services.sync_content`` writes them.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from flask_babel import gettext as _

from jimtraining.curriculum.competences import load_competences
from jimtraining.quizzes.loader import QuizFile, load_quiz

MODULE_DIR_RE = re.compile(r"^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)$")
LESSON_FILE_RE = re.compile(r"^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
#: Folders in modules/ that hold other kinds of content (later issues) and are not modules.
OTHER_CONTENT_DIRS = {"scenarios", "tracks"}
IMAGE_EXTENSIONS = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}
MODULE_KEYS = {"title", "summary", "minutes", "prerequisites", "goals", "sources"}
#: Limits that match the database columns, so a file that passes the check always loads.
MAX_TITLE = 200
MAX_MINUTES = 10_000
MAX_SLUG = 100
MAX_FOLDER = 120
MAX_FILENAME = 160
LESSON_KEYS = {"title", "minutes"}
#: Fields of a goal written as a mapping: `{text: "...", competence: <id from competences.yml>}`.
GOAL_KEYS = {"text", "competence"}

_LINK_RE = re.compile(r"(!?)\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
_REF_DEF_RE = re.compile(r"^\s{0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s+.*)?$")
_REF_IMAGE_RE = re.compile(r"!\[([^\]]*)\]\[([^\]]*)\]")
_HTML_IMG_RE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_CODE_SPAN_RE = re.compile(r"`+[^`]*`+")
_SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


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
    #: The module's quiz (quiz.yml), if it has one.
    quiz: QuizFile | None = None
    #: The competence id of each goal (same order as `goals`), None for a goal that names none.
    goal_competences: list[str | None] = field(default_factory=list)
    prerequisite_lines: list[int] = field(default_factory=list)
    prerequisites_line: int = 1


@dataclass
class ContentTree:
    modules: list[ModuleFile]
    problems: list[Problem]
    #: Role-play scenarios from modules/scenarios/.
    scenarios: list = field(default_factory=list)
    #: Certification tracks from modules/tracks/.
    tracks: list = field(default_factory=list)
    #: The JIM competences from modules/competences.yml, by id (empty when the file is absent).
    competences: dict = field(default_factory=dict)
    #: What deserves an author's look but does not stop the check (path:line: message), e.g. a scenario whose
    #: best choices are all written first.
    warnings: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class FrontMatter:
    data: dict
    body: str
    body_line: int
    key_lines: dict[str, int]
    item_lines: dict[str, list[int]]


def split_slug(name: str, pattern: re.Pattern) -> tuple[int, str] | None:
    match = pattern.match(name)
    return (int(match.group(1)), match.group(2)) if match else None


def lesson_for_path(relpath: str) -> tuple[str, str] | None:
    """'01-wat-is-jim/02-les.md' -> ('wat-is-jim', 'les'); None when the path is not a lesson."""
    parts = relpath.split("/")
    if len(parts) != 2:
        return None
    module = split_slug(parts[0], MODULE_DIR_RE)
    lesson = split_slug(parts[1], LESSON_FILE_RE)
    if not module or not lesson:
        return None
    return module[1], lesson[1]


def resolve_relative(source_relpath: str, target: str) -> str | None:
    """Resolve a link target written in a content file to a path relative to modules/.

    Returns None for targets that are not relative file links (web addresses, anchors, absolute paths) or
    that climb out of modules/.
    """
    target = target.split("#", 1)[0].split("?", 1)[0]
    if not target or _SCHEME_RE.match(target) or target.startswith(("/", "//")):
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(source_relpath), target))
    if joined.startswith("..") or joined.startswith("/"):
        return None
    return joined


def is_relative_target(target: str) -> bool:
    return bool(target) and not target.startswith(("#", "/")) and not _SCHEME_RE.match(target)


def parse_front_matter(text: str, relpath: str, problems: list[Problem]) -> FrontMatter | None:
    """Split '---\\nyaml\\n---\\nbody'; report problems with file line numbers."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        problems.append(Problem(relpath, 1, _("het bestand begint niet met front matter (een regel '---')")))
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        problems.append(Problem(relpath, 1, _("de front matter wordt niet afgesloten met '---'")))
        return None
    yaml_text = "\n".join(lines[1:end])
    try:
        node = yaml.compose(yaml_text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(yaml_text)
    except RecursionError:
        problems.append(Problem(relpath, 2, _("ongeldige YAML: te diep genest")))
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 2 if mark is not None else 2
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        problems.append(Problem(relpath, line, _("ongeldige YAML: %(reason)s", reason=reason)))
        return None
    if data is None:
        data, node = {}, None
    if not isinstance(data, dict):
        problems.append(Problem(relpath, 2, _("de front matter moet uit velden bestaan (naam: waarde)")))
        return None
    key_lines: dict[str, int] = {}
    item_lines: dict[str, list[int]] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value)
            key_lines[key] = key_node.start_mark.line + 2
            if isinstance(value_node, yaml.SequenceNode):
                item_lines[key] = [item.start_mark.line + 2 for item in value_node.value]
    body = "\n".join(lines[end + 1:])
    if text.endswith("\n"):
        body += "\n"
    return FrontMatter(data, body, end + 2, key_lines, item_lines)


def _required_text(fm: FrontMatter, key: str, relpath: str, problems: list[Problem], message: str,
                   max_length: int | None = None) -> str:
    value = fm.data.get(key)
    line = fm.key_lines.get(key, 1)
    if value is None or (isinstance(value, str) and not value.strip()):
        problems.append(Problem(relpath, line, message))
        return ""
    if not isinstance(value, str):
        problems.append(Problem(relpath, line, _("'%(key)s' moet tekst zijn (zet hem tussen aanhalingstekens)",
                                                 key=key)))
        return ""
    if max_length and len(value.strip()) > max_length:
        problems.append(Problem(relpath, line, _("'%(key)s' is te lang (hoogstens %(n)s tekens)", key=key,
                                                 n=max_length)))
        return ""
    return value.strip()


def _minutes(fm: FrontMatter, relpath: str, problems: list[Problem]) -> int:
    value = fm.data.get("minutes")
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_MINUTES:
        problems.append(
            Problem(relpath, fm.key_lines.get("minutes", 1),
                    _("'minutes' moet een heel getal van 1 tot %(max)s zijn (geschatte minuten)", max=MAX_MINUTES))
        )
        return 0
    return value


def _unknown_keys(fm: FrontMatter, allowed: set[str], relpath: str, problems: list[Problem]) -> None:
    for key in fm.data:
        if key not in allowed:
            problems.append(Problem(relpath, fm.key_lines.get(str(key), 2),
                                    _("onbekend veld '%(key)s' (toegestaan: %(allowed)s)",
                                      key=key, allowed=", ".join(sorted(allowed)))))


def _string_list(fm: FrontMatter, key: str, relpath: str, problems: list[Problem], required: bool) -> list[str]:
    value = fm.data.get(key, [] if not required else None)
    line = fm.key_lines.get(key, 1)
    if value is None or (required and value == []):
        problems.append(Problem(relpath, line, _("'%(key)s' ontbreekt of is leeg", key=key)))
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.append(Problem(relpath, line, _("'%(key)s' moet een lijst met tekst zijn", key=key)))
        return []
    return [v.strip() for v in value]


def _goals(fm: FrontMatter, relpath: str, problems: list[Problem],
           competences: dict) -> tuple[list[str], list[str | None]]:
    """The goals' texts and competence ids. A goal is a sentence, or `{text, competence}`. Once competences.yml
    exists every goal names one of its ids; an unknown id is always a problem."""
    value = fm.data.get("goals")
    line = fm.key_lines.get("goals", 1)
    if not value or not isinstance(value, list):
        problems.append(Problem(relpath, line, _("'%(key)s' ontbreekt of is leeg", key="goals")))
        return [], []
    lines = fm.item_lines.get("goals", [])
    texts: list[str] = []
    ids: list[str | None] = []
    for index, item in enumerate(value):
        at = lines[index] if index < len(lines) else line
        text, competence = (item, None) if isinstance(item, str) else (None, None)
        if isinstance(item, dict):
            text, competence = item.get("text"), item.get("competence")
            allowed = ", ".join(sorted(GOAL_KEYS))
            for key in item:
                if key not in GOAL_KEYS:
                    problems.append(Problem(relpath, at, _("onbekend veld '%(key)s' bij een leerdoel (toegestaan: "
                                                           "%(allowed)s)", key=key, allowed=allowed)))
        if not isinstance(text, str) or not text.strip():
            problems.append(Problem(relpath, at, _("een leerdoel is een zin, of de velden 'text' en 'competence'")))
            text = ""
        if competence is not None and (not isinstance(competence, str) or competence not in competences):
            problems.append(Problem(relpath, at, _("onbekende competentie '%(id)s' (zie competences.yml)",
                                                   id=competence)))
            competence = None
        elif competence is None and competences:
            problems.append(Problem(relpath, at, _("dit leerdoel noemt geen competentie: schrijf het als 'text' met "
                                                   "'competence' (een id uit competences.yml)")))
        texts.append(text.strip())
        ids.append(competence)
    return texts, ids


def _sources(fm: FrontMatter, relpath: str, problems: list[Problem]) -> list[dict]:
    value = fm.data.get("sources")
    line = fm.key_lines.get("sources", 1)
    if not value or not isinstance(value, list):
        problems.append(Problem(relpath, line, _("'sources' ontbreekt: noem de bronnen van deze module")))
        return []
    sources = []
    lines = fm.item_lines.get("sources", [])
    for index, item in enumerate(value):
        item_line = lines[index] if index < len(lines) else line
        if not isinstance(item, dict) or not isinstance(item.get("title"), str) or not item["title"].strip():
            problems.append(Problem(relpath, item_line, _("elke bron heeft een 'title'")))
            continue
        sources.append({k: str(item[k]) for k in ("title", "publisher", "date") if item.get(k)})
    return sources


def _strip_code(lines: list[str]) -> list[str]:
    """Blank out fenced code blocks and inline code so examples in code are not checked as links."""
    result, fence = [], None
    for line in lines:
        stripped = line.lstrip()
        if fence:
            if stripped.startswith(fence):
                fence = None
            result.append("")
            continue
        if stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            result.append("")
            continue
        result.append(_CODE_SPAN_RE.sub("", line))
    return result


def check_links(
    relpath: str, body: str, first_line: int, root: Path, lesson_paths: set[str], problems: list[Problem]
) -> None:
    """Check links to lessons and images in one Markdown body (inline and reference style)."""
    module_folder = relpath.split("/", 1)[0]
    lines = _strip_code(body.splitlines())
    definitions: dict[str, tuple[int, str]] = {}
    for offset, line in enumerate(lines):
        ref = _REF_DEF_RE.match(line)
        if ref:
            definitions[ref.group(1).strip().lower()] = (first_line + offset, ref.group(2))
    image_refs: dict[str, str] = {}
    for offset, line in enumerate(lines):
        lineno = first_line + offset
        for match in _LINK_RE.finditer(line):
            is_image, text, target = match.group(1) == "!", match.group(2), match.group(3)
            if is_image:
                _check_image(relpath, lineno, text, target, root, module_folder, problems)
            elif is_relative_target(target):
                _check_link(relpath, lineno, target, root, module_folder, lesson_paths, problems)
        for match in _REF_IMAGE_RE.finditer(line):
            label = (match.group(2) or match.group(1)).strip().lower()
            image_refs[label] = match.group(1)
            if label not in definitions:
                problems.append(Problem(relpath, lineno, _(
                    "afbeelding verwijst naar een onbekende referentie '%(label)s'", label=label)))
        if _HTML_IMG_RE.search(line):
            problems.append(Problem(relpath, lineno, _(
                "gebruik Markdown voor een afbeelding: ![beschrijving](images/bestand.png)")))
    for label, (lineno, target) in definitions.items():
        if label in image_refs:
            _check_image(relpath, lineno, image_refs[label], target, root, module_folder, problems)
        elif is_relative_target(target):
            _check_link(relpath, lineno, target, root, module_folder, lesson_paths, problems)


def _is_file(path: Path) -> bool:
    """Path.is_file() that treats names the system cannot handle (too long, no permission) as missing."""
    try:
        return path.is_file()
    except OSError:
        return False


def _check_image(relpath, lineno, alt, target, root, module_folder, problems):
    if not alt.strip():
        problems.append(Problem(relpath, lineno, _("afbeelding zonder alt-tekst: %(target)s", target=target)))
    if not is_relative_target(target):
        problems.append(Problem(relpath, lineno, _(
            "afbeelding '%(target)s' staat niet in de modulemap; de site laadt niets van andere websites",
            target=target)))
        return
    resolved = resolve_relative(relpath, target)
    if resolved is None or not resolved.startswith(module_folder + "/") or not _is_file(root / resolved):
        problems.append(Problem(relpath, lineno, _("afbeeldingsbestand ontbreekt: %(target)s", target=target)))
    elif Path(resolved).suffix.lower() not in IMAGE_EXTENSIONS:
        problems.append(Problem(relpath, lineno, _("'%(target)s' is geen afbeelding (png, jpg, gif, svg, webp)",
                                                   target=target)))


def _check_link(relpath, lineno, target, root, module_folder, lesson_paths, problems):
    resolved = resolve_relative(relpath, target)
    if resolved is not None and resolved.endswith(".md"):
        if resolved not in lesson_paths:
            problems.append(Problem(relpath, lineno, _("kapotte link naar een les: %(target)s", target=target)))
        return
    if resolved is None or not resolved.startswith(module_folder + "/") or not _is_file(root / resolved):
        problems.append(Problem(relpath, lineno, _("kapotte link: %(target)s", target=target)))
    elif Path(resolved).suffix.lower() not in IMAGE_EXTENSIONS:
        problems.append(Problem(relpath, lineno, _(
            "link naar '%(target)s': de site toont uit een modulemap alleen lessen en afbeeldingen", target=target)))


def load_content(root: Path | str) -> ContentTree:
    """Read every module and lesson under root. Problems are collected, never raised."""
    root = Path(root)
    problems: list[Problem] = []
    modules: list[ModuleFile] = []
    if not root.is_dir():
        return ContentTree([], [Problem(str(root), 1, _("de map met modules bestaat niet"))])

    competences = load_competences(root, problems)
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
        module = _load_module(root, entry, position, slug, lesson_paths, problems, competences)
        if module is None:
            continue
        if slug in seen_modules:
            problems.append(Problem(f"{entry.name}/module.md", 1, _(
                "dubbele module-slug '%(slug)s' (ook in %(other)s)", slug=slug, other=seen_modules[slug])))
            continue
        seen_modules[slug] = entry.name
        modules.append(module)

    _check_prerequisites(modules, problems)
    from jimtraining.certification.tracks import load_tracks
    from jimtraining.scenarios.loader import load_scenarios

    warnings: list[Problem] = []
    scenarios = load_scenarios(root / "scenarios", {m.slug for m in modules}, problems, competences, warnings)
    tracks = load_tracks(root / "tracks", {m.slug: m for m in modules}, problems)
    return ContentTree(modules, problems, scenarios, tracks, competences, warnings)


def _load_module(root, entry, position, slug, lesson_paths, problems, competences) -> ModuleFile | None:
    relpath = f"{entry.name}/module.md"
    module_md = entry / "module.md"
    if not module_md.is_file():
        problems.append(Problem(relpath, 1, _("module.md ontbreekt in deze modulemap")))
        return None
    fm = _read(module_md, relpath, problems)
    if fm is None:
        return None
    _unknown_keys(fm, MODULE_KEYS, relpath, problems)
    goals, goal_competences = _goals(fm, relpath, problems, competences)
    module = ModuleFile(
        slug=slug,
        position=position,
        folder=entry.name,
        title=_required_text(fm, "title", relpath, problems, _("titel ontbreekt ('title')"), MAX_TITLE),
        summary=_required_text(fm, "summary", relpath, problems, _("samenvatting ontbreekt ('summary')")),
        minutes=_minutes(fm, relpath, problems),
        prerequisites=_string_list(fm, "prerequisites", relpath, problems, required=False),
        goals=goals,
        goal_competences=goal_competences,
        sources=_sources(fm, relpath, problems),
        body=fm.body,
        prerequisite_lines=fm.item_lines.get("prerequisites", []),
        prerequisites_line=fm.key_lines.get("prerequisites", 1),
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
        lesson_fm = _read(file, lesson_rel, problems)
        if lesson_fm is None:
            continue
        if lesson_slug in seen_lessons:
            problems.append(Problem(lesson_rel, 1, _(
                "dubbele les-slug '%(slug)s' (ook in %(other)s)", slug=lesson_slug, other=seen_lessons[lesson_slug])))
            continue
        seen_lessons[lesson_slug] = file.name
        _unknown_keys(lesson_fm, LESSON_KEYS, lesson_rel, problems)
        module.lessons.append(LessonFile(
            slug=lesson_slug,
            position=lesson_position,
            filename=file.name,
            title=_required_text(lesson_fm, "title", lesson_rel, problems, _("titel ontbreekt ('title')"), MAX_TITLE),
            minutes=_minutes(lesson_fm, lesson_rel, problems),
            body=lesson_fm.body,
        ))
        check_links(lesson_rel, lesson_fm.body, lesson_fm.body_line, root, lesson_paths, problems)
    quiz_path = entry / "quiz.yml"
    if quiz_path.exists():
        module.quiz = load_quiz(quiz_path, f"{entry.name}/quiz.yml", problems, goal_count=len(module.goals))
    if not module.lessons and not any(p.path.startswith(entry.name + "/") for p in problems):
        problems.append(Problem(relpath, 1, _("deze module heeft nog geen lessen")))
    return module


def _read(path: Path, relpath: str, problems: list[Problem]) -> FrontMatter | None:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        problems.append(Problem(relpath, 1, _("het bestand is geen UTF-8-tekst")))
        return None
    except OSError as exc:
        problems.append(Problem(relpath, 1, _("het bestand kan niet worden gelezen: %(reason)s",
                                              reason=exc.strerror or exc)))
        return None
    return parse_front_matter(text, relpath, problems)


def _check_prerequisites(modules: list[ModuleFile], problems: list[Problem]) -> None:
    by_slug = {m.slug: m for m in modules}
    for module in modules:
        relpath = f"{module.folder}/module.md"
        for index, prerequisite in enumerate(module.prerequisites):
            line = module.prerequisite_lines[index] if index < len(module.prerequisite_lines) else \
                module.prerequisites_line
            if prerequisite not in by_slug:
                problems.append(Problem(relpath, line, _("onbekende voorkennis-module '%(slug)s'", slug=prerequisite)))

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
                    problems.append(Problem(f"{module.folder}/module.md", module.prerequisites_line, _(
                        "circulaire voorkennis: %(cycle)s", cycle=" -> ".join(cycle))))
            elif state.get(nxt) is None:
                visit(nxt, trail + [nxt])
        state[slug] = 2

    for module in modules:
        if module.slug not in state:
            visit(module.slug, [module.slug])
