"""Enrolment: invitation links, join codes, CSV upload; mails through the outbox."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from jimtraining.accounts.models import User
from jimtraining.cohorts.models import Enrollment, Invitation
from jimtraining.extensions import db
from jimtraining.timeutil import utcnow
from tests.support.database import statements_run
from tests.support.mail import mail_jobs, try_mail_jobs_again


def invite(client, cohort, email="nieuw@example.org", name="Nina Nieuw"):
    return client.submit(f"/cohorts/{cohort.id}/invite", {"name": name, "email": email},
                         page=f"/cohorts/{cohort.id}/invite")


def link_from(mail) -> str:
    return re.search(r"http://localhost(/invite/\S+)", mail.body).group(1)


def test_invitation_mail_lets_a_new_person_make_an_account_and_join(app, client, login, two_cohorts, outbox):
    login(client, two_cohorts.trainer_a)
    assert invite(client, two_cohorts.a).status_code == 302
    assert len(outbox) == 1 and outbox[0].to == ["nieuw@example.org"]
    assert "Groep A" in outbox[0].subject
    link = link_from(outbox[0])
    newcomer = app.test_client()
    page = newcomer.get(link).get_data(as_text=True)
    assert "nieuw@example.org" in page
    response = newcomer.submit(link, {"name": "Nina Nieuw", "password": "kompas regenjas tulp vijver",
                                      "confirm": "kompas regenjas tulp vijver"}, page=link)
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "nieuw@example.org"))
    assert user.role == "learner"
    assert "Groep A" in newcomer.get("/").get_data(as_text=True)


def test_existing_account_logs_in_and_accepts(app, client, login, make_user, two_cohorts, outbox):
    existing = make_user(email="bestaand@example.org")
    login(client, two_cohorts.trainer_a)
    invite(client, two_cohorts.a, email="bestaand@example.org")
    link = link_from(outbox[0])
    person = app.test_client()
    assert person.get(link).headers["Location"].startswith("/login")
    login(person, existing)
    assert person.submit(link, page=link).status_code == 302
    assert two_cohorts.a.is_member(existing)


def test_reused_invitation_is_refused(app, client, login, two_cohorts, outbox):
    login(client, two_cohorts.trainer_a)
    invite(client, two_cohorts.a)
    link = link_from(outbox[0])
    first = app.test_client()
    first.submit(link, {"name": "Nina", "password": "kompas regenjas tulp vijver",
                        "confirm": "kompas regenjas tulp vijver"}, page=link)
    again = app.test_client().get(link)
    assert again.status_code == 410
    assert "Deze uitnodiging is al gebruikt" in again.get_data(as_text=True)


def test_expired_invitation_is_refused(app, client, login, two_cohorts, outbox):
    login(client, two_cohorts.trainer_a)
    invite(client, two_cohorts.a)
    invitation = db.session.scalar(select(Invitation))
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = app.test_client().get(link_from(outbox[0]))
    assert response.status_code == 410
    assert "Deze uitnodiging is verlopen" in response.get_data(as_text=True)


def test_tampered_invitation_is_refused(app, client, login, two_cohorts, outbox):
    login(client, two_cohorts.trainer_a)
    invite(client, two_cohorts.a)
    link = link_from(outbox[0])
    tampered = link[:-3] + ("aaa" if not link.endswith("aaa") else "bbb")
    response = app.test_client().get(tampered)
    assert response.status_code == 410
    assert "Deze uitnodigingslink klopt niet" in response.get_data(as_text=True)
    assert db.session.scalar(select(Invitation.token_hash)) not in link  # only a hash is stored


def test_an_invitation_whose_mail_server_is_down_is_kept_and_its_mail_sent_once_the_server_is_back(
        app, client, login, two_cohorts, outbox, mail_server_down):
    login(client, two_cohorts.trainer_a)
    response = invite(client, two_cohorts.a)
    assert response.status_code == 302  # the mail is sent in the background, not while the trainer waits
    assert db.session.scalar(select(func.count(Invitation.id))) == 1
    [job] = mail_jobs()
    assert job.state == "pending" and "connection refused" in job.last_error
    mail_server_down.down = False
    try_mail_jobs_again()
    try_mail_jobs_again()  # a second hand-over of the same job sends nothing more
    assert len(outbox) == 1 and "/invite/" in outbox[0].body


def test_join_code_enrols_and_a_rotated_code_stops_working(app, client, login, make_user, two_cohorts):
    cohort = two_cohorts.a
    old = cohort.join_code
    learner = make_user()
    login(client, learner)
    response = client.submit("/join", {"code": old.lower()}, page="/join")
    assert response.status_code == 302 and cohort.is_member(learner)
    trainer = app.test_client()
    login(trainer, two_cohorts.trainer_a)
    trainer.submit(f"/cohorts/{cohort.id}/join-code", page=f"/cohorts/{cohort.id}")
    late = make_user()
    other = app.test_client()
    login(other, late)
    page = other.submit("/join", {"code": old}, page="/join").get_data(as_text=True)
    assert "Deze code klopt niet" in page
    db.session.refresh(cohort)
    assert not cohort.is_member(late) and cohort.join_code != old


CSV_GOOD = "naam;e-mail;organisatie;skj\nAda Aalders;ada@example.org;{org};110012345\nBo Bakker;bo@example.org;{org};\n"


def upload(client, cohort, content: bytes, filename="lijst.csv"):
    from io import BytesIO

    return client.submit(f"/cohorts/{cohort.id}/upload", {"file": (BytesIO(content), filename)},
                         page=f"/cohorts/{cohort.id}/upload", content_type="multipart/form-data")


def confirm(client, cohort, preview_html):
    payload = re.search(r'name="payload" value="([^"]+)"', preview_html).group(1)
    return client.submit(f"/cohorts/{cohort.id}/upload/confirm", {"payload": payload},
                         page=f"/cohorts/{cohort.id}")


def test_csv_upload_shows_errors_per_row_and_saves_nothing_until_confirmed(client, login, make_user, two_cohorts,
                                                                          outbox):
    cohort = two_cohorts.a
    org = cohort.organisation.name
    make_user(email="al@example.org", name="Al Bekend")
    content = (f"naam;e-mail;organisatie;skj\nAda;ada@example.org;{org};\n;zonder-naam@example.org;{org};\n"
               f"Geen Mail;;{org};\nFout;geen-mailadres;{org};\nOnbekend;on@example.org;Bestaat Niet BV;\n"
               f"Dubbel;ada@example.org;{org};\nAl;al@example.org;{org};\n").encode()
    login(client, two_cohorts.trainer_a)
    users_before = db.session.scalar(select(func.count(User.id)))
    page = upload(client, cohort, content).get_data(as_text=True)
    for message in ("naam ontbreekt", "e-mailadres ontbreekt", "&#39;geen-mailadres&#39; is geen geldig e-mailadres",
                    "organisatie &#39;Bestaat Niet BV&#39; is onbekend",
                    "dit e-mailadres staat al eerder in het bestand"):
        assert message in page, message
    assert page.count("krijgt een uitnodiging") == 2  # with or without an account: the preview does not tell
    assert db.session.scalar(select(func.count(User.id))) == users_before
    assert db.session.scalar(select(func.count(Invitation.id))) == 0 and outbox == []
    assert confirm(client, cohort, page).status_code == 302
    assert db.session.scalar(select(func.count(Invitation.id))) == 2 and len(outbox) == 2
    # nobody is put in a group without saying yes: the existing account is invited, not added
    assert not cohort.is_member(db.session.scalar(select(User).where(User.email == "al@example.org")))


def test_second_upload_of_the_same_file_adds_nobody_twice(client, login, two_cohorts, outbox):
    cohort = two_cohorts.a
    content = CSV_GOOD.format(org=cohort.organisation.name).encode()
    login(client, two_cohorts.trainer_a)
    confirm(client, cohort, upload(client, cohort, content).get_data(as_text=True))
    page = upload(client, cohort, content).get_data(as_text=True)
    assert page.count("zit al in de groep of is al uitgenodigd") == 2
    confirm(client, cohort, page)
    assert db.session.scalar(select(func.count(Invitation.id))) == 2 and len(outbox) == 2


def test_csv_with_commas_is_read_too(client, login, two_cohorts):
    cohort = two_cohorts.a
    content = CSV_GOOD.format(org=cohort.organisation.name).replace(";", ",").encode()
    login(client, two_cohorts.trainer_a)
    assert upload(client, cohort, content).get_data(as_text=True).count("krijgt een uitnodiging") == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("naam;e-mail;organisatie\nJosé;jose@example.org;X\n".encode("latin-1"), "geen UTF-8-tekst"),
        (b"naam|e-mail|organisatie\nA|a@example.org|X\n", "niet gescheiden door een komma of puntkomma"),
        (b"voornaam;achternaam\nA;B\n", "De eerste regel moet de kolommen noemen"),
        (b"", "Het bestand is leeg"),
    ],
)
def test_csv_with_wrong_encoding_delimiter_or_header_is_explained(client, login, two_cohorts, content, message):
    login(client, two_cohorts.trainer_a)
    page = upload(client, two_cohorts.a, content).get_data(as_text=True)
    assert message in page


@pytest.mark.parametrize(("content", "line"), [
    (b"naam;e-mail;organisatie\nAda;ada@example.org;\nB\x00o;bo@example.org;\n", 3),
    (b'naam;e-mail;organisatie\n"Ada\nAalders";ada@example.org;\nBo;bo@example.org;\x00\n', 4),
    ("naam;e-mail;organisatie\nAda;ada@example.org;\n".encode("utf-16-le"), 1),  # UTF-16 without BOM
])
def test_a_nul_character_in_an_uploaded_list_is_refused_with_its_line(client, login, two_cohorts, outbox, content,
                                                                     line):
    """Issue 14 item 13: a NUL byte reached invitation.name (and PostgreSQL refuses it); now the file is refused
    with the number of the line it is on, and nothing can be confirmed."""
    login(client, two_cohorts.trainer_a)
    response = upload(client, two_cohorts.a, content)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f"Regel {line} bevat een NUL-teken" in page and "CSV UTF-8" in page
    assert 'name="payload"' not in page
    assert db.session.scalar(select(func.count(Invitation.id))) == 0 and outbox == []


def test_tampered_upload_confirmation_is_refused(client, login, two_cohorts):
    login(client, two_cohorts.trainer_a)
    response = client.submit(f"/cohorts/{two_cohorts.a.id}/upload/confirm", {"payload": "verzonnen"})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Enrollment.id))) == 2


def test_csv_details_reach_the_new_account(app, client, login, two_cohorts, outbox, make_cohort):
    cohort = two_cohorts.a
    other_org = make_cohort().organisation
    content = f"name,email,organisation,skj\nZoë Zand,zoe@example.org,{other_org.name.upper()},110012345\n".encode()
    login(client, two_cohorts.trainer_a)
    confirm(client, cohort, upload(client, cohort, content).get_data(as_text=True))
    link = link_from(outbox[0])
    app.test_client().submit(link, {"name": "Zoë Zand", "password": "kompas regenjas tulp vijver",
                                    "confirm": "kompas regenjas tulp vijver"}, page=link)
    user = db.session.scalar(select(User).where(User.email == "zoe@example.org"))
    assert (user.organisation_id, user.skj_number) == (other_org.id, "110012345")


def test_csv_invitations_whose_mails_failed_are_sent_once_each_when_the_server_is_back(
        app, client, login, two_cohorts, outbox, mail_server_down):
    cohort = two_cohorts.a
    content = CSV_GOOD.format(org=cohort.organisation.name).encode()
    login(client, two_cohorts.trainer_a)
    page = confirm(client, cohort, upload(client, cohort, content).get_data(as_text=True))
    message = client.get(page.headers["Location"]).get_data(as_text=True)
    assert "2 uitnodiging(en) verstuurd" in message
    assert db.session.scalar(select(func.count(Invitation.id))) == 2
    assert [job.state for job in mail_jobs()] == ["pending", "pending"] and outbox == []
    again = upload(client, cohort, content).get_data(as_text=True)
    assert again.count("krijgt een uitnodiging") == 0  # invited already: a second upload invites nobody twice
    mail_server_down.down = False
    try_mail_jobs_again()
    assert sorted(mail.to[0] for mail in outbox) == ["ada@example.org", "bo@example.org"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"naam;e-mail;organisatie\rA;a@example.org;X\rB;b@example.org;X\r", "organisatie &#39;X&#39; is onbekend"),
        (b"naam;e-mail;organisatie\n\"" + b"x" * 140000 + b"\";a@example.org;X\n", "kan niet als CSV gelezen worden"),
    ],
)
def test_odd_csv_files_get_a_message_not_an_error(client, login, two_cohorts, content, message):
    login(client, two_cohorts.trainer_a)
    response = upload(client, two_cohorts.a, content)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)


def test_invitation_cannot_enrol_a_staff_account(app, client, login, make_user, two_cohorts, outbox):
    staff = make_user(role="trainer", email="collega@example.org")
    login(client, two_cohorts.trainer_a)
    invite(client, two_cohorts.a, email="collega@example.org")
    person = app.test_client()
    login(person, staff)
    link = link_from(outbox[0])
    response = person.submit(link, page=link)
    assert response.status_code == 410
    assert "Deze uitnodiging is voor deelnemers" in response.get_data(as_text=True)
    assert not two_cohorts.a.is_member(staff)


def test_an_old_invitation_does_not_bring_a_removed_learner_back(app, client, login, two_cohorts, outbox):
    learner, cohort = two_cohorts.learner_a, two_cohorts.a
    login(client, two_cohorts.trainer_a)
    invite(client, cohort, email=learner.email)
    client.submit(f"/cohorts/{cohort.id}/learners/{learner.id}/remove", page=f"/cohorts/{cohort.id}")
    person = app.test_client()
    login(person, learner)
    response = person.get(link_from(outbox[0]))
    assert response.status_code == 410
    assert not cohort.is_member(learner)


def test_removed_learner_leaves_the_trainers_quiz_scope(client, login, two_cohorts):
    from jimtraining.cohorts.enrolment import learner_ids_of_trainer, remove_learner

    trainer, learner = two_cohorts.trainer_a, two_cohorts.learner_a
    assert learner.id in learner_ids_of_trainer(trainer)
    remove_learner(two_cohorts.a, learner.id)
    assert learner.id not in learner_ids_of_trainer(trainer)


def test_csv_values_with_doubled_quotes_and_delimiters_inside_quotes_are_read_whole(two_cohorts):
    from jimtraining.cohorts.csv_import import parse_csv

    data = (b'naam;e-mail;organisatie\n"Jan ""JJ"" Jansen";jan@example.org;"Wijkteam; Oost"\n'
            b'Els de Wit;els@example.org;\n')
    preview = parse_csv(data, two_cohorts.a)
    assert [(r.name, r.email, r.organisation) for r in preview.rows] == [
        ('Jan "JJ" Jansen', "jan@example.org", "Wijkteam; Oost"), ("Els de Wit", "els@example.org", "")]


def test_the_invitation_mail_links_to_base_url_not_to_the_host_the_trainer_request_named(
        app, client_with_host, login, two_cohorts, outbox, monkeypatch):
    """Issue 14 item 5: an invitation sent from a request with a forged Host header still links to BASE_URL."""
    monkeypatch.setitem(app.config, "BASE_URL", "https://jim.example.nl")
    client = client_with_host("evil.example")
    login(client, two_cohorts.trainer_a)
    assert invite(client, two_cohorts.a).status_code == 302
    assert re.search(r"^https://jim\.example\.nl/invite/\S+$", outbox[0].body, re.M), outbox[0].body
    assert "evil.example" not in outbox[0].body


def test_confirming_a_long_list_costs_as_many_statements_as_a_short_one_and_mails_everyone_once(
        app, client, login, two_cohorts, outbox):
    """Issue 20: confirming a list of 300 people held a server process for seconds (three statements per
    person); the invitations and their mail jobs are now written in batches, so a longer list costs no more
    statements, and still everyone gets exactly one invitation and one mail."""
    cohort = two_cohorts.a
    login(client, two_cohorts.trainer_a)

    def confirm_list(prefix, count):
        rows = "".join(f"Deelnemer {n};{prefix}{n}@example.org;\n" for n in range(count))
        page = upload(client, cohort, f"naam;e-mail;organisatie\n{rows}".encode()).get_data(as_text=True)
        assert page.count("krijgt een uitnodiging") == count
        responses = []
        statements = statements_run(lambda: responses.append(confirm(client, cohort, page)),
                                    this_thread_only=True)
        assert responses[0].status_code == 302
        return len(statements)

    short, long = confirm_list("kort", 3), confirm_list("lang", 80)
    assert long == short, f"3 people: {short} statements, 80 people: {long}"
    addresses = sorted(db.session.scalars(select(Invitation.email)))
    assert len(addresses) == 83 == len(set(addresses))
    assert sorted(mail.to[0] for mail in outbox) == addresses
    assert {job.state for job in mail_jobs()} == {"done"} and len(mail_jobs()) == 83
