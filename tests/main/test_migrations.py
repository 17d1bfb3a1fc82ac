"""The migrations build the whole schema on an empty database and agree with the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect

from jimtraining import create_app
from jimtraining.extensions import db
from tests.support.database import config_for_tests


def test_models_and_migrations_agree(app):
    """The suite's database was built by `flask db upgrade`; autogenerate must find nothing left to do."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == [], "models and migrations disagree: run `flask db migrate` and review the new file"


def test_upgrade_on_an_empty_database_creates_every_table_and_downgrade_removes_them(tmp_path):
    url = f"sqlite:///{tmp_path}/fresh.db"
    fresh = create_app(config_for_tests(url))
    with fresh.app_context():
        upgrade()
        tables = set(inspect(create_engine(url)).get_table_names())
        assert {t.name for t in db.metadata.sorted_tables} <= tables
        downgrade(revision="base")
        assert set(inspect(create_engine(url)).get_table_names()) <= {"alembic_version"}
        upgrade()
        db.session.remove()
