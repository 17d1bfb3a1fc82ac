"""Learner pages of the curriculum: module overview, module page, lesson page, mark as done."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from jimtraining.access import can, require
from jimtraining.access.curriculum import lesson_or_404, module_or_404
from jimtraining.accounts.forms import ConfirmForm
from jimtraining.curriculum import services
from jimtraining.curriculum.links import IMAGE_EXTENSIONS
from jimtraining.quizzes import services as quiz_services
from jimtraining.quizzes.services import QuizSummary

bp = Blueprint("curriculum", __name__, url_prefix="/modules")


@bp.route("/")
@login_required
def overview():
    return render_template("curriculum/overview.html", statuses=services.learner_progress(current_user).statuses)


@bp.route("/<slug>")
@login_required
def module(slug):
    progress, status = module_or_404(slug)
    module = status.module
    intro = services.render_content(f"{module.folder}/module.md", module.body)
    quiz = quiz_services.quiz_for_module(module)
    quiz_summary = QuizSummary(quiz, quiz_services.attempts_of(current_user.id, module.slug)) if quiz else None
    return render_template("curriculum/module.html", module=module, status=status, progress=progress, intro=intro,
                           quiz_summary=quiz_summary)


@bp.route("/<module_slug>/<lesson_slug>")
@login_required
def lesson(module_slug, lesson_slug):
    progress, status = module_or_404(module_slug)
    module = status.module
    lesson = lesson_or_404(module, lesson_slug)
    if not can("module.open", status):
        flash(_("Deze module is nog op slot. Rond eerst de modules af die hieronder staan."), "info")
        return redirect(url_for("curriculum.module", slug=module.slug))
    lessons = module.active_lessons
    index = lessons.index(lesson)
    return render_template(
        "curriculum/lesson.html",
        module=module,
        lesson=lesson,
        body=services.render_content(lesson.source_path, lesson.body),
        previous=lessons[index - 1] if index > 0 else None,
        next=lessons[index + 1] if index + 1 < len(lessons) else None,
        position=index + 1,
        count=len(lessons),
        is_done=progress.is_done(lesson),
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
    _progress, status = module_or_404(module_slug)
    module = status.module
    lesson = lesson_or_404(module, lesson_slug)
    require("module.open", status)
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
    _progress, status = module_or_404(slug)
    module = status.module
    if "." not in filename or "." + filename.rsplit(".", 1)[1].lower() not in IMAGE_EXTENSIONS:
        abort(404)
    require("module.open", status)
    folder = f"{current_app.config['MODULES_DIR']}/{module.folder}"
    response = send_from_directory(folder, filename, max_age=3600)
    response.cache_control.public = False
    response.cache_control.private = True
    # An SVG opened on its own must not run scripts as this site.
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response
