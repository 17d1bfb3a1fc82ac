"""Issue 19 item 2 (acceptance 2): a lecturer downloads, for their class, the files SURF edubadges' direct award
takes: the recipients (by eduPersonPrincipalName where the platform knows it, else by e-mail address) in the
columns of edubadges' own sample files, and the badge class fields, EU micro-credential fields included, taken from
the course unit; the EQF/NLQF level, the assessment type and the form of participation are the lecturer's
required choices."""

import csv
import io
import zipfile
from pathlib import Path

import pytest

from jimtraining.certification.services import create_certificate
from jimtraining.content.catalogue import catalogue
from jimtraining.curriculum.courseunit import read_course_unit
from jimtraining.curriculum.studyload import compute_study_load
from jimtraining.extensions import db
from jimtraining.sso.models import SsoLink
from jimtraining.timeutil import utcnow
from tests.support.certification import complete

UNIT_OVERVIEW_MD = """---
title: "Overzicht"
summary: "De onderwijseenheid in het kort."
track: jimwerker
study_load: {words_per_minute: 50, minutes_per_question: 2, practice_hours: 30, scenario_hours: 4}
sessions:
  - {title: "Start", minutes: 180, modules: [basis]}
---
Tekst.
"""
UNIT_OUTCOMES_MD = """---
title: "Leeruitkomsten"
summary: "Wat studenten kunnen."
outcomes:
  - text: "De student legt uit wat de JIM-aanpak is; ook aan ouders, collega's en de jongere."
    competences: [aanpak-uitleggen]
  - text: "De student laat de jongere zelf een JIM kiezen."
    competences: [netwerk-verkennen]
---
Tekst.
"""
EPPN_HEADER = ("Recipient mailadres;Recipient EPPN;Narrative (optional);Evidence URL (optional);"
               "Evidence NAME (optional);Evidence Description (optional);Grade (optional)")
EMAIL_HEADER = ("Recipient mailadres;Recipient First name;Recipient Surname;Narrative (optional);"
                "Evidence URL (optional);Evidence NAME (optional);Evidence Description (optional);Grade (optional)")
CHOICES = {"eqf_level": "6", "assessment_type": "development_report", "participation": "blended"}


@pytest.fixture
def klas(world, synced_content):
    """The world's cohort A as a hogeschool class: Lotte completed the track and logged in with SURFconext; Sem
    got a certificate in this class by a signed-off route and has no institution login; a third student did
    nothing yet."""
    synced_content.raw("onderwijseenheid/01-overzicht.md", UNIT_OVERVIEW_MD)
    synced_content.raw("onderwijseenheid/02-leeruitkomsten.md", UNIT_OUTCOMES_MD)
    world.cohort.organisation.kind = "hogeschool"
    world.learner.name, world.second.name = "Lotte de Leeuw", "Sem van der Berg"
    db.session.add(SsoLink(user_id=world.learner.id, provider="surfconext", issuer="https://connect.example.org",
                           subject="sub-1", principal_name="lotte@hogeschool.example"))
    db.session.commit()
    complete(world, world.learner)
    create_certificate(world.second, world.trainer, world.track, world.cohort, utcnow())
    db.session.commit()
    return world


def download(client, cohort_id, data=None):
    url = f"/cohorts/{cohort_id}/edubadges"
    return client.submit(url, CHOICES if data is None else data, page=url)


def unzip(response) -> dict[str, str]:
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def test_the_lecturer_downloads_the_direct_award_files_of_the_class(client_for, klas):
    response = download(client_for(klas.trainer), klas.cohort.id)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    files = unzip(response)
    assert set(files) == {"edubadges-ontvangers-eppn.csv", "edubadges-ontvangers-email.csv",
                          "edubadges-badgeclass.csv"}
    eppn_lines = files["edubadges-ontvangers-eppn.csv"].split("\n")
    assert eppn_lines[0] == EPPN_HEADER and eppn_lines[-1] == ""
    assert eppn_lines[1:-1] == [f"{klas.learner.email};lotte@hogeschool.example;;;;;"]
    email_lines = files["edubadges-ontvangers-email.csv"].split("\n")
    assert email_lines[0] == EMAIL_HEADER
    [sem] = email_lines[1:-1]
    cells = sem.split(";")
    assert cells[:3] == [klas.second.email, "Sem", "van der Berg"]
    assert cells[4].startswith("http://localhost/verify/") and cells[5].startswith("JIM-")  # the certificate
    assert "\r" not in files["edubadges-ontvangers-eppn.csv"] + files["edubadges-ontvangers-email.csv"]


def test_nobody_who_has_not_completed_the_track_is_in_the_files(client_for, klas, make_user):
    from jimtraining.cohorts.enrolment import enroll

    enroll(klas.cohort, make_user(name="Nog Niet", email="nog.niet@example.org"), "trainer")
    db.session.commit()
    files = unzip(download(client_for(klas.trainer), klas.cohort.id))
    assert "nog.niet@example.org" not in "".join(files.values())


def test_the_badge_class_fields_come_from_the_course_unit_and_the_lecturers_choices(app, client_for, klas):
    files = unzip(download(client_for(klas.trainer), klas.cohort.id))
    text = files["edubadges-badgeclass.csv"]
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["field", "omschrijving", "waarde"]
    fields = {}
    for field, _label, value in rows[1:]:
        fields.setdefault(field, []).append(value)
    load = compute_study_load(catalogue(), read_course_unit(Path(app.config["MODULES_DIR"])))
    assert fields["StudyLoadExtension.StudyLoad"] == [str(round(load.total_hours))]
    assert fields["ECTSExtension.ECTS"] == [str(load.proposed_ec)]
    assert fields["LearningOutcomeExtension.LearningOutcome"] == [
        "De student legt uit wat de JIM-aanpak is; ook aan ouders, collega's en de jongere.",
        "De student laat de jongere zelf een JIM kiezen."]
    assert fields["EQFExtension.EQF"] == ["6"]
    assert fields["assessment_type"] == ["development_report"] and fields["participation"] == ["blended"]
    assert fields["name"] == ["JIMwerker"]
    assert "Alle lessen gevolgd van de modules" in fields["criteria_text"][0]


@pytest.mark.parametrize("missing", sorted(CHOICES))
def test_every_choice_the_course_unit_leaves_open_is_required(client_for, klas, missing):
    response = download(client_for(klas.trainer), klas.cohort.id, {**CHOICES, missing: ""})
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert f'id="{missing}-error"' in response.get_data(as_text=True)


def test_an_unknown_choice_is_refused_with_a_message(client_for, klas):
    response = download(client_for(klas.trainer), klas.cohort.id, {**CHOICES, "eqf_level": "9"})
    assert response.status_code == 400 and 'id="eqf_level-error"' in response.get_data(as_text=True)


def test_a_name_with_a_separator_or_a_formula_cannot_break_the_upload(client_for, klas):
    klas.learner.name = "=Lotte, de;Leeuw"
    db.session.delete(db.session.scalar(db.select(SsoLink)))  # by e-mail: the name is in the file
    db.session.commit()
    lines = unzip(download(client_for(klas.trainer), klas.cohort.id))["edubadges-ontvangers-email.csv"].split("\n")
    lotte = next(line for line in lines if line.startswith(klas.learner.email))
    assert lotte.split(";")[1:3] == ["'=Lotte", "de Leeuw"]


def test_the_page_shows_who_is_in_it_and_the_class_page_links_to_it(client_for, klas):
    client = client_for(klas.trainer)
    page = client.get(f"/cohorts/{klas.cohort.id}/edubadges").get_data(as_text=True)
    assert "Lotte de Leeuw" in page and "lotte@hogeschool.example" in page and "Sem van der Berg" in page
    assert "onbekend: uitreiken op e-mailadres" in page
    dashboard = client.get(f"/cohorts/{klas.cohort.id}").get_data(as_text=True)
    assert f"/cohorts/{klas.cohort.id}/edubadges" in dashboard


def test_a_group_that_is_not_a_hogeschool_class_has_no_edubadges_link(client_for, world):
    dashboard = client_for(world.trainer).get(f"/cohorts/{world.cohort.id}").get_data(as_text=True)
    assert "/edubadges" not in dashboard


def test_a_class_where_nobody_completed_yet_gets_a_message_and_no_file(client_for, world, synced_content):
    response = download(client_for(world.trainer), world.cohort.id)
    assert response.status_code == 400 and "heeft het traject al afgerond" in response.get_data(as_text=True)


def test_the_trainer_of_another_class_gets_403(client_for, klas):
    client = client_for(klas.other_trainer)
    assert client.get(f"/cohorts/{klas.cohort.id}/edubadges").status_code == 403
