"""A person downloads everything the platform holds about them, and nothing of anyone else."""

import json

from tests.support.privacy import ABOUT_LOTTE, LOTTE, SEM


def download(client_for, user):
    response = client_for(user).get("/profile/export.json")
    assert response.status_code == 200
    return response


def test_export_is_a_json_attachment_that_is_not_cached(client_for, people):
    response = download(client_for, people.lotte)
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=\"jim-training-mijn-gegevens-")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_anonymous_visitors_are_sent_to_the_login(client, people):
    response = client.get("/profile/export.json")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_export_contains_the_persons_data(client_for, people):
    lotte = people.lotte
    data = download(client_for, lotte).get_json()
    assert data["about"]["user_id"] == lotte.id
    assert data["profile"]["name"] == "Lotte Leerling" and data["profile"]["email"] == lotte.email
    assert data["profile"]["skj_number"] == "1234567" and "password_hash" not in data["profile"]
    assert [e["cohort"] for e in data["enrolments"]] == [people.cohort.name]
    assert sorted(a["status"] for a in data["attendance"]) == ["excused"] + ["present"] * 4
    assert len(data["lesson_progress"]) == 4 and all(p["completed_at"] for p in data["lesson_progress"])
    [attempt] = data["quiz_attempts"]
    answers = {a["question_key"]: a for a in attempt["answers"]}
    assert answers["open"]["response"] == LOTTE["open_answer"]
    assert answers["open"]["reviewer_feedback"] == ABOUT_LOTTE["quiz_feedback"]
    assert answers["keuze"]["response"] == "de-jongere"
    [run] = data["scenario_runs"]
    assert run["scenario_slug"] == "lotte-scenario" and run["choices"][0]["node_id"] == "start"
    [version_1, version_2] = data["practice_assignments"][0]["versions"]
    assert version_1["text"] == LOTTE["reflection"] and version_1["feedback"] == ABOUT_LOTTE["practice_feedback"]
    assert version_2["text"].endswith("Tweede versie.") and version_2["decision"] is None
    [certificate] = data["certificates"]
    expected = people.lotte_certificate
    assert (certificate["number"], certificate["code"], certificate["status"]) == (expected.number, expected.code,
                                                                                  "valid")
    assert certificate["issued_at"] and certificate["expires_at"]
    about = {e["action"] for e in data["audit_events"]["about_you"]}
    assert about == {"certificate.issued", "practice.returned"}


def test_export_shows_role_play_rounds_in_every_role_but_only_the_own_assessment(client_for, people):
    data = download(client_for, people.lotte).get_json()
    rounds = data["role_play_rounds"]
    assert sorted(tuple(r["your_roles"]) for r in rounds) == [("observer",), ("professional",), ("professional",)]
    released = next(r for r in rounds if r["your_roles"] == ["professional"] and r["assessment_released"])
    assert released["outcome"] == "sufficient"
    assert {s["comment"] for s in released["scores_received"]} == {ABOUT_LOTTE["trainer_comment"],
                                                                   SEM["peer_comment"]}
    assert [n["text"] for n in released["feedback_received"]] == [ABOUT_LOTTE["actor_feedback"]]
    unreleased = next(r for r in rounds if r["your_roles"] == ["professional"] and not r["assessment_released"])
    assert "outcome" not in unreleased and "scores_received" not in unreleased
    observed = next(r for r in rounds if r["your_roles"] == ["observer"])
    assert set(observed) == {"scenario_slug", "session", "session_starts_at", "created_at", "your_roles"}
    assert [s["comment"] for s in data["role_play_scores_given"]] == [LOTTE["peer_comment"]]
    assert [n["text"] for n in data["role_play_notes_written"]] == [LOTTE["self_reflection"]]


def test_export_holds_nothing_of_another_person(client_for, people):
    text = download(client_for, people.lotte).get_data(as_text=True)
    sem = people.sem
    # Sem's own words, his name, address and certificate; and what is not about Lotte (the actor's aftercare),
    # or not released yet.
    for secret in (SEM["reflection"], SEM["open_answer"], SEM["self_reflection"], "SEM-REFLECTIE", sem.name,
                   sem.email, people.sem_certificate.number, people.sem_certificate.code,
                   ABOUT_LOTTE["aftercare"], "TRAINER-NOG-NIET-VRIJGEGEVEN", "ACTEUR-BESCHIKBAARHEID",
                   people.actor.name):
        assert secret not in text, secret
    assert json.loads(text)["profile"]["id"] == people.lotte.id


def test_a_trainer_gets_what_they_wrote_but_not_the_learners_work(client_for, people):
    data = download(client_for, people.trainer).get_json()
    assert [r["feedback"] for r in data["practice_reviews_given"]] == [ABOUT_LOTTE["practice_feedback"]]
    assert [r["feedback"] for r in data["quiz_reviews_given"]] == [ABOUT_LOTTE["quiz_feedback"]]
    assert data["cohorts_trained"] == [{"cohort_id": people.cohort.id, "cohort": people.cohort.name}]
    assert data["trainer_licences"][0]["status"] == "valid"
    assert {e["action"] for e in data["audit_events"]["by_you"]} == {"certificate.issued", "practice.returned"}
    assert all("subject_name" not in e for e in data["audit_events"]["by_you"])
    text = json.dumps(data, ensure_ascii=False)
    for secret in (LOTTE["reflection"], LOTTE["open_answer"], SEM["reflection"], "Lotte Leerling", "Sem Tweede"):
        assert secret not in text, secret


def test_an_actor_gets_their_profile_bookings_and_rounds(client_for, people):
    from jimtraining.extensions import db
    from jimtraining.roleplay.models import ActorBooking

    db.session.add(ActorBooking(session_id=people.sessions[-1].id, actor_id=people.actor.id))
    db.session.commit()
    data = download(client_for, people.actor).get_json()
    assert data["actor_profile"]["availability"] == "ACTEUR-BESCHIKBAARHEID: dinsdag"
    assert [b["session"] for b in data["actor_bookings"]] == [people.sessions[-1].title]
    assert {tuple(r["your_roles"]) for r in data["role_play_rounds"]} == {("player",)}
    assert {n["kind"] for n in data["role_play_notes_written"]} == {"actor_feedback", "aftercare"}
    assert "Lotte Leerling" not in json.dumps(data, ensure_ascii=False)


def test_profile_page_links_to_the_export(client_for, people):
    page = client_for(people.lotte).get("/profile").get_data(as_text=True)
    assert 'href="/profile/export.json"' in page and "Download mijn gegevens" in page
