"""The parts of `make bench` that run without load: PSS per worker read from /proc, the session start's row count,
which parts BENCH_ONLY picks, and the app prepared for gunicorn's fork (jimtraining/serving.py)."""

import gc
from argparse import Namespace
from datetime import UTC, datetime, timedelta

import pytest

from bench import busy_queue, cases
from bench.run import PSS_TARGET_MIB, memory_figures, only, verdict, wanted
from jimtraining import serving
from jimtraining.cohorts.attendance import checkin_open
from jimtraining.cohorts.models import Attendance, CheckinAttempt, CohortSession
from jimtraining.extensions import db

SMAPS_ROLLUP = """55d0c0a00000-7ffd2b7e5000 ---p 00000000 00:00 0                          [rollup]
Rss:              141312 kB
Pss:               52224 kB
Pss_Dirty:         40960 kB
Pss_Anon:          40000 kB
Pss_File:          12224 kB
Shared_Clean:      90112 kB
Private_Dirty:     40960 kB
Swap:                  0 kB
"""


def test_pss_and_rss_are_read_in_mib_from_smaps_rollup():
    assert cases.rollup(SMAPS_ROLLUP) == {"rss_mib": 138.0, "pss_mib": 51.0}


def test_a_worker_over_the_pss_target_fails_the_bench_and_the_largest_worker_counts():
    after = {"rss_mib": [140.0, 139.0], "pss_mib": [50.0, PSS_TARGET_MIB + 1.5], "peak_rss_mib": 141.0}
    memory = memory_figures(2, after, [])
    result = {"database": "SQLite", "pages": [], "concurrency": None, "memory": memory}

    assert memory["pss_max_mib"] == PSS_TARGET_MIB + 1.5
    assert verdict(result) == [f"SQLite: a worker costs {PSS_TARGET_MIB + 1.5} MiB PSS (target ≤ 60 MiB)"]
    assert verdict(dict(result, memory=memory_figures(2, dict(after, pss_mib=[50.0, 49.0]), []))) == []


def test_bench_only_picks_pages_by_the_start_of_their_name_and_leaves_the_databases_out_of_it():
    session_start = Namespace(only=only(" Session start , sqlite"))
    everything = Namespace(only=only(""))

    assert wanted(session_start, "session start: attendance page")
    assert not wanted(session_start, "attempt page")
    assert not wanted(session_start, "memory")
    assert wanted(Namespace(only=only("postgresql")), "memory")  # naming a database alone runs every part
    assert wanted(everything, "concurrency") and wanted(everything, "attempt page")


@pytest.fixture
def started_session(app, make_user, make_cohort):
    trainer = make_user("trainer")
    learners = [make_user(email=f"deelnemer-{n}@example.org") for n in range(3)]
    cohort = make_cohort(trainers=[trainer], learners=learners)
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    session = CohortSession(cohort_id=cohort.id, title="Bijeenkomst 3", starts_at=tomorrow,
                            ends_at=tomorrow + timedelta(hours=3), checkin_secret="s" * 64)
    db.session.add(session)
    db.session.commit()
    return {"trainer": trainer.email, "cohort_id": cohort.id, "session_id": session.id,
            "learners": [learner.email for learner in learners], "ids": [learner.id for learner in learners],
            "other": make_user().id}


def _mark(entry, user_id, status="present", source="checkin"):
    db.session.add(Attendance(session_id=entry["session_id"], user_id=user_id, status=status, source=source))
    db.session.commit()


def test_opening_the_session_lets_learners_check_in_now_with_nobody_marked(app, started_session):
    _mark(started_session, started_session["ids"][0], source="trainer")
    db.session.add(CheckinAttempt(session_id=started_session["session_id"], user_id=started_session["ids"][1],
                                  attempted_at=datetime.now(UTC)))
    db.session.commit()

    cases.open_session(app.config["SQLALCHEMY_DATABASE_URI"], started_session)

    db.session.expire_all()
    session = db.session.get(CohortSession, started_session["session_id"])
    assert checkin_open(session)
    assert session.attendance == []
    assert db.session.query(CheckinAttempt).count() == 0


def test_every_learner_checked_in_once_is_no_problem(app, started_session):
    for user_id in started_session["ids"]:
        _mark(started_session, user_id)

    counted = cases.count_checkins(app.config["SQLALCHEMY_DATABASE_URI"], started_session)

    assert counted == {"learners": 3, "rows": 3, "problems": [], "problem_count": 0}


def test_a_lost_check_in_a_mark_by_the_trainer_and_someone_else_marked_are_each_reported(app, started_session):
    first, second, _third = started_session["ids"]
    _mark(started_session, first)
    _mark(started_session, second, status="absent", source="trainer")
    _mark(started_session, started_session["other"])

    counted = cases.count_checkins(app.config["SQLALCHEMY_DATABASE_URI"], started_session)

    assert counted["rows"] == 3
    assert counted["problem_count"] == 3
    assert "deelnemer-1@example.org: marked absent by trainer, not present by check-in" in counted["problems"]
    assert "deelnemer-2@example.org: 0 attendance rows (expected 1)" in counted["problems"]
    assert any("did not check in" in problem for problem in counted["problems"])


def test_before_the_fork_the_master_keeps_the_content_and_holds_no_database_connection(app, synced_content):
    app.extensions.pop("jim_catalogue", None)
    try:
        serving.before_fork(app)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()

    assert app.extensions["jim_catalogue"][0].active  # the workers start with the modules loaded
    assert db.engine.pool.checkedout() == 0 and db.engine.pool.checkedin() == 0
    serving.after_fork(app)  # a worker's own pool: it reaches the database
    assert db.session.execute(db.text("SELECT 1")).scalar() == 1


def test_a_web_only_process_has_no_commands_and_no_migrations_but_serves(app, monkeypatch):
    from jimtraining import create_app
    from tests.support.database import config_for_tests

    monkeypatch.setenv("JIM_WEB_ONLY", "1")
    web = create_app(config_for_tests(app.config["SQLALCHEMY_DATABASE_URI"]))

    assert "migrate" not in web.extensions and "migrate" in app.extensions
    assert "content" not in web.cli.commands and "content" in app.cli.commands
    assert web.test_client().get("/healthz").status_code == 200


# The busy-queue case: every invitation of the uploaded list mailed exactly once ----------------------------------

@pytest.fixture
def invited(app, make_user, make_cohort):
    """Three invitations of a list written as the trainer's upload writes them: each with its mail job (run at
    once in the test suite), keyed by the invitation."""
    from jimtraining.cohorts.invitations import create_invitation
    from jimtraining.mailing import send_mail

    trainer = make_user("trainer")
    cohort = make_cohort(trainers=[trainer])
    wanted = busy_queue.addresses("test", 3)
    for address in wanted:
        invitation, _token = create_invitation(cohort, address, "Deelnemer", trainer, commit=False)
        send_mail(address, "Uitnodiging", "Doe mee", key=f"invitation:{invitation.id}")
    db.session.commit()
    return {"cohort_id": cohort.id, "wanted": wanted}


def _outbox(folder, addresses):
    """Mails in the file outbox as Flask-Mailman's file backend writes them (one file per connection)."""
    from flask_mailman import EmailMessage
    from flask_mailman.backends.file import EmailBackend

    for address in addresses:
        EmailBackend(file_path=str(folder)).send_messages([EmailMessage("Uitnodiging", "Doe mee", to=[address])])


def test_the_upload_for_the_busy_queue_lists_the_runs_own_new_people():
    data = busy_queue.invitation_csv("20261207", 2).decode()

    assert data.splitlines() == ["naam;e-mail;organisatie",
                                 f"Deelnemer 1;persoon-20261207-0001@{busy_queue.DOMAIN};",
                                 f"Deelnemer 2;persoon-20261207-0002@{busy_queue.DOMAIN};"]
    assert set(busy_queue.addresses("a", 5)).isdisjoint(busy_queue.addresses("b", 5))


def test_every_invitation_with_one_mail_job_done_and_one_mail_in_the_outbox_is_no_problem(app, invited, tmp_path):
    _outbox(tmp_path, invited["wanted"])

    counted = busy_queue.count_mails(app.config["SQLALCHEMY_DATABASE_URI"], invited["cohort_id"], invited["wanted"],
                                     tmp_path)

    assert counted["problem_count"] == 0, counted["problems"]
    assert (counted["invitations"], counted["jobs_done"], counted["mails"]) == (3, 3, 3)
    assert counted["drain_seconds"] is not None and counted["drain_seconds"] >= 0


def test_a_lost_a_doubled_and_an_unsent_invitation_mail_are_each_reported(app, invited, tmp_path):
    from jimtraining.jobs.models import PENDING, Job

    first, second, third = invited["wanted"]
    _outbox(tmp_path, [first, first, third])  # the first mailed twice, the second never
    job = db.session.scalars(db.select(Job).where(Job.payload["to"].as_string() == third)).one()
    job.state = PENDING  # the third still waits in the queue (and yet a mail went out)
    db.session.commit()

    counted = busy_queue.count_mails(app.config["SQLALCHEMY_DATABASE_URI"], invited["cohort_id"], invited["wanted"],
                                     tmp_path)

    assert counted["problems"] == [f"{first}: 2 mails in the outbox (expected 1)",
                                   f"{second}: 0 mails in the outbox (expected 1)",
                                   f"{third}: mail jobs ['pending'] (expected one, done)"]
    assert busy_queue.delivery_problems([first], [], {}, []) == [f"{first}: 0 invitations (expected 1)"]
