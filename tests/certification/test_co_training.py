"""Observed co-training: a JIM-trainer candidate co-trains a session, a licensed trainer of that session's cohort
observes and signs it (date, cohort and session, a short note); the trainer track's checklist asks for it; nobody
else can sign, and every signature is audited."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from jimtraining.certification import co_training
from jimtraining.certification.eligibility import learner_eligibility
from jimtraining.certification.models import AuditEvent, Certificate, ObservedCoTraining, Track
from jimtraining.certification.services import CertificationError
from jimtraining.cohorts.enrolment import enroll
from jimtraining.config import PROJECT_ROOT
from jimtraining.content_tree import load_content
from jimtraining.extensions import db
from jimtraining.timeutil import local_date, utcnow
from tests.certification.test_tracks import TRACK_YML, problems
from tests.support.certification import REQUIREMENTS, add_sessions, give_licence, make_track

NOTE = "Leidde de nabespreking van twee rondes en hield de time-out goed in de gaten."


@pytest.fixture
def w(world, make_user, make_cohort):
    """A trainer track asking one co-training, followed by a candidate in cohort T; the candidate co-trains a
    session of the professionals' cohort of the world (its trainer is licensed)."""
    make_track(slug="jim-trainer", title="JIM-trainer", audience="trainer",
               requirements={**REQUIREMENTS, "co_training": 1})
    candidate = make_user(name="Kim Kandidaat", email="kim@example.org")
    trainer_cohort = make_cohort(trainers=[world.other_trainer], learners=[candidate], track_slug="jim-trainer")
    session = world.sessions[-1]
    return {**vars(world), "candidate": candidate, "trainer_cohort": trainer_cohort, "session": session,
            "url": f"/cohorts/{world.cohort.id}/sessions/{session.id}/co-training"}


def co_check(w):
    track = db.session.scalar(select(Track).where(Track.slug == "jim-trainer"))
    eligibility = learner_eligibility(w["trainer_cohort"], track, w["candidate"].id)
    return next(c for c in eligibility.checks if c.kind == "co_training")


def signed_count():
    return db.session.scalar(select(func.count()).select_from(ObservedCoTraining))


def test_the_checklist_asks_for_a_signed_co_training_until_there_is_one(w):
    check = co_check(w)
    assert not check.met and check.detail == "0 van 1"
    assert "co-training" in check.label and "licentie" in check.label
    co_training.sign(w["session"], "KIM@example.org ", NOTE, w["trainer"])
    check = co_check(w)
    assert check.met and check.detail == "1 van 1"


def test_tracks_without_the_requirement_have_no_co_training_line(w):
    eligibility = learner_eligibility(w["cohort"], w["track"], w["learner"].id)
    assert all(c.kind != "co_training" for c in eligibility.checks)


def test_a_licensed_trainer_of_the_cohort_signs_with_date_session_and_note_and_it_is_audited(client_for, w):
    client = client_for(w["trainer"])
    page = client.get(w["url"])
    assert page.status_code == 200 and "Co-training ondertekenen" in page.get_data(as_text=True)
    response = client.submit(w["url"], {"email": "kim@example.org", "note": NOTE}, page=w["url"])
    assert response.status_code == 302
    record = db.session.scalar(select(ObservedCoTraining))
    assert (record.candidate_id, record.signed_by_id, record.session_id, record.note) == (
        w["candidate"].id, w["trainer"].id, w["session"].id, NOTE)
    assert record.held_on == local_date(w["session"].starts_at)
    assert (record.cohort_name, record.session_title) == (w["cohort"].name, w["session"].title)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "co_training.signed"))
    assert (event.actor_id, event.subject_id, event.object_id) == (w["trainer"].id, w["candidate"].id, record.id)
    page = client.get(w["url"]).get_data(as_text=True)
    assert "Kim Kandidaat, ondertekend door Tineke Trainer" in page and NOTE in page


def test_a_trainer_without_a_valid_licence_cannot_sign(client_for, make_user, w):
    unlicensed = make_user(role="trainer", name="Zonder Licentie")
    w["cohort"].trainers = w["cohort"].trainers + [unlicensed]
    db.session.commit()
    client = client_for(unlicensed)
    response = client.submit(w["url"], {"email": "kim@example.org", "note": NOTE}, page=w["url"])
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "geldige licentie" in page and NOTE in page  # the note is not lost
    assert signed_count() == 0


def test_a_trainer_of_another_cohort_gets_403(client_for, w):
    client = client_for(w["other_trainer"])  # licensed, trains cohort B and the candidate's cohort, not this one
    assert client.get(w["url"]).status_code == 403
    assert client.submit(w["url"], {"email": "kim@example.org", "note": NOTE}).status_code == 403
    assert signed_count() == 0


def test_the_candidate_and_other_learners_cannot_sign(client_for, w):
    for user in (w["candidate"], w["learner"]):
        client = client_for(user)
        assert client.get(w["url"]).status_code == 403
        assert client.submit(w["url"], {"email": "kim@example.org", "note": NOTE}).status_code == 403
    assert signed_count() == 0


def test_a_licensed_trainer_cannot_sign_their_own_co_training(make_user, w):
    trainer_candidate = make_user(role="trainer", name="Trainer Kandidaat")
    give_licence(trainer_candidate)
    enroll(w["trainer_cohort"], trainer_candidate, "trainer")
    w["cohort"].trainers = w["cohort"].trainers + [trainer_candidate]
    db.session.commit()
    with pytest.raises(CertificationError, match="eigen co-training"):
        co_training.sign(w["session"], trainer_candidate.email, NOTE, trainer_candidate)


def test_an_admin_is_not_a_licensed_trainer_and_cannot_sign(client_for, w):
    response = client_for(w["admin"]).submit(w["url"], {"email": "kim@example.org", "note": NOTE}, page=w["url"])
    assert response.status_code == 400 and signed_count() == 0


@pytest.mark.parametrize(("email", "note", "message"), [
    ("lotte@example.org", NOTE, "Er is geen kandidaat-trainer met dit e-mailadres"),  # follows no trainer track
    ("niemand@example.org", NOTE, "Er is geen kandidaat-trainer met dit e-mailadres"),
    ("kim@example.org", "", "Schrijf kort op wat de kandidaat deed"),
])
def test_bad_input_is_refused_with_a_clear_message(client_for, w, email, note, message):
    w["learner"].email = "lotte@example.org"
    db.session.commit()
    client = client_for(w["trainer"])
    response = client.submit(w["url"], {"email": email, "note": note}, page=w["url"])
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert signed_count() == 0


def test_a_session_that_has_not_begun_cannot_be_signed_and_one_session_counts_once(w):
    future = add_sessions(w["cohort"], count=1, past=False)[0]
    with pytest.raises(CertificationError, match="nog niet begonnen"):
        co_training.sign(future, "kim@example.org", NOTE, w["trainer"])
    co_training.sign(w["session"], "kim@example.org", NOTE, w["trainer"])
    with pytest.raises(CertificationError, match="al ondertekend"):
        co_training.sign(w["session"], "kim@example.org", NOTE, w["trainer"])
    assert signed_count() == 1


def test_signing_without_a_csrf_token_is_refused(client_for, w):
    response = client_for(w["trainer"]).post(w["url"], data={"email": "kim@example.org", "note": NOTE})
    assert response.status_code == 400 and signed_count() == 0


def test_a_re_certification_counts_only_co_trainings_after_the_previous_certificate(w):
    co_training.sign(w["session"], "kim@example.org", NOTE, w["trainer"])
    db.session.add(Certificate(number="JIM-2026-AAAA-BBBB", code="c" * 43, user_id=w["candidate"].id,
                               track_slug="jim-trainer", qualification="jim-trainer", audience="trainer",
                               issued_at=utcnow(), expires_at=utcnow() + timedelta(days=30), holder_name="Kim",
                               track_title="JIM-trainer", trainer_name="Tineke"))
    db.session.commit()
    assert not co_check(w).met


# The requirement in a track file ---------------------------------------------------------------------------------

def test_a_track_file_asks_for_co_training_as_a_whole_number_from_0_to_10(content_dir):
    base = TRACK_YML.split("requirements:")[0] + "requirements:\n"
    assert problems(content_dir, base + "  co_training: 1\n") == []
    assert load_content(content_dir.root).tracks[0].requirements["co_training"] == 1
    found = problems(content_dir, base + "  co_training: 11\n")
    assert any("co_training" in p for p in found), found


def test_the_shipped_trainer_track_asks_for_an_observed_co_training():
    tree = load_content(PROJECT_ROOT / "modules")
    requirements = {t.slug: t.requirements for t in tree.tracks}
    assert requirements["jim-trainer"]["co_training"] >= 1
    assert "co_training" not in requirements["jimwerker"]


def test_signing_renews_the_candidates_progress_token_so_the_trainer_dashboard_is_not_stale(w):
    enrollment = next(e for e in w["trainer_cohort"].enrollments if e.user_id == w["candidate"].id)
    before = enrollment.progress_token
    co_training.sign(w["session"], "kim@example.org", NOTE, w["trainer"])
    db.session.refresh(enrollment)
    assert enrollment.progress_token != before
