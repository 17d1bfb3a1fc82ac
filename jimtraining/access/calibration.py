"""Who may calibrate, and the loader of a calibration's result page.

Trainers calibrate, and so do trainer candidates: learners in an active cohort that follows a track for future
JIM-trainers (audience "trainer"). A calibration's result is its scorer's own: for anyone else it does not exist
(404); the programme office sees everyone's figures on its own page (admin.calibration).
"""

from __future__ import annotations

from flask import abort

from jimtraining.access import can, get_or_404, rule
from jimtraining.calibration.models import CalibrationAttempt
from jimtraining.certification.eligibility import followed_tracks
from jimtraining.roles import Role


def is_trainer_candidate(user) -> bool:
    """A learner who follows a track for future JIM-trainers in one of their active cohorts."""
    return user.role == Role.LEARNER and any(track.audience == "trainer" for _cohort, track in followed_tracks(user))


@rule("calibration.score")
def score_calibration(user) -> bool:
    """Trainers and trainer candidates score reference rounds."""
    return user.role == Role.TRAINER or is_trainer_candidate(user)


@rule("calibration.view")
def view_calibration(user, attempt: CalibrationAttempt) -> bool:
    """Only the person who scored sees a calibration's page."""
    return attempt.user_id == user.id


def attempt_or_404(attempt_id: int) -> CalibrationAttempt:
    """A calibration of the person of this request; 404 when it does not exist or is someone else's."""
    attempt = get_or_404(CalibrationAttempt, attempt_id)
    if not can(view_calibration, attempt):
        abort(404)
    return attempt
