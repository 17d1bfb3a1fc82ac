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
from sqlalchemy import func, select

from jimtraining.certification.models import Certificate, PracticeAssignment, Track
from jimtraining.cohorts.models import Cohort, Enrollment
from jimtraining.cohorts.services import attendance_counts
from jimtraining.curriculum.models import Lesson, LessonProgress, Module
from jimtraining.extensions import db
from jimtraining.quizzes.models import QuizAttempt
from jimtraining.scenarios.models import RolePlayRound
from jimtraining.timeutil import as_utc, utcnow

#: A certificate that still runs longer than this cannot be renewed yet.
RENEWAL_WINDOW = timedelta(days=90)


@dataclass
class Check:
    """One line of the checklist."""

    #: modules, quizzes, attendance, roleplay, practice or renewal
    kind: str
    label: str
    met: bool
    #: How far the learner is, in words ("3 van 5 lessen").
    detail: str = ""
    #: The module or quiz slug the line is about, when there is one.
    slug: str | None = None


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
    now = now or utcnow()
    requirements = track.requirements or {}
    query = select(Enrollment.user_id, Enrollment.enrolled_at).where(
        Enrollment.cohort_id == cohort.id, Enrollment.removed_at.is_(None))
    if user_ids is not None:
        query = query.where(Enrollment.user_id.in_(user_ids or [-1]))
    joined = {user_id: as_utc(at) for user_id, at in db.session.execute(query)}
    result = {user_id: Eligibility(user_id, track) for user_id in joined}
    if not result:
        return result
    ids = list(result)

    certificates: dict[int, Certificate] = {}
    for certificate in db.session.scalars(
        select(Certificate).where(Certificate.user_id.in_(ids), Certificate.qualification == track.qualification,
                                  Certificate.revoked_at.is_(None)).order_by(Certificate.expires_at)
    ):
        certificates[certificate.user_id] = certificate  # the one that runs longest wins
    #: Work that counts again must be from after this moment (None: a first certificate, all work counts).
    since = {user_id: as_utc(c.issued_at) for user_id, c in certificates.items()}

    module_slugs = list(dict.fromkeys((requirements.get("modules") or []) + (requirements.get("quizzes") or [])))
    modules = {m.slug: m for m in db.session.scalars(
        select(Module).where(Module.slug.in_(module_slugs or [None])).options(db.selectinload(Module.lessons)))}
    if requirements.get("modules"):
        done = {(u, m): n for u, m, n in db.session.execute(
            select(LessonProgress.user_id, LessonProgress.module_slug, func.count())
            .join(Module, Module.slug == LessonProgress.module_slug)
            .join(Lesson, (Lesson.module_id == Module.id) & (Lesson.slug == LessonProgress.lesson_slug))
            .where(LessonProgress.user_id.in_(ids), LessonProgress.module_slug.in_(requirements["modules"]),
                   LessonProgress.completed_at.is_not(None), Lesson.archived.is_(False))
            .group_by(LessonProgress.user_id, LessonProgress.module_slug))}
        for user_id, item in result.items():
            for slug in requirements["modules"]:
                module = modules.get(slug)
                total = len(module.active_lessons) if module is not None and not module.archived else 0
                count = min(done.get((user_id, slug), 0), total)
                title = module.title if module is not None else slug
                item.checks.append(Check("modules", _("Module '%(title)s' afgerond", title=title),
                                         total > 0 and count >= total,
                                         _("%(done)s van %(total)s lessen", done=count, total=total), slug))
    if requirements.get("quizzes"):
        passed = set(db.session.execute(
            select(QuizAttempt.user_id, QuizAttempt.module_slug)
            .where(QuizAttempt.user_id.in_(ids), QuizAttempt.module_slug.in_(requirements["quizzes"]),
                   QuizAttempt.passed.is_(True)).distinct()))
        for user_id, item in result.items():
            for slug in requirements["quizzes"]:
                module = modules.get(slug)
                title = module.title if module is not None else slug
                ok = (user_id, slug) in passed
                item.checks.append(Check("quizzes", _("Toets van '%(title)s' gehaald", title=title), ok,
                                         _("gehaald") if ok else _("nog niet gehaald"), slug))
    if requirements.get("attendance_percent"):
        needed = requirements["attendance_percent"]
        counts = attendance_counts(cohort, joined, now)
        for user_id, item in result.items():
            attended, counted = counts[user_id]
            ok = counted > 0 and attended * 100 >= needed * counted
            detail = (_("%(percent)s%% (%(a)s van %(b)s bijeenkomsten)", percent=_percent(attended, counted),
                        a=attended, b=counted) if counted else _("nog geen bijeenkomsten voorbij"))
            item.checks.append(Check("attendance", _("Minstens %(n)s%% aanwezig bij de bijeenkomsten", n=needed),
                                     ok, detail))
    if requirements.get("roleplay_sufficient"):
        needed = requirements["roleplay_sufficient"]
        # Only released verdicts count: the checklist must not tell a learner what the trainer has not shared.
        rounds: dict[int, int] = {}
        for user_id, created_at in db.session.execute(
            select(RolePlayRound.professional_id, RolePlayRound.created_at)
            .where(RolePlayRound.professional_id.in_(ids), RolePlayRound.outcome == "sufficient",
                   RolePlayRound.released_at.is_not(None))):
            if user_id not in since or as_utc(created_at) > since[user_id]:
                rounds[user_id] = rounds.get(user_id, 0) + 1
        for user_id, item in result.items():
            count = rounds.get(user_id, 0)
            item.checks.append(Check(
                "roleplay", ngettext("Minstens %(num)d rollenspel als professional met 'voldoende'",
                                     "Minstens %(num)d rollenspellen als professional met 'voldoende'", needed),
                count >= needed, _("%(done)s van %(n)s", done=min(count, needed), n=needed)))
    if track.practice:
        assignments = {a.user_id: a for a in db.session.scalars(
            select(PracticeAssignment).where(PracticeAssignment.user_id.in_(ids),
                                             PracticeAssignment.track_slug == track.slug))}
        labels = {"none": _("nog niet ingeleverd"), "waiting": _("ingeleverd, wacht op de trainer"),
                  "returned": _("teruggegeven: pas je tekst aan"), "approved": _("goedgekeurd"),
                  "old": _("goedgekeurd voor je vorige certificaat: lever een nieuwe versie in")}
        for user_id, item in result.items():
            status = practice_status(assignments.get(user_id), since.get(user_id))
            item.checks.append(Check("practice", _("Praktijkopdracht goedgekeurd"), status == "approved",
                                     labels[status]))
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
    return result


def practice_status(assignment: PracticeAssignment | None, since=None) -> str:
    """none, waiting, returned, approved, or old: approved, but before the learner's previous certificate, so
    a re-certification needs a new version."""
    if assignment is None:
        return "none"
    status = assignment.status
    if status == "approved" and since is not None and as_utc(assignment.latest.submitted_at) <= since:
        return "old"
    return status


def previous_certificate_moment(user_id: int, qualification: str):
    """When the learner's newest certificate of this qualification (not revoked) was issued, or None."""
    moment = db.session.scalar(
        select(func.max(Certificate.issued_at)).where(Certificate.user_id == user_id,
                                                      Certificate.qualification == qualification,
                                                      Certificate.revoked_at.is_(None)))
    return as_utc(moment)


def learner_eligibility(cohort: Cohort, track: Track, user_id: int, now=None) -> Eligibility | None:
    """One learner's eligibility, or None when they are not (or no longer) in the cohort."""
    return cohort_eligibility(cohort, track, [user_id], now=now).get(user_id)
