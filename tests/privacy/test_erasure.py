"""An admin erases (anonymises) an account as docs/PRIVACY.md describes."""

import logging

import pytest
from sqlalchemy import func, select

from jimtraining.accounts.models import User
from jimtraining.accounts.personal_data import ERASED_NAME
from jimtraining.certification.models import AuditEvent, Certificate, PracticeAssignment, PracticeVersion
from jimtraining.cohorts.enrolment import memberships
from jimtraining.cohorts.models import Attendance, Enrollment, Invitation
from jimtraining.curriculum.models import LessonProgress
from jimtraining.extensions import db
from jimtraining.privacy.registry import ERASED_NAME_IN_LOG
from jimtraining.privacy.services import PrivacyError, erase_user
from jimtraining.quizzes.models import AttemptAnswer, QuizAttempt
from jimtraining.roleplay.models import RoundNote, RoundScore, round_observer
from jimtraining.scenarios.models import ScenarioRun
from jimtraining.timeutil import utcnow
from tests.support.factories import PASSWORD
from tests.support.privacy import ABOUT_LOTTE, LOTTE, SEM, audit_events, snapshot


def erase_through_the_page(client, user, email=None, reason="request"):
    page = f"/admin/users/{user.id}/erase"
    return client.submit(page, {"confirm_email": user.email if email is None else email, "reason": reason},
                         page=page)


def count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_admin_sees_what_erasure_will_do_before_confirming(client_for, people):
    admin_client = client_for(people.admin)
    edit = admin_client.get(f"/admin/users/{people.lotte.id}").get_data(as_text=True)
    assert f'href="/admin/users/{people.lotte.id}/erase"' in edit
    page = admin_client.get(f"/admin/users/{people.lotte.id}/erase").get_data(as_text=True)
    assert "Account verwijderen: Lotte Leerling" in page
    assert "Toetspogingen" in page and "Certificaten" in page and "wordt verwijderd" in page


def test_erasure_anonymises_the_account_and_ends_every_session(app, client_for, people, caplog, monkeypatch):
    # Alembic's fileConfig (migrations/env.py, run by the app fixture) disables the loggers that existed then.
    monkeypatch.setattr(logging.getLogger("jimtraining.privacy.services"), "disabled", False)
    lotte = people.lotte
    email, lotte_id = lotte.email, lotte.id
    phone = client_for(lotte)
    assert phone.get("/profile").status_code == 200
    with caplog.at_level(logging.INFO, logger="jimtraining.privacy"):
        response = erase_through_the_page(client_for(people.admin), lotte)
    assert response.status_code == 302 and response.headers["Location"] == "/admin/users"
    user = db.session.get(User, lotte_id)
    db.session.refresh(user)
    assert (user.name, user.email, user.is_enabled) == (ERASED_NAME, f"erased-{lotte_id}@invalid", False)
    assert (user.skj_number, user.region, user.work_context, user.organisation_id) == (None, None, None, None)
    assert not user.check_password(PASSWORD)
    # Logged out everywhere, and the old address and password no longer open anything.
    assert phone.get("/profile").status_code == 302
    fresh = app.test_client()
    refused = fresh.submit("/login", {"email": email, "password": PASSWORD}, page="/login")
    assert refused.status_code != 302 and fresh.get("/profile").status_code == 302
    # The log says who was erased by whom, by id; not the name or address.
    line = next(r.getMessage() for r in caplog.records if "erased" in r.getMessage())
    assert f"account {lotte_id} erased by admin {people.admin.id}" in line
    assert "Lotte" not in line and email not in line


def test_erasure_deletes_or_wipes_what_the_person_wrote_and_what_was_written_about_them(client_for, people):
    lotte = people.lotte
    erase_through_the_page(client_for(people.admin), lotte)
    answers = {a.question_key: a for a in db.session.scalars(
        select(AttemptAnswer).join(QuizAttempt).where(QuizAttempt.user_id == lotte.id))}
    assert answers["open"].response is None and answers["open"].reviewer_feedback is None
    assert answers["keuze"].response == "de-jongere" and answers["open"].fraction == 1.0
    versions = db.session.scalars(select(PracticeVersion).join(PracticeAssignment)
                                  .where(PracticeAssignment.user_id == lotte.id)).all()
    assert [(v.text, v.feedback) for v in versions] == [("", None), ("", None)]
    assert [v.decision for v in versions] == ["returned", None]
    notes = {n.text for n in db.session.scalars(select(RoundNote))}
    assert LOTTE["self_reflection"] not in notes and ABOUT_LOTTE["actor_feedback"] not in notes
    assert ABOUT_LOTTE["aftercare"] in notes and SEM["self_reflection"] in notes  # the actor's and Sem's own
    scores = db.session.scalars(select(RoundScore).order_by(RoundScore.id)).all()
    on_lotte = [(s.level, s.comment) for s in scores if s.round_id == people.lotte_round.id]
    assert on_lotte == [(3, ""), (2, "")]
    by_lotte = [s for s in scores if s.rater_id == lotte.id]
    assert [(s.level, s.comment) for s in by_lotte] == [(4, "")]
    assert count(round_observer, round_observer.c.user_id == lotte.id) == 0


def test_erasure_keeps_progress_and_scores_for_the_figures(client_for, people):
    lotte = people.lotte
    before = [count(model, column == lotte.id) for model, column in (
        (LessonProgress, LessonProgress.user_id), (Attendance, Attendance.user_id), (QuizAttempt, QuizAttempt.user_id),
        (ScenarioRun, ScenarioRun.user_id), (Enrollment, Enrollment.user_id))]
    erase_through_the_page(client_for(people.admin), lotte)
    after = [count(model, column == lotte.id) for model, column in (
        (LessonProgress, LessonProgress.user_id), (Attendance, Attendance.user_id), (QuizAttempt, QuizAttempt.user_id),
        (ScenarioRun, ScenarioRun.user_id), (Enrollment, Enrollment.user_id))]
    assert after == before and before[0] == 4
    attempt = db.session.scalar(select(QuizAttempt).where(QuizAttempt.user_id == lotte.id))
    assert (attempt.percent, attempt.passed) == (100.0, True)
    enrolment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == lotte.id))
    assert enrolment.removed_at is not None
    assert people.cohort not in memberships(db.session.get(User, lotte.id))


def test_the_certificate_stays_verifiable_with_initials_and_unchanged_status(client, client_for, people):
    certificate = people.lotte_certificate
    erase_through_the_page(client_for(people.admin), people.lotte)
    db.session.refresh(certificate)
    assert certificate.holder_name == "L. L." and certificate.user_id == people.lotte.id
    assert certificate.revoked_at is None
    page = client.get(f"/verify/{certificate.code}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Geldig certificaat" in html and "L. L." in html and "Lotte" not in html
    data = client.get(f"/api/v1/certificates/{certificate.code}").get_json()
    assert (data["status"], data["name"], data["number"]) == ("valid", "L. L.", certificate.number)
    assert data["issued_by"] == "Tineke Trainer"
    db.session.refresh(people.sem_certificate)
    assert people.sem_certificate.holder_name == "Sem Tweede"


def test_the_audit_log_keeps_its_events_without_the_person(client_for, people):
    lotte, sem = people.lotte, people.sem
    before = [(e.id, e.action, e.object_id, e.reason, e.details) for e in audit_events()]
    about_sem = [(e.id, e.subject_id, e.subject_name) for e in audit_events() if e.subject_id == sem.id]
    erase_through_the_page(client_for(people.admin), lotte)
    db.session.expire_all()
    assert [(e.id, e.action, e.object_id, e.reason, e.details) for e in audit_events()] == before
    assert count(AuditEvent, (AuditEvent.subject_id == lotte.id) | (AuditEvent.actor_id == lotte.id)) == 0
    erased = [e for e in audit_events() if e.subject_name == ERASED_NAME_IN_LOG]
    assert {e.action for e in erased} == {"certificate.issued", "practice.returned"}
    assert all(e.subject_id is None for e in erased)
    assert [(e.id, e.subject_id, e.subject_name) for e in audit_events() if e.subject_id == sem.id] == about_sem
    assert "Lotte Leerling" not in {e.subject_name for e in audit_events()}


def test_erasing_a_trainer_blanks_their_feedback_and_name_on_certificates_they_signed(client_for, people):
    trainer = people.trainer
    erase_through_the_page(client_for(people.admin), trainer)
    certificates = db.session.scalars(select(Certificate).order_by(Certificate.id)).all()
    assert {(c.trainer_name, c.issued_by_id, c.holder_name) for c in certificates} == {
        ("T. T.", None, "Lotte Leerling"), ("T. T.", None, "Sem Tweede")}
    returned = db.session.scalar(select(PracticeVersion).where(PracticeVersion.decision == "returned"))
    assert (returned.feedback, returned.reviewed_by_id, returned.text) == (None, None, LOTTE["reflection"])
    answer = db.session.scalar(select(AttemptAnswer).join(QuizAttempt).where(
        AttemptAnswer.question_key == "open", QuizAttempt.user_id == people.lotte.id))
    assert answer.response == LOTTE["open_answer"]
    assert (answer.reviewer_feedback, answer.reviewed_by_id, answer.fraction) == (None, None, 1.0)
    assert all(e.actor_id is None and e.actor_name == ERASED_NAME_IN_LOG for e in audit_events())
    assert people.cohort.trainers == []


def test_invitations_to_the_persons_address_are_deleted(client_for, people):
    from datetime import timedelta

    lotte = people.lotte
    for email in (lotte.email.upper(), "iemand-anders@example.org"):
        db.session.add(Invitation(cohort_id=people.other.id, email=email, name="X", token_hash=email[:20].ljust(64),
                                  expires_at=utcnow() + timedelta(days=3), invited_by_id=lotte.id))
    db.session.commit()
    erase_through_the_page(client_for(people.admin), lotte)
    assert [(i.email, i.invited_by_id) for i in db.session.scalars(select(Invitation))] == [
        ("iemand-anders@example.org", None)]


@pytest.mark.parametrize("role", ["learner", "trainer", "actor"])
def test_non_admins_get_403_and_nothing_changes(client_for, make_user, people, role):
    lotte = people.lotte
    other = client_for(make_user(role=role))
    assert other.get(f"/admin/users/{lotte.id}/erase").status_code == 403
    before = snapshot()
    response = other.submit(f"/admin/users/{lotte.id}/erase", {"confirm_email": lotte.email, "reason": "request"},
                            page="/profile")
    assert response.status_code == 403
    assert snapshot() == before


def test_an_admin_cannot_erase_themselves(client_for, people):
    admin = people.admin
    admin_client = client_for(admin)
    assert admin_client.get(f"/admin/users/{admin.id}/erase").status_code == 403
    assert f"/admin/users/{admin.id}/erase" not in admin_client.get(f"/admin/users/{admin.id}").get_data(as_text=True)
    before = snapshot()
    response = admin_client.submit(f"/admin/users/{admin.id}/erase", {"confirm_email": admin.email,
                                                                       "reason": "request"}, page="/profile")
    assert response.status_code == 403 and "eigen account" in response.get_data(as_text=True)
    assert snapshot() == before
    with pytest.raises(PrivacyError):
        erase_user(admin, by=admin, reason="request")


@pytest.mark.parametrize("email, reason", [("lotte@example.org", "request"), ("", "request"), (None, ""),
                                           (None, "zomaar")])
def test_a_wrong_confirmation_changes_nothing(client_for, people, email, reason):
    lotte = people.lotte
    admin_client = client_for(people.admin)
    before = snapshot()
    response = erase_through_the_page(admin_client, lotte, email=email, reason=reason)
    assert response.status_code == 400
    assert "Controleer wat je hebt ingevuld" in response.get_data(as_text=True)
    assert snapshot() == before


def test_the_confirmation_ignores_case_and_spaces_in_the_address(client_for, people):
    lotte = people.lotte
    response = erase_through_the_page(client_for(people.admin), lotte, email=f"  {lotte.email.upper()} ")
    assert response.status_code == 302
    assert db.session.get(User, lotte.id).name == ERASED_NAME


def test_erase_without_csrf_token_is_refused(client_for, people):
    lotte = people.lotte
    admin_client = client_for(people.admin)
    before = snapshot()
    response = admin_client.post(f"/admin/users/{lotte.id}/erase",
                                                data={"confirm_email": lotte.email, "reason": "request"})
    assert response.status_code == 400 and snapshot() == before


def test_an_erased_account_cannot_be_erased_twice_and_its_page_says_so(client_for, people):
    lotte = people.lotte
    admin_client = client_for(people.admin)
    erase_through_the_page(admin_client, lotte)
    before = snapshot()
    user = db.session.get(User, lotte.id)
    response = erase_through_the_page(admin_client, user)
    assert response.status_code == 302 and snapshot() == before
    assert "Dit account is verwijderd" in admin_client.get(f"/admin/users/{lotte.id}").get_data(as_text=True)


def test_erasure_deletes_the_mails_to_the_person_still_in_the_job_queue(client_for, people):
    """A failed mail keeps the address and the text in the admins' list of jobs; erasure must take it away, and
    leave other people's mails alone."""
    from jimtraining.jobs.models import FAILED, PENDING, Job

    lotte = people.lotte
    db.session.add_all([
        Job(kind="mail", key="mail:erase-1", state=FAILED, attempts=6, last_error="connection refused",
            payload={"to": lotte.email.upper(), "subject": "Uitnodiging", "body": "Hallo Lotte"}),
        Job(kind="mail", key="mail:erase-2", state=PENDING,
            payload={"to": lotte.email, "subject": "Herinnering", "body": "Je certificaat verloopt"}),
        Job(kind="mail", key="mail:erase-3", state=FAILED, attempts=6, last_error="connection refused",
            payload={"to": "iemand.anders@example.org", "subject": "Uitnodiging", "body": "Hallo"}),
    ])
    db.session.commit()
    erase_through_the_page(client_for(people.admin), lotte)
    left = db.session.scalars(select(Job.key).where(Job.kind == "mail").order_by(Job.key)).all()
    assert left == ["mail:erase-3"]
