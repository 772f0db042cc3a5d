"""Migrations on an empty database, and the schema they build matching the models (on SQLite and
on PostgreSQL)."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from bot.storage.db import Database
from bot.storage.schema import Base


def test_upgrade_on_an_empty_database_builds_every_table(empty_db_url, backend):
    db = Database(empty_db_url)
    try:
        assert inspect(db.engine).get_table_names() == []
        db.upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {*Base.metadata.tables, "alembic_version"} <= tables, "a model has no migration"
        with db.engine.connect() as conn:
            if backend == "sqlite":
                assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        db.upgrade()  # a second start is a no-op
        assert set(inspect(db.engine).get_table_names()) == tables
    finally:
        db.dispose()


def test_sqlite_file_in_a_folder_that_does_not_exist_yet(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'sub' / 'new.sqlite3'}")
    db.upgrade()
    assert "officers" in inspect(db.engine).get_table_names()
    db.dispose()
