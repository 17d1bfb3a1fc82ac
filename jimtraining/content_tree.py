"""The whole content tree of modules/: read and check it (`load_content`), write it (`sync_content`).

Each domain reads and writes its own part with the content framework (jimtraining/content/); this module, above the
domains (with the command line that uses it), puts the parts together, in the order `flask content check` reports
problems in: the competences, each module with its lessons and quiz, the scenarios, the tracks, the course unit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext as _

from jimtraining.certification.tracks import TrackFile, load_tracks, sync_tracks
from jimtraining.content.competences import Competence, load_competences
from jimtraining.content.problems import Problem
from jimtraining.content.sync import SyncReport
from jimtraining.curriculum.courseunit import UnitPart, load_course_unit
from jimtraining.curriculum.loader import ModuleFile, load_modules
from jimtraining.curriculum.services import sync_modules
from jimtraining.extensions import db
from jimtraining.quizzes.loader import load_quiz
from jimtraining.quizzes.services import sync_quiz
from jimtraining.scenarios.loader import ScenarioFile, load_scenarios
from jimtraining.scenarios.services import sync_scenarios

log = logging.getLogger(__name__)


@dataclass
class ContentTree:
    modules: list[ModuleFile]
    problems: list[Problem]
    #: Role-play scenarios from modules/scenarios/.
    scenarios: list[ScenarioFile] = field(default_factory=list)
    #: Certification tracks from modules/tracks/.
    tracks: list[TrackFile] = field(default_factory=list)
    #: The JIM competences from modules/competences.yml, by id (empty when the file is absent).
    competences: dict[str, Competence] = field(default_factory=dict)
    #: What deserves an author's look but does not stop the check (path:line: message), e.g. a scenario whose
    #: best choices are all written first.
    warnings: list[Problem] = field(default_factory=list)
    #: The course unit for hogescholen (modules/onderwijseenheid/), in order; read from the files by its pages.
    course_unit: list[UnitPart] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def load_content(root: Path | str) -> ContentTree:
    """Read and check everything under root. Problems are collected, never raised."""
    root = Path(root)
    if not root.is_dir():
        return ContentTree([], [Problem(str(root), 1, _("de map met modules bestaat niet"))])
    problems: list[Problem] = []
    competences = load_competences(root, problems)

    def read_quiz(module: ModuleFile, folder: Path) -> None:
        path = folder / "quiz.yml"
        if path.exists():
            module.quiz = load_quiz(path, f"{folder.name}/quiz.yml", problems, goal_count=len(module.goals))

    modules = load_modules(root, problems, competences, also_read=read_quiz)
    warnings: list[Problem] = []
    scenarios = load_scenarios(root / "scenarios", {m.slug for m in modules}, problems, competences, warnings)
    tracks = load_tracks(root / "tracks", {m.slug: m for m in modules}, problems)
    course_unit = load_course_unit(root, problems, competences, modules, {track.slug for track in tracks})
    return ContentTree(modules, problems, scenarios, tracks, competences, warnings, course_unit)


def sync_content(tree: ContentTree) -> SyncReport:
    """Write a checked content tree to the database, in one transaction.

    Idempotent: a second run changes nothing. Rows are matched by slug, so editing text keeps every learner's
    progress; what left the files is archived (hidden, progress kept), never deleted. Refuses a tree with problems.
    """
    if not tree.ok:
        raise ValueError("content has problems; run `flask content check`")
    report = SyncReport()
    sync_modules(tree.modules, report, also_sync=lambda module, source: sync_quiz(module, source.quiz, report))
    sync_scenarios(tree.scenarios, report)
    sync_tracks(tree.tracks, report)
    db.session.commit()
    log.info("content sync: %d created, %d updated, %d archived, %d restored, %d unchanged",
             len(report.created), len(report.updated), len(report.archived), len(report.restored),
             report.unchanged)
    return report
