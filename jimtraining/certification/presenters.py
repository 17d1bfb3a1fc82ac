"""What the cohort pages show about certification: the track and each learner's eligibility."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext
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
    # The words of each row are made here, once per text rather than once per cell in the template: a
    # 30-learner table would otherwise translate the same few texts hundreds of times.
    of = _("%(a)s van %(b)s")
    for row in rows:
        row.attendance_text = (None if row.attendance_percent is None else
                               f"{row.attendance_percent}% ({of % {'a': row.attended, 'b': row.expected}})")
    if track is None:
        return rows, modules, past, {"track": None, "eligibility": {}, "cells": {}}
    eligibility = cohorts_eligibility([(cohort, track)], progress=progress)[0]
    return rows, modules, past, {"track": track, "eligibility": eligibility, "cells": _certificate_cells(eligibility)}


def _certificate_cells(eligibility: dict) -> dict[int, tuple[str, str]]:
    """user id -> (certified, eligible or missing; the words) for the certificate column of the dashboard."""
    certified, eligible = _("gecertificeerd"), _("klaar om af te tekenen")
    missing: dict[int, str] = {}
    cells = {}
    for user_id, item in eligibility.items():
        if item.already_certified:
            cells[user_id] = ("certified", certified)
        elif item.eligible:
            cells[user_id] = ("eligible", eligible)
        else:
            count = len(item.missing)
            if count not in missing:
                missing[count] = ngettext("nog %(num)d onderdeel", "nog %(num)d onderdelen", count)
            cells[user_id] = ("missing", missing[count])
    return cells


def learner_certification(cohort: Cohort, user_id: int) -> dict:
    """For the trainer's page of one learner: checklist, certificate, and whether this trainer may sign."""
    track = services.cohort_track(cohort)
    if track is None:
        return {"track": None, "eligibility": None, "refusal": services.refusal(current_user, cohort)}
    return {"track": track, "eligibility": learner_eligibility(cohort, track, user_id),
            "refusal": services.refusal(current_user, cohort), "sign_form": ConfirmForm()}
