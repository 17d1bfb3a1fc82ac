"""Every table that points at a person is covered by the privacy registry, for the export and for erasure."""

import re
from pathlib import Path

from sqlalchemy import Column, DateTime, ForeignKey, Integer, MetaData, String, Table, Text

from jimtraining.extensions import db
from jimtraining.privacy import registry
from jimtraining.privacy.registry import ENTRIES, Erase, registry_problems, user_columns
from jimtraining.privacy.retention import PERIODS

DOCS = Path(__file__).resolve().parents[2] / "docs" / "PRIVACY.md"


def test_every_table_that_points_at_a_person_is_covered_by_the_privacy_registry(app):
    """When this fails you added a model with a ForeignKey to user_account.id (or a new such column) without
    saying what a person's data export contains and what erasing an account does with it. Add an Entry (or a
    Link) in jimtraining/privacy/registry.py and a line in docs/PRIVACY.md; the message says which."""
    problems = registry_problems(db.metadata)
    assert problems == [], "\n".join(problems)


def test_the_registry_covers_every_user_column_with_an_export_and_an_erasure_decision(app):
    entries = {entry.table: entry for entry in registry.active_entries()}
    for tbl in db.metadata.sorted_tables:
        for column in user_columns(tbl):
            link = next(link for link in entries[tbl.name].links if link.column == column.name)
            assert isinstance(link.erase, Erase) and link.why
            assert link.export or link.export_why


def _throwaway_metadata():
    metadata = MetaData()
    Table("user_account", metadata, Column("id", Integer, primary_key=True))
    return metadata


def test_the_check_fails_for_a_new_model_that_points_at_a_person():
    metadata = _throwaway_metadata()
    Table("coaching_note", metadata, Column("id", Integer, primary_key=True),
          Column("coach_id", Integer, ForeignKey("user_account.id")), Column("text", Text))
    problems = registry_problems(metadata)
    [problem] = [p for p in problems if p.startswith("coaching_note")]
    assert "coach_id" in problem and "no entry for this table" in problem
    assert "jimtraining/privacy/registry.py" in problem and "Erase.DELETE" in problem


def test_the_check_fails_for_a_new_user_column_in_a_covered_table(app, monkeypatch):
    entry = next(e for e in ENTRIES if e.table == "round_note")
    bare = registry.Entry(entry.table, entry.title, links=(), exported_in=entry.exported_in)
    monkeypatch.setattr(registry, "ENTRIES", tuple(bare if e is entry else e for e in ENTRIES))
    problems = registry_problems(db.metadata)
    assert any(p.startswith("round_note.author_id points at user_account.id") and "add Link('author_id'" in p
               for p in problems), problems


def test_the_check_refuses_unlinking_a_column_that_cannot_be_null():
    metadata = _throwaway_metadata()
    Table("round_score", metadata, Column("id", Integer, primary_key=True),
          Column("round_id", Integer), Column("rater_id", Integer, ForeignKey("user_account.id"), nullable=False),
          Column("comment", Text))
    entry = registry.Entry("round_score", "x", exported_in="role_play_scores_given", links=(
        registry.Link("rater_id", Erase.UNLINK, "no"),))
    rounds = registry.Entry("role_play_round", "x", sections=("role_play_scores_given",), export=lambda user: {})
    problems = registry_problems(metadata, [entry, rounds])
    assert any("NOT NULL" in p for p in problems), problems


def test_a_login_session_table_is_covered_when_it_exists_and_skipped_while_it_does_not():
    metadata = _throwaway_metadata()
    assert not any(p.startswith("login_session") for p in registry_problems(metadata))
    Table("login_session", metadata, Column("id", Integer, primary_key=True),
          Column("user_id", Integer, ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False),
          Column("token_hash", String(64)), Column("created_at", DateTime), Column("last_seen_at", DateTime),
          Column("ended_at", DateTime))
    assert not any(p.startswith("login_session") for p in registry_problems(metadata))
    entry = next(e for e in ENTRIES if e.table == "login_session")
    assert entry.fields == ("created_at", "ended_at") and [link.erase for link in entry.links] == [Erase.DELETE]


def test_docs_describe_every_registered_table_and_every_retention_period():
    text = DOCS.read_text(encoding="utf-8")
    for entry in ENTRIES:
        assert f"`{entry.table}`" in text, f"docs/PRIVACY.md says nothing about {entry.table}"
    for kind, (number, unit) in PERIODS.items():
        assert re.search(rf"\b{number} {unit}\b", text), f"docs/PRIVACY.md lacks the period of {kind}"


def test_initials_keep_only_the_first_letters():
    assert registry.initials("Lotte Leerling") == "L. L."
    assert registry.initials("Jan van der Berg") == "J. v. d. B."
    assert registry.initials("Anne-Marie Smit") == "A. M. S."
    assert registry.initials("  ") == "?"
