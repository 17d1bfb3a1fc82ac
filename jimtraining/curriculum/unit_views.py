"""The course unit for hogescholen (modules/onderwijseenheid/): its overview with the computed study load and
each of its parts, for lecturers, trainers and admins."""

from pathlib import Path

from flask import Blueprint, abort, current_app, render_template
from flask_login import login_required

from jimtraining.access import require
from jimtraining.content.catalogue import catalogue
from jimtraining.content.competences import load_competences
from jimtraining.curriculum import services
from jimtraining.curriculum.courseunit import UnitPart, read_course_unit
from jimtraining.curriculum.studyload import HOURS_PER_EC, compute_study_load, literature
from jimtraining.rendering import render_markdown

bp = Blueprint("courseunit", __name__, url_prefix="/onderwijseenheid")


def _root() -> Path:
    return Path(current_app.config["MODULES_DIR"])


def _overview_part(parts: list[UnitPart]) -> UnitPart | None:
    return next((part for part in parts if part.study_load), parts[0] if parts else None)


@bp.route("/")
@login_required
def overview():
    require("courseunit.read")
    parts = read_course_unit(_root())
    part = _overview_part(parts)
    content = catalogue()
    return render_template(
        "curriculum/unit_overview.html", parts=parts, part=part,
        body=services.render_content(part.source_path, part.body) if part else None,
        load=compute_study_load(content, parts), hours_per_ec=HOURS_PER_EC)


@bp.route("/<slug>")
@login_required
def part(slug):
    require("courseunit.read")
    parts = read_course_unit(_root())
    part = next((candidate for candidate in parts if candidate.slug == slug), None)
    if part is None:
        abort(404)
    content = catalogue()
    track = content.track(part.track)
    practice = ((track.requirements or {}).get("practice") or {}) if track is not None and part.track else {}
    competences = load_competences(_root(), []) if part.outcomes else {}
    return render_template(
        "curriculum/unit_part.html", parts=parts, part=part, overview=_overview_part(parts),
        body=services.render_content(part.source_path, part.body),
        competences=competences, modules=content.by_slug, track=track if practice else None,
        prompt=render_markdown(practice["prompt"]) if practice.get("prompt") else None,
        min_words=practice.get("min_words"),
        literature=literature(content) if part.shows == "literatuur" else [])
