"""Who may see a certificate and hand in or review a practice assignment, and the loaders of those pages (404 first,
then 403)."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select

from jimtraining.access import get_or_404, require, rule
from jimtraining.access.cohorts import manage_cohort
from jimtraining.certification.eligibility import followed_tracks
from jimtraining.certification.models import Certificate, PracticeAssignment, Track
from jimtraining.cohorts.models import Cohort
from jimtraining.extensions import db
from jimtraining.roles import Role


@rule("certificate.view")
def view_certificate(user, certificate: Certificate) -> bool:
    """The holder, admins, and the trainers of the cohort it was signed in."""
    if user.role == Role.ADMIN or certificate.user_id == user.id:
        return True
    return certificate.cohort is not None and manage_cohort(user, certificate.cohort)


@rule("practice.hand_in")
def hand_in_practice(user, track: Track) -> bool:
    """Learners hand in the practice assignment of a track they follow in one of their active cohorts."""
    return any(t.slug == track.slug for _cohort, t in followed_tracks(user))


def certificate_or_404(certificate_id: int, need: str | None = "certificate.view") -> Certificate:
    """The certificate (404), if the person of this request may `need` it (403; None: no check)."""
    return get_or_404(Certificate, certificate_id, need)


def practice_track_or_404(track_slug: str) -> Track:
    """A track with a practice assignment (404 when there is none) that the person of this request may hand in
    for (403)."""
    track = db.session.scalar(select(Track).where(Track.slug == track_slug, Track.archived.is_(False)))
    if track is None or not track.practice:
        abort(404)
    require(hand_in_practice, track)
    return track


def practice_or_404(cohort: Cohort, assignment_id: int) -> PracticeAssignment:
    """A practice assignment for the cohort's track by one of its active learners: 404 for any other, as for one that
    does not exist. Access to the cohort is checked by its loader (cohort_or_404) first."""
    assignment = db.get_or_404(PracticeAssignment, assignment_id)
    if assignment.track_slug != cohort.track_slug or not cohort.is_member(assignment.user):
        abort(404)
    return assignment
