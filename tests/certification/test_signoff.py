"""Sign-off: only a licensed trainer of the learner's cohort, only for an eligible learner, checked on the server."""

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select

from jimtraining.certification.models import AuditEvent, Certificate, PracticeAssignment
from jimtraining.certification.services import NUMBER_ALPHABET, create_certificate, valid_licence, withdraw_licence
from jimtraining.extensions import db
from jimtraining.timeutil import as_utc, local_date, utcnow
from tests.support.certification import complete, give_licence


def sign_url(world, learner=None, cohort=None):
    return f"/cohorts/{(cohort or world.cohort).id}/learners/{(learner or world.learner).id}/certificate"


#: The second step of signing off: the trainer confirms after seeing the preview.
CONFIRM = {"confirm": "yes"}


def certificates():
    return db.session.scalar(select(func.count()).select_from(Certificate))


def test_licensed_trainer_signs_off_an_eligible_learner(client, login, world):
    complete(world, world.learner)
    login(client, world.trainer)
    response = client.submit(sign_url(world), CONFIRM,
                             page=f"/cohorts/{world.cohort.id}/learners/{world.learner.id}")
    assert response.status_code == 302
    certificate = db.session.scalar(select(Certificate))
    assert certificate.user_id == world.learner.id and certificate.cohort_id == world.cohort.id
    assert certificate.holder_name == "Lotte Leerling" and certificate.trainer_name == "Tineke Trainer"
    assert certificate.track_title == "JIMwerker" and certificate.region == "Twente"
    assert as_utc(certificate.expires_at).date() > (utcnow() + timedelta(days=365 * 3 - 2)).date()
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert certificate.number in page
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "certificate.issued"))
    assert event.actor_id == world.trainer.id and event.subject_id == world.learner.id
    assert event.details["number"] == certificate.number


def test_certificate_number_is_readable_and_code_is_long(world):
    certificate = create_certificate(world.learner, world.trainer, world.track, world.cohort, utcnow())
    db.session.commit()
    prefix, year, first, second = certificate.number.split("-")
    assert prefix == "JIM" and year == str(local_date(utcnow()).year)  # the year in the Netherlands
    assert len(first) == len(second) == 4 and set(first + second) <= set(NUMBER_ALPHABET)
    assert len(certificate.code) >= 43  # secrets.token_urlsafe(32): 256 bits


def test_the_learner_is_told_by_mail_with_the_verification_link(client, login, world, outbox):
    complete(world, world.learner)
    login(client, world.trainer)
    client.submit(sign_url(world), CONFIRM)
    certificate = db.session.scalar(select(Certificate))
    assert len(outbox) == 1 and outbox[0].to == [world.learner.email]
    assert certificate.number in outbox[0].body and f"/verify/{certificate.code}" in outbox[0].body


@pytest.mark.parametrize("who", ["other_trainer", "learner", "second", "actor"])
def test_sign_off_is_refused_with_403_for_anyone_but_a_trainer_of_the_cohort(client, login, world, who):
    complete(world, world.learner)
    login(client, getattr(world, who))
    response = client.submit(sign_url(world), CONFIRM)
    assert response.status_code == 403
    assert "Alleen een trainer van deze groep" in response.get_data(as_text=True)
    assert certificates() == 0


def test_admin_cannot_sign_off_either(client, login, world):
    complete(world, world.learner)
    login(client, world.admin)
    assert client.submit(sign_url(world), CONFIRM).status_code == 403
    assert certificates() == 0


def test_sign_off_is_refused_when_the_trainers_licence_has_expired(client, login, world, make_user):
    complete(world, world.learner)
    expired = make_user(role="trainer")
    give_licence(expired, days_left=-1, days_ago=800)
    world.cohort.trainers.append(expired)
    db.session.commit()
    login(client, expired)
    response = client.submit(sign_url(world), CONFIRM)
    assert response.status_code == 403
    assert "geen geldige licentie" in response.get_data(as_text=True)
    assert certificates() == 0


def test_sign_off_is_refused_when_the_licence_was_withdrawn(client, login, world):
    complete(world, world.learner)
    withdraw_licence(valid_licence(world.trainer), world.admin, "Klacht in behandeling.")
    login(client, world.trainer)
    assert client.submit(sign_url(world), CONFIRM).status_code == 403
    assert certificates() == 0


def test_sign_off_is_refused_for_a_trainer_without_any_licence(client, login, world, make_user):
    complete(world, world.learner)
    unlicensed = make_user(role="trainer")
    world.cohort.trainers.append(unlicensed)
    db.session.commit()
    login(client, unlicensed)
    assert client.submit(sign_url(world), CONFIRM).status_code == 403


def test_sign_off_is_refused_for_a_learner_who_is_not_eligible_even_when_posted_directly(client, login, world):
    complete(world, world.learner)  # everything but the practice assignment:
    db.session.delete(db.session.scalar(select(PracticeAssignment)))
    db.session.commit()
    login(client, world.trainer)
    # No page showed a button; the form is posted straight to the URL.
    response = client.submit(sign_url(world), CONFIRM)
    assert response.status_code == 403
    body = response.get_data(as_text=True)
    assert "voldoet nog niet aan alle eisen" in body and "Praktijkopdracht (nog niet ingeleverd)" in body
    assert certificates() == 0


def test_learner_page_shows_no_sign_off_button_while_requirements_are_missing(client, login, world):
    login(client, world.trainer)
    page = client.get(f"/cohorts/{world.cohort.id}/learners/{world.learner.id}").get_data(as_text=True)
    assert "Certificaat aftekenen" not in page and "Nog niet alle eisen zijn gehaald" in page


def test_sign_off_of_a_learner_from_another_cohort_is_refused(client, login, world):
    outsider = world.other.enrollments[0].user
    complete(world, outsider)  # even with every requirement met elsewhere
    login(client, world.trainer)
    assert client.submit(sign_url(world, learner=outsider), CONFIRM).status_code == 403
    assert certificates() == 0


def test_sign_off_twice_makes_one_certificate(client, login, world):
    complete(world, world.learner)
    login(client, world.trainer)
    assert client.submit(sign_url(world), CONFIRM).status_code == 302
    second = client.submit(sign_url(world), CONFIRM)
    assert second.status_code == 403 and "heeft al een geldig certificaat" in second.get_data(as_text=True)
    assert certificates() == 1


def test_sign_off_without_csrf_token_is_refused(client, login, world):
    complete(world, world.learner)
    login(client, world.trainer)
    assert client.post(sign_url(world)).status_code == 400
    assert certificates() == 0


def test_sign_off_for_an_unknown_learner_or_cohort_is_404(client, login, world):
    login(client, world.trainer)
    assert client.submit(f"/cohorts/{world.cohort.id}/learners/999999/certificate").status_code == 404
    assert client.submit(f"/cohorts/999999/learners/{world.learner.id}/certificate").status_code == 404


def test_cohort_dashboard_shows_who_is_ready_to_sign(client, login, world):
    complete(world, world.learner)
    login(client, world.trainer)
    page = client.get(f"/cohorts/{world.cohort.id}").get_data(as_text=True)
    assert "klaar om af te tekenen" in page and "nog 6 onderdelen" in page  # Sem Tweede has done nothing yet


def test_cohort_dashboard_and_learner_page_cost_the_same_queries_for_3_or_30_learners(client, login, world,
                                                                                      make_user):
    from jimtraining.cohorts.enrolment import enroll
    from tests.support.database import count_queries

    complete(world, world.learner)
    login(client, world.trainer)
    dashboard = f"/cohorts/{world.cohort.id}"
    learner_page = f"/cohorts/{world.cohort.id}/learners/{world.learner.id}"
    few = count_queries(lambda: client.get(dashboard)), count_queries(lambda: client.get(learner_page))
    for _ in range(27):
        learner = make_user()
        enroll(world.cohort, learner, "code")
        complete(world, learner)
    many = count_queries(lambda: client.get(dashboard)), count_queries(lambda: client.get(learner_page))
    assert many == few


def test_refresher_sign_off_renews_the_original_qualification(client, login, world, make_user, make_cohort):
    from tests.support.certification import finish_modules, make_track

    make_track(slug="opfrissen", title="JIMwerker opfrissen", renews="jimwerker",
               requirements={"modules": ["verder"], "quizzes": [], "attendance_percent": 0,
                             "roleplay_sufficient": 0, "practice": None})
    learner = make_user()
    cohort = make_cohort(trainers=[world.trainer], learners=[learner], track_slug="opfrissen")
    finish_modules(learner, ["verder"])
    old = create_certificate(learner, world.trainer, world.track, None, utcnow() - timedelta(days=365 * 3 + 9))
    db.session.commit()
    login(client, world.trainer)
    assert client.submit(sign_url(world, learner=learner, cohort=cohort), CONFIRM).status_code == 302
    new = db.session.scalar(select(Certificate).where(Certificate.id != old.id))
    assert new.track_slug == "opfrissen" and new.qualification == "jimwerker" and new.track_title == "JIMwerker"
    assert as_utc(new.expires_at) > as_utc(old.expires_at) + timedelta(days=365 * 3)


def test_a_trainer_cannot_sign_off_their_own_certificate(client, login, world):
    from jimtraining.cohorts.enrolment import enroll

    enroll(world.cohort, world.trainer, "code")  # joined their own group with its code
    complete(world, world.trainer)
    login(client, world.trainer)
    response = client.submit(sign_url(world, learner=world.trainer), CONFIRM)
    assert response.status_code == 403 and "eigen certificaat" in response.get_data(as_text=True)
    assert certificates() == 0


def test_two_sign_offs_at_the_same_moment_make_one_certificate(app, world, monkeypatch):
    """The second request waits for the first one's lock and then finds the certificate (SQLite and PostgreSQL)."""
    import threading

    from jimtraining.certification import services

    complete(world, world.learner)
    ids = world.cohort.id, world.learner.id, world.trainer.id
    real = services.learner_eligibility
    # Short: the request that waits for the lock must not hit SQLite's 5-second busy timeout meanwhile.
    both_checked = threading.Barrier(2, timeout=1)

    def slow_eligibility(*args, **kwargs):
        result = real(*args, **kwargs)
        try:
            both_checked.wait()  # without a lock both would pass the check before either writes
        except threading.BrokenBarrierError:
            pass  # the other request is waiting for the lock, as it should
        return result

    monkeypatch.setattr(services, "learner_eligibility", slow_eligibility)
    outcomes = []

    def sign():
        from jimtraining.accounts.models import User
        from jimtraining.cohorts.models import Cohort

        with app.app_context(), app.test_request_context():
            cohort, learner, trainer = db.session.get(Cohort, ids[0]), db.session.get(User, ids[1]), \
                db.session.get(User, ids[2])
            try:
                services.issue_certificate(cohort, learner, trainer)
                outcomes.append("issued")
            except services.CertificationError:
                db.session.rollback()
                outcomes.append("refused")
            except Exception as error:  # noqa: BLE001 - reported in the assertion below
                outcomes.append(repr(error))
            finally:
                db.session.remove()

    db.session.commit()
    threads = [threading.Thread(target=sign) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["issued", "refused"]
    assert certificates() == 1


def test_an_archived_track_gives_no_sign_off_button_and_the_cohort_form_still_saves(client, login, world):
    complete(world, world.learner)
    world.track.archived = True
    db.session.commit()
    login(client, world.trainer)
    page = client.get(f"/cohorts/{world.cohort.id}/learners/{world.learner.id}").get_data(as_text=True)
    assert "Certificaat aftekenen" not in page and "bestaat niet meer" in page
    assert client.submit(sign_url(world), CONFIRM).status_code == 403
    edit = f"/cohorts/{world.cohort.id}/edit"
    form = client.get(edit).get_data(as_text=True)
    assert "jimwerker (bestaat niet meer)" in form


def test_renewal_before_the_end_keeps_the_time_that_was_left(client, login, world, make_user, make_cohort):
    from tests.support.certification import finish_modules, make_track, play_round, practice

    refresher = make_track(slug="opfrissen", title="JIMwerker opfrissen", renews="jimwerker",
                           requirements={"modules": ["verder"], "quizzes": [], "attendance_percent": 0,
                                         "roleplay_sufficient": 1,
                                         "practice": {"min_words": 20, "prompt": "Kijk terug."}})
    learner = make_user()
    cohort = make_cohort(trainers=[world.trainer], learners=[learner], track_slug="opfrissen")
    old = create_certificate(learner, world.trainer, world.track, None, utcnow() - timedelta(days=365 * 3 - 30))
    db.session.commit()
    finish_modules(learner, ["verder"])
    play_round(world.sessions[0], learner, world.actor)
    practice(learner, track_slug=refresher.slug, reviewer=world.trainer)
    login(client, world.trainer)
    assert client.submit(sign_url(world, learner=learner, cohort=cohort), CONFIRM).status_code == 302
    new = db.session.scalar(select(Certificate).where(Certificate.id != old.id))
    assert as_utc(new.expires_at).date() == (as_utc(old.expires_at) + relativedelta(months=36)).date()


def test_one_click_no_longer_issues_a_certificate_it_shows_a_preview_first(client, login, world):
    complete(world, world.learner)
    login(client, world.trainer)
    learner_page = client.get(f"/cohorts/{world.cohort.id}/learners/{world.learner.id}").get_data(as_text=True)
    assert f'href="{sign_url(world)}">Certificaat aftekenen</a>' in learner_page  # a link to the preview, no form
    first = client.submit(sign_url(world))  # the old one-click form: CSRF but no confirmation
    assert first.status_code == 200 and certificates() == 0
    preview = client.get(sign_url(world)).get_data(as_text=True)
    assert certificates() == 0
    for shown in ("Voorbeeld", "Lotte Leerling", "JIMwerker", "Tineke Trainer", "Ja, certificaat aftekenen",
                  'name="confirm" value="yes"', 'name="csrf_token"'):
        assert shown in preview, shown
    assert client.submit(sign_url(world), CONFIRM).status_code == 302 and certificates() == 1


def test_the_confirmation_without_csrf_is_refused(client, login, world):
    complete(world, world.learner)
    login(client, world.trainer)
    assert client.post(sign_url(world), data=CONFIRM).status_code == 400
    assert certificates() == 0


def test_the_preview_is_refused_for_a_learner_who_is_not_eligible(client, login, world):
    login(client, world.trainer)
    response = client.get(sign_url(world))
    assert response.status_code == 403 and "voldoet nog niet aan alle eisen" in response.get_data(as_text=True)
