"""Practice assignment: a reflection with a word minimum, a warning for client data before saving, versions kept,
approved or returned with feedback by a trainer of the learner's cohort."""

import pytest
from sqlalchemy import func, select

from jimtraining.certification.models import AuditEvent, PracticeAssignment, PracticeVersion
from jimtraining.certification.practice import word_count
from jimtraining.client_data import client_data_findings, is_bsn
from jimtraining.extensions import db
from tests.support.certification import REFLECTION

URL = "/certification/jimwerker/practice"


def versions():
    return db.session.scalar(select(func.count()).select_from(PracticeVersion))


def hand_in(client, text=REFLECTION, confirm=False):
    data = {"text": text}
    if confirm:
        data["no_client_data"] = "y"
    return client.submit(URL, data, page=URL)


def review_url(world, assignment):
    return f"/cohorts/{world.cohort.id}/practice/{assignment.id}"


@pytest.mark.parametrize("number, valid", [("111222333", True), ("123456782", True), ("123456789", False),
                                           ("000000000", False), ("12345678", False)])
def test_bsn_eleven_test(number, valid):
    assert is_bsn(number) is valid


@pytest.mark.parametrize("text, finding", [
    ("Het BSN van de jongere is 111222333.", "burgerservicenummer"),
    ("Haar nummer is 1112.22.333 zei ze.", "burgerservicenummer"),
    ("Bel moeder op 06-12345678 als het misgaat.", "telefoonnummer"),
    ("Bel 020 123 4567 of +31 6 1234 5678.", "telefoonnummer"),
    ("Mail naar oma.jansen@voorbeeld.nl voor de afspraak.", "e-mailadres"),
])
def test_client_data_is_spotted(text, finding):
    assert any(finding in f for f in client_data_findings(text))


@pytest.mark.parametrize("text", ["Ik werk al 12 jaar in de jeugdhulp en zag 300 jongeren.",
                                  "Het gesprek duurde van 10.30 tot 11.45 uur.",
                                  "Het ordernummer 123456789 is geen BSN.",
                                  "In 2026 begonnen we met 45 JIM's."])
def test_ordinary_numbers_are_not_flagged(text):
    assert client_data_findings(text) == []


def test_learner_hands_in_a_reflection_and_sees_it_waiting(client_for, world):
    client = client_for(world.learner)
    response = hand_in(client)
    assert response.status_code == 302
    page = client.get(URL).get_data(as_text=True)
    assert "Je hebt versie 1 ingeleverd" in page and 'name="text"' not in page
    assignment = db.session.scalar(select(PracticeAssignment))
    assert assignment.status == "waiting" and assignment.latest.word_count == word_count(REFLECTION)


def test_too_short_a_reflection_is_refused_and_the_text_is_kept(client_for, world):
    client = client_for(world.learner)
    response = hand_in(client, "Te kort, maar wel mijn eigen woorden.")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Schrijf er minstens 20" in page and "Te kort, maar wel mijn eigen woorden." in page
    assert versions() == 0


def test_text_with_client_data_is_not_saved_until_the_learner_confirms(client_for, world):
    client = client_for(world.learner)
    text = REFLECTION + " Haar moeder is te bereiken op 06-12345678."
    warned = hand_in(client, text)
    assert warned.status_code == 422
    page = warned.get_data(as_text=True)
    assert "Staan hier gegevens van cliënten in?" in page and "een telefoonnummer" in page
    assert "06-12345678" in page  # the text stays in the form, nothing lost
    assert versions() == 0
    assert hand_in(client, text, confirm=True).status_code == 302
    assert versions() == 1


def test_returned_work_gets_a_new_version_and_the_old_one_stays(client_for, world):
    client = client_for(world.learner)
    hand_in(client)
    assignment = db.session.scalar(select(PracticeAssignment))
    client = client_for(world.trainer)
    url = review_url(world, assignment)
    assert client.submit(url, {"decision": "returned", "feedback": "Wat heb je zelf geleerd?"}, page=url).status_code \
        == 302
    client = client_for(world.learner)
    page = client.get(URL).get_data(as_text=True)
    assert "Wat heb je zelf geleerd?" in page and "teruggegeven" in page
    assert hand_in(client, REFLECTION + " Ik leerde om eerst te luisteren.").status_code == 302
    db.session.expire_all()
    assignment = db.session.scalar(select(PracticeAssignment))
    assert [v.number for v in assignment.versions] == [1, 2]
    assert assignment.versions[0].decision == "returned" and assignment.status == "waiting"


def test_returning_needs_feedback(client_for, world):
    client = client_for(world.learner)
    hand_in(client)
    assignment = db.session.scalar(select(PracticeAssignment))
    client = client_for(world.trainer)
    url = review_url(world, assignment)
    response = client.submit(url, {"decision": "returned", "feedback": ""}, page=url)
    assert response.status_code == 400 and "Schrijf feedback" in response.get_data(as_text=True)
    db.session.refresh(assignment.latest)
    assert assignment.latest.decision is None


def test_approval_is_logged_and_counts_for_eligibility(client_for, world):
    client = client_for(world.learner)
    hand_in(client)
    assignment = db.session.scalar(select(PracticeAssignment))
    client = client_for(world.trainer)
    url = review_url(world, assignment)
    client.submit(url, {"decision": "approved", "feedback": ""}, page=url)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "practice.approved"))
    assert event.actor_id == world.trainer.id and event.subject_id == world.learner.id
    client = client_for(world.learner)
    assert hand_in(client).status_code == 422  # approved: no new version
    assert "Je praktijkopdracht is goedgekeurd" in client.get(URL).get_data(as_text=True)


def test_a_second_version_cannot_be_handed_in_while_one_waits(client_for, world):
    client = client_for(world.learner)
    hand_in(client)
    response = hand_in(client)
    assert response.status_code == 422 and versions() == 1


def test_the_practice_page_is_only_for_learners_of_a_cohort_on_that_track(client_for, world, make_user):
    client = client_for(make_user())
    assert client.get(URL).status_code == 403
    assert hand_in(client).status_code == 403
    client = client_for(world.learner)
    assert client.get("/certification/bestaat-niet/practice").status_code == 404


def test_trainer_of_another_cohort_cannot_see_or_review(client_for, world):
    client = client_for(world.learner)
    hand_in(client)
    assignment = db.session.scalar(select(PracticeAssignment))
    client = client_for(world.other_trainer)
    assert client.get(review_url(world, assignment)).status_code == 403
    assert client.submit(review_url(world, assignment), {"decision": "approved"}).status_code == 403
    assert client.get(f"/cohorts/{world.cohort.id}/practice").status_code == 403
    other_url = f"/cohorts/{world.other.id}/practice/{assignment.id}"
    assert client.get(other_url).status_code == 404  # the learner is not in the other cohort
    db.session.refresh(assignment.latest)
    assert assignment.latest.decision is None


def test_queue_lists_waiting_work_first(client_for, world):
    for learner in (world.learner, world.second):
        client = client_for(learner)
        hand_in(client)
    first = db.session.scalar(select(PracticeAssignment).where(PracticeAssignment.user_id == world.learner.id))
    client = client_for(world.trainer)
    client.submit(review_url(world, first), {"decision": "approved"}, page=review_url(world, first))
    page = client.get(f"/cohorts/{world.cohort.id}/practice").get_data(as_text=True)
    assert page.index("Sem Tweede") < page.index("Lotte Leerling")
    assert "Wacht op jou" in page


def test_reflection_markdown_is_sanitised_for_the_trainer(client_for, world):
    client = client_for(world.learner)
    hostile = ' <script>alert("x")</script> [klik](javascript:alert(1)) <img src=x onerror=alert(1)>'
    hand_in(client, REFLECTION + hostile)
    assignment = db.session.scalar(select(PracticeAssignment))
    client = client_for(world.trainer)
    page = client.get(review_url(world, assignment)).get_data(as_text=True)
    assert "<script>alert" not in page and "javascript:" not in page and "onerror" not in page


def test_trainer_feedback_with_client_data_is_held_back_until_confirmed(client_for, world):
    client = client_for(world.learner)
    hand_in(client)
    assignment = db.session.scalar(select(PracticeAssignment))
    client = client_for(world.trainer)
    url = review_url(world, assignment)
    feedback = "Bel de moeder even op 06-12345678."
    held = client.submit(url, {"decision": "returned", "feedback": feedback}, page=url)
    assert held.status_code == 422 and "een telefoonnummer" in held.get_data(as_text=True)
    assert feedback in held.get_data(as_text=True)
    db.session.refresh(assignment.latest)
    assert assignment.latest.decision is None
    done = client.submit(url, {"decision": "returned", "feedback": feedback, "no_client_data": "y"}, page=url)
    assert done.status_code == 302
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "practice.returned"))
    assert "06-12345678" not in event.reason  # the log says what was decided, not the feedback text


def test_two_trainers_deciding_at_once_keep_the_first_decision(world):
    from jimtraining.certification.practice import review_practice, submit_practice
    from jimtraining.certification.services import CertificationError

    submit_practice(world.learner, world.track, REFLECTION)
    version = db.session.scalar(select(PracticeVersion))
    # The second trainer's page still shows the version as undecided when the first one saves.
    db.session.execute(db.update(PracticeVersion).values(decision="approved"))
    with pytest.raises(CertificationError):
        review_practice(version, "returned", "Toch niet goed.", world.trainer)
    db.session.expire_all()
    assert db.session.scalar(select(PracticeVersion)).decision == "approved"
