"""What the cohort pages show about certification: the track and each learner's eligibility."""

from __future__ import annotations

from flask_login import current_user

from jimtraining.accounts.forms import ConfirmForm
from jimtraining.certification import services
from jimtraining.certification.eligibility import cohort_eligibility, learner_eligibility
from jimtraining.cohorts.models import Cohort


def cohort_certification(cohort: Cohort) -> dict:
    """For the cohort dashboard: the track and every learner's eligibility (fixed number of queries)."""
    track = services.cohort_track(cohort)
    if track is None:
        return {"track": None, "eligibility": {}}
    return {"track": track, "eligibility": cohort_eligibility(cohort, track)}


def learner_certification(cohort: Cohort, user_id: int) -> dict:
    """For the trainer's page of one learner: checklist, certificate, and whether this trainer may sign."""
    track = services.cohort_track(cohort)
    if track is None:
        return {"track": None, "eligibility": None, "refusal": services.refusal(current_user, cohort)}
    return {"track": track, "eligibility": learner_eligibility(cohort, track, user_id),
            "refusal": services.refusal(current_user, cohort), "sign_form": ConfirmForm()}
