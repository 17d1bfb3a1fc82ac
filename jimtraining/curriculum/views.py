"""Learner pages of the curriculum: module overview, module page, lesson page, mark as done."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from jimtraining.accounts.forms import ConfirmForm
from jimtraining.curriculum import services
from jimtraining.curriculum.loader import IMAGE_EXTENSIONS
from jimtraining.permissions import sees_all_content

bp = Blueprint("curriculum", __name__, url_prefix="/modules")


def _status_for(module):
    statuses = services.module_statuses(current_user)
    return next(s for s in statuses if s.module.id == module.id), statuses


def _lesson_or_404(module, lesson_slug):
    lesson = next((lesson for lesson in module.active_lessons if lesson.slug == lesson_slug), None)
    if lesson is None:
        abort(404)
    return lesson


@bp.route("/")
@login_required
def overview():
    statuses = services.module_statuses(current_user)
    return render_template("curriculum/overview.html", statuses=statuses)


@bp.route("/<slug>")
@login_required
def module(slug):
    module = services.get_module_or_404(slug)
    status, _statuses = _status_for(module)
    done = services.completed_lessons(current_user.id)
    intro = services.render_content(f"{module.folder}/module.md", module.body)
    return render_template("curriculum/module.html", module=module, status=status, done=done, intro=intro)


@bp.route("/<module_slug>/<lesson_slug>")
@login_required
def lesson(module_slug, lesson_slug):
    module = services.get_module_or_404(module_slug)
    lesson = _lesson_or_404(module, lesson_slug)
    status, _statuses = _status_for(module)
    if status.locked and not sees_all_content(current_user):
        flash(_("Deze module is nog op slot. Rond eerst de modules af die hieronder staan."), "info")
        return redirect(url_for("curriculum.module", slug=module.slug))
    services.record_visit(current_user, lesson)
    lessons = module.active_lessons
    index = lessons.index(lesson)
    done = services.completed_lessons(current_user.id)
    return render_template(
        "curriculum/lesson.html",
        module=module,
        lesson=lesson,
        body=services.render_content(lesson.source_path, lesson.body),
        previous=lessons[index - 1] if index > 0 else None,
        next=lessons[index + 1] if index + 1 < len(lessons) else None,
        position=index + 1,
        count=len(lessons),
        is_done=(module.slug, lesson.slug) in done,
        form=ConfirmForm(),
    )


@bp.route("/<module_slug>/<lesson_slug>/done", methods=["POST"])
@login_required
def mark_done(module_slug, lesson_slug):
    return _set_done(module_slug, lesson_slug, True)


@bp.route("/<module_slug>/<lesson_slug>/undo", methods=["POST"])
@login_required
def mark_not_done(module_slug, lesson_slug):
    return _set_done(module_slug, lesson_slug, False)


def _set_done(module_slug, lesson_slug, done):
    module = services.get_module_or_404(module_slug)
    lesson = _lesson_or_404(module, lesson_slug)
    status, _statuses = _status_for(module)
    if status.locked and not sees_all_content(current_user):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.set_lesson_done(current_user, lesson, done)
    if not done:
        flash(_("De les staat weer op 'nog niet klaar'."), "info")
        return redirect(url_for("curriculum.lesson", module_slug=module.slug, lesson_slug=lesson.slug))
    lessons = module.active_lessons
    index = lessons.index(lesson)
    if index + 1 < len(lessons):
        flash(_("Goed zo, de les is klaar. Hier is de volgende."), "success")
        nxt = lessons[index + 1]
        return redirect(url_for("curriculum.lesson", module_slug=module.slug, lesson_slug=nxt.slug))
    flash(_("Goed zo, de les is klaar."), "success")
    return redirect(url_for("curriculum.module", slug=module.slug))


@bp.route("/<slug>/files/<path:filename>")
@login_required
def module_file(slug, filename):
    """Images stored in a module folder (checked by `content check`)."""
    module = services.get_module_or_404(slug)
    if "." not in filename or "." + filename.rsplit(".", 1)[1].lower() not in IMAGE_EXTENSIONS:
        abort(404)
    folder = f"{current_app.config['MODULES_DIR']}/{module.folder}"
    return send_from_directory(folder, filename, max_age=3600)
