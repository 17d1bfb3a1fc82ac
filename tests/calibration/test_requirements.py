"""The JIM-trainer track asks for a calibration at or above its threshold; a licence renewal asks for a calibration
within the last year; the programme office sees agreement per trainer over time."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from jimtraining.certification.eligibility import learner_eligibility
from jimtraining.certification.services import CertificationError, grant_licence
from jimtraining.cohorts.models import Cohort
from jimtraining.config import PROJECT_ROOT
from jimtraining.content_tree import load_content
from jimtraining.extensions import db
from jimtraining.timeutil import as_utc, utcnow
from tests.support.certification import calibrate, give_licence


def calibration_check(world):
    cohort = db.session.scalar(select(Cohort).where(Cohort.track_slug == world["track"].slug))
    eligibility = learner_eligibility(cohort, world["track"], world["candidate"].id)
    return next(check for check in eligibility.checks if check.kind == "calibration")


def test_the_track_check_is_missing_without_a_calibration(candidate_world):
    check = calibration_check(candidate_world)
    assert not check.met and check.detail == "nog geen kalibratie"


@pytest.mark.parametrize(("kappa", "met"), [(0.59, False), (0.6, True), (0.9, True)])
def test_the_track_check_needs_a_kappa_at_or_above_the_threshold(candidate_world, kappa, met):
    calibrate(candidate_world["candidate"], kappa=kappa)
    check = calibration_check(candidate_world)
    assert check.met is met
    assert "nodig 0,60" in check.detail  # Dutch numbers


def test_one_good_calibration_among_weaker_ones_meets_the_track(candidate_world):
    calibrate(candidate_world["candidate"], kappa=0.2, days_ago=40)
    calibrate(candidate_world["candidate"], kappa=0.75, days_ago=20, slug="ander")
    assert calibration_check(candidate_world).met


def test_the_shipped_trainer_track_asks_for_a_calibration_labelled_as_course_guidance():
    tree = load_content(PROJECT_ROOT / "modules")
    track = next(t for t in tree.tracks if t.slug == "jim-trainer")
    rule = track.requirements["calibration"]
    assert 0 < rule["min_kappa"] <= 1 and "Cursusadvies" in rule["guidance"]
    assert all(t.requirements["calibration"] is None for t in tree.tracks if t.audience != "trainer")


@pytest.mark.parametrize(("value", "message"), [
    ("{min_kappa: 1.5, guidance: x}", "'min_kappa' is een getal groter dan 0 en hoogstens 1"),
    ("{min_kappa: 0.6}", "'guidance' ontbreekt"),
    ("0.6", "'calibration' heeft 'min_kappa' en 'guidance'"),
])
def test_a_wrong_calibration_requirement_is_reported(content_dir, value, message):
    content_dir.module("01-basis")
    content_dir.lesson("01-basis", "01-les.md")
    content_dir.raw("tracks/test.yml", "title: T\nsummary: S\naudience: trainer\nvalid_months: 24\n"
                                       f"requirements:\n  calibration: {value}\n")
    problems = [str(p) for p in load_content(content_dir.root).problems]
    assert any(message in problem for problem in problems), problems


def test_a_first_licence_needs_no_calibration(candidate_world, make_user):
    admin = make_user(role="admin")
    licence = grant_licence(candidate_world["trainer"], 24, admin)
    assert licence.renews_id is None


def test_a_renewal_needs_a_calibration_within_the_last_year(candidate_world, make_user):
    admin, trainer = make_user(role="admin"), candidate_world["trainer"]
    give_licence(trainer, days_left=30)
    with pytest.raises(CertificationError, match="geen referentieronde gescoord"):
        grant_licence(trainer, 24, admin)
    calibrate(trainer, days_ago=370)  # too long ago
    with pytest.raises(CertificationError):
        grant_licence(trainer, 24, admin)
    calibrate(trainer, days_ago=300)
    assert grant_licence(trainer, 24, admin).renews_id is not None


def test_a_new_licence_after_an_expired_one_is_a_renewal_too(candidate_world, make_user):
    admin, trainer = make_user(role="admin"), candidate_world["trainer"]
    give_licence(trainer, days_left=-10, days_ago=700)
    with pytest.raises(CertificationError):
        grant_licence(trainer, 24, admin)


def test_the_admin_licence_form_explains_why_a_renewal_is_refused(candidate_world, make_user, client_for):
    admin, trainer = make_user(role="admin"), candidate_world["trainer"]
    give_licence(trainer, days_left=30)
    response = client_for(admin).submit("/admin/licences", {"user_id": trainer.id, "months": 24},
                                        page="/admin/licences")
    assert response.status_code == 400
    assert "Een licentie verlengen kan pas na een kalibratie" in response.get_data(as_text=True)


def test_the_programme_office_sees_agreement_per_trainer_over_time(candidate_world, make_user, client_for):
    admin = make_user(role="admin")
    calibrate(candidate_world["trainer"], kappa=0.41, days_ago=400)
    calibrate(candidate_world["trainer"], kappa=0.83, days_ago=10)
    calibrate(candidate_world["candidate"], kappa=0.52, days_ago=5)
    page = client_for(admin).get("/admin/calibration").get_data(as_text=True)
    assert 'href="/admin/calibration"' in page  # in the admin menu
    trainer_part = page.split("Tineke Trainer", 1)[1]
    assert trainer_part.index("0,41") < trainer_part.index("0,83")  # oldest first
    assert "Karel Kandidaat" in page and "0,52" in page
    assert "Kalibratie in het afgelopen jaar: ja" in page


def test_a_calibration_older_than_a_year_shows_as_missing_for_renewal(candidate_world, make_user, client_for):
    admin = make_user(role="admin")
    old = calibrate(candidate_world["trainer"], kappa=0.7, days_ago=400)
    assert as_utc(old.created_at) < utcnow() - timedelta(days=365)
    page = client_for(admin).get("/admin/calibration").get_data(as_text=True)
    assert "Kalibratie in het afgelopen jaar: nee" in page
