"""Migrations on an empty database, and the schema they build matching the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from bot.storage.db import Database
from bot.storage.schema import Base


def test_upgrade_on_empty_sqlite_builds_every_table(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'sub' / 'new.sqlite3'}")
    db.upgrade()
    tables = set(inspect(db.engine).get_table_names())
    assert {
        "places", "instancias", "officers", "bot_state", "alembic_version",
        "unanswered_questions", "answer_feedback", "crisis_events",
    } <= tables
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == [], f"models and migrations differ: {diff}"
    db.upgrade()  # a second start is a no-op
    db.dispose()
