"""Quiz pages: the learner's quiz, attempt and result; the trainer's results, statistics and review queue."""

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from jimtraining.access import can, require, trainer_required
from jimtraining.access.curriculum import module_or_404
from jimtraining.access.quizzes import answer_or_404, attempt_or_404
from jimtraining.cohorts.enrolment import learner_ids_of_trainer
from jimtraining.content.catalogue import catalogue
from jimtraining.curriculum import services as curriculum
from jimtraining.exports.csv import csv_response
from jimtraining.progress.waiting import review_count, review_queue_for
from jimtraining.quizzes import presenters, services
from jimtraining.quizzes.feedback import goal_of_drawn, goals_to_revisit, needs_current_goals, reveals_answers
from jimtraining.quizzes.forms import ReviewForm
from jimtraining.quizzes.models import IN_PROGRESS
from jimtraining.quizzes.services import QuizError, QuizSummary
from jimtraining.quizzes.statistics import quiz_statistics
from jimtraining.timeutil import as_utc

bp = Blueprint("quizzes", __name__)


def _quiz_or_404(module_slug):
    """The learner's progress, the module's status and its quiz; 404 when the module or quiz does not exist."""
    progress, status = module_or_404(module_slug)
    quiz = services.quiz_for_module(status.module)
    if quiz is None:
        abort(404)
    return progress, status, quiz


def _module_and_quiz_of(attempt):
    """The module and quiz of an attempt, from the process's catalogue; 404 when either is gone."""
    module = catalogue().module(attempt.module_slug)
    quiz = module.quiz if module is not None else None
    if quiz is None:
        abort(404)
    return module, quiz


def _own_attempt_or_404(attempt_id):
    attempt = attempt_or_404(attempt_id)  # another learner's attempt does not exist for you
    return attempt, _module_and_quiz_of(attempt)[1]


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


# Learner ----------------------------------------------------------------------------------------------------

@bp.route("/modules/<module_slug>/quiz")
@login_required
def quiz(module_slug):
    _progress, status, quiz = _quiz_or_404(module_slug)
    summary = QuizSummary(quiz, services.attempts_of(current_user.id, module_slug))
    locked = not can("module.open", status)
    return render_template("quizzes/quiz.html", module=status.module, quiz=quiz, summary=summary, locked=locked)


@bp.route("/modules/<module_slug>/quiz/start", methods=["POST"])
@login_required
def start(module_slug):
    _progress, status, quiz = _quiz_or_404(module_slug)
    require("module.open", status)
    try:
        attempt = services.start_attempt(current_user, quiz)
    except QuizError as error:
        flash(str(error), "error")
        return redirect(url_for("quizzes.quiz", module_slug=module_slug))
    return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))


@bp.route("/quiz/attempts/<id:attempt_id>")
@login_required
def attempt(attempt_id):
    attempt, quiz = _own_attempt_or_404(attempt_id)
    if attempt.status != IN_PROGRESS:
        return redirect(url_for("quizzes.result", attempt_id=attempt.id))
    saved = services.saved_responses(attempt.id)
    return render_template("quizzes/attempt.html", attempt=attempt, quiz=quiz, module=quiz.module,
                           items=presenters.form_items(attempt, quiz, saved), time_up=attempt.time_is_up())


@bp.route("/quiz/attempts/<id:attempt_id>/save", methods=["POST"])
@login_required
def save(attempt_id):
    attempt, quiz = _own_attempt_or_404(attempt_id)
    # Save what can be saved: one half-finished question must not block the others.
    responses, errors = services.read_responses(attempt, quiz, request.form)
    try:
        services.save_answers(attempt, responses)
    except QuizError as error:
        return _answer_problem(attempt, str(error), status=409)
    if errors:
        return _answer_problem(attempt, _("De andere antwoorden zijn opgeslagen. Nog niet opgeslagen: %(problems)s",
                                          problems=" ".join(errors)), status=422)
    if _wants_json():
        return jsonify(saved=True, message=_("Je antwoorden zijn opgeslagen."))
    flash(_("Je antwoorden zijn opgeslagen."), "success")
    return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))


def _answer_problem(attempt, message, status=400):
    if _wants_json():
        return jsonify(saved=False, message=message), status
    flash(message, "error")
    return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))


@bp.route("/quiz/attempts/<id:attempt_id>/submit", methods=["POST"])
@login_required
def submit(attempt_id):
    attempt, quiz = _own_attempt_or_404(attempt_id)
    if attempt.status != IN_PROGRESS:
        flash(_("Deze poging was al ingeleverd. Er is niets dubbel geteld."), "info")
        return redirect(url_for("quizzes.result", attempt_id=attempt.id))
    late = attempt.time_is_up()
    responses, errors = services.read_responses(attempt, quiz, request.form)
    if errors and not late:
        flash(" ".join(errors), "error")
        return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))
    if not services.submit_attempt(attempt, quiz, responses):
        flash(_("Deze poging was al ingeleverd. Er is niets dubbel geteld."), "info")
    elif late:
        flash(_("De tijd was om. We hebben de antwoorden beoordeeld die je op tijd had opgeslagen."), "info")
    else:
        flash(_("Je toets is ingeleverd."), "success")
    return redirect(url_for("quizzes.result", attempt_id=attempt_id))  # not attempt.id: the commit expired it


@bp.route("/quiz/attempts/<id:attempt_id>/result")
@login_required
def result(attempt_id):
    attempt = attempt_or_404(attempt_id, need="attempt.view")
    module, quiz = _module_and_quiz_of(attempt)
    if attempt.status == IN_PROGRESS:
        if attempt.user_id == current_user.id:
            return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))
        abort(404)
    owner_summary = QuizSummary(quiz, services.attempts_of(attempt.user_id, attempt.module_slug))
    # Trainers always see the answers; the learner only when the quiz's setting allows it.
    reveal = attempt.user_id != current_user.id or reveals_answers(quiz, owner_summary)
    current_goals = ({key: q.goal for key, q in services.questions_by_key(quiz).items()}
                     if needs_current_goals(attempt) else None)
    revisit = goals_to_revisit(attempt, module, goal_of_drawn(attempt, current_goals))
    return render_template("quizzes/result.html", attempt=attempt, quiz=quiz, module=module, reveal=reveal,
                           items=presenters.result_items(attempt, quiz, reveal), summary=owner_summary,
                           revisit=revisit)


# Trainers and admins ----------------------------------------------------------------------------------------

def _visible_attempts(module_slug):
    allowed = learner_ids_of_trainer(current_user)
    return [a for a in services.attempts_for_quiz(module_slug) if allowed is None or a.user_id in allowed]


def _module_with_quiz_or_404(module_slug):
    found = services.module_and_quiz(module_slug)
    if found is None:
        abort(404)
    return found


@bp.route("/quizzes/")
@trainer_required
def overview():
    modules = curriculum.active_modules()
    quizzes = [m.quiz for m in modules if m.quiz is not None and not m.quiz.archived]
    waiting = review_count(current_user)
    return render_template("quizzes/overview.html", quizzes=quizzes, waiting=waiting)


@bp.route("/quizzes/<module_slug>/results")
@trainer_required
def results(module_slug):
    module, quiz = _module_with_quiz_or_404(module_slug)
    return render_template("quizzes/results.html", module=module, quiz=quiz, attempts=_visible_attempts(module_slug))


@bp.route("/quizzes/<module_slug>/results.csv")
@trainer_required
def results_csv(module_slug):
    module, quiz = _module_with_quiz_or_404(module_slug)
    rows = [["name", "email", "attempt", "status", "started_at", "submitted_at", "score", "max_score", "percent",
             "passed"]]
    for attempt in _visible_attempts(module_slug):
        rows.append([attempt.user.name, attempt.user.email, attempt.number, attempt.status,
                     as_utc(attempt.started_at).isoformat(timespec="seconds"),  # exact moments: UTC, with offset
                     as_utc(attempt.submitted_at).isoformat(timespec="seconds") if attempt.submitted_at else "",
                     attempt.score if attempt.score is not None else "", attempt.max_score or "",
                     attempt.percent if attempt.percent is not None else "",
                     "" if attempt.passed is None else ("yes" if attempt.passed else "no")])
    return csv_response(rows, f"toetsresultaten-{module.slug}.csv")


@bp.route("/quizzes/<module_slug>/statistics")
@trainer_required
def statistics(module_slug):
    module, quiz = _module_with_quiz_or_404(module_slug)
    stats, attempt_count = quiz_statistics(quiz)
    return render_template("quizzes/statistics.html", module=module, quiz=quiz, stats=stats,
                           attempt_count=attempt_count)


@bp.route("/quizzes/review")
@trainer_required
def review_queue():
    return render_template("quizzes/review_queue.html", answers=_review_queue())


def _review_queue():
    """Open answers of the learners this trainer trains (everyone's for an admin), never their own: the list the
    start page counts (jimtraining/progress/waiting.py)."""
    return review_queue_for(current_user)


@bp.route("/quizzes/review/<id:answer_id>", methods=["GET", "POST"])
@trainer_required
def review(answer_id):
    # Nobody grades their own answer, and trainers only their own learners' answers.
    answer = answer_or_404(answer_id)
    module, quiz = _module_with_quiz_or_404(answer.attempt.module_slug)
    question = services.attempt_questions(answer.attempt, quiz)[answer.question_key]
    form = ReviewForm(max_points=question.points)
    if not answer.needs_review:
        flash(_("Dit antwoord is al beoordeeld."), "info")
        return redirect(url_for("quizzes.review_queue"))
    if form.validate_on_submit():
        try:
            services.review_answer(answer, quiz, form.points.data, form.feedback.data or "", current_user)
        except QuizError as error:
            flash(str(error), "error")
        else:
            flash(_("Beoordeling opgeslagen."), "success")
            return redirect(url_for("quizzes.review_queue"))
    return render_template("quizzes/review.html", answer=answer, question=question, module=module, form=form)
