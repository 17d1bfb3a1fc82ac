"""The edubadges direct-award files of a class: who completed it, and the badge class fields.

The recipients files follow edubadges-server's samples (apps/mainsite/static/sample_direct_award.csv and
sample_direct_award_email_only.csv): semicolons, a header line that starts with "Recipient", then one line per
recipient. The edubadges upload (edubadges-ui, BulkAwardBadge.svelte) splits every line at commas, semicolons and
tabs without quoting, so no cell may contain one of those (they become spaces here) and lines end in a bare LF.
An edubadges bundle awards either by eduPersonPrincipalName (EPPN) or by e-mail address, never mixed: recipients
whose EPPN is known (from their SURFconext or eduID login) go in one file, the others in the e-mail file.

The badge class fields carry edubadges' own names (its BadgeClass and extension names: StudyLoadExtension,
ECTSExtension, EQFExtension, LearningOutcomeExtension, `participation`, `assessment_type`) and are read from the
course unit, never made up: the study load and the EC proposal as the course unit computes them, its learning
outcomes. The EQF/NLQF level, the assessment type and the form of participation are chosen by the lecturer.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from jimtraining.accounts.models import User
from jimtraining.certification.eligibility import cohort_eligibility
from jimtraining.cohorts.models import Cohort
from jimtraining.content.catalogue import catalogue
from jimtraining.credentials.achievements import criteria, track_facts
from jimtraining.curriculum.courseunit import read_course_unit
from jimtraining.curriculum.studyload import compute_study_load
from jimtraining.exports.csv import safe_cell
from jimtraining.extensions import db
from jimtraining.sso.services import principal_names
from jimtraining.web import absolute_url

#: The header lines of edubadges-server's sample files, as they are.
EPPN_HEADER = ("Recipient mailadres", "Recipient EPPN", "Narrative (optional)", "Evidence URL (optional)",
               "Evidence NAME (optional)", "Evidence Description (optional)", "Grade (optional)")
EMAIL_HEADER = ("Recipient mailadres", "Recipient First name", "Recipient Surname", "Narrative (optional)",
                "Evidence URL (optional)", "Evidence NAME (optional)", "Evidence Description (optional)",
                "Grade (optional)")
#: The values edubadges' badge class form offers (edubadges-ui src/locale: badgeClassForm participation and
#: assessment options), with our Dutch labels.
PARTICIPATION = {"online": _l("Online"), "onsite": _l("Op locatie"), "blended": _l("Gemengd (online en op locatie)"),
                 "work_experience": _l("Werkervaring")}
ASSESSMENT_TYPES = {
    "written_exam": _l("(Schriftelijk) tentamen"), "report_paper": _l("Verslag of paper"),
    "behavioural_assessment": _l("Gedragsbeoordeling"), "professional_product": _l("Beroepsproduct"),
    "development_report": _l("Ontwikkel- of reflectieverslag"), "portfolio_assessment": _l("Portfolio"),
    # sic: edubadges spells the value of "Presentation / Oral exam" this way.
    "oram_exam": _l("Presentatie of mondeling tentamen"), "personalized_assessment": _l("Beoordeling op maat")}
#: EQF and NLQF levels 1 to 8 (edubadges has one field, "EQF/NLQF level", whose extension holds the number).
LEVELS = tuple(range(1, 9))
#: A cell may not hold what the edubadges upload splits lines at.
_SPLITS = re.compile(r"[,;\t\r\n]+")


@dataclass
class Recipient:
    user_id: int
    email: str
    name: str
    eppn: str | None
    #: The certificate of this class that shows the completion (its number and verify address), if any.
    certificate_number: str = ""
    evidence_url: str = ""


@dataclass
class BadgeClassFields:
    name: str
    description: str
    criteria: str
    study_load_hours: int | None
    ects: int | None
    learning_outcomes: list[str]


def completions(cohort: Cohort, track) -> list[Recipient]:
    """The class's active learners who completed its track: every requirement met now, or a certificate signed in
    this class (not revoked). By name. A fixed number of queries."""
    eligibility = cohort_eligibility(cohort, track)
    done = {user_id: item for user_id, item in eligibility.items()
            if item.eligible or (item.certificate is not None and item.certificate.cohort_id == cohort.id)}
    users = {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(list(done) or [-1])))}
    eppns = principal_names(list(done))
    recipients = []
    for user_id, item in done.items():
        user = users[user_id]
        certificate = item.certificate if item.certificate is not None and item.certificate.cohort_id == cohort.id \
            else None
        recipients.append(Recipient(
            user_id=user_id, email=user.email, name=user.name, eppn=eppns.get(user_id),
            certificate_number=certificate.number if certificate else "",
            evidence_url=absolute_url("certification.verify", code=certificate.code) if certificate else ""))
    return sorted(recipients, key=lambda r: (r.name.lower(), r.user_id))


def badge_class_fields(track) -> BadgeClassFields:
    """The badge class as the course unit describes it: the track's title and summary, its criteria, the
    computed study load (whole hours, as edubadges asks) and EC proposal, the learning outcomes."""
    parts = read_course_unit(Path(current_app.config["MODULES_DIR"]))
    load = compute_study_load(catalogue(), parts)
    outcomes = [outcome.text for part in parts for outcome in part.outcomes]
    facts = track_facts(db.session.connection(), track.qualification)
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        narrative = criteria(facts) if facts is not None else track.summary
    return BadgeClassFields(
        name=facts.title if facts is not None else track.title, description=track.summary or track.title,
        criteria=narrative, study_load_hours=round(load.total_hours) if load is not None else None,
        ects=load.proposed_ec if load is not None else None, learning_outcomes=outcomes)


def _cell(value) -> str:
    """One cell of a recipients file: nothing the upload splits at, and no formula."""
    return safe_cell(_SPLITS.sub(" ", str(value or "")).strip())


def _split_name(name: str) -> tuple[str, str]:
    """First name and surname from one name field: the first word, then the rest ("Jan van Dijk": "Jan",
    "van Dijk")."""
    first, _space, rest = name.strip().partition(" ")
    return first, rest


def _lines(header, rows) -> bytes:
    text = "\n".join(";".join(_cell(cell) for cell in line) for line in [header, *rows]) + "\n"
    return text.encode("utf-8")


def recipients_files(recipients: list[Recipient]) -> dict[str, bytes]:
    """The edubadges upload files: by EPPN and, for those without one, by e-mail address (only files with
    recipients). The narrative, evidence and grade columns stay as edubadges expects; the evidence is the
    certificate of this class where there is one."""
    by_eppn = [[r.email, r.eppn, "", r.evidence_url, r.certificate_number, "", ""] for r in recipients if r.eppn]
    by_email = [[r.email, *_split_name(r.name), "", r.evidence_url, r.certificate_number, "", ""]
                for r in recipients if not r.eppn]
    files = {}
    if by_eppn:
        files["edubadges-ontvangers-eppn.csv"] = _lines(EPPN_HEADER, by_eppn)
    if by_email:
        files["edubadges-ontvangers-email.csv"] = _lines(EMAIL_HEADER, by_email)
    return files


def badge_class_file(fields: BadgeClassFields, eqf_level: int, assessment_type: str, participation: str) -> bytes:
    """The badge class fields to copy into edubadges: edubadges' field name, what it is, the value (RFC 4180,
    semicolons, UTF-8 with a byte order mark so that Excel opens it in columns)."""
    rows = [("field", "omschrijving", "waarde"),
            ("name", "Naam", fields.name),
            ("description", "Beschrijving", fields.description),
            ("criteria_text", "Criteria", fields.criteria),
            ("StudyLoadExtension.StudyLoad", "Studielast in uren", fields.study_load_hours or ""),
            ("ECTSExtension.ECTS", "Studiepunten (EC), voorstel van de onderwijseenheid", fields.ects or ""),
            ("EQFExtension.EQF", "EQF/NLQF-niveau (gekozen door de docent)", eqf_level),
            ("participation", "Vorm van deelname", participation),
            ("assessment_type", "Soort beoordeling", assessment_type)]
    rows += [("LearningOutcomeExtension.LearningOutcome", f"Leeruitkomst {number}", text)
             for number, text in enumerate(fields.learning_outcomes, start=1)]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerows([[safe_cell(str(cell)) for cell in row] for row in rows])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def export_zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()
