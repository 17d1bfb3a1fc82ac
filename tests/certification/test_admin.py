"""Licences, certificates and the audit log for admins; the SKJ export for learners."""

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from jimtraining.certification.models import AuditError, AuditEvent, TrainerLicence
from jimtraining.certification.services import CertificationError, create_certificate, grant_licence, valid_licence
from jimtraining.extensions import db
from jimtraining.timeutil import as_utc, utcnow
from tests.exports import both_variants, offers_both_variants
from tests.support.certification import mark


def test_admin_grants_a_licence_and_it_is_logged(client_for, world, make_user):
    trainer = make_user(role="trainer", name="Nieuwe Trainer")
    client = client_for(world.admin)
    response = client.submit("/admin/licences", {"user_id": trainer.id, "months": 24, "reason": "TtT afgerond"},
                             page="/admin/licences")
    assert response.status_code == 302
    licence = valid_licence(trainer)
    assert licence is not None
    assert 729 <= (as_utc(licence.expires_at) - utcnow()).days <= 731
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "licence.granted"))
    assert event.subject_id == trainer.id and event.reason == "TtT afgerond"
    assert "Nieuwe Trainer" in client.get("/admin/licences").get_data(as_text=True)


def test_renewal_starts_where_the_current_licence_ends_and_keeps_history(world):
    current = valid_licence(world.trainer)
    renewed = grant_licence(world.trainer, 12, world.admin)
    assert as_utc(renewed.valid_from) == as_utc(current.expires_at) and renewed.renews_id == current.id
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "licence.renewed")) is not None
    assert len(db.session.scalars(select(TrainerLicence).where(TrainerLicence.user_id == world.trainer.id)).all()) \
        == 2


def test_only_trainers_get_a_licence_and_months_are_bounded(client_for, world):
    with pytest.raises(CertificationError):
        grant_licence(world.learner, 12, world.admin)
    client = client_for(world.admin)
    response = client.submit("/admin/licences", {"user_id": world.trainer.id, "months": 500}, page="/admin/licences")
    assert response.status_code == 400 and "Kies 1 tot 120 maanden" in response.get_data(as_text=True)
    response = client.submit("/admin/licences", {"user_id": world.learner.id, "months": 12},
                             page="/admin/licences")
    assert response.status_code == 400  # not a trainer: not in the list


def test_withdrawal_needs_a_reason_ends_the_licence_and_is_logged(client_for, world):
    licence = valid_licence(world.trainer)
    client = client_for(world.admin)
    client.submit(f"/admin/licences/{licence.id}/withdraw", {"reason": ""}, page="/admin/licences")
    assert valid_licence(world.trainer) is not None
    client.submit(f"/admin/licences/{licence.id}/withdraw", {"reason": "Gestopt als trainer."}, page="/admin/licences")
    assert valid_licence(world.trainer) is None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "licence.withdrawn"))
    assert event.reason == "Gestopt als trainer." and event.actor_id == world.admin.id


@pytest.mark.parametrize("path", ["/admin/licences", "/admin/certificates", "/admin/audit", "/admin/audit.csv"])
@pytest.mark.parametrize("who", ["trainer", "learner", "actor"])
def test_admin_pages_are_closed_to_others(client_for, world, path, who):
    assert client_for(getattr(world, who)).get(path).status_code == 403


def test_trainer_cannot_grant_themselves_a_licence(client_for, world, make_user):
    unlicensed = make_user(role="trainer")
    client = client_for(unlicensed)
    assert client.submit("/admin/licences", {"user_id": unlicensed.id, "months": 120}).status_code == 403
    assert valid_licence(unlicensed) is None


def test_audit_log_cannot_be_changed_or_deleted(world):
    grant_licence(world.trainer, 12, world.admin, "verlenging")
    event = db.session.scalar(select(AuditEvent))
    event.reason = "weggepoetst"
    with pytest.raises(AuditError):
        db.session.commit()
    db.session.rollback()
    with pytest.raises(AuditError):
        db.session.delete(db.session.scalar(select(AuditEvent)))
        db.session.commit()
    db.session.rollback()
    assert db.session.scalar(select(AuditEvent)).reason == "verlenging"


def test_audit_log_page_filters_and_exports(client_for, world):
    create_certificate(world.learner, world.trainer, world.track, world.cohort, utcnow())
    db.session.commit()
    grant_licence(world.trainer, 12, world.admin, "=HYPERLINK(\"x\")")
    client = client_for(world.admin)
    page = client.get("/admin/audit?action=certificate.issued").get_data(as_text=True)
    body = page.split("<tbody>")[1]
    assert "Certificaat afgetekend" in body and "Licentie verlengd" not in body
    rows = list(csv.reader(io.StringIO(client.get("/admin/audit.csv").get_data(as_text=True))))
    assert rows[0][:3] == ["id", "at", "action"] and {r[2] for r in rows[1:]} == {"certificate.issued",
                                                                                   "licence.renewed"}
    assert any(r[9] == "'=HYPERLINK(\"x\")" for r in rows[1:])  # formulas are defused for spreadsheets


def test_audit_log_export_defuses_formulas_after_invisible_characters_and_comes_in_both_variants(client_for, world):
    """Issue 14 items 11 and 12: a reason that starts with an invisible character (a zero-width space, pasted
    along, which no strip removes) and then a formula went out as it was; the audit page offers the Excel variant
    beside the standard one, for the chosen filter too."""
    grant_licence(world.trainer, 12, world.admin, "\u200b=HYPERLINK(\"https://example.org\")")
    client = client_for(world.admin)
    for rows in both_variants(client, "/admin/audit.csv?action=licence.renewed"):  # checks every cell
        assert [row[9] for row in rows[1:]] == ["'\u200b=HYPERLINK(\"https://example.org\")"]
    page = client.get("/admin/audit?action=licence.renewed").get_data(as_text=True)
    assert offers_both_variants(page, "/admin/audit.csv?action=licence.renewed")


def test_admin_finds_certificates_by_number_name_and_status(client_for, world):
    found = create_certificate(world.learner, world.trainer, world.track, world.cohort, utcnow())
    create_certificate(world.second, world.trainer, world.track, world.cohort,
                       utcnow() - timedelta(days=365 * 4))
    db.session.commit()
    client = client_for(world.admin)
    assert found.number in client.get(f"/admin/certificates?q={found.number}").get_data(as_text=True)
    by_name = client.get("/admin/certificates?q=lotte").get_data(as_text=True)
    assert "Lotte Leerling" in by_name and "Sem Tweede" not in by_name
    expired = client.get("/admin/certificates?status=expired").get_data(as_text=True)
    assert "Sem Tweede" in expired and "Lotte Leerling" not in expired
    assert client.get("/admin/certificates?q=%25_").status_code == 200


def test_skj_export_lists_certificates_and_attended_sessions_with_hours(client_for, world):
    world.learner.skj_number = "12345678"
    db.session.commit()
    mark(world.sessions, world.learner, ["present", "absent", "present", "excused", "present"])
    certificate = create_certificate(world.learner, world.trainer, world.track, world.cohort, utcnow())
    db.session.commit()
    response = client_for(world.learner).get("/certification/skj.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    sessions = [r for r in rows if r["kind"] == "session"]
    assert len(sessions) == 3 and all(r["hours"] == "3.0" and r["skj_number"] == "12345678" for r in sessions)
    (cert_row,) = [r for r in rows if r["kind"] == "certificate"]
    assert cert_row["certificate_number"] == certificate.number and cert_row["status"] == "valid"
    assert cert_row["valid_until"] == as_utc(certificate.expires_at).date().isoformat()


def test_skj_export_comes_in_both_variants_and_the_page_offers_both(client_for, world):
    """Issue 14 items 11 and 12: the learner's SKJ file as standard CSV and for Excel (decimal comma in the
    hours), every cell defused; the certification page links to both and says which is which."""
    world.learner.name = "-Lotte Leerling"
    db.session.commit()
    mark(world.sessions, world.learner, ["present", "absent", "absent", "absent", "absent"])
    client = client_for(world.learner)
    standard, excel = both_variants(client, "/certification/skj.csv")  # checks every cell
    assert standard[1][1] == excel[1][1] == "'-Lotte Leerling"
    assert (standard[1][5], excel[1][5]) == ("3.0", "3,0")
    assert offers_both_variants(client.get("/certification").get_data(as_text=True), "/certification/skj.csv")


def test_skj_export_holds_only_the_learners_own_data(client_for, world):
    mark(world.sessions, world.second, ["present"] * 5)
    rows = list(csv.DictReader(io.StringIO(client_for(world.learner).get("/certification/skj.csv")
                                           .get_data(as_text=True))))
    assert rows == []


def test_learner_page_lists_own_certificates_and_the_checklist(client_for, world):
    certificate = create_certificate(world.learner, world.trainer, world.track, world.cohort,
                                     utcnow() - timedelta(days=365 * 3 + 10))
    db.session.commit()
    page = client_for(world.learner).get("/certification").get_data(as_text=True)
    assert certificate.number in page and "Verlopen" in page
    assert "0 van 6 onderdelen klaar" in page and "Praktijkopdracht" in page and "nog niet ingeleverd" in page


def test_cohort_form_offers_the_tracks(client_for, world):
    client = client_for(world.trainer)
    url = f"/cohorts/{world.cohort.id}/edit"
    assert "JIMwerker" in client.get(url).get_data(as_text=True)


def test_audit_log_pages_through_many_events(client_for, world):
    for _ in range(60):
        grant_licence(world.trainer, 1, world.admin)
    client = client_for(world.admin)
    first = client.get("/admin/audit").get_data(as_text=True)
    assert "Pagina 1 van 2" in first and 'rel="next"' in first
    second = client.get("/admin/audit?page=2").get_data(as_text=True)
    assert "Pagina 2 van 2" in second and second.count("Licentie verlengd") >= 10
    assert client.get("/admin/audit?page=99").status_code == 200


def test_renewing_twice_extends_the_chain_and_withdrawal_ends_the_planned_renewals_too(world):
    current = valid_licence(world.trainer)
    first = grant_licence(world.trainer, 12, world.admin)
    second = grant_licence(world.trainer, 12, world.admin)
    assert as_utc(first.valid_from) == as_utc(current.expires_at)
    assert as_utc(second.valid_from) == as_utc(first.expires_at) and second.renews_id == first.id
    from jimtraining.certification.services import withdraw_licence

    withdrawn = withdraw_licence(current, world.admin, "Gestopt.")
    assert {licence.id for licence in withdrawn} == {current.id, first.id, second.id}
    later = utcnow() + timedelta(days=800)
    assert valid_licence(world.trainer, now=later) is None


def test_licences_ending_soon_leave_out_trainers_with_a_planned_renewal(world, make_user):
    from jimtraining.certification.stats import national_figures
    from tests.support.certification import calibrate, give_licence

    soon = make_user(role="trainer")
    give_licence(soon, days_left=20)
    renewed = make_user(role="trainer")
    give_licence(renewed, days_left=20)
    calibrate(renewed)
    grant_licence(renewed, 12, world.admin)
    figures = national_figures()
    assert figures.licences_ending_soon == 1
    assert figures.licensed_trainers == 4  # world's two trainers, soon, renewed


@pytest.mark.parametrize("path", ["/admin/certificates?page=99999999999999999999", "/admin/audit?page=-5",
                                  "/admin/audit?page=abc", "/admin/licences?user=%C2%B2",
                                  "/admin/licences?user=99999999999999999999", "/admin/certificates?q=%00"])
def test_odd_query_strings_give_a_page_not_an_error(client_for, world, path):
    assert client_for(world.admin).get(path).status_code in (200, 400)


def test_a_revoked_certificate_has_no_pdf_any_more(client_for, world):
    from jimtraining.certification.services import revoke_certificate

    certificate = create_certificate(world.learner, world.trainer, world.track, world.cohort, utcnow())
    db.session.commit()
    revoke_certificate(certificate, world.admin, "Vergissing.")
    client = client_for(world.learner)
    assert client.get(f"/certificates/{certificate.id}.pdf").status_code == 410
    assert f"/certificates/{certificate.id}.pdf" not in client.get("/certification").get_data(as_text=True)


def test_only_admins_make_a_group_follow_the_jim_trainer_track(client_for, world):
    from tests.support.certification import make_track

    make_track(slug="jim-trainer", title="JIM-trainer", audience="trainer")
    url = f"/cohorts/{world.cohort.id}/edit"
    trainer = client_for(world.trainer)
    select_box = trainer.get(url).get_data(as_text=True).split('id="track_slug"')[1].split("</select>")[0]
    assert "JIMwerker" in select_box and "JIM-trainer" not in select_box
    data = {"name": "Groep", "organisation_id": world.cohort.organisation_id, "region": "Twente",
            "status": "running", "work_context": "", "track_slug": "jim-trainer", "trainer_ids": [world.trainer.id],
            "module_slugs": ["basis", "verder"]}  # the modules the track requires (issue 14, item 2)
    refused = trainer.submit(url, data, page=url)
    assert refused.status_code != 302 and 'id="track_slug-error"' in refused.get_data(as_text=True)
    db.session.refresh(world.cohort)
    assert world.cohort.track_slug == "jimwerker"
    admin = client_for(world.admin)
    assert admin.submit(url, data, page=url).status_code == 302
    db.session.refresh(world.cohort)
    assert world.cohort.track_slug == "jim-trainer"


def test_audit_log_shows_the_newest_event_first_by_date_not_by_when_it_was_written(client_for, world):
    """Issue 14 item 3: the audit log is not in date order; newest first, with paging (and the CSV alike)."""
    now = utcnow()
    create_certificate(world.learner, world.trainer, world.track, world.cohort, now)
    create_certificate(world.second, world.trainer, world.track, world.cohort,
                       now - timedelta(days=400))  # written later, dated earlier (a certificate signed afterwards)
    db.session.commit()
    grant_licence(world.trainer, 12, world.admin, now=now - timedelta(days=30))
    client = client_for(world.admin)
    body = client.get("/admin/audit").get_data(as_text=True).split("<tbody>")[1]
    order = [body.index(text) for text in ("Lotte Leerling", "Licentie verlengd", "Sem Tweede")]
    assert order == sorted(order)
    rows = list(csv.reader(io.StringIO(client.get("/admin/audit.csv").get_data(as_text=True))))[1:]
    moments = [row[1] for row in rows]
    assert moments == sorted(moments, reverse=True) and len(rows) == 3
