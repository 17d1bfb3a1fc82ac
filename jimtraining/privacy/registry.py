"""Which data is about a person, what their export contains, and what erasing their account does with it.

There is one `Entry` per table that points at a person (a ForeignKey to ``user_account.id``), registered by table
name, with one `Link` per such column. A link says

- whether the rows found through it belong in the person's export (``export``; when not, ``export_why`` says
  why), and
- what erasure does with those rows (``erase``: `Erase.DELETE`, `Erase.ANONYMISE`, `Erase.UNLINK` or
  `Erase.KEEP`) and why (``why``), with the free-text columns it blanks (``blank``).

An entry builds its part of the export with ``export`` (a function of the user that returns sections of the
JSON), or from ``fields`` (those columns of the rows found through the exported links), or says that its rows are
shown inside another entry's section (``exported_in``). ``before_erase`` does what a link cannot say: blanking
text in child tables or copying names that need the original row; it runs before the links are applied, and the
account row itself is anonymised last (``after_erase``, `services.erase_user`).

The table is declarative and lives here, in one place, with its completeness check; the code that reads and
erases each domain's rows lives in that domain's ``personal_data.py`` (accounts, cohorts, quizzes, scenarios,
certification), which knows its own models. This module imports them; no domain imports privacy.

`registry_problems` checks the registry against the tables in ``db.metadata``: tests/privacy/test_registry.py
fails, with a message that says what to add, for every table or column that points at a person and is not
covered. When you add such a model, add an entry here and a line to docs/PRIVACY.md.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import MetaData, Table, or_, select

from jimtraining.accounts import personal_data as accounts
from jimtraining.certification import personal_data as certification
from jimtraining.certification.models import Certificate
from jimtraining.cohorts import personal_data as cohorts
from jimtraining.credentials import issuing as credentials
from jimtraining.exports.values import value
from jimtraining.extensions import db
from jimtraining.quizzes import personal_data as quizzes
from jimtraining.roleplay import personal_data as roleplay
from jimtraining.scenarios import personal_data as scenarios

USER_TABLE = "user_account"
USER_KEY = f"{USER_TABLE}.id"
#: The name that replaces an erased person's name in the audit log (actor_name / subject_name).
ERASED_NAME_IN_LOG = "verwijderde gebruiker"


class Erase(enum.StrEnum):
    #: The rows are deleted.
    DELETE = "delete"
    #: The rows stay, still linked to the (anonymised) account; the free text in ``blank`` is wiped.
    ANONYMISE = "anonymise"
    #: The rows stay (they are someone else's); the link to the person is set to NULL, ``blank`` is wiped.
    UNLINK = "unlink"
    #: The rows stay as they are, linked to the anonymised account (``why`` says why that is needed).
    KEEP = "keep"


#: What the admin sees before erasing, per action.
ERASE_LABELS = {
    Erase.DELETE: _l("wordt verwijderd"),
    Erase.ANONYMISE: _l("blijft bewaard zonder naam en zonder vrije tekst"),
    Erase.UNLINK: _l("blijft bewaard, los van deze persoon"),
    Erase.KEEP: _l("blijft bewaard bij het geanonimiseerde account"),
}


@dataclass(frozen=True, eq=False)
class Link:
    """One column that points at the person."""

    column: str
    erase: Erase
    #: Why erasure does this (for developers and docs/PRIVACY.md).
    why: str
    #: What the person is in these rows, for the admin's overview ("als beoordelaar").
    role: Any = ""
    #: Whether the rows found through this column are in the person's export.
    export: bool = True
    #: Why they are not, when export is False.
    export_why: str = ""
    #: Columns of the same table that erasure overwrites (column -> value), for ANONYMISE and UNLINK.
    blank: dict[str, Any] = field(default_factory=dict)


@dataclass
class ErasureContext:
    user_id: int
    #: The e-mail address before erasure (lower-case), for rows that name the person without a link.
    email: str
    by_id: int
    now: datetime
    #: Rows changed, by kind: "<table>.<action>" -> count (only counts: no personal data).
    counts: Counter = field(default_factory=Counter)


@dataclass(frozen=True, eq=False)
class Entry:
    table: str
    #: What these rows are, for the admin's overview.
    title: Any
    links: tuple[Link, ...] = ()
    #: The keys of the export this entry writes.
    sections: tuple[str, ...] = ()
    #: Builds the sections from the user: user -> {section: value}.
    export: Callable[[Any], dict] | None = None
    #: Or: export these columns of the rows found through the exported links, as sections[0].
    fields: tuple[str, ...] = ()
    #: Or: the rows are shown inside this section of another entry.
    exported_in: str | None = None
    #: Erasure steps of the domain: ctx -> rows changed by kind ("<table>.<action>" -> count), added to ctx.counts.
    before_erase: Callable[[ErasureContext], Mapping[str, int]] | None = None
    after_erase: Callable[[ErasureContext], Mapping[str, int]] | None = None
    #: The table may not exist (yet): then the entry is skipped instead of reported as stale.
    optional: bool = False


# Helpers -----------------------------------------------------------------------------------------------------

def table(name: str) -> Table:
    return db.metadata.tables[name]


def generic_rows(entry: Entry, user_id: int) -> list[dict]:
    """The ``fields`` of the rows found through the entry's exported links."""
    tbl = table(entry.table)
    links = [link for link in entry.links if link.export]
    query = select(*(tbl.c[name] for name in entry.fields)).where(
        or_(*(tbl.c[link.column] == user_id for link in links)))
    if "id" in tbl.c:
        query = query.order_by(tbl.c.id)
    return [{key: value(item) for key, item in row.items()} for row in db.session.execute(query).mappings()]


def _certificates_show_initials(ctx):
    """The names on the certificates become initials; the holder's name is in each certificate's Open Badge too,
    which is signed again with the initials (the credential keeps its status bit)."""
    counts = certification.certificates_show_initials(ctx.user_id)
    credentials.reissue(db.session.connection(), db.session.scalars(
        select(Certificate.id).where(Certificate.user_id == ctx.user_id)).all())
    return counts


#: How an erased holder's or trainer's name shows on a certificate (certification does it; docs/PRIVACY.md).
initials = certification.initials


# The registry ------------------------------------------------------------------------------------------------

# LTI ---------------------------------------------------------------------------------------------------------

def _export_lti_links(user) -> dict:
    from jimtraining.lti.models import LtiPlatform, LtiUserLink

    rows = db.session.execute(
        select(LtiPlatform.name, LtiPlatform.issuer, LtiUserLink.sub, LtiUserLink.created_at,
               LtiUserLink.last_launch_at)
        .join(LtiPlatform, LtiPlatform.id == LtiUserLink.platform_id)
        .where(LtiUserLink.user_id == user.id).order_by(LtiUserLink.id)).all()
    return {"lti_accounts": [{"platform": name, "issuer": issuer, "platform_user_id": sub, "created_at": value(made),
                              "last_launch_at": value(last)} for name, issuer, sub, made, last in rows]}


OTHER_PERSONS_ROWS = ("the rows are someone else's (their certificate or licence); what the person did to them is "
                      "in the export's audit events")

ENTRIES: tuple[Entry, ...] = (
    Entry("user_account", _l("Account"), sections=("profile", "organisation"), export=accounts.export_profile,
          after_erase=lambda ctx: accounts.anonymise_account(ctx.user_id)),
    Entry("login_session", _l("Inlogsessies"), optional=True, sections=("login_sessions",),
          fields=("created_at", "ended_at"), links=(
              Link("user_id", Erase.DELETE, "sessions end with the account; a login history has no use after it",
                   role=_l("als gebruiker")),)),
    Entry("sso_link", _l("Gekoppelde instellingsaccounts"), sections=("institution_accounts",),
          fields=("provider", "issuer", "subject", "principal_name", "home_organization", "created_at",
                  "last_login_at"), links=(
              Link("user_id", Erase.DELETE, "the link only serves logging in; an erased account logs in no more, "
                   "and the same institution account must be free to make a new one", role=_l("als gebruiker")),)),
    # Cohorts
    Entry("enrollment", _l("Inschrijvingen in groepen"), sections=("enrolments",), export=cohorts.export_enrolments,
          before_erase=lambda ctx: cohorts.end_enrolments(ctx.user_id, ctx.now), links=(
              Link("user_id", Erase.ANONYMISE, "kept so the group's history and figures add up; marked as "
                   "removed so the anonymous account leaves the group's lists", role=_l("als deelnemer")),)),
    Entry("cohort_trainer", _l("Groepen die deze persoon traint"), sections=("cohorts_trained",),
          export=cohorts.export_cohorts_trained, links=(
              Link("user_id", Erase.DELETE, "an erased account trains nobody; the certificates keep the name "
                   "they were signed with (as initials)", role=_l("als trainer")),)),
    Entry("invitation", _l("Uitnodigingen"), sections=("invitations_sent", "invitations_received"),
          export=cohorts.export_invitations, before_erase=lambda ctx: cohorts.delete_invitations_to(ctx.email),
          links=(
              Link("invited_by_id", Erase.UNLINK, "the invitation is the invitee's; who sent it does not matter "
                   "any more. Invitations addressed to the person's e-mail address are deleted (before_erase)",
                   role=_l("als afzender")),)),
    Entry("attendance", _l("Aanwezigheid"), sections=("attendance",), export=cohorts.export_attendance, links=(
        Link("user_id", Erase.KEEP, "no free text; the session's attendance figures stay right",
             role=_l("als deelnemer")),)),
    Entry("checkin_attempt", _l("Verkeerde incheckcodes"), sections=("checkin_wrong_codes",),
          export=cohorts.export_checkin_attempts, links=(
              Link("user_id", Erase.DELETE, "they only served the limit on wrong codes and the trainer's view "
                   "of that session", role=_l("als deelnemer")),)),
    # Curriculum
    Entry("lesson_progress", _l("Voortgang in lessen"), sections=("lesson_progress",),
          fields=("module_slug", "lesson_slug", "started_at", "completed_at"), links=(
              Link("user_id", Erase.KEEP, "no free text; progress statistics stay right",
                   role=_l("als deelnemer")),)),
    # Quizzes
    Entry("quiz_attempt", _l("Toetspogingen"), sections=("quiz_attempts",), export=quizzes.export_quiz_attempts,
          before_erase=lambda ctx: quizzes.blank_open_answers(ctx.user_id), links=(
              Link("user_id", Erase.ANONYMISE, "scores and choices stay for the item analysis; open answers and "
                   "the trainer's feedback on them are wiped (before_erase)", role=_l("als deelnemer")),)),
    Entry("attempt_answer", _l("Antwoorden op open vragen"), sections=("quiz_reviews_given",),
          export=quizzes.export_quiz_reviews, links=(
              Link("reviewed_by_id", Erase.UNLINK, "the answer is the learner's and keeps its grade; the feedback "
                   "the person wrote is wiped", role=_l("als beoordelaar"),
                   blank={"reviewer_feedback": None}),)),
    # Scenarios
    Entry("scenario_run", _l("Oefenscenario's"), sections=("scenario_runs",), export=scenarios.export_scenario_runs,
          links=(Link("user_id", Erase.KEEP, "choices only, no free text; the statistics of paths through a scenario "
                      "stay", role=_l("als deelnemer")),)),
    # Rater calibration
    Entry("calibration_attempt", _l("Kalibraties"), sections=("calibrations",),
          fields=("scenario_slug", "created_at", "scores", "expert", "exact", "adjacent", "kappa"), links=(
              Link("user_id", Erase.DELETE, "a calibration only says how one rater scored; nobody else's record "
                   "rests on it", role=_l("als trainer")),)),
    # Live role-play
    Entry("actor_profile", _l("Acteursprofiel"), sections=("actor_profile",), export=roleplay.export_actor_profile,
          links=(Link("user_id", Erase.DELETE, "availability is free text about the person; nobody else needs it",
                      role=_l("als acteur")),)),
    Entry("actor_booking", _l("Boekingen als acteur"), sections=("actor_bookings",),
          export=roleplay.export_actor_bookings, links=(
              Link("actor_id", Erase.DELETE, "the rounds they played stay; the booking itself has no use after",
                   role=_l("als acteur")),)),
    Entry("role_play_round", _l("Rollenspelrondes"),
          sections=("role_play_rounds", "role_play_scores_given", "role_play_notes_written"),
          export=roleplay.export_rounds,
          before_erase=lambda ctx: roleplay.wipe_what_others_wrote_about(ctx.user_id), links=(
              Link("professional_id", Erase.KEEP, "the outcome counts in the figures; the actor's feedback and the "
                   "raters' comments about the person are wiped (before_erase)", role=_l("als professional")),
              Link("player_id", Erase.KEEP, "the round belongs to the professional's record and needs a player",
                   role=_l("als speler")),
          )),
    Entry("round_observer", _l("Rollenspelrondes"), exported_in="role_play_rounds", links=(
        Link("user_id", Erase.DELETE, "that an anonymous account watched has no use; their scores stay (without "
             "comment)", role=_l("als observator")),)),
    Entry("round_score", _l("Scores bij rollenspel"), exported_in="role_play_scores_given", links=(
        Link("rater_id", Erase.ANONYMISE, "the level stays, so the professional's assessment stays complete; the "
             "comment is free text the person wrote", role=_l("als beoordelaar"), blank={"comment": ""}),)),
    Entry("round_note", _l("Notities bij rollenspel"), exported_in="role_play_notes_written", links=(
        Link("author_id", Erase.DELETE, "free text the person wrote (reflection, feedback, aftercare)",
             role=_l("als schrijver")),)),
    # Certification
    Entry("practice_assignment", _l("Praktijkopdrachten"), sections=("practice_assignments",
                                                                    "practice_reviews_given"),
          export=certification.export_practice,
          before_erase=lambda ctx: certification.blank_practice_texts(ctx.user_id), links=(
              Link("user_id", Erase.ANONYMISE, "the versions stay (number, words, decision, dates); the reflections "
                   "and the feedback on them are wiped (before_erase)", role=_l("als deelnemer")),)),
    Entry("practice_version", _l("Versies van praktijkopdrachten"), exported_in="practice_reviews_given", links=(
        Link("reviewed_by_id", Erase.UNLINK, "the decision stays with the learner's assignment; the feedback the "
             "person wrote is wiped", role=_l("als beoordelaar"), blank={"feedback": None, "decision_reason": None}),)),
    Entry("observed_co_training", _l("Geobserveerde co-trainingen"), sections=("observed_co_trainings",),
          fields=("cohort_name", "session_title", "held_on", "note", "signed_at"), links=(
              Link("candidate_id", Erase.DELETE, "a signed co-training only counts towards the candidate's own "
                   "certificate; the audit log keeps that it was signed", role=_l("als kandidaat-trainer")),
              Link("signed_by_id", Erase.UNLINK, "the co-training stays the candidate's; who signed it is in the "
                   "audit log", role=_l("als ondertekenend trainer"), export=False, export_why=OTHER_PERSONS_ROWS),
          )),
    Entry("trainer_licence", _l("Trainerslicenties"), sections=("trainer_licences",),
          export=certification.export_licences, links=(
        Link("user_id", Erase.KEEP, "shows that the certificates they signed were signed with a valid licence; the "
             "account is switched off, so it counts for nothing", role=_l("als trainer")),
        Link("granted_by_id", Erase.UNLINK, "the licence is the trainer's; who granted it is in the audit log",
             role=_l("als beheerder"), export=False, export_why=OTHER_PERSONS_ROWS),
        Link("withdrawn_by_id", Erase.UNLINK, "the licence is the trainer's; who withdrew it is in the audit log",
             role=_l("als beheerder"), export=False, export_why=OTHER_PERSONS_ROWS),
    )),
    Entry("certificate", _l("Certificaten"), sections=("certificates",), export=certification.export_certificates,
          before_erase=_certificates_show_initials, links=(
              Link("user_id", Erase.ANONYMISE, "stays verifiable for whoever holds the PDF or link, with initials "
                   "instead of the name (before_erase); national counts stay right", role=_l("als houder")),
              Link("issued_by_id", Erase.UNLINK, "the certificate is the holder's; the trainer's name on it becomes "
                   "initials (before_erase)", role=_l("als aftekenend trainer"), export=False,
                   export_why=OTHER_PERSONS_ROWS),
              Link("revoked_by_id", Erase.UNLINK, "the revocation stays; who did it is in the audit log",
                   role=_l("als beheerder"), export=False, export_why=OTHER_PERSONS_ROWS),
          )),
    # LTI: the learning platforms of hogescholen (jimtraining/lti)
    Entry("lti_user_link", _l("Koppelingen met leeromgevingen"), sections=("lti_accounts",),
          export=_export_lti_links, links=(
              Link("user_id", Erase.DELETE, "the link lets the LMS open the account; an erased account must not be "
                   "reachable from it (a later launch makes a new, empty account)", role=_l("als gebruiker")),)),
    Entry("lti_grade", _l("Cijfers voor leeromgevingen"), sections=("lti_grades",),
          fields=("source", "score_given", "score_maximum", "passed", "achieved_at", "state", "sent_at"), links=(
              Link("user_id", Erase.DELETE, "scores not sent yet must not go out for an erased account; those sent "
                   "are in the hogeschool's own gradebook", role=_l("als deelnemer")),)),
    # The audit log is append-only (AuditEvent refuses ORM updates and deletes). Erasure is the one documented
    # exception: a core UPDATE (services applies links with update(table)) nulls the ids and replaces the names;
    # the events themselves, their reasons and details stay.
    Entry("audit_event", _l("Logboek"), sections=("audit_events",), export=certification.export_audit, links=(
        Link("actor_id", Erase.UNLINK, "the log is kept (legal); who did it becomes 'verwijderde gebruiker'",
             role=_l("als uitvoerder"), blank={"actor_name": ERASED_NAME_IN_LOG}),
        Link("subject_id", Erase.UNLINK, "the log is kept (legal); who it was about becomes 'verwijderde gebruiker'",
             role=_l("als betrokkene"), blank={"subject_name": ERASED_NAME_IN_LOG}),
    )),
)


def active_entries(metadata: MetaData | None = None, entries: Iterable[Entry] | None = None) -> list[Entry]:
    """The entries whose table exists, in registry order."""
    tables = (metadata or db.metadata).tables
    return [entry for entry in (ENTRIES if entries is None else entries) if entry.table in tables]


def user_columns(tbl: Table) -> list:
    """The columns of a table that point at a person."""
    return [column for column in tbl.columns if any(fk.target_fullname == USER_KEY for fk in column.foreign_keys)]


def registry_problems(metadata: MetaData, entries: Iterable[Entry] | None = None) -> list[str]:
    """Everything the registry does not cover, as messages that say what to do (empty when all is covered)."""
    entries = list(ENTRIES if entries is None else entries)
    problems = []
    by_table: dict[str, Entry] = {}
    for entry in entries:
        if entry.table in by_table:
            problems.append(f"{entry.table}: registered twice in jimtraining/privacy/registry.py")
        by_table[entry.table] = entry
    sections = [section for entry in entries if entry.table in metadata.tables for section in entry.sections]
    for section in {s for s in sections if sections.count(s) > 1}:
        problems.append(f"export section {section!r} is written by more than one entry")
    where = "jimtraining/privacy/registry.py (and a line in docs/PRIVACY.md)"
    for tbl in metadata.sorted_tables:
        columns = user_columns(tbl)
        if not columns:
            continue
        names = ", ".join(c.name for c in columns)
        entry = by_table.get(tbl.name)
        if entry is None:
            problems.append(
                f"{tbl.name}: column(s) {names} point at {USER_KEY}, but the privacy registry has no entry for "
                f"this table. Add Entry({tbl.name!r}, ...) to {where}: say which rows are the person's in the "
                f"export, and for each of {names} a Link saying what erasing an account does with the rows "
                f"(Erase.DELETE, ANONYMISE with the free-text columns to blank, UNLINK, or KEEP) and why.")
            continue
        links = {link.column: link for link in entry.links}
        for column in columns:
            if column.name not in links:
                problems.append(
                    f"{tbl.name}.{column.name} points at {USER_KEY}, but Entry({tbl.name!r}) in {where} has no "
                    f"Link for it: add Link({column.name!r}, Erase..., why=...) saying what the export and erasure "
                    f"do with the rows it finds.")
        for link in entry.links:
            column = tbl.c.get(link.column)
            if column is None or column not in columns:
                problems.append(f"{tbl.name}.{link.column}: the registry has a Link for it, but it is not a column "
                                f"that points at {USER_KEY} (any more): remove or fix the Link")
                continue
            if not link.why.strip():
                problems.append(f"{tbl.name}.{link.column}: say why erasure does {link.erase} (Link.why)")
            if link.erase is Erase.UNLINK and not column.nullable:
                problems.append(f"{tbl.name}.{link.column} is NOT NULL, so erasure cannot UNLINK it: choose DELETE, "
                                f"ANONYMISE or KEEP")
            for name in link.blank:
                if name not in tbl.c:
                    problems.append(f"{tbl.name}.{link.column}: blanks {name!r}, which is not a column")
            if not link.export and not link.export_why.strip():
                problems.append(f"{tbl.name}.{link.column}: not exported; say why (Link.export_why)")
        exported = [link for link in entry.links if link.export]
        ways = sum((entry.export is not None or bool(entry.fields), entry.exported_in is not None))
        if exported and ways != 1:
            problems.append(f"{tbl.name}: say how its rows are exported: export=function, fields=(...) or "
                            f"exported_in='<section>' (exactly one)")
        if entry.exported_in is not None and entry.exported_in not in sections:
            problems.append(f"{tbl.name}: exported_in={entry.exported_in!r}, but no entry writes that section")
        if (entry.export is not None or entry.fields) and not entry.sections:
            problems.append(f"{tbl.name}: name the export section(s) it writes (Entry.sections)")
        if entry.fields and entry.export is None and not exported:
            problems.append(f"{tbl.name}: fields=(...) exports the rows found through exported links, but no Link "
                            f"has export=True")
        for name in entry.fields:
            if name not in tbl.c:
                problems.append(f"{tbl.name}: exports {name!r}, which is not a column")
    for entry in entries:
        if entry.table not in metadata.tables and not entry.optional:
            problems.append(f"{entry.table}: registered in the privacy registry, but there is no such table (any "
                            f"more): remove the entry or mark it optional")
    return problems
