"""Everything the LTI tool needs from the rest of the platform, in one module.

Accounts, organisations, cohorts, the curriculum and scenarios are reached only from here, through their services
where they have one; the few writes that have no service yet (a class cohort made for a course, a learner made a
trainer by an Instructor launch) are here too, so that re-pointing the imports after a refactor is one file.
"""

from __future__ import annotations

import hashlib
import secrets

from flask import request
from flask_login import current_user, login_user, logout_user
from sqlalchemy import and_, exists, false, func, select

from jimtraining.accounts import services as accounts
from jimtraining.accounts.models import User
from jimtraining.cohorts import enrolment as cohorts
from jimtraining.cohorts.models import Cohort, Enrollment
from jimtraining.content.catalogue import catalogue
from jimtraining.curriculum.models import LessonProgress
from jimtraining.extensions import db
from jimtraining.organisations.models import Organisation
from jimtraining.quizzes.models import QuizAttempt
from jimtraining.roles import Role

#: A password hash no password matches (werkzeug's check_password_hash answers False for it): an account made by
#: a launch has no password.
NO_PASSWORD = "!lti-no-password"
#: Domain of the login names of LTI accounts without a usable e-mail address (RFC 2606: never delivered).
PLACEHOLDER_DOMAIN = "lti.invalid"
#: Organisation kind of the courses' organisations.
HOGESCHOOL = "hogeschool"
#: Region of a class cohort made for a course (a hogeschool teaches nationally).
NATIONAL_REGION = "Landelijk"
#: How an enrolment by a launch or a roster is marked (Enrollment.source).
ENROLMENT_SOURCE = "lti"

USER_AGENT_LENGTH = 200


# Accounts ---------------------------------------------------------------------------------------------------

def load_user(user_id: int):
    return db.session.get(User, user_id)


def find_account(email: str):
    return accounts.find_by_email(email or "")


def placeholder_email(issuer: str, sub: str) -> str:
    digest = hashlib.sha256(f"{issuer}\x1f{sub}".encode()).hexdigest()[:24]
    return f"lti-{digest}@{PLACEHOLDER_DOMAIN}"


def create_account(*, name: str, email: str | None, issuer: str, sub: str, role: Role):
    """An account for a platform's user, without a password. The e-mail address from the platform becomes the login
    name only when no other account has it: an LTI user is never joined to an existing account by e-mail alone."""
    address = (email or "").strip().lower()
    if not address or "@" not in address or len(address) > 254 or accounts.find_by_email(address) is not None:
        address = placeholder_email(issuer, sub)
    user = accounts.create_user(email=address, name=(name or "").strip()[:120] or "LTI", role=str(role),
                                password=secrets.token_urlsafe(32))
    user.password_hash = NO_PASSWORD
    db.session.commit()
    return user


def make_trainer(user) -> None:
    """An Instructor launch makes a learner a trainer (no licence); other roles stay as they are."""
    if user.role == Role.LEARNER:
        user.role = str(Role.TRAINER)
        db.session.commit()


def log_in(user) -> None:
    """Log this browser in as `user` in a new login session, ending the session of whoever was logged in here."""
    if current_user.is_authenticated:
        if current_user.id != user.id:
            accounts.end_session(current_user.login_token)
        logout_user()
    accounts.start_session(user, (request.user_agent.string or "")[:USER_AGENT_LENGTH] or None, remember=False)
    login_user(user, remember=False)


# Organisations and class cohorts ----------------------------------------------------------------------------

def organisation_for(name: str) -> Organisation:
    """The organisation of this name (any kind), or a new hogeschool."""
    name = (name or "").strip()[:200] or "Hogeschool"
    organisation = db.session.scalar(select(Organisation).where(Organisation.name == name))
    if organisation is None:
        organisation = Organisation(name=name, kind=HOGESCHOOL)
        db.session.add(organisation)
        db.session.flush()
    return organisation


def make_class_cohort(title: str, organisation_name: str) -> int:
    """A new running cohort for a course (the caller commits); returns its id."""
    cohort = Cohort(name=(title or "").strip()[:200] or "LTI", organisation=organisation_for(organisation_name),
                    region=NATIONAL_REGION, join_code=cohorts.new_join_code(), status="running", module_slugs=[])
    db.session.add(cohort)
    db.session.flush()
    return cohort.id


def cohort_exists(cohort_id: int | None) -> bool:
    return cohort_id is not None and db.session.get(Cohort, cohort_id) is not None


def add_trainer(cohort_id: int, user) -> None:
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is not None and all(trainer.id != user.id for trainer in cohort.trainers):
        cohort.trainers.append(user)
        db.session.commit()


def enrol(cohort_id: int, user) -> None:
    """Enrol a learner in the class cohort (idempotent); one whom the lecturer removed in JIM-training stays out."""
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is not None:
        try:
            cohorts.enroll(cohort, user, ENROLMENT_SOURCE, reactivate=False)
        except cohorts.CohortError:
            pass


def unenrol(cohort_id: int, user_id: int) -> None:
    """A learner who left the course leaves the class cohort (their progress stays)."""
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is not None:
        try:
            cohorts.remove_learner(cohort, user_id)
        except cohorts.CohortError:
            pass


def lti_enrolled_ids(cohort_id: int) -> set[int]:
    """Active learners of the cohort who joined through LTI."""
    return set(db.session.scalars(select(Enrollment.user_id).where(
        Enrollment.cohort_id == cohort_id, Enrollment.removed_at.is_(None),
        Enrollment.source == ENROLMENT_SOURCE)))


def member_of_cohort_clause(cohort_id_column, user_id_column):
    """SQL condition: the user is an active member of the cohort (for the grade outbox's single INSERT)."""
    return exists().where(and_(Enrollment.cohort_id == cohort_id_column, Enrollment.user_id == user_id_column,
                               Enrollment.removed_at.is_(None)))


# Content ----------------------------------------------------------------------------------------------------

def active_modules():
    return catalogue().active


def module(slug: str):
    found = catalogue().module(slug)
    return found if found is not None and not found.archived else None


def active_scenarios():
    return sorted((s for s in catalogue().scenarios.values() if not s.archived), key=lambda s: s.title)


def scenario(slug: str):
    found = catalogue().scenario(slug)
    return found if found is not None and not found.archived else None


def module_completed_clause(user_id: int, module_slug: str):
    """SQL condition: the learner completed the module (as curriculum.services.ModuleStatus.completed: every active
    lesson done and the quiz, if any, passed), for the grade outbox's single INSERT."""
    module = catalogue().module(module_slug)
    if module is None or module.archived or not module.active_lessons:
        return false()
    slugs = [lesson.slug for lesson in module.active_lessons]
    done = (select(func.count()).select_from(LessonProgress)
            .where(LessonProgress.user_id == user_id, LessonProgress.module_slug == module_slug,
                   LessonProgress.lesson_slug.in_(slugs), LessonProgress.completed_at.is_not(None))
            .scalar_subquery())
    condition = done == len(slugs)
    if module.active_quiz is not None:
        condition = and_(condition, exists().where(QuizAttempt.user_id == user_id,
                                                   QuizAttempt.module_slug == module_slug,
                                                   QuizAttempt.passed.is_(True)))
    return condition


def show_modules(cohort_id: int | None, slugs: list[str]) -> None:
    """Add modules to the ones a cohort follows (its dashboard shows them), keeping the order they came in."""
    cohort = db.session.get(Cohort, cohort_id) if cohort_id is not None else None
    if cohort is None:
        return
    current = list(cohort.module_slugs or [])
    added = [slug for slug in dict.fromkeys(slugs) if slug not in current]
    if added:
        cohort.module_slugs = current + added
        db.session.commit()
