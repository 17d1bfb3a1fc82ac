"""Issue 14 item 1: every date a person reads is the calendar date in the Netherlands (Europe/Amsterdam).

A certificate signed at 00:30 on 7 December is dated 7 December on the platform's pages, in the PDF, on the public
verification page and JSON, in the mails, the CSV exports and the SKJ export, although it is still 6 December in
UTC. Each test runs at 23:30 and at 00:30 local time, in winter (CET, UTC+1) and in summer (CEST, UTC+2).
"""

import csv
import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from jimtraining.certification import services
from jimtraining.certification.models import AuditEvent
from jimtraining.certification.services import create_certificate, send_expiry_reminders
from jimtraining.certification.stats import national_figures
from jimtraining.cohorts.attendance import new_checkin_secret
from jimtraining.cohorts.models import Attendance, CohortSession
from jimtraining.extensions import db
from jimtraining.timeutil import as_utc

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DUTCH_MONTHS = {1: "januari", 7: "juli", 8: "augustus", 12: "december"}

#: Moments on the wall clock in Amsterdam; at 00:30 the UTC date is still the day before.
MOMENTS = [
    pytest.param(datetime(2026, 12, 6, 23, 30, tzinfo=AMSTERDAM), id="winter-23.30"),
    pytest.param(datetime(2026, 12, 7, 0, 30, tzinfo=AMSTERDAM), id="winter-00.30"),
    pytest.param(datetime(2026, 7, 6, 23, 30, tzinfo=AMSTERDAM), id="summer-23.30"),
    pytest.param(datetime(2026, 7, 7, 0, 30, tzinfo=AMSTERDAM), id="summer-00.30"),
]


def dutch(day: date) -> str:
    return f"{day.day} {DUTCH_MONTHS[day.month]} {day.year}"


def numeric(day: date) -> str:
    return day.strftime("%d-%m-%Y")


def signed_at(world, moment):
    """A certificate signed at `moment` (the clock frozen there), valid for the track's 36 months."""
    certificate = create_certificate(world.learner, world.trainer, world.track, world.cohort,
                                     moment.astimezone(UTC))
    db.session.commit()
    issued = moment.date()
    return certificate, issued, issued.replace(year=issued.year + 3)


@pytest.mark.parametrize("moment", MOMENTS)
def test_the_pdf_dates_the_certificate_on_the_day_it_was_signed_in_amsterdam(client_for, world, moment):
    """Issue 14 item 1: the PDF used to say 6 December for a certificate signed at 00:47 on 7 December."""
    certificate, issued, expires = signed_at(world, moment)
    response = client_for(world.learner).get(f"/certificates/{certificate.id}.pdf")
    text = " ".join(PdfReader(io.BytesIO(response.data)).pages[0].extract_text().split())
    assert f"Uitgereikt op {dutch(issued)}" in text
    assert f"Geldig tot {dutch(expires)}" in text


@pytest.mark.parametrize("moment", MOMENTS)
def test_the_verify_page_the_json_and_the_holders_page_give_the_same_amsterdam_dates(client, client_for, world,
                                                                                     moment):
    """Issue 14 item 1: /verify/<code> and the JSON (issued_on, expires_on) agree with the platform's pages."""
    certificate, issued, expires = signed_at(world, moment)
    page = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert dutch(issued) in page and dutch(expires) in page
    data = client.get(f"/api/v1/certificates/{certificate.code}").get_json()
    assert (data["issued_on"], data["expires_on"]) == (issued.isoformat(), expires.isoformat())
    mine = client_for(world.learner).get("/certification").get_data(as_text=True)
    assert f"afgetekend op {dutch(issued)}" in mine and dutch(expires) in mine


@pytest.mark.parametrize("moment", MOMENTS)
def test_the_mail_about_the_new_certificate_gives_the_amsterdam_expiry_date(world, outbox, moment):
    """Issue 14 item 1: the mail said "geldig tot 06-12-2029" for a certificate signed at 00:47 on 7 December."""
    certificate, _issued, expires = signed_at(world, moment)
    services._mail_issued(certificate, world.learner)
    db.session.commit()  # the mail goes out after the commit
    assert f"geldig tot {numeric(expires)}" in outbox[0].body


@pytest.mark.parametrize("moment", MOMENTS)
def test_the_expiry_reminder_gives_the_amsterdam_expiry_date(world, outbox, moment):
    """Issue 14 item 1: the reminder from cron (no request, no browser time zone) uses the same date."""
    certificate, _issued, expires = signed_at(world, moment)
    report = send_expiry_reminders(now=as_utc(certificate.expires_at) - timedelta(days=10))
    assert report.sent == 1
    assert f"geldig tot {numeric(expires)}" in outbox[0].body


@pytest.mark.parametrize("moment", MOMENTS)
def test_the_skj_export_dates_certificates_and_sessions_in_amsterdam(client_for, world, moment):
    """Issue 14 item 1: the SKJ export (CSV) has the local date of the certificate and of a session that started
    at that moment."""
    certificate, issued, expires = signed_at(world, moment)
    start = moment.astimezone(UTC)
    session = CohortSession(cohort_id=world.cohort.id, title="Avondbijeenkomst", starts_at=start,
                            ends_at=start + timedelta(hours=2), checkin_secret=new_checkin_secret())
    db.session.add(session)
    db.session.flush()
    db.session.add(Attendance(session_id=session.id, user_id=world.learner.id, status="present"))
    db.session.commit()
    response = client_for(world.learner).get("/certification/skj.csv")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    certificate_row = next(r for r in rows if r["kind"] == "certificate")
    assert (certificate_row["date"], certificate_row["valid_until"]) == (issued.isoformat(), expires.isoformat())
    session_row = next(r for r in rows if r["title"].endswith("Avondbijeenkomst"))
    assert session_row["date"] == issued.isoformat()


@pytest.mark.parametrize("moment", MOMENTS)
def test_the_audit_log_export_names_the_amsterdam_expiry_date(client_for, world, moment):
    """Issue 14 item 1: the audit log's CSV holds the expiry date of an issued certificate as people read it; the
    moment itself stays an exact UTC timestamp with its offset."""
    certificate, _issued, expires = signed_at(world, moment)
    response = client_for(world.admin).get("/admin/audit.csv")
    row = next(r for r in csv.DictReader(io.StringIO(response.get_data(as_text=True)))
               if r["action"] == "certificate.issued")
    assert f"expires_on={expires.isoformat()}" in row["details"]
    assert datetime.fromisoformat(row["at"]) == moment
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "certificate.issued"))
    assert event.details["expires_on"] == expires.isoformat()


@pytest.mark.parametrize(("moment", "month"), [
    pytest.param(datetime(2026, 12, 31, 23, 30, tzinfo=AMSTERDAM), "2026-12", id="winter-23.30"),
    pytest.param(datetime(2027, 1, 1, 0, 30, tzinfo=AMSTERDAM), "2027-01", id="winter-00.30"),
    pytest.param(datetime(2026, 7, 31, 23, 30, tzinfo=AMSTERDAM), "2026-07", id="summer-23.30"),
    pytest.param(datetime(2026, 8, 1, 0, 30, tzinfo=AMSTERDAM), "2026-08", id="summer-00.30"),
])
def test_a_certificate_counts_for_its_amsterdam_month_and_year(world, moment, month):
    """Issue 14 item 1: the national progress (page and CSV) counts a certificate signed at 00:30 on the 1st in
    that month, and its number carries the year in which it was signed."""
    certificate, _issued, _expires = signed_at(world, moment)
    assert certificate.number.startswith(f"JIM-{moment.year}-")
    over_time = dict(national_figures(now=datetime(2027, 3, 1, tzinfo=UTC)).over_time)
    assert next(label for label, count in over_time.items() if count) == month
