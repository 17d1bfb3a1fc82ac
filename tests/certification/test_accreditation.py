"""Issue 19 item 3: SKJ accreditation per track (modules/tracks/<slug>.yml, checked by `content check`) and per
cohort run (a trainer's form), recorded on the certificate as it was when signed, shown on the PDF, the verify page
and its JSON, in the learner's SKJ export and in the cohort run's points list for Mijn SKJ. Tracks without an
accreditation show nothing of it."""

import csv
import io

import pytest
from pypdf import PdfReader

from jimtraining.certification.accreditation import points_list
from jimtraining.certification.models import AuditEvent, CohortAccreditation
from jimtraining.certification.services import create_certificate
from jimtraining.content_tree import load_content
from jimtraining.extensions import db
from jimtraining.timeutil import utcnow
from tests.certification.test_tracks import TRACK_YML, line_of, problems, replaced, write_modules
from tests.support.certification import attempt, mark

ACCREDITATION = {"body": "SKJ", "number": "VOORBEELD-0042", "points": 4, "contact_hours": 7.5,
                 "register_section": "Jeugd- en gezinsprofessionals", "final_test_required": True}
ACCREDITED_YML = TRACK_YML + """\
accreditation:
  number: "VOORBEELD-0042"
  points: 4
  contact_hours: 7.5
  register_section: "Jeugd- en gezinsprofessionals"
  final_test_required: true
"""


# The track file -------------------------------------------------------------------------------------------------

def test_a_track_file_with_an_accreditation_is_read_in_the_one_shape(content_dir):
    write_modules(content_dir)
    content_dir.raw("tracks/test.yml", ACCREDITED_YML)
    tree = load_content(content_dir.root)
    assert tree.problems == []
    [track] = tree.tracks
    assert track.accreditation == ACCREDITATION


def test_a_track_file_without_accreditation_has_none(content_dir):
    write_modules(content_dir)
    content_dir.raw("tracks/test.yml", TRACK_YML)
    [track] = load_content(content_dir.root).tracks
    assert track.accreditation is None


@pytest.mark.parametrize(("old", "new", "message"), [
    ('  points: 4', '  points: nul', "'points' is een getal groter dan 0"),
    ('  points: 4', '  points: true', "'points' is een getal groter dan 0"),
    ('  contact_hours: 7.5', '  contact_hours: 0', "'contact_hours' is een getal groter dan 0"),
    ('  number: "VOORBEELD-0042"', '  number: ""', "'number' ontbreekt"),
    ('  register_section: "Jeugd- en gezinsprofessionals"', '  register_section: 12',
     "'register_section' moet tekst zijn"),
    ('  final_test_required: true', '  final_test_required: ja', "'final_test_required' is true"),
    ('  final_test_required: true', '  final_test_required: true\n  punten: 3', "onbekend veld 'punten'"),
    ('  number: "VOORBEELD-0042"', '  number: "VOORBEELD-0042"\n  body: NIP', "'body' is SKJ"),
])
def test_content_check_reports_a_broken_accreditation_with_file_and_line(content_dir, old, new, message):
    text = replaced(old, new, ACCREDITED_YML)
    found = problems(content_dir, text)
    key = new.strip().split("\n")[-1].split(":")[0].strip()
    line = line_of(text, next(row for row in text.splitlines() if row.strip().startswith(key + ":")))
    assert any(p.startswith(f"tracks/test.yml:{line}:") and message in p for p in found), found


def test_content_check_refuses_a_required_final_test_on_a_track_without_quizzes(content_dir):
    text = replaced("  quizzes: [basis]\n", "", ACCREDITED_YML)
    found = problems(content_dir, text)
    line = line_of(text, "  final_test_required: true")
    assert any(p.startswith(f"tracks/test.yml:{line}:") and "noemt geen toetsen" in p for p in found), found


def test_the_shipped_tracks_have_no_invented_accreditation(runner):
    from jimtraining.config import PROJECT_ROOT

    tree = load_content(PROJECT_ROOT / "modules")
    assert tree.problems == []
    assert all(track.accreditation is None for track in tree.tracks)


# The certificate ------------------------------------------------------------------------------------------------

@pytest.fixture
def accredited(world):
    world.track.accreditation = dict(ACCREDITATION)
    db.session.commit()
    return world


def test_the_certificate_keeps_the_accreditation_of_the_moment_it_was_signed(client, accredited):
    world = accredited
    certificate = create_certificate(world.learner, world.trainer, world.track, world.cohort, utcnow())
    db.session.commit()
    world.track.accreditation = {**ACCREDITATION, "points": 9}
    db.session.commit()
    assert db.session.get(type(certificate), certificate.id).accreditation == ACCREDITATION
    data = client.get(f"/api/v1/certificates/{certificate.code}").get_json()
    assert data["accreditation"] == ACCREDITATION


def test_the_cohorts_own_accreditation_wins_over_the_tracks(accredited):
    world = accredited
    db.session.add(CohortAccreditation(cohort_id=world.cohort.id, number="VOORBEELD-7", points=2.5,
                                       contact_hours=5, register_section="Jeugdzorgwerkers",
                                       final_test_required=False))
    db.session.commit()
    in_cohort = create_certificate(world.learner, world.trainer, world.track, world.cohort, utcnow())
    elsewhere = create_certificate(world.other.enrollments[0].user, world.other_trainer, world.track, world.other,
                                   utcnow())
    db.session.commit()
    assert in_cohort.accreditation == {"body": "SKJ", "number": "VOORBEELD-7", "points": 2.5, "contact_hours": 5,
                                       "register_section": "Jeugdzorgwerkers", "final_test_required": False}
    assert elsewhere.accreditation == ACCREDITATION


def test_verify_page_and_pdf_show_the_accreditation(client, client_for, accredited):
    world = accredited
    certificate = create_certificate(world.learner, world.trainer, world.track, world.cohort, utcnow())
    db.session.commit()
    page = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "SKJ-accreditatie" in page and "VOORBEELD-0042" in page and "7,5" in page
    assert "Jeugd- en gezinsprofessionals" in page
    pdf = client_for(world.learner).get(f"/certificates/{certificate.id}.pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "SKJ-accreditatie" in text and "VOORBEELD-0042" in text and "4 punten" in text
    assert "7,5 contacturen" in text and len(PdfReader(io.BytesIO(pdf.data)).pages) == 1


def test_without_accreditation_nothing_of_it_is_shown(client, client_for, world):
    certificate = create_certificate(world.learner, world.trainer, world.track, world.cohort, utcnow())
    db.session.commit()
    assert client.get(f"/api/v1/certificates/{certificate.code}").get_json()["accreditation"] is None
    page = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "SKJ" not in page and "Contacturen" not in page
    pdf = client_for(world.learner).get(f"/certificates/{certificate.id}.pdf")
    assert "SKJ" not in "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)


def test_the_learners_skj_export_lists_the_points_of_an_accredited_certificate(client_for, accredited):
    world = accredited
    certificate = create_certificate(world.learner, world.trainer, world.track, world.cohort, utcnow())
    db.session.commit()
    rows = list(csv.DictReader(io.StringIO(client_for(world.learner).get("/certification/skj.csv")
                                           .get_data(as_text=True))))
    (row,) = [r for r in rows if r["kind"] == "certificate"]
    assert (row["certificate_number"], row["accreditation_number"], row["points"], row["hours"]) == (
        certificate.number, "VOORBEELD-0042", "4", "7.5")


# The cohort run's points list -----------------------------------------------------------------------------------

def read_list(response):
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_points_go_only_to_who_attended_and_passed_the_required_final_test(client_for, accredited):
    world = accredited
    world.learner.skj_number, world.second.skj_number = "110012345", "110067890"
    db.session.commit()
    mark(world.sessions, world.learner, ["present"] * 5)
    mark(world.sessions, world.second, ["present"] * 5)  # attended, but did not pass the final test
    attempt(world.learner, "basis", passed=True)
    attempt(world.second, "basis", passed=False)
    response = client_for(world.trainer).get(f"/cohorts/{world.cohort.id}/skj.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = read_list(response)
    assert rows[0] == ["accreditatienummer", "startdatum", "einddatum", "registratienummer", "naam", "contacturen",
                       "punten"]
    first, last = min(s.starts_at for s in world.sessions), max(s.ends_at for s in world.sessions)
    assert rows[1:] == [["VOORBEELD-0042", first.date().isoformat(), last.date().isoformat(), "110012345",
                         world.learner.name, "7.5", "4"]]


def test_without_a_required_final_test_attendance_is_enough(accredited):
    world = accredited
    world.track.accreditation = {**ACCREDITATION, "final_test_required": False}
    db.session.commit()
    mark(world.sessions, world.learner, ["present"] * 5)
    mark(world.sessions, world.second, ["present", "absent", "absent", "absent", "present"])  # 40%: too little
    found = points_list(world.cohort, world.track)
    assert [line.user_id for line in found.awarded] == [world.learner.id] and found.not_yet == 1


def test_a_cohort_without_accreditation_has_no_points_list(client_for, world):
    response = client_for(world.trainer).get(f"/cohorts/{world.cohort.id}/skj.csv")
    assert response.status_code == 302 and response.location.endswith(f"/cohorts/{world.cohort.id}/accreditation")
    page = client_for(world.trainer).get(f"/cohorts/{world.cohort.id}/accreditation").get_data(as_text=True)
    assert "heeft geen SKJ-accreditatie" in page and "Puntenlijst downloaden" not in page


# The trainer's form ---------------------------------------------------------------------------------------------

def test_a_trainer_sets_and_removes_the_cohorts_own_accreditation(client_for, accredited):
    world = accredited
    url = f"/cohorts/{world.cohort.id}/accreditation"
    trainer = client_for(world.trainer)
    response = trainer.submit(url, {"number": " VOORBEELD-8 ", "points": "2,5", "contact_hours": "6",
                                    "register_section": "Jeugdzorgwerkers", "final_test_required": "y"}, page=url)
    assert response.status_code == 302
    own = db.session.get(CohortAccreditation, world.cohort.id)
    assert (own.number, own.points, own.contact_hours, own.final_test_required) == ("VOORBEELD-8", 2.5, 6, True)
    assert db.session.scalar(db.select(AuditEvent.action).where(AuditEvent.object_id == world.cohort.id,
                                                                AuditEvent.object_type == "cohort")) \
        == "accreditation.set"
    page = trainer.get(url).get_data(as_text=True)
    assert "De eigen accreditatie van deze groep." in page and "VOORBEELD-8" in page
    assert trainer.submit(url, {"clear-clear": "y", "clear-csrf_token": trainer.csrf_token(url)},
                          page=url).status_code == 302
    db.session.expire_all()
    assert db.session.get(CohortAccreditation, world.cohort.id) is None


@pytest.mark.parametrize(("data", "message"), [
    ({"number": "", "points": "4", "contact_hours": "8", "register_section": "X"}, "Vul het accreditatienummer in."),
    ({"number": "A", "points": "veel", "contact_hours": "8", "register_section": "X"},
     "Vul een getal in, zoals 4 of 2,5."),
    ({"number": "A", "points": "0", "contact_hours": "8", "register_section": "X"}, "Vul een getal in van 0,1"),
])
def test_bad_input_on_the_form_gets_a_clear_message_and_saves_nothing(client_for, world, data, message):
    url = f"/cohorts/{world.cohort.id}/accreditation"
    response = client_for(world.trainer).submit(url, data, page=url)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert db.session.get(CohortAccreditation, world.cohort.id) is None


def test_a_required_final_test_is_refused_for_a_track_without_quizzes(client_for, world):
    world.track.requirements = {**world.track.requirements, "quizzes": []}
    db.session.commit()
    url = f"/cohorts/{world.cohort.id}/accreditation"
    response = client_for(world.trainer).submit(url, {"number": "A", "points": "4", "contact_hours": "8",
                                                      "register_section": "X", "final_test_required": "y"}, page=url)
    assert response.status_code == 400 and "heeft geen toetsen" in response.get_data(as_text=True)


def test_the_cohort_page_links_to_the_accreditation_page(client_for, world):
    page = client_for(world.trainer).get(f"/cohorts/{world.cohort.id}").get_data(as_text=True)
    assert f"/cohorts/{world.cohort.id}/accreditation" in page
