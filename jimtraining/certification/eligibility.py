"""Who may get a certificate: every requirement of a track, checked against the data each time it is asked.

Nothing here is stored. The checklist a learner sees, the column in the trainer's matrix and the check at the
moment of signing all come from `cohort_eligibility`, which costs the same number of queries for one learner
or for a cohort of 500.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import aliased

from jimtraining.calibration.models import CalibrationAttempt
from jimtraining.certification.group_progress import GroupProgress, groups_progress
from jimtraining.certification.models import (
    Certificate,
    ObservedCoTraining,
    PracticeAssignment,
    PracticeVersion,
    Track,
)
from jimtraining.cohorts.enrolment import memberships
from jimtraining.cohorts.models import Cohort
from jimtraining.cohorts.track_fit import counted_modules
from jimtraining.content.catalogue import catalogue
from jimtraining.extensions import db
from jimtraining.formatting import decimal
from jimtraining.roleplay.models import RolePlayRound
from jimtraining.timeutil import as_utc, utcnow

#: A certificate that still runs longer than this cannot be renewed yet.
RENEWAL_WINDOW = timedelta(days=90)


@dataclass
class Check:
    """One line of the checklist."""

    #: modules, quizzes, attendance, roleplay, practice, co_training, calibration or renewal
    kind: str
    label: str
    met: bool
    #: How far the learner is, in words ("3 van 5 lessen").
    detail: str = ""
    #: The module or quiz slug the line is about, when there is one.
    slug: str | None = None
    #: Done by the learner, waiting for the trainer (an open answer to grade, a practice version to review).
    waiting: bool = False


@dataclass
class Eligibility:
    user_id: int
    track: Track
    checks: list[Check] = field(default_factory=list)
    #: The learner's newest certificate for this track's qualification that is not revoked.
    certificate: Certificate | None = None
    #: A certificate already runs long enough: signing again would only make a duplicate.
    already_certified: bool = False

    @property
    def eligible(self) -> bool:
        return not self.already_certified and all(check.met for check in self.checks)

    @property
    def missing(self) -> list[Check]:
        return [check for check in self.checks if not check.met]


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


# Built once (see jimtraining/cohorts/enrolment.py, ENROLLED); the lists are bound when they run.
_USER_IDS = bindparam("user_ids", expanding=True)
# Only the learners in SQL; the qualification and the order are applied in Python. A condition on qualification
# (or ORDER BY expires_at) leads SQLite's planner, which has no statistics, to walk the (qualification,
# expires_at) index over every certificate in the country instead of looking up these few learners.
_CERTIFICATES = select(Certificate).where(Certificate.user_id.in_(_USER_IDS), Certificate.revoked_at.is_(None))
# Only released verdicts count: the checklist must not tell a learner what the trainer has not shared.
_SUFFICIENT_ROUNDS = (select(RolePlayRound.professional_id, RolePlayRound.created_at)
                      .where(RolePlayRound.professional_id.in_(_USER_IDS), RolePlayRound.outcome == "sufficient",
                             RolePlayRound.released_at.is_not(None)))
# Observed co-trainings signed by a licensed trainer (jimtraining/certification/co_training.py): when each was signed.
_CO_TRAININGS = (select(ObservedCoTraining.candidate_id, ObservedCoTraining.signed_at)
                 .where(ObservedCoTraining.candidate_id.in_(_USER_IDS)))
# Calibrations (jimtraining/calibration/): when, and how well they agreed with the expert.
_CALIBRATIONS = (select(CalibrationAttempt.user_id, CalibrationAttempt.created_at, CalibrationAttempt.kappa,
                        CalibrationAttempt.exact).where(CalibrationAttempt.user_id.in_(_USER_IDS)))
# The newest version of each practice assignment: its decision and when it was handed in (not its text).
_ANY_VERSION = aliased(PracticeVersion)
_NEWEST_NUMBER = (select(func.max(_ANY_VERSION.number)).where(_ANY_VERSION.assignment_id == PracticeAssignment.id)
                  .correlate(PracticeAssignment).scalar_subquery())
_NEWEST_PRACTICE = (
    select(PracticeAssignment.user_id, PracticeAssignment.track_slug, PracticeVersion.decision,
           PracticeVersion.submitted_at)
    .join(PracticeVersion, PracticeVersion.assignment_id == PracticeAssignment.id)
    .where(PracticeAssignment.user_id.in_(_USER_IDS),
           PracticeAssignment.track_slug.in_(bindparam("tracks", expanding=True)),
           PracticeVersion.number == _NEWEST_NUMBER))


def cohort_eligibility(cohort: Cohort, track: Track, user_ids: list[int] | None = None,
                       now=None) -> dict[int, Eligibility]:
    """Eligibility of the cohort's active learners (or of the given ones among them) for `track`.

    Attendance counts the cohort's sessions that have ended and that the learner was expected at: held after
    they joined, or marked for them anyway; excused sessions count for nobody. The threshold is inclusive:
    exactly 80% meets 80%.

    Re-certification (the learner already had a certificate of this qualification, expired or about to): the
    live role-play rounds and the practice assignment must be new, from after that certificate. Modules and
    quizzes done before still count: the knowledge stays, and quiz attempt limits would otherwise lock people
    out; the refresher's sessions and rounds are where the practice is shown again.
    """
    return cohorts_eligibility([(cohort, track)], user_ids, now=now)[0]


def cohorts_eligibility(pairs: list[tuple[Cohort, Track]], user_ids: list[int] | None = None,
                        now=None, progress: list[GroupProgress] | None = None) -> list[dict[int, Eligibility]]:
    """`cohort_eligibility` for several (cohort, track) pairs at once, such as a learner's cohorts: the same
    number of queries as for one pair, whatever the number of pairs or learners.

    `progress` (groups_progress of the pairs' cohorts, in the same order, covering the tracks' modules and
    quizzes) is what the cohort dashboard already loaded for its matrix; without it, it is loaded here.
    """
    if not pairs:
        return []
    now = now or utcnow()
    requirements = [track.requirements or {} for _cohort, track in pairs]
    counted = counted_modules([track for _cohort, track in pairs])
    if progress is None:
        progress = groups_progress([cohort for cohort, _track in pairs], counted, user_ids, now)
    results = [{user_id: Eligibility(user_id, track) for user_id in group.joined}
               for (_cohort, track), group in zip(pairs, progress, strict=True)]
    if not any(results):
        return results
    ids = list(dict.fromkeys(user_id for result in results for user_id in result))

    certificates: dict[tuple[int, str], Certificate] = {}
    qualifications = {track.qualification for _cohort, track in pairs}
    for certificate in sorted(db.session.scalars(_CERTIFICATES, {"user_ids": ids}),
                              key=lambda c: as_utc(c.expires_at)):
        if certificate.qualification in qualifications:
            # The one that runs longest wins.
            certificates[(certificate.user_id, certificate.qualification)] = certificate
    modules = {slug: module for slug in counted if (module := catalogue().module(slug)) is not None}
    rounds_of, practice = {}, {}
    if any(r.get("roleplay_sufficient") for r in requirements):
        for user_id, created_at in db.session.execute(_SUFFICIENT_ROUNDS, {"user_ids": ids}):
            rounds_of.setdefault(user_id, []).append(as_utc(created_at))
    co_trainings: dict[int, list] = {}
    if any(r.get("co_training") for r in requirements):
        for user_id, signed_at in db.session.execute(_CO_TRAININGS, {"user_ids": ids}):
            co_trainings.setdefault(user_id, []).append(as_utc(signed_at))
    calibrations: dict[int, list] = {}
    if any(r.get("calibration") for r in requirements):
        for user_id, created_at, kappa, exact in db.session.execute(_CALIBRATIONS, {"user_ids": ids}):
            calibrations.setdefault(user_id, []).append((as_utc(created_at), kappa, exact))
    practice_tracks = list(dict.fromkeys(track.slug for _cohort, track in pairs if track.practice))
    if practice_tracks:
        practice = {(user_id, track_slug): (decision, submitted_at) for user_id, track_slug, decision, submitted_at
                    in db.session.execute(_NEWEST_PRACTICE, {"user_ids": ids, "tracks": practice_tracks})}

    for (_cohort, track), requirement, group, result in zip(pairs, requirements, progress, results, strict=True):
        if result:
            _evaluate(track, requirement, result, now, modules=modules, group=group, rounds_of=rounds_of,
                      practice=practice, co_trainings=co_trainings,
                      certificates={u: c for (u, q), c in certificates.items()
                                    if q == track.qualification and u in result},
                      calibrations=calibrations)
    return results


def _evaluate(track: Track, requirements: dict, result: dict[int, Eligibility], now, *, modules,
              group: GroupProgress, rounds_of, practice, certificates, co_trainings=None,
              calibrations=None) -> None:
    """Fill in the checklist of every learner in `result` for one track, from what cohorts_eligibility loaded."""
    #: Work that counts again must be from after this moment (None: a first certificate, all work counts).
    since = {user_id: as_utc(c.issued_at) for user_id, c in certificates.items()}
    # Every text is translated once per call, not once per learner: a 30-learner cohort has ~500 checks.
    if requirements.get("modules"):
        lessons_of = _("%(done)s van %(total)s lessen")
        for slug in requirements["modules"]:
            module = modules.get(slug)
            total = len(module.active_lessons) if module is not None and not module.archived else 0
            label = _("Module '%(title)s'", title=module.title if module is not None else slug)
            for user_id, item in result.items():
                count = min(group.lessons_done.get((user_id, slug), 0), total)
                item.checks.append(Check("modules", label, total > 0 and count >= total,
                                         lessons_of % {"done": count, "total": total}, slug))
    if requirements.get("quizzes"):
        passed_text, not_passed_text = _("gehaald"), _("nog niet gehaald")
        waiting_text = _("je open antwoord wordt nagekeken")
        for slug in requirements["quizzes"]:
            module = modules.get(slug)
            label = _("Toets van '%(title)s'", title=module.title if module is not None else slug)
            for user_id, item in result.items():
                ok = group.quiz.get((user_id, slug), (None, False))[1]
                waiting = not ok and (user_id, slug) in group.quiz_waiting
                item.checks.append(Check("quizzes", label, ok, passed_text if ok else (
                    waiting_text if waiting else not_passed_text), slug, waiting))
    if requirements.get("attendance_percent"):
        needed = requirements["attendance_percent"]
        label = _("Minstens %(n)s%% aanwezig bij de bijeenkomsten", n=needed)
        attended_of, none_yet = _("%(percent)s%% (%(a)s van %(b)s bijeenkomsten)"), _("nog geen bijeenkomsten voorbij")
        for user_id, item in result.items():
            attended, counted = group.attendance[user_id]
            ok = counted > 0 and attended * 100 >= needed * counted
            detail = (attended_of % {"percent": _percent(attended, counted), "a": attended, "b": counted}
                      if counted else none_yet)
            item.checks.append(Check("attendance", label, ok, detail))
    if requirements.get("roleplay_sufficient"):
        needed = requirements["roleplay_sufficient"]
        label = ngettext("Minstens %(num)d rollenspel als professional met 'voldoende'",
                         "Minstens %(num)d rollenspellen als professional met 'voldoende'", needed)
        done_of = _("%(done)s van %(n)s")
        for user_id, item in result.items():
            count = sum(1 for created_at in rounds_of.get(user_id, [])
                        if user_id not in since or created_at > since[user_id])
            item.checks.append(Check("roleplay", label, count >= needed,
                                     done_of % {"done": min(count, needed), "n": needed}))
    if requirements.get("co_training"):
        needed = requirements["co_training"]
        label = ngettext("Minstens %(num)d co-training gegeven, geobserveerd en ondertekend door een trainer met "
                         "licentie", "Minstens %(num)d co-trainingen gegeven, geobserveerd en ondertekend door een "
                         "trainer met licentie", needed)
        done_of = _("%(done)s van %(n)s")
        for user_id, item in result.items():
            count = sum(1 for signed_at in (co_trainings or {}).get(user_id, [])
                        if user_id not in since or signed_at > since[user_id])
            item.checks.append(Check("co_training", label, count >= needed,
                                     done_of % {"done": min(count, needed), "n": needed}))
    if track.practice:
        labels = {"none": _("nog niet ingeleverd"), "waiting": _("ingeleverd"),
                  "returned": _("teruggegeven: pas je tekst aan"), "approved": _("goedgekeurd"),
                  "old": _("goedgekeurd voor je vorige certificaat: lever een nieuwe versie in")}
        label = _("Praktijkopdracht")
        for user_id, item in result.items():
            newest = practice.get((user_id, track.slug))
            status = "none" if newest is None else _practice_status(*newest, since.get(user_id))
            item.checks.append(Check("practice", label, status == "approved", labels[status], track.slug,
                                     status == "waiting"))
    if requirements.get("calibration"):
        _check_calibration(requirements["calibration"], result, calibrations or {}, since)
    for user_id, item in result.items():
        certificate = certificates.get(user_id)
        item.certificate = certificate
        if certificate is not None and as_utc(certificate.expires_at) - now > RENEWAL_WINDOW:
            item.already_certified = True
        if track.renews:
            item.checks.append(Check(
                "renewal", _("Eerder het certificaat gehaald dat dit traject vernieuwt"), certificate is not None,
                _("certificaat %(number)s", number=certificate.number) if certificate is not None
                else _("geen eerder certificaat gevonden")))


def _check_calibration(rule: dict, result: dict[int, Eligibility], calibrations: dict, since: dict) -> None:
    """A calibration whose weighted kappa with the expert reaches `min_kappa` (course guidance, in the track file);
    for a re-certification one from after the previous certificate. Perfect agreement where kappa cannot be computed
    (everyone used one level) counts as reaching it."""
    needed = rule["min_kappa"]
    label = _("Kalibratie: je scores op een referentieronde komen genoeg overeen met die van de expert")
    best_of, none_yet = _("beste kappa %(best)s, nodig %(needed)s"), _("nog geen kalibratie")
    for user_id, item in result.items():
        counted = [(kappa, exact) for created_at, kappa, exact in calibrations.get(user_id, [])
                   if user_id not in since or created_at > since[user_id]]
        met = any((kappa is None and exact >= 1.0) or (kappa is not None and kappa >= needed - 1e-9)
                  for kappa, exact in counted)
        kappas = [kappa for kappa, _exact in counted if kappa is not None]
        detail = (best_of % {"best": decimal(max(kappas)), "needed": decimal(needed)}
                  if kappas else (_("volledige overeenstemming") if met else none_yet))
        item.checks.append(Check("calibration", label, met, detail))


def practice_status(assignment: PracticeAssignment | None, since=None) -> str:
    """none, waiting, returned, approved, or old: approved, but before the learner's previous certificate, so
    a re-certification needs a new version."""
    if assignment is None or assignment.latest is None:
        return "none"
    return _practice_status(assignment.latest.decision, assignment.latest.submitted_at, since)


def _practice_status(decision: str | None, submitted_at, since=None) -> str:
    """practice_status from the newest version's decision and the moment it was handed in."""
    status = decision or "waiting"
    if status == "approved" and since is not None and as_utc(submitted_at) <= since:
        return "old"
    return status


def previous_certificate_moment(user_id: int, qualification: str):
    """When the learner's newest certificate of this qualification (not revoked) was issued, or None."""
    moment = db.session.scalar(
        select(func.max(Certificate.issued_at)).where(Certificate.user_id == user_id,
                                                      Certificate.qualification == qualification,
                                                      Certificate.revoked_at.is_(None)))
    return as_utc(moment)


def followed_tracks(user) -> list[tuple[Cohort, Track]]:
    """The learner's active cohorts that follow a track (not archived), with the track."""
    cohorts = [c for c in memberships(user) if c.track_slug]
    tracks = {t.slug: t for t in db.session.scalars(
        select(Track).where(Track.slug.in_([c.track_slug for c in cohorts] or [None]), Track.archived.is_(False)))}
    return [(c, tracks[c.track_slug]) for c in cohorts if c.track_slug in tracks]


def learner_eligibility(cohort: Cohort, track: Track, user_id: int, now=None) -> Eligibility | None:
    """One learner's eligibility, or None when they are not (or no longer) in the cohort."""
    return cohort_eligibility(cohort, track, [user_id], now=now).get(user_id)


def learner_eligibilities(pairs: list[tuple[Cohort, Track]], user_id: int, now=None) -> list[Eligibility | None]:
    """learner_eligibility for each (cohort, track) pair, in the queries of one."""
    return [result.get(user_id) for result in cohorts_eligibility(pairs, [user_id], now=now)]
