"""The coverage page: for trainers, lecturers (trainers of a hogeschool class) and the programme office."""

from flask import Blueprint, render_template

from jimtraining.access import trainer_required
from jimtraining.coverage.services import coverage

bp = Blueprint("coverage", __name__)


@bp.route("/coverage")
@trainer_required
def overview():
    return render_template("coverage/overview.html", coverage=coverage())
