"""Cohort writes and the figures trainers see: enrolment, invitations, CSV upload, sessions, attendance."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import logging
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import bindparam, case, func, literal_column, null, select, union_all, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from jimtraining.accounts.models import User
from jimtraining.cohorts.models import (
    Attendance,
    CheckinAttempt,
    Cohort,
    CohortSession,
    Enrollment,
    Invitation,
    Organisation,
    cohort_trainer,
)
from jimtraining.curriculum.catalogue import catalogue
from jimtraining.curriculum.models import Lesson, LessonProgress, Module
from jimtraining.extensions import db
from jimtraining.quizzes.models import QuizAttempt
from jimtraining.timeutil import as_utc, utcnow

log = logging.getLogger(__name__)

JOIN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
INVITATION_DAYS = 14
#: Check-in opens this long before a session starts.
CHECKIN_EARLY = timedelta(minutes=15)
MAX_CSV_BYTES = 512 * 1024
MAX_CSV_ROWS = 2000


class CohortError(Exception):
    """An action that cannot be done; the message is shown to the person."""


# Cohorts and enrolment --------------------------------------------------------------------------------------

def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(8))


def rotate_join_code(cohort: Cohort) -> str:
    """Give the cohort a new join code; the old one stops working at once."""
    cohort.join_code = new_join_code()
    db.session.commit()
    log.info("cohort %s: join code rotated", cohort.id)
    return cohort.join_code


def cohorts_for(user) -> list[Cohort]:
    """The cohorts a trainer trains (all of them for an admin)."""
    query = select(Cohort).order_by(Cohort.status, Cohort.name).options(db.selectinload(Cohort.trainers),
                                                                       db.joinedload(Cohort.organisation))
    if user.role != "admin":
        query = query.where(Cohort.trainers.any(User.id == user.id))
    return list(db.session.scalars(query).unique())


def memberships(user) -> list[Cohort]:
    """The cohorts a learner is an active member of."""
    return list(db.session.scalars(
        select(Cohort).join(Enrollment).where(Enrollment.user_id == user.id, Enrollment.removed_at.is_(None))
        .options(db.selectinload(Cohort.sessions), db.selectinload(Cohort.trainers)).order_by(Cohort.name)
    ).unique())


@dataclass
class GroupCard:
    """What the learner's start page shows of one of their cohorts."""

    id: int
    name: str
    module_slugs: list[str]
    trainer_names: list[str] = field(default_factory=list)
    #: (id, title, starts_at) of the first session that has not ended, or None.
    next_session: tuple | None = None


#: Separates the trainers' names that the database strings together (a character no name contains).
_NAME_SEPARATOR = "\x1f"


def _trainer_names_of(cohort_id):
    """A scalar subquery: the names of the trainers of the cohort `cohort_id` (a column) strung together."""
    return (select(func.aggregate_strings(User.name, _NAME_SEPARATOR)).select_from(cohort_trainer)
            .join(User, User.id == cohort_trainer.c.user_id).where(cohort_trainer.c.cohort_id == cohort_id)
            .scalar_subquery())


def _names(strung: str | None) -> list[str]:
    """The names _trainer_names_of strung together, by name."""
    return sorted(strung.split(_NAME_SEPARATOR)) if strung else []


_MY_COHORT = aliased(Cohort)
_COMING = aliased(CohortSession)
#: The learner's cohorts with their trainers' names and their first session that has not ended, in one query.
_GROUP_CARDS = (
    select(
        _MY_COHORT.id, _MY_COHORT.name, _MY_COHORT.module_slugs, _trainer_names_of(_MY_COHORT.id),
        _COMING.id, _COMING.title, _COMING.starts_at)
    .join(Enrollment, Enrollment.cohort_id == _MY_COHORT.id)
    .outerjoin(_COMING, _COMING.id == (
        select(CohortSession.id)
        .where(CohortSession.cohort_id == _MY_COHORT.id, CohortSession.ends_at >= bindparam("now"))
        .order_by(CohortSession.starts_at, CohortSession.id).limit(1).scalar_subquery()))
    .where(Enrollment.user_id == bindparam("user_id"), Enrollment.removed_at.is_(None))
    .order_by(_MY_COHORT.name, _MY_COHORT.id))


def group_cards(user, now=None) -> list[GroupCard]:
    """The cohorts a learner is an active member of, with trainers and next session: one query."""
    cards = []
    for id_, name, slugs, trainers, session_id, title, starts_at in db.session.execute(
            _GROUP_CARDS, {"user_id": user.id, "now": now or utcnow()}):
        cards.append(GroupCard(id=id_, name=name, module_slugs=list(slugs or []),
                               trainer_names=_names(trainers),
                               next_session=(session_id, title, as_utc(starts_at)) if session_id else None))
    return cards


def learner_ids_of_trainer(trainer) -> set[int] | None:
    """Ids of learners in the cohorts this trainer trains; None for admins (everyone)."""
    if trainer.role == "admin":
        return None
    return set(db.session.scalars(
        select(Enrollment.user_id).join(Cohort).where(Cohort.trainers.any(User.id == trainer.id),
                                                      Enrollment.removed_at.is_(None))
    ))


def enroll(cohort: Cohort, user: User, source: str, reactivate: bool = True) -> Enrollment:
    """Add a learner to a cohort (idempotent). A removed learner comes back only when a trainer adds them."""
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.cohort_id == cohort.id,
                                                            Enrollment.user_id == user.id))
    if enrollment is None:
        enrollment = Enrollment(cohort_id=cohort.id, user_id=user.id, source=source)
        try:
            with db.session.begin_nested():
                db.session.add(enrollment)
        except IntegrityError:
            enrollment = db.session.scalar(select(Enrollment).where(Enrollment.cohort_id == cohort.id,
                                                                    Enrollment.user_id == user.id))
    elif enrollment.removed_at is not None:
        if not reactivate:
            raise CohortError(_("Je bent uit deze groep gehaald. Vraag je trainer om je weer toe te voegen."))
        enrollment.removed_at = None
    db.session.commit()
    log.info("cohort %s: user %s enrolled (%s)", cohort.id, user.id, source)
    return enrollment


def remove_learner(cohort: Cohort, user_id: int) -> None:
    """End a learner's access to the cohort; their progress and attendance stay."""
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.cohort_id == cohort.id,
                                                            Enrollment.user_id == user_id))
    if enrollment is None:
        raise CohortError(_("Deze deelnemer zit niet in deze groep."))
    enrollment.removed_at = enrollment.removed_at or utcnow()
    # An invitation sent earlier must not bring them back.
    email = db.session.scalar(select(User.email).where(User.id == user_id))
    db.session.execute(update(Invitation).where(
        Invitation.cohort_id == cohort.id, func.lower(Invitation.email) == (email or "").lower(),
        Invitation.used_at.is_(None)).values(expires_at=utcnow()))
    db.session.commit()
    log.info("cohort %s: user %s removed", cohort.id, user_id)


def join_by_code(user: User, code: str) -> Cohort:
    cohort = db.session.scalar(select(Cohort).where(Cohort.join_code == code.strip().upper().replace(" ", "")))
    if cohort is None or cohort.status in ("finished", "archived"):
        raise CohortError(_("Deze code klopt niet (meer). Vraag je trainer om de code van je groep."))
    enroll(cohort, user, "code", reactivate=False)
    return cohort


# Invitations ------------------------------------------------------------------------------------------------

def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_invitation(cohort: Cohort, email: str, name: str, invited_by, organisation_id: int | None = None,
                      skj_number: str | None = None) -> tuple[Invitation, str]:
    """A new single-use invitation; returns it with the token for the link (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    invitation = Invitation(cohort_id=cohort.id, email=email.strip().lower(), name=name.strip(),
                            token_hash=_hash(token), invited_by_id=invited_by.id if invited_by else None,
                            expires_at=utcnow() + timedelta(days=INVITATION_DAYS),
                            organisation_id=organisation_id or cohort.organisation_id, skj_number=skj_number or None)
    db.session.add(invitation)
    db.session.commit()
    log.info("cohort %s: invitation %s created", cohort.id, invitation.id)
    return invitation, token


def pending_invitation(cohort: Cohort, email: str) -> Invitation | None:
    return db.session.scalar(select(Invitation).where(
        Invitation.cohort_id == cohort.id, Invitation.email == email.strip().lower(), Invitation.used_at.is_(None),
        Invitation.expires_at > utcnow()))


def invitation_for_token(token: str) -> Invitation:
    """The invitation behind a link; raises CohortError for a changed, used or expired link."""
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == _hash(token or "")))
    if invitation is None:
        raise CohortError(_("Deze uitnodigingslink klopt niet. Controleer of je de hele link hebt gekopieerd."))
    if invitation.used_at is not None:
        raise CohortError(_("Deze uitnodiging is al gebruikt. Log in met je account."))
    if as_utc(invitation.expires_at) < utcnow():
        raise CohortError(_("Deze uitnodiging is verlopen. Vraag je trainer om een nieuwe."))
    return invitation


def accept_invitation(invitation: Invitation, user: User) -> Cohort:
    """Use an invitation once (atomic: a second use at the same moment fails) and enrol the user as a learner."""
    if user.role != "learner":
        raise CohortError(_("Deze uitnodiging is voor deelnemers. Je account heeft een andere rol; vraag een "
                            "beheerder om je aan de groep toe te voegen."))
    now = utcnow()
    result = db.session.execute(update(Invitation).where(Invitation.id == invitation.id,
                                                         Invitation.used_at.is_(None)).values(used_at=now))
    if result.rowcount != 1:
        db.session.rollback()
        raise CohortError(_("Deze uitnodiging is al gebruikt. Log in met je account."))
    # Other open invitations to the same group for the same address are done too.
    db.session.execute(update(Invitation).where(
        Invitation.cohort_id == invitation.cohort_id, Invitation.email == invitation.email,
        Invitation.used_at.is_(None)).values(used_at=now))
    db.session.commit()
    return enroll(invitation.cohort, user, "invitation").cohort


# CSV upload -------------------------------------------------------------------------------------------------

@dataclass
class CsvRow:
    line: int
    name: str = ""
    email: str = ""
    organisation: str = ""
    skj_number: str = ""
    errors: list[str] = field(default_factory=list)
    #: what confirming will do: invite or nothing
    action: str = ""
    organisation_id: int | None = None


@dataclass
class CsvPreview:
    rows: list[CsvRow]
    problems: list[str]

    @property
    def ok_rows(self) -> list[CsvRow]:
        return [r for r in self.rows if not r.errors]

    @property
    def has_errors(self) -> bool:
        return bool(self.problems) or any(r.errors for r in self.rows)


HEADERS = {
    "name": ("name", "naam"), "email": ("email", "e-mail", "e-mailadres", "emailadres", "mail"),
    "organisation": ("organisation", "organisatie", "organization"),
    "skj_number": ("skj", "skj-nummer", "skj number", "skj_number", "skj-registratienummer"),
}


def parse_csv(data: bytes, cohort: Cohort) -> CsvPreview:
    """Check an uploaded list of learners (name, e-mail, organisation, SKJ number) without saving anything."""
    if len(data) > MAX_CSV_BYTES:
        return CsvPreview([], [_("Het bestand is te groot (hoogstens 512 kB).")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return CsvPreview([], [_("Het bestand is geen UTF-8-tekst. Sla het in Excel op als 'CSV UTF-8' en probeer "
                                 "het opnieuw.")])
    if not text.strip():
        return CsvPreview([], [_("Het bestand is leeg.")])
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # old Mac Excel ends lines with CR only
    if "\x00" in text:
        # No database column can hold a NUL character (PostgreSQL refuses the row); it is never part of a name or
        # an address, and usually means the file was saved as UTF-16 ("Unicode-tekst"): refuse the whole file.
        line = text.count("\n", 0, text.index("\x00")) + 1
        return CsvPreview([], [_("Regel %(line)s bevat een NUL-teken, een onzichtbaar teken dat niet in een naam of "
                                 "adres kan staan. Meestal is het bestand dan niet als UTF-8 opgeslagen. Sla het in "
                                 "Excel op als 'CSV UTF-8' en probeer het opnieuw.", line=line)])
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;\t")
    except csv.Error:
        return CsvPreview([], [_("De kolommen zijn niet gescheiden door een komma of puntkomma.")])
    try:
        # Only the delimiter comes from the guess: quoting is the standard one (Excel doubles a quote inside a
        # quoted value), which the sniffer cannot see in a header line.
        return _parse_rows(csv.reader(io.StringIO(text, newline=""), delimiter=dialect.delimiter), cohort)
    except csv.Error as error:
        return CsvPreview([], [_("Het bestand kan niet als CSV gelezen worden: %(reason)s", reason=error)])


def _parse_rows(reader, cohort: Cohort) -> CsvPreview:
    header = [h.strip().lower() for h in next(reader, [])]
    columns = {}
    for key, names in HEADERS.items():
        for index, title in enumerate(header):
            if title in names:
                columns[key] = index
    missing = [key for key in ("name", "email", "organisation") if key not in columns]
    if missing:
        return CsvPreview([], [_("De eerste regel moet de kolommen noemen: naam, e-mail, organisatie en (niet "
                                 "verplicht) SKJ-nummer. Niet gevonden: %(missing)s", missing=", ".join(missing))])
    organisations = {name.lower(): name for name in db.session.scalars(select(Organisation.name))}
    organisation_ids = {name.lower(): oid for oid, name in db.session.execute(
        select(Organisation.id, Organisation.name))}
    existing_users = {}
    enrolled = set()
    rows, seen = [], set()
    for row_values in reader:
        if not any(v.strip() for v in row_values):
            continue
        if len(rows) >= MAX_CSV_ROWS:
            return CsvPreview(rows, [_("Het bestand heeft meer dan %(n)s regels.", n=MAX_CSV_ROWS)])

        def value(key, values=row_values):
            index = columns.get(key)
            return values[index].strip() if index is not None and index < len(values) else ""

        row = CsvRow(line=reader.line_num, name=value("name")[:120], email=value("email").lower()[:254],
                     organisation=value("organisation")[:200], skj_number=value("skj_number")[:20])
        if not row.name:
            row.errors.append(_("naam ontbreekt"))
        if not row.email:
            row.errors.append(_("e-mailadres ontbreekt"))
        else:
            try:
                row.email = validate_email(row.email, check_deliverability=False).normalized.lower()
            except EmailNotValidError:
                row.errors.append(_("'%(email)s' is geen geldig e-mailadres", email=row.email))
        if row.organisation and row.organisation.lower() not in organisations:
            row.errors.append(_("organisatie '%(name)s' is onbekend; een beheerder kan haar toevoegen",
                                name=row.organisation))
        elif row.organisation:
            row.organisation = organisations[row.organisation.lower()]
        if row.skj_number and not (row.skj_number.isdigit() and 6 <= len(row.skj_number) <= 12):
            row.errors.append(_("SKJ-nummer bestaat uit 6 tot 12 cijfers"))
        if row.email and row.email in seen:
            row.errors.append(_("dit e-mailadres staat al eerder in het bestand"))
        seen.add(row.email)
        rows.append(row)
    if not rows:
        return CsvPreview([], [_("Het bestand heeft geen deelnemers onder de kopregel.")])
    emails = [r.email for r in rows if r.email]
    for user in db.session.scalars(select(User).where(func.lower(User.email).in_(emails))):
        existing_users[user.email.lower()] = user
    enrolled = set(db.session.scalars(select(Enrollment.user_id).where(
        Enrollment.cohort_id == cohort.id, Enrollment.removed_at.is_(None))))
    invited = set(db.session.scalars(select(Invitation.email).where(
        Invitation.cohort_id == cohort.id, Invitation.used_at.is_(None), Invitation.expires_at > utcnow())))
    for row in rows:
        if row.errors:
            continue
        row.organisation_id = organisation_ids.get(row.organisation.lower()) if row.organisation else None
        user = existing_users.get(row.email)
        # Everyone who is not in the group yet gets an invitation, with or without an account: nobody is put in
        # a group without saying yes, and the preview does not tell whether an address has an account.
        if (user is not None and user.id in enrolled) or row.email in invited:
            row.action = "nothing"
        else:
            row.action = "invite"
    return CsvPreview(rows, [])


# Sessions and attendance ------------------------------------------------------------------------------------

def new_checkin_secret() -> str:
    return secrets.token_hex(32)


def checkin_code(session: CohortSession, at=None) -> str:
    """A six-digit code that changes every minute (HMAC of the minute with the session's secret)."""
    minute = int((at or utcnow()).timestamp() // 60)
    digest = hmac.new(session.checkin_secret.encode(), str(minute).encode(), hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:4], 'big') % 1_000_000:06d}"


def checkin_open(session: CohortSession, at=None) -> bool:
    now = at or utcnow()
    return as_utc(session.starts_at) - CHECKIN_EARLY <= now <= as_utc(session.ends_at)


class CheckinBlockedError(CohortError):
    """Checking in with a code is refused for now: too many wrong codes (the trainer can still mark attendance)."""


def _setting(name: str):
    return current_app.config[name]


def wrong_checkin_codes(session: CohortSession, user_id: int) -> int:
    """How many wrong codes this learner typed for this session."""
    return db.session.scalar(select(func.count()).select_from(CheckinAttempt).where(
        CheckinAttempt.session_id == session.id, CheckinAttempt.user_id == user_id)) or 0


def checkin_blocked(session: CohortSession, user_id: int) -> bool:
    """Whether this learner typed too many wrong codes to check in with a code at this session."""
    return wrong_checkin_codes(session, user_id) >= _setting("CHECKIN_WRONG_CODES_PER_SESSION")


def wrong_checkins_by_learner(session: CohortSession) -> dict[int, int]:
    """user id -> wrong codes typed for this session, for learners who typed any: one query."""
    return dict(db.session.execute(
        select(CheckinAttempt.user_id, func.count()).where(CheckinAttempt.session_id == session.id)
        .group_by(CheckinAttempt.user_id)).all())


def _ask_trainer() -> str:
    return _("Vraag de trainer om je aanwezig te melden.")


def checkin_blocked_message() -> str:
    """What a learner who typed too many wrong codes for a session reads."""
    return _("Je hebt te vaak een verkeerde code ingevuld. Inchecken met een code kan bij deze bijeenkomst niet "
             "meer.") + " " + _ask_trainer()


def _refuse(error: CohortError):
    """End the transaction (and with it the lock check_in took on the learner's row), then refuse."""
    db.session.rollback()
    raise error


def check_in(session: CohortSession, user: User, code: str, at=None, client: str | None = None) -> None:
    """A learner checks in with the code the trainer shows; the code of this or the previous minute counts.

    Wrong codes are limited, because two of the million six-digit codes are right at any moment: per learner per
    session (CHECKIN_WRONG_CODES_PER_SESSION; then even the right code is refused, and only the trainer can mark
    the learner) and, when the request's `client` address is given, per address over all learners
    (CHECKIN_LIMIT_PER_IP, counted by the login throttle's limiter). Each wrong code is recorded (CheckinAttempt)
    for the limit and for the trainer's attendance list. Codes that are not six digits are not counted.
    """
    from jimtraining.accounts import throttle

    now = at or utcnow()
    if not session.cohort.is_member(user):
        raise CohortError(_("Je zit niet in deze groep."))
    if not checkin_open(session, now):
        raise CohortError(_("Inchecken kan alleen tijdens de bijeenkomst."))
    code = (code or "").strip().replace(" ", "")
    if not re.fullmatch(r"[0-9]{6}", code):
        raise CohortError(_("De code bestaat uit zes cijfers."))
    # Lock the learner's row first, so tries sent at the same moment are counted one after the other and the limit
    # holds exactly (an UPDATE that changes nothing: PostgreSQL locks the row, SQLite takes its write lock).
    db.session.execute(update(User).where(User.id == user.id).values(name=User.name))
    allowed = _setting("CHECKIN_WRONG_CODES_PER_SESSION")
    wrong = wrong_checkin_codes(session, user.id)
    if wrong >= allowed:
        _refuse(CheckinBlockedError(checkin_blocked_message()))
    address = f"checkin:{client}" if client else None
    if address and throttle.used_up("CHECKIN_LIMIT_PER_IP", address):
        log.warning("session %s: check-in refused, too many wrong codes from one address", session.id)
        _refuse(CheckinBlockedError(_("Vanaf dit netwerk zijn te veel verkeerde codes ingevuld. Inchecken met een code "
                                 "kan nu niet.") + " " + _ask_trainer()))
    valid = {checkin_code(session, now), checkin_code(session, now - timedelta(minutes=1))}
    if any(hmac.compare_digest(code, good) for good in valid):
        set_attendance(session, {user.id: "present"}, source="checkin")
        return
    db.session.add(CheckinAttempt(session_id=session.id, user_id=user.id, attempted_at=now))
    db.session.commit()
    if address:
        throttle.count("CHECKIN_LIMIT_PER_IP", address)
    wrong += 1
    log.info("session %s: wrong check-in code from user %s (%d of %d)", session.id, user.id, wrong, allowed)
    if wrong >= allowed:
        raise CheckinBlockedError(ngettext(
            "Deze code klopt niet. Je hebt %(num)d keer een verkeerde code ingevuld; inchecken met een code kan bij "
            "deze bijeenkomst niet meer.",
            "Deze code klopt niet. Je hebt %(num)d keer een verkeerde code ingevuld; inchecken met een code kan bij "
            "deze bijeenkomst niet meer.", wrong) + " " + _ask_trainer())
    raise CohortError(_("Deze code klopt niet of is verlopen. Kijk naar de code die de trainer nu laat zien.") + " "
                      + ngettext("Je kunt het nog %(num)d keer proberen.", "Je kunt het nog %(num)d keer proberen.",
                                 allowed - wrong))


def set_attendance(session: CohortSession, statuses: dict[int, str], source: str = "trainer") -> None:
    """Record present/absent/excused per learner (only for learners enrolled in the session's cohort)."""
    members = {e.user_id for e in session.cohort.enrollments if e.is_active}
    existing = {a.user_id: a for a in session.attendance}
    for user_id, status in statuses.items():
        if user_id not in members:
            raise CohortError(_("Een van de deelnemers zit niet in deze groep."))
        row = existing.get(user_id)
        if row is None:
            try:
                with db.session.begin_nested():
                    db.session.add(Attendance(session_id=session.id, user_id=user_id, status=status, source=source))
            except IntegrityError:
                row = db.session.scalar(select(Attendance).where(Attendance.session_id == session.id,
                                                                 Attendance.user_id == user_id))
        if row is not None and row.status != status:
            row.status, row.source, row.marked_at = status, source, utcnow()
    db.session.commit()
    log.info("session %s: attendance for %d learner(s) by %s", session.id, len(statuses), source)


def next_session(sessions, now=None):
    """The first of these sessions (in time order) that has not ended, or None."""
    now = now or utcnow()
    return next((s for s in sessions if as_utc(s.ends_at) >= now), None)


# The trainer's dashboard ------------------------------------------------------------------------------------

# The statements of the progress pages are built once, here: building and caching a select in SQLAlchemy costs
# more than SQLite needs to run one of these on its indexes. The lists are bound at run time (expanding IN).
_ENROLLED = (
    select(Enrollment.cohort_id, Enrollment.enrolled_at, User.id, User.name, User.email, User.skj_number,
           Enrollment.progress_token)
    .join(User, User.id == Enrollment.user_id)
    .where(Enrollment.cohort_id.in_(bindparam("cohort_ids", expanding=True)), Enrollment.removed_at.is_(None)))
_ENROLLED_AMONG = _ENROLLED.where(Enrollment.user_id.in_(bindparam("user_ids", expanding=True)))
_LESSONS_DONE = (
    select(LessonProgress.user_id, LessonProgress.module_slug, func.count())
    .where(LessonProgress.user_id.in_(bindparam("user_ids", expanding=True)),
           LessonProgress.module_slug.in_(bindparam("slugs", expanding=True)),
           LessonProgress.completed_at.is_not(None))
    .group_by(LessonProgress.user_id, LessonProgress.module_slug))
# The same, leaving out lessons that were archived: only needed when one of the modules has such a lesson.
_ACTIVE_LESSONS_DONE = (
    _LESSONS_DONE.join(Module, Module.slug == LessonProgress.module_slug)
    .join(Lesson, (Lesson.module_id == Module.id) & (Lesson.slug == LessonProgress.lesson_slug))
    .where(Lesson.archived.is_(False)))
_QUIZ_RESULTS = (
    select(QuizAttempt.user_id, QuizAttempt.module_slug, func.max(QuizAttempt.percent),
           func.max(case((QuizAttempt.passed.is_(True), 1), else_=0)))
    .where(QuizAttempt.user_id.in_(bindparam("user_ids", expanding=True)),
           QuizAttempt.module_slug.in_(bindparam("slugs", expanding=True)))
    .group_by(QuizAttempt.user_id, QuizAttempt.module_slug))
_ATTENDANCE_MARKS = (
    select(Attendance.user_id, Attendance.session_id, Attendance.status)
    .where(Attendance.session_id.in_(bindparam("session_ids", expanding=True)),
           Attendance.user_id.in_(bindparam("user_ids", expanding=True))))


def attendance_counts_of(groups: list[tuple[Cohort, dict]], now=None) -> list[dict[int, tuple[int, int]]]:
    """Per (cohort, joined: user id -> enrolment moment) pair, per learner: sessions present at, and sessions
    that count. One query, whatever the number of cohorts or learners.

    A session counts when it has ended and the learner was expected at it: held after they joined, or marked
    for them anyway. Excused sessions count for nobody.
    """
    now = now or utcnow()
    ended = [[s for s in cohort.sessions if as_utc(s.ends_at) <= now] for cohort, _joined in groups]
    marks: dict[int, dict[int, str]] = {user_id: {} for _cohort, joined in groups for user_id in joined}
    session_ids = [s.id for sessions in ended for s in sessions]
    for user_id, session_id, status in db.session.execute(_ATTENDANCE_MARKS,
                                                          {"session_ids": session_ids, "user_ids": list(marks)}):
        marks[user_id][session_id] = status  # session ids are unique across cohorts
    result = []
    for (_cohort, joined), sessions in zip(groups, ended, strict=True):
        counts = {}
        for user_id, joined_at in joined.items():
            mine = marks[user_id]
            expected = [s for s in sessions if s.id in mine or as_utc(s.starts_at) >= as_utc(joined_at)]
            counts[user_id] = (sum(1 for s in expected if mine.get(s.id) == "present"),
                               sum(1 for s in expected if mine.get(s.id) != "excused"))
        result.append(counts)
    return result


@dataclass(frozen=True, slots=True)
class Person:
    """The fields of an account that the progress pages show."""

    id: int
    name: str
    email: str
    skj_number: str | None


@dataclass
class GroupProgress:
    """What the active learners of one cohort did, counted in SQL (see groups_progress)."""

    cohort: Cohort
    #: Active learners by user id.
    people: dict[int, Person] = field(default_factory=dict)
    #: user id -> moment they joined the cohort (UTC).
    joined: dict = field(default_factory=dict)
    #: (user id, module slug) -> active lessons of the module marked as done.
    lessons_done: dict[tuple[int, str], int] = field(default_factory=dict)
    #: (user id, module slug) -> (best percentage or None, passed), for every module with attempts.
    quiz: dict[tuple[int, str], tuple[float | None, bool]] = field(default_factory=dict)
    #: user id -> (sessions present at, sessions that count); see attendance_counts_of.
    attendance: dict[int, tuple[int, int]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SessionLine:
    """A session as the cohort dashboard lists it."""

    id: int
    title: str
    starts_at: datetime
    ends_at: datetime


#: The cohort, whether this user trains it and its trainers' names, in one query (the dashboard's access check).
_DASHBOARD_HEAD = select(
    Cohort,
    select(cohort_trainer.c.user_id).where(cohort_trainer.c.cohort_id == Cohort.id,
                                           cohort_trainer.c.user_id == bindparam("user_id")).exists(),
    _trainer_names_of(Cohort.id),
).where(Cohort.id == bindparam("cohort_id"))
#: The cohort's active learners (the rows of _ENROLLED, then a NULL) and its sessions (cohort id, starts_at, id,
#: title, three NULLs, ends_at) in one query; the kind comes last.
_ROSTER = union_all(
    _ENROLLED.add_columns(null().cast(CohortSession.ends_at.type), literal_column("'learner'")),
    select(CohortSession.cohort_id, CohortSession.starts_at, CohortSession.id, CohortSession.title,
           null().cast(User.email.type), null().cast(User.skj_number.type),
           null().cast(Enrollment.progress_token.type), CohortSession.ends_at, literal_column("'session'"))
    .where(CohortSession.cohort_id.in_(bindparam("cohort_ids", expanding=True))))


def dashboard_head(cohort_id: int, user) -> tuple[Cohort, bool, list[str]] | None:
    """The cohort, whether `user` is one of its trainers, and the trainers' names (by name); None: no cohort."""
    row = db.session.execute(_DASHBOARD_HEAD, {"cohort_id": cohort_id, "user_id": user.id}).one_or_none()
    if row is None:
        return None
    cohort, trains, names = row
    return cohort, bool(trains), _names(names)


def roster(cohort: Cohort) -> tuple[list[SessionLine], list]:
    """The cohort's sessions (in time order) and its active learners as `enrolments` gives them, in one query."""
    sessions, enrolled = [], []
    for row in db.session.execute(_ROSTER, {"cohort_ids": [cohort.id]}):
        if row[-1] == "session":
            _cohort_id, starts_at, session_id, title, *_nothing, ends_at, _kind = row
            sessions.append(SessionLine(session_id, title, as_utc(starts_at), as_utc(ends_at)))
        else:
            enrolled.append(tuple(row[:7]))
    sessions.sort(key=lambda s: (s.starts_at, s.id))
    return sessions, enrolled


def enrolments(cohorts: list[Cohort], user_ids=None) -> list:
    """The active learners of the cohorts (or the given ones among them), one query: rows of cohort id, moment
    they joined, user id, name, e-mail, SKJ number and progress token (jimtraining/cohorts/stamps.py)."""
    cohort_ids = [cohort.id for cohort in cohorts]
    if user_ids is None:
        return db.session.execute(_ENROLLED, {"cohort_ids": cohort_ids}).all()
    return db.session.execute(_ENROLLED_AMONG, {"cohort_ids": cohort_ids, "user_ids": list(user_ids)}).all()


def groups_progress(cohorts: list[Cohort], module_slugs, user_ids=None, now=None,
                    enrolled: list | None = None) -> list[GroupProgress]:
    """Progress of the active learners (or of the given ones among them) of several cohorts in the named modules.

    Four queries, whatever the number of cohorts or learners: enrolments (unless `enrolled` brings them), lessons
    done, quiz results, attendance. The trainer's matrix and the certification checklist both read it, so a
    dashboard counts everything once.
    """
    groups = [GroupProgress(cohort) for cohort in cohorts]
    by_cohort = {group.cohort.id: group for group in groups}
    for cohort_id, joined_at, user_id, name, email, skj_number, _token in (
            enrolled if enrolled is not None else enrolments(cohorts, user_ids)):
        group = by_cohort[cohort_id]
        group.people[user_id] = Person(user_id, name, email, skj_number)
        group.joined[user_id] = as_utc(joined_at)
    ids = list(dict.fromkeys(user_id for group in groups for user_id in group.joined))
    if not ids:
        return groups
    slugs = list(dict.fromkeys(module_slugs or ()))
    lessons_done, quiz = {}, {}
    if slugs:
        content = catalogue()
        archived = any(len(module.lessons) != len(module.active_lessons) for module in content.modules(slugs))
        lessons_done = {(user_id, slug): count for user_id, slug, count in db.session.execute(
            _ACTIVE_LESSONS_DONE if archived else _LESSONS_DONE, {"user_ids": ids, "slugs": slugs})}
        quiz = {(user_id, slug): (best, bool(ok)) for user_id, slug, best, ok
                in db.session.execute(_QUIZ_RESULTS, {"user_ids": ids, "slugs": slugs})}
    attendance = attendance_counts_of([(group.cohort, group.joined) for group in groups], now)
    for group, counts in zip(groups, attendance, strict=True):
        group.lessons_done, group.quiz, group.attendance = lessons_done, quiz, counts
    return groups


@dataclass
class LearnerRow:
    user: Person
    modules_done: int = 0
    lessons_done: int = 0
    quiz: dict = field(default_factory=dict)  # module slug -> (best percent or None, passed)
    #: (best percent rounded, or None; passed) per module with a quiz, in the order of the matrix's columns.
    quiz_cells: list = field(default_factory=list)
    #: Sessions present at, and sessions expected at (ended, held since joining or marked, not excused).
    attended: int = 0
    expected: int = 0
    attendance_percent: int | None = None
    #: "75% (3 van 4)" for the dashboard (certification.presenters.cohort_overview writes it).
    attendance_text: str | None = None


def matrix_modules(cohort: Cohort) -> list:
    """The cohort's modules that are not archived, in the cohort's order (from the curriculum catalogue)."""
    return [module for module in catalogue().modules(cohort.module_slugs) if not module.archived]


def cohort_matrix(cohort: Cohort, learner_id: int | None = None, progress: GroupProgress | None = None,
                  now=None) -> tuple[list[LearnerRow], list, int]:
    """One row per active learner: modules done, quiz best score and pass per module, attendance percentage;
    with the cohort's modules and the number of sessions that have ended.

    Costs the same number of queries for 5 or 500 learners: every figure is an aggregate in SQL. `progress`
    (groups_progress for at least the cohort's modules) saves loading it again.
    """
    modules = matrix_modules(cohort)
    if progress is None:
        progress = groups_progress([cohort], [m.slug for m in modules],
                                   None if learner_id is None else [learner_id], now=now)[0]
    rows = []
    for user_id, person in progress.people.items():
        if learner_id is not None and user_id != learner_id:
            continue
        row = LearnerRow(person)
        for module in modules:
            count = progress.lessons_done.get((user_id, module.slug), 0)
            row.lessons_done += count
            if module.active_quiz is None:
                if count >= len(module.active_lessons) > 0:
                    row.modules_done += 1
                continue
            best, ok = progress.quiz.get((user_id, module.slug), (None, False))
            row.quiz[module.slug] = (best, ok)
            row.quiz_cells.append((None if best is None else int(round(best)), ok))
            if count >= len(module.active_lessons) > 0 and ok:
                row.modules_done += 1
        row.attended, row.expected = progress.attendance.get(user_id, (0, 0))
        row.attendance_percent = round(100 * row.attended / row.expected) if row.expected else None
        rows.append(row)
    now = now or utcnow()
    ended = sum(1 for s in cohort.sessions if as_utc(s.ends_at) <= now)
    return sorted(rows, key=lambda r: r.user.name.lower()), modules, ended
