"""`flask backup create|restore` on SQLite: a consistent copy while the app writes, and a checked restore.

Each test builds its own SQLite files in tmp_path with the migrations (never the suite's shared database).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from flask_migrate import upgrade

from jimtraining import create_app
from jimtraining.backup import backup_cli, known_revisions
from jimtraining.extensions import db
from tests.support.database import config_for_tests

#: Every writer transaction adds this many audit events with the same object_id: a copy must hold whole batches.
BATCH = 3
#: Rows put in before the backup, so that the copy takes long enough for writes to happen meanwhile.
PADDING_ROWS = 20_000


def make_app(db_file: Path, backup_dir: Path):
    app = create_app(config_for_tests(f"sqlite:///{db_file}", BACKUP_DIR=str(backup_dir)))
    with app.app_context():
        upgrade()
        db.session.remove()
        db.engine.dispose()
    return app


@pytest.fixture
def live(tmp_path):
    """An app on its own migrated SQLite file (WAL), with backups going to tmp_path/backups."""
    app = make_app(tmp_path / "live.db", tmp_path / "backups")
    yield app
    with app.app_context():
        db.engine.dispose()


def invoke(app, args, **kwargs):
    """Run a backup command on `app`. The suite's autouse fixture has its own app context pushed, and Flask's
    commands run in whatever app context is current, so push this app's first."""
    with app.app_context():
        return app.test_cli_runner().invoke(backup_cli, args, **kwargs)


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=30)
    conn.execute("PRAGMA busy_timeout=30000")
    return conn


def _insert_batch(conn: sqlite3.Connection, batch: int, reason: str = "") -> None:
    conn.executemany(
        "INSERT INTO audit_event (at, action, actor_name, subject_name, object_type, object_id, reason, details) "
        "VALUES ('2026-12-01 10:00:00', 'certificate.issued', 'Writer', 'Someone', 'certificate', ?, ?, '{}')",
        [(batch, reason)] * BATCH)
    conn.commit()


def _batches(path: Path) -> dict[int, int]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return dict(conn.execute("SELECT object_id, COUNT(*) FROM audit_event GROUP BY object_id").fetchall())
    finally:
        conn.close()


def _rows(path: Path, table: str = "audit_event") -> list[tuple]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall()
    finally:
        conn.close()


def _db_file(app) -> Path:
    return Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))


class Writer(threading.Thread):
    """Keeps committing batches of audit events in its own connection, as the running app would."""

    def __init__(self, path: Path, first_batch: int):
        super().__init__(daemon=True)
        self.path = path
        self.next_batch = first_batch
        self.stop = threading.Event()
        self.committed: list[tuple[float, int]] = []  # (time after commit, rows of this table then)
        self.error: BaseException | None = None

    def run(self):
        conn = _connect(self.path)
        try:
            rows = conn.execute("SELECT COUNT(*) FROM audit_event").fetchone()[0]
            while not self.stop.is_set():
                _insert_batch(conn, self.next_batch)
                rows += BATCH
                self.committed.append((time.monotonic(), rows))
                self.next_batch += 1
        except BaseException as error:  # noqa: BLE001 - reported by the test
            self.error = error
        finally:
            conn.close()


def test_backup_while_writing_is_consistent_and_restores_into_a_fresh_database(live, tmp_path):
    live_file = _db_file(live)
    conn = _connect(live_file)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    # Padding makes the database big enough (several MB) that the copy takes a while.
    conn.executemany(
        "INSERT INTO audit_event (at, action, actor_name, subject_name, object_type, object_id, reason, details) "
        "VALUES ('2026-12-01 09:00:00', 'certificate.issued', 'Seed', 'Someone', 'certificate', 0, ?, '{}')",
        [("x" * 200,)] * PADDING_ROWS)
    conn.commit()
    conn.close()
    start_rows = PADDING_ROWS

    writer = Writer(live_file, first_batch=1)
    writer.start()
    while len(writer.committed) < 20 and writer.is_alive():
        time.sleep(0.005)
    target = tmp_path / "copy.db"
    began = time.monotonic()
    result = invoke(live, ["create", "--output", str(target)])
    ended = time.monotonic()
    time.sleep(0.05)
    writer.stop.set()
    writer.join(10)
    assert writer.error is None, writer.error
    assert result.exit_code == 0, result.output

    # The app really went on writing while the command ran.
    during = [rows for moment, rows in writer.committed if began <= moment <= ended]
    assert during, "no write committed while `backup create` ran"

    assert f"Backup of {live_file} written to {target}" in result.output
    assert "integrity check: ok" in result.output
    assert "schema revision: " + ", ".join(sorted(known_revisions()[1])) in result.output
    assert "size: " in result.output and "bytes)" in result.output
    assert "rows: user_account 0" in result.output and "audit_event " in result.output

    # The copy: intact, a single file in rollback-journal mode, private, and the database as it was at one moment.
    check = sqlite3.connect(target)
    assert check.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert check.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    copied_rows = check.execute("SELECT COUNT(*) FROM audit_event").fetchone()[0]
    check.close()
    assert not Path(str(target) + "-wal").exists() and not Path(str(target) + ".partial").exists()
    assert target.stat().st_mode & 0o077 == 0
    moments = {start_rows} | {rows for _moment, rows in writer.committed}
    assert copied_rows in moments, "the copy's row count is no count the database ever had"
    before = max(rows for moment, rows in writer.committed if moment < began)
    assert copied_rows >= before, "the copy misses rows committed before the command started"
    batches = _batches(target)
    assert batches.pop(0) == PADDING_ROWS
    assert all(count == BATCH for count in batches.values()), "a transaction was copied in part"
    assert sorted(batches) == list(range(1, len(batches) + 1)), "a committed batch is missing in the copy"
    assert f"audit_event {copied_rows}" in result.output

    # Restore into a fresh database (another app, its own file), then compare row by row.
    fresh = make_app(tmp_path / "fresh.db", tmp_path / "fresh-backups")
    result = invoke(fresh, ["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    assert "Safety backup of the current database" in result.output
    assert _rows(_db_file(fresh)) == _rows(target)
    for table in ("alembic_version", "user_account"):
        assert _rows(_db_file(fresh), table) == _rows(target, table)
    with fresh.app_context():
        from sqlalchemy import func, select

        from jimtraining.certification.models import AuditEvent

        assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == copied_rows
        db.engine.dispose()


def test_restore_reaches_connections_that_were_open_and_keeps_a_safety_backup(live, tmp_path):
    live_file = _db_file(live)
    conn = _connect(live_file)
    _insert_batch(conn, 1, reason="in the backup")
    conn.close()
    backup = tmp_path / "backup.db"
    assert invoke(live, ["create", "-o", str(backup)]).exit_code == 0

    conn = _connect(live_file)
    _insert_batch(conn, 2, reason="after the backup")
    # This connection stays open over the restore, as the running app's would.
    assert conn.execute("SELECT COUNT(*) FROM audit_event").fetchone()[0] == 2 * BATCH

    result = invoke(live, ["restore", str(backup)], input="y\n")
    assert result.exit_code == 0, result.output
    assert "Replace everything in" in result.output

    assert conn.execute("SELECT DISTINCT reason FROM audit_event").fetchall() == [("in the backup",)]
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()

    safety = list((tmp_path / "backups").glob("jimtraining-*-before-restore.db"))
    assert len(safety) == 1, list((tmp_path / "backups").iterdir())
    assert safety[0].name[len("jimtraining-"):].split("-before")[0].replace("-", "").isdigit()
    assert {reason for (reason,) in sqlite3.connect(safety[0]).execute("SELECT reason FROM audit_event")} == {
        "in the backup", "after the backup"}


def test_default_backup_name_is_in_the_backup_folder_with_a_timestamp(live, tmp_path):
    result = invoke(live, ["create"])
    assert result.exit_code == 0, result.output
    files = sorted((tmp_path / "backups").iterdir())
    assert len(files) == 1
    name = files[0].name
    assert name.startswith("jimtraining-") and name.endswith(".db")
    stamp = name.removeprefix("jimtraining-").removesuffix(".db")
    assert len(stamp) == 15 and stamp[8] == "-" and stamp.replace("-", "").isdigit(), name
    # A second backup in the same second gets a name of its own; nothing is overwritten.
    again = invoke(live, ["create"])
    assert again.exit_code == 0, again.output
    assert len(list((tmp_path / "backups").iterdir())) == 2


def test_create_never_overwrites_a_file(live, tmp_path):
    target = tmp_path / "exists.db"
    target.write_text("keep me")
    result = invoke(live, ["create", "--output", str(target)])
    assert result.exit_code == 1
    assert "exists already" in result.output
    assert target.read_text() == "keep me"


def test_declining_the_confirmation_changes_nothing(live, tmp_path):
    live_file = _db_file(live)
    backup = tmp_path / "backup.db"
    assert invoke(live, ["create", "-o", str(backup)]).exit_code == 0
    conn = _connect(live_file)
    _insert_batch(conn, 1)
    conn.close()

    result = invoke(live, ["restore", str(backup)], input="n\n")
    assert result.exit_code == 1
    assert "Aborted" in result.output
    assert _batches(live_file) == {1: BATCH}
    assert not (tmp_path / "backups").exists()


def test_restore_refuses_a_file_that_is_not_sqlite(live, tmp_path):
    not_sqlite = tmp_path / "notes.db"
    not_sqlite.write_text("id,name\n1,Sam\n")
    result = invoke(live, ["restore", str(not_sqlite), "--yes"])
    assert result.exit_code == 1
    assert "is not an SQLite database" in result.output and "nothing was restored" in result.output
    missing = invoke(live, ["restore", str(tmp_path / "missing.db"), "--yes"])
    assert missing.exit_code == 1 and "does not exist" in missing.output


def test_restore_refuses_an_unknown_schema_revision(live, tmp_path):
    backup = tmp_path / "backup.db"
    assert invoke(live, ["create", "-o", str(backup)]).exit_code == 0
    conn = sqlite3.connect(backup)
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()
    conn = _connect(_db_file(live))
    _insert_batch(conn, 1)
    conn.close()

    result = invoke(live, ["restore", str(backup), "--yes"])
    assert result.exit_code == 1
    assert "schema revision 9999_from_the_future" in result.output
    assert "this code does not know" in result.output
    assert _batches(_db_file(live)) == {1: BATCH}


def test_restore_refuses_an_sqlite_file_without_alembic_version(live, tmp_path):
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    conn.commit()
    conn.close()
    result = invoke(live, ["restore", str(other), "--yes"])
    assert result.exit_code == 1
    assert "no alembic_version table" in result.output


def test_restore_accepts_an_older_known_revision_and_says_to_upgrade(live, tmp_path):
    backup = tmp_path / "backup.db"
    assert invoke(live, ["create", "-o", str(backup)]).exit_code == 0
    known, heads = known_revisions()
    older = sorted(known - heads)[0]
    conn = sqlite3.connect(backup)
    conn.execute("UPDATE alembic_version SET version_num = ?", (older,))
    conn.commit()
    conn.close()
    result = invoke(live, ["restore", str(backup), "--yes"])
    assert result.exit_code == 0, result.output
    assert "db upgrade" in result.output


@pytest.mark.parametrize("command", [["create"], ["restore", "whatever.dump", "--yes"]])
def test_postgresql_is_refused_with_the_pg_dump_steps(tmp_path, command):
    # Never connected to: the command refuses before it opens anything.
    app = create_app(config_for_tests("postgresql+psycopg://jim@127.0.0.1:1/jimtraining",
                                      BACKUP_DIR=str(tmp_path / "backups")))
    result = invoke(app, command)
    assert result.exit_code == 1
    assert "PostgreSQL" in result.output and "pg_dump -Fc" in result.output
    assert "pg_restore --clean --if-exists" in result.output and "SECURITY.md" in result.output
    assert not (tmp_path / "backups").exists()


def test_the_backup_group_is_a_flask_command_group():
    from flask.cli import AppGroup

    assert isinstance(backup_cli, AppGroup) and backup_cli.name == "backup"
    assert set(backup_cli.commands) == {"create", "restore"}


def test_restore_into_a_database_file_that_does_not_exist_yet(live, tmp_path):
    """How a restore is tested (SECURITY.md): into a scratch file, then `db upgrade` and a look at the data."""
    conn = _connect(_db_file(live))
    _insert_batch(conn, 1)
    conn.close()
    backup = tmp_path / "backup.db"
    assert invoke(live, ["create", "-o", str(backup)]).exit_code == 0

    scratch_file = tmp_path / "scratch" / "jimtraining.db"
    scratch_file.parent.mkdir()
    scratch = create_app(config_for_tests(f"sqlite:///{scratch_file}", BACKUP_DIR=str(tmp_path / "scratch-backups")))
    result = invoke(scratch, ["restore", str(backup), "--yes"])
    assert result.exit_code == 0, result.output
    assert "Safety backup" not in result.output  # there was nothing to keep
    assert _batches(scratch_file) == {1: BATCH}
    with scratch.app_context():
        upgrade()  # already at the head: nothing to do, and no error
        db.engine.dispose()
