"""What the cohort pages show about certification: the track and each learner's eligibility."""

from __future__ import annotations

from flask_login import current_user

from jimtraining.accounts.forms import ConfirmForm
from jimtraining.certification import services
from jimtraining.certification.eligibility import cohorts_eligibility, learner_eligibility
from jimtraining.cohorts.models import Cohort
from jimtraining.cohorts.services import LearnerRow, cohort_matrix, groups_progress, matrix_modules


def cohort_overview(cohort: Cohort) -> tuple[list[LearnerRow], list, int, dict]:
    """The trainer's dashboard: the progress matrix and every learner's eligibility, from one count of the
    learners' progress in the cohort's modules and the track's (a fixed number of queries)."""
    track = services.cohort_track(cohort)
    modules = matrix_modules(cohort)
    slugs = [m.slug for m in modules]
    if track is not None:
        requirements = track.requirements or {}
        slugs += list(requirements.get("modules") or []) + list(requirements.get("quizzes") or [])
    progress = groups_progress([cohort], slugs)
    rows, modules, past = cohort_matrix(cohort, progress=progress[0])
    if track is None:
        return rows, modules, past, {"track": None, "eligibility": {}}
    eligibility = cohorts_eligibility([(cohort, track)], progress=progress)[0]
    return rows, modules, past, {"track": track, "eligibility": eligibility}


def learner_certification(cohort: Cohort, user_id: int) -> dict:
    """For the trainer's page of one learner: checklist, certificate, and whether this trainer may sign."""
    track = services.cohort_track(cohort)
    if track is None:
        return {"track": None, "eligibility": None, "refusal": services.refusal(current_user, cohort)}
    return {"track": track, "eligibility": learner_eligibility(cohort, track, user_id),
            "refusal": services.refusal(current_user, cohort), "sign_form": ConfirmForm()}
