"""Read, check and load certification tracks: modules/tracks/<slug>.yml (documented in modules/README.md).

``load_tracks`` only reads and checks (problems as path:line: message, never raised); ``sync_tracks`` writes the
checked tracks to the Track table. A track that leaves the files is archived, never deleted: certificates refer
to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select

from jimtraining.certification.accreditation import check_accreditation
from jimtraining.certification.models import AUDIENCES, Track
from jimtraining.certification.practice_criteria import check_criteria
from jimtraining.content.checks import file_slug, required_text, unknown_keys, whole_number
from jimtraining.content.problems import Problem, Reporter
from jimtraining.content.sync import SyncReport, sync_by_slug
from jimtraining.content.yamlmap import read_yaml_file
from jimtraining.extensions import db

MAX_TITLE = 200
AUDIENCE_VALUES = tuple(AUDIENCES)
TOP_KEYS = {"title", "summary", "audience", "valid_months", "renews", "requirements", "accreditation"}
REQUIREMENT_KEYS = {"modules", "quizzes", "attendance_percent", "roleplay_sufficient", "practice", "co_training",
                    "calibration"}
PRACTICE_KEYS = {"min_words", "prompt", "criteria", "cutoff"}
CALIBRATION_KEYS = {"min_kappa", "guidance"}
#: Whole-number fields and their ranges (inclusive).
VALID_MONTHS = (1, 120)
ATTENDANCE_PERCENT = (0, 100)
ROLEPLAY_SUFFICIENT = (0, 50)
#: Observed co-trainings signed by a licensed trainer (jimtraining/certification/co_training.py).
CO_TRAINING = (0, 10)
MIN_WORDS = (50, 5000)


@dataclass
class TrackFile:
    """A checked track file; its fields that are columns of certification.models.Track are what sync writes."""

    slug: str
    title: str
    summary: str
    audience: str
    valid_months: int
    #: Slug of the track whose certificate this refresher renews, or None.
    renews: str | None
    #: Always all five keys: modules [slug], quizzes [slug], attendance_percent int (0: no requirement),
    #: roleplay_sufficient int (0: no requirement), practice {"min_words": int, "prompt": str, and when it has
    #: assessment criteria "criteria": [{id, criterion, levels}], "cutoff": {min_level, min_total}} or None,
    #: calibration {"min_kappa": float, "guidance": str} or None (jimtraining/calibration/).
    requirements: dict
    #: Index in the sorted file order.
    position: int
    #: The SKJ accreditation (certification/accreditation.py shape), or None.
    accreditation: dict | None = None


@dataclass
class _Parsed:
    """One file after its own checks, before the checks that need the other tracks."""

    slug: str
    relpath: str
    track: TrackFile | None
    renews: object
    renews_line: int
    audience: object


def load_tracks(folder: Path, modules: dict, problems: list) -> list[TrackFile]:
    """Every track in modules/tracks/, checked against the modules (by slug: the curriculum's parsed modules, of
    which a track reads `folder` and `quiz`) and each other."""
    if not folder.is_dir():
        return []
    parsed: list[_Parsed] = []
    seen: dict[str, str] = {}
    files = [p for p in sorted(folder.iterdir()) if p.suffix in (".yml", ".yaml") and not p.is_dir()]
    for position, path in enumerate(files):
        relpath = f"tracks/{path.name}"
        if path.stem in seen:
            problems.append(Problem(relpath, 1, _("dubbele traject-slug '%(slug)s' (ook in %(other)s)",
                                                  slug=path.stem, other=seen[path.stem])))
            continue
        item = _load(path, relpath, position, modules, folder.parent, problems)
        if item is not None:
            seen[item.slug] = relpath
            parsed.append(item)
    _check_renews(parsed, problems)
    return [item.track for item in parsed if item.track is not None]


def _load(path: Path, relpath: str, position: int, modules: dict, root: Path, problems: list) -> _Parsed | None:
    slug = file_slug(path, relpath, problems)
    if slug is None:
        return None
    # A file that cannot be read still exists: a refresher that renews it is not told the track is unknown.
    unreadable = _Parsed(slug=slug, relpath=relpath, track=None, renews=None, renews_line=1, audience=None)
    loaded = read_yaml_file(path, relpath, problems)
    if loaded is None:
        return unreadable
    data, lines = loaded
    before = len(problems)
    report = Reporter(problems, relpath, lines)
    if not isinstance(data, dict):
        report((), _("een traject bestaat uit velden (naam: waarde)"))
        return unreadable
    unknown_keys(data, TOP_KEYS, (), report)
    title = required_text(data, "title", (), report, MAX_TITLE)
    summary = required_text(data, "summary", (), report)
    audience = data.get("audience")
    if audience not in AUDIENCE_VALUES:
        report(("audience",), _("'audience' is learner (professionals) of trainer (toekomstige JIM-trainers)"))
    valid_months = whole_number(data, "valid_months", (), VALID_MONTHS, report, required=True)
    renews = data.get("renews")
    if "renews" in data and not (isinstance(renews, str) and renews.strip()):
        report(("renews",), _("'renews' is de slug van het traject dat dit traject vernieuwt"))
    requirements = _requirements(data, modules, root, report)
    accreditation = check_accreditation(data["accreditation"], requirements, report) \
        if "accreditation" in data else None
    track = None
    if len(problems) == before:
        track = TrackFile(slug=slug, title=title, summary=summary, audience=audience, valid_months=valid_months,
                          renews=renews.strip() if isinstance(renews, str) else None, requirements=requirements,
                          position=position, accreditation=accreditation)
    return _Parsed(slug=slug, relpath=relpath, track=track, renews=renews, renews_line=lines.line("renews"),
                   audience=audience)


def _check_renews(parsed: list[_Parsed], problems: list) -> None:
    """A refresher renews an existing track that is not itself a refresher, and never itself."""
    by_slug = {item.slug: item for item in parsed}
    for item in parsed:
        if not isinstance(item.renews, str) or not item.renews.strip():
            continue
        target_slug = item.renews.strip()
        target = by_slug.get(target_slug)
        message = None
        if target_slug == item.slug:
            message = _("een traject kan niet zichzelf vernieuwen ('renews: %(slug)s')", slug=target_slug)
        elif target is None:
            message = _("onbekend traject '%(slug)s' bij 'renews'", slug=target_slug)
        elif isinstance(target.renews, str) and target.renews.strip():
            message = _("'%(slug)s' vernieuwt zelf al een ander traject; 'renews' noemt een gewoon traject",
                        slug=target_slug)
        elif item.audience in AUDIENCE_VALUES and target.audience in AUDIENCE_VALUES \
                and item.audience != target.audience:
            message = _("'%(slug)s' is voor een andere doelgroep ('audience'); een opfristraject heeft dezelfde "
                        "doelgroep als het traject dat het vernieuwt", slug=target_slug)
        if message is not None:
            problems.append(Problem(item.relpath, item.renews_line, message))
            item.track = None


def _requirements(data: dict, modules: dict, root: Path, report) -> dict:
    """The normalised requirements (all five keys); problems are reported."""
    at = ("requirements",)
    normalised = {"modules": [], "quizzes": [], "attendance_percent": 0, "roleplay_sufficient": 0, "practice": None,
                  "calibration": None}
    value = data.get("requirements")
    if not isinstance(value, dict) or not value:
        report(at, _("'requirements' ontbreekt: noem minstens één eis (modules, quizzes, attendance_percent, "
                     "roleplay_sufficient of practice)"))
        return normalised
    before = report.count
    unknown_keys(value, REQUIREMENT_KEYS, at, report)
    normalised["modules"] = _module_list(value, "modules", modules, root, report, need_quiz=False)
    normalised["quizzes"] = _module_list(value, "quizzes", modules, root, report, need_quiz=True)
    normalised["attendance_percent"] = whole_number(value, "attendance_percent", at, ATTENDANCE_PERCENT, report)
    normalised["roleplay_sufficient"] = whole_number(value, "roleplay_sufficient", at, ROLEPLAY_SUFFICIENT, report)
    if "co_training" in value:
        normalised["co_training"] = whole_number(value, "co_training", at, CO_TRAINING, report)
    if "practice" in value:
        normalised["practice"] = _practice(value["practice"], at + ("practice",), report)
    if "calibration" in value:
        normalised["calibration"] = _calibration(value["calibration"], at + ("calibration",), report)
    has_requirement = (normalised["modules"] or normalised["quizzes"] or normalised["attendance_percent"]
                       or normalised["roleplay_sufficient"] or normalised["practice"] is not None
                       or normalised.get("co_training") or normalised["calibration"] is not None)
    if report.count == before and not has_requirement:
        report(at, _("een traject heeft minstens één eis: modules, quizzes, attendance_percent, "
                     "roleplay_sufficient of practice"))
    return normalised


def _module_list(requirements: dict, key: str, modules: dict, root: Path, report, need_quiz: bool) -> list[str]:
    at = ("requirements", key)
    value = requirements.get(key, [])
    if not isinstance(value, list):
        report(at, _("'%(key)s' is een lijst met module-slugs", key=key))
        return []
    result = []
    for index, slug in enumerate(value):
        where = at + (index,)
        if not isinstance(slug, str) or not slug.strip():
            report(where, _("'%(key)s' is een lijst met module-slugs", key=key))
            continue
        slug = slug.strip()
        if slug in result:
            report(where, _("'%(slug)s' staat twee keer in '%(key)s'", slug=slug, key=key))
            continue
        result.append(slug)
        module = modules.get(slug)
        if module is None:
            report(where, _("onbekende module '%(slug)s'", slug=slug))
        elif need_quiz and module.quiz is None and not (root / module.folder / "quiz.yml").exists():
            # A quiz.yml with problems of its own is reported there; only a missing quiz is reported here.
            report(where, _("module '%(slug)s' heeft geen toets (quiz.yml)", slug=slug))
    return result


def _practice(value, at: tuple, report) -> dict | None:
    if not isinstance(value, dict):
        report(at, _("'practice' heeft 'min_words' en 'prompt'"))
        return None
    unknown_keys(value, PRACTICE_KEYS, at, report)
    min_words = whole_number(value, "min_words", at, MIN_WORDS, report, required=True)
    prompt = required_text(value, "prompt", at, report)
    criteria, cutoff = check_criteria(value, at, report)
    result = {"min_words": min_words, "prompt": prompt}
    if criteria:
        result.update(criteria=criteria, cutoff=cutoff)
    return result


def _calibration(value, at: tuple, report) -> dict | None:
    """calibration: {min_kappa: 0-1, the lowest weighted kappa with the expert on a reference round; guidance:
    why this threshold, shown to the learner and labelled as course guidance}."""
    if not isinstance(value, dict):
        report(at, _("'calibration' heeft 'min_kappa' en 'guidance'"))
        return None
    unknown_keys(value, CALIBRATION_KEYS, at, report)
    kappa = value.get("min_kappa")
    if isinstance(kappa, bool) or not isinstance(kappa, int | float) or not 0 < kappa <= 1:
        report(at + ("min_kappa",), _("'min_kappa' is een getal groter dan 0 en hoogstens 1, bijvoorbeeld 0.6"))
        kappa = None
    guidance = required_text(value, "guidance", at, report)
    return {"min_kappa": float(kappa), "guidance": guidance} if kappa is not None else None


def sync_tracks(tracks: list[TrackFile], report: SyncReport) -> None:
    """Upsert tracks by slug; archive the ones whose file is gone, restore the ones that came back."""
    sync_by_slug(Track, db.session.scalars(select(Track)), tracks, report, prefix="tracks/")
