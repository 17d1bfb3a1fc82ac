"""Inviting a list of learners: an uploaded CSV file (name, e-mail, organisation, SKJ number) is checked and shown
before anything is sent (jimtraining/cohorts/views/invitations.py sends the invitations)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import func, select

from jimtraining.accounts.models import User
from jimtraining.cohorts.models import Cohort, Enrollment, Invitation
from jimtraining.extensions import db
from jimtraining.organisations.models import Organisation
from jimtraining.timeutil import utcnow

MAX_CSV_BYTES = 512 * 1024
MAX_CSV_ROWS = 2000


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
