"""`flask --app app backup create|restore`: copies of the SQLite database, made and put back while the app runs.

Both directions use SQLite's online backup API (``sqlite3.Connection.backup``), never a file copy:

* ``create`` reads the live database in one read transaction, so the copy is the database as it was at one moment,
  even while the app keeps writing (in WAL mode readers and the writer do not block each other). The copy is a
  single file in rollback-journal mode, readable by the owner only, checked with ``PRAGMA integrity_check``.
* ``restore`` checks the file first (an SQLite database with an ``alembic_version`` this code knows), makes a
  safety backup of the current database, then writes the backup into the live file under SQLite's own locking,
  so connections that other processes hold open see the restored data at their next transaction.

PostgreSQL is not handled here: use ``pg_dump -Fc`` and ``pg_restore`` as SECURITY.md describes ("Backups").
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.engine import make_url

from jimtraining.config import PROJECT_ROOT

backup_cli = AppGroup("backup", help="Back up and restore the SQLite database (PostgreSQL: see SECURITY.md).")

#: Tables whose row counts a backup or restore reports (those that exist in the file), with their queries
#: written out: no SQL is built from strings here.
COUNT_QUERIES = {
    "user_account": 'SELECT COUNT(*) FROM "user_account"',
    "organisation": 'SELECT COUNT(*) FROM "organisation"',
    "cohort": 'SELECT COUNT(*) FROM "cohort"',
    "enrollment": 'SELECT COUNT(*) FROM "enrollment"',
    "quiz_attempt": 'SELECT COUNT(*) FROM "quiz_attempt"',
    "certificate": 'SELECT COUNT(*) FROM "certificate"',
    "audit_event": 'SELECT COUNT(*) FROM "audit_event"',
}
REPORTED_TABLES = tuple(COUNT_QUERIES)
SQLITE_HEADER = b"SQLite format 3\x00"
#: How long to wait for the app's writer to finish a transaction before giving up (milliseconds).
BUSY_TIMEOUT_MS = 30_000

POSTGRESQL_MESSAGE = (
    "The database is {dialect}, not SQLite; this command only handles SQLite. For PostgreSQL use\n"
    "  pg_dump -Fc --no-owner -f jimtraining-$(date -u +%Y%m%d-%H%M%S).dump \"$DATABASE_URL\"\n"
    "and to restore\n"
    "  pg_restore --clean --if-exists --no-owner --single-transaction -d \"$DATABASE_URL\" FILE.dump\n"
    "as described in SECURITY.md, section \"Backups\"."
)


class BackupError(click.ClickException):
    """A refusal with a message for the operator (exit code 1)."""


@dataclass
class Inspection:
    """What a database file holds: the integrity check, the schema revision(s) and some row counts."""

    path: Path
    size: int
    integrity: list[str]
    revisions: list[str] | None  # None: the file has no alembic_version table
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.integrity == ["ok"]


# Where the database is ---------------------------------------------------------------------------------------

def sqlite_database_path(uri: str) -> Path:
    """The file of an SQLite database URL; refuses other databases and in-memory SQLite."""
    url = make_url(uri)
    if url.get_backend_name() != "sqlite":
        backend = url.get_backend_name()
        raise BackupError(POSTGRESQL_MESSAGE.format(dialect="PostgreSQL" if backend == "postgresql" else backend))
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        raise BackupError(f"the SQLite database {uri!r} is not a plain file; nothing to back up")
    return Path(url.database).resolve()


def backup_directory() -> Path:
    """BACKUP_DIR when configured (tests use it), otherwise instance/backups."""
    return Path(current_app.config.get("BACKUP_DIR") or Path(current_app.instance_path) / "backups")


def default_backup_path(directory: Path, suffix: str = "") -> Path:
    """directory/jimtraining-YYYYMMDD-HHMMSS[suffix].db in UTC, with -2, -3 ... when that name is taken."""
    stem = f"jimtraining-{datetime.now(UTC):%Y%m%d-%H%M%S}{suffix}"
    candidate = directory / f"{stem}.db"
    number = 2
    while candidate.exists():
        candidate = directory / f"{stem}-{number}.db"
        number += 1
    return candidate


def known_revisions() -> tuple[set[str], set[str]]:
    """(every revision in migrations/versions, the head revisions), read with Alembic's ScriptDirectory."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(PROJECT_ROOT / "migrations"))
    return {rev.revision for rev in script.walk_revisions()}, set(script.get_heads())


# Reading and copying -----------------------------------------------------------------------------------------

def _connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    if read_only:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    else:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_MS)}")
    return conn


def is_sqlite_file(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def inspect_database(path: Path) -> Inspection:
    """Integrity check, alembic revision(s) and row counts of a database file, opened read-only."""
    conn = _connect(path, read_only=True)
    try:
        integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        # The database's own size: in WAL mode the newest pages may still be in the -wal file.
        size = conn.execute("PRAGMA page_count").fetchone()[0] * conn.execute("PRAGMA page_size").fetchone()[0]
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        revisions = None
        if "alembic_version" in tables:
            revisions = sorted(row[0] for row in conn.execute("SELECT version_num FROM alembic_version"))
        counts = {}
        for name in REPORTED_TABLES:
            if name in tables:
                counts[name] = conn.execute(COUNT_QUERIES[name]).fetchone()[0]
    finally:
        conn.close()
    return Inspection(path=path, size=size, integrity=integrity, revisions=revisions, counts=counts)


def create_backup(source: Path, target: Path) -> Inspection:
    """Copy the live database `source` to a new file `target` with the online backup API; return its inspection.

    The copy is written to ``target.partial`` and renamed when complete, so a backup under its final name is never
    half-written. ``pages=-1`` copies everything in one step, inside one read transaction: a consistent snapshot,
    while the app's writer goes on (WAL).
    """
    if not source.is_file():
        raise BackupError(f"there is no database at {source}")
    if target.exists():
        raise BackupError(f"{target} exists already; choose another --output (backups are never overwritten)")
    if not target.parent.exists():
        target.parent.mkdir(parents=True, mode=0o700)
    partial = target.with_name(target.name + ".partial")
    # Backups hold personal data: readable by the owner only, from the first byte.
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    try:
        src = _connect(source, read_only=True)
        dst = _connect(partial)
        try:
            src.backup(dst, pages=-1)
            # A backup is one self-contained file: no -wal/-shm beside it.
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
            src.close()
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return inspect_database(target)


def check_restorable(path: Path) -> Inspection:
    """Refuse anything that is not an intact SQLite database at a schema revision this code knows."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist or is not a file")
    if not is_sqlite_file(path):
        raise BackupError(f"{path} is not an SQLite database (no SQLite header); nothing was restored")
    try:
        inspection = inspect_database(path)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} cannot be read as an SQLite database ({error}); nothing was restored") from None
    if not inspection.ok:
        raise BackupError(f"{path} fails the integrity check ({'; '.join(inspection.integrity[:5])}); "
                          "nothing was restored")
    if inspection.revisions is None:
        raise BackupError(f"{path} has no alembic_version table: it is not a JIM-training database; "
                          "nothing was restored")
    if not inspection.revisions:
        raise BackupError(f"{path} records no schema revision in alembic_version; nothing was restored")
    known, _heads = known_revisions()
    unknown = [rev for rev in inspection.revisions if rev not in known]
    if unknown:
        raise BackupError(f"{path} is at schema revision {', '.join(unknown)}, which this code does not know "
                          "(a newer or another version of JIM-training?); nothing was restored")
    return inspection


def restore_backup(backup: Path, live: Path) -> Inspection:
    """Write `backup` into the live database file with the online backup API (under SQLite's locks)."""
    src = _connect(backup, read_only=True)
    dst = _connect(live)
    try:
        source_page = src.execute("PRAGMA page_size").fetchone()[0]
        live_page = dst.execute("PRAGMA page_size").fetchone()[0]
        live_mode = dst.execute("PRAGMA journal_mode").fetchone()[0]
        if live_mode == "wal" and source_page != live_page:
            raise BackupError(f"the backup's page size ({source_page}) differs from the live database's "
                              f"({live_page}), which SQLite cannot restore into a WAL database; nothing was "
                              "restored")
        src.backup(dst, pages=-1)
    finally:
        dst.close()
        src.close()
    return inspect_database(live)


# Reporting ---------------------------------------------------------------------------------------------------

def _size(n: int) -> str:
    for unit in ("bytes", "kB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)  # pragma: no cover


def _report(inspection: Inspection) -> None:
    click.echo(f"  size: {_size(inspection.size)} ({inspection.size} bytes)")
    click.echo(f"  integrity check: {'; '.join(inspection.integrity[:5])}")
    click.echo(f"  schema revision: {', '.join(inspection.revisions or []) or 'none'}")
    counts = ", ".join(f"{name} {count}" for name, count in inspection.counts.items())
    click.echo(f"  rows: {counts or 'no JIM-training tables'}")


# Commands ----------------------------------------------------------------------------------------------------

@backup_cli.command("create")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: instance/backups/jimtraining-YYYYMMDD-HHMMSS.db, UTC).")
def backup_create(output: Path | None):
    """Copy the SQLite database to a new file while the app runs, then check the copy.

    Exit 1 when the copy fails its integrity check. For PostgreSQL use pg_dump (SECURITY.md, "Backups").
    """
    live = sqlite_database_path(current_app.config["SQLALCHEMY_DATABASE_URI"])
    target = output.resolve() if output else default_backup_path(backup_directory())
    try:
        inspection = create_backup(live, target)
    except sqlite3.Error as error:
        raise BackupError(f"the backup of {live} failed: {error}") from None
    click.echo(f"Backup of {live} written to {target}")
    _report(inspection)
    if not inspection.ok:
        raise BackupError(f"the copy at {target} fails the integrity check: do not rely on it")


@backup_cli.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def backup_restore(path: Path, yes: bool):
    """Replace the SQLite database's contents with the backup at PATH.

    The file must be an intact SQLite database at a schema revision this code knows. A safety backup of the
    current database is written to instance/backups first. For PostgreSQL use pg_restore (SECURITY.md, "Backups").
    """
    live = sqlite_database_path(current_app.config["SQLALCHEMY_DATABASE_URI"])
    path = path.resolve()
    if path == live:
        raise BackupError(f"{path} is the live database itself; nothing to restore")
    if not live.parent.is_dir():
        raise BackupError(f"the folder of the database, {live.parent}, does not exist; nothing was restored")
    backup = check_restorable(path)
    click.echo(f"Backup {path}")
    _report(backup)
    if not yes:
        click.confirm(f"Replace everything in {live} with this backup? A safety backup of the current database "
                      "is made first", abort=True)

    if live.is_file() and live.stat().st_size > 0:
        safety_path = default_backup_path(backup_directory(), suffix="-before-restore")
        try:
            safety = create_backup(live, safety_path)
        except sqlite3.Error as error:
            raise BackupError(f"the safety backup of {live} failed ({error}); nothing was restored. Stop the app, "
                              "copy the database file (with its -wal file) by hand, then restore") from None
        click.echo(f"Safety backup of the current database: {safety_path}")
        if not safety.ok:
            # Often the very reason for the restore: keep the copy as it is, and go on.
            click.echo("  (the current database fails the integrity check; the safety backup is a copy of it as "
                       "it is)")

    try:
        restored = restore_backup(path, live)
    except sqlite3.Error as error:
        raise BackupError(f"the restore into {live} failed ({error}); SQLite rolled it back, the database is as "
                          "it was") from None
    click.echo(f"Restored {path} into {live}")
    _report(restored)
    if not restored.ok:
        raise BackupError(f"{live} fails the integrity check after the restore: restore the safety backup")
    _known, heads = known_revisions()
    if set(restored.revisions or []) != heads:
        click.echo(f"The backup is at an older schema revision; run `flask --app app db upgrade` now "
                   f"(this code is at {', '.join(sorted(heads))}).")
