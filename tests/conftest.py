"""The database backends: a test that asks for `db_url` (or `empty_db_url`) runs on SQLite and on a
throwaway PostgreSQL cluster (tests/pg.py), each run getting a clean database of its own.

`-m "not postgresql"` (or CONCERTA_PG=0) runs SQLite only; a test marked `sqlite_only` (it uses
something only SQLite has, e.g. locking the file) is not run on PostgreSQL at all.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.places import PlaceIndex
from bot.storage.db import Database
from bot.storage.officers import sync_places
from tests import pg

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = "concerta_template"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgresql: the PostgreSQL run of a test")
    config.addinivalue_line("markers", "sqlite_only: uses something only SQLite has; no PG run")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test that needs a database (through `backend`) runs once per backend."""
    if "backend" not in metafunc.fixturenames:
        return
    params = [pytest.param("sqlite", id="sqlite")]
    if not metafunc.definition.get_closest_marker("sqlite_only"):
        params.append(pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgresql))
    metafunc.parametrize("backend", params)


@pytest.fixture(scope="session")
def pg_cluster():
    """One cluster for the whole run, stopped and deleted at the end whatever happened."""
    try:
        cluster = pg.start_cluster()
    except pg.Unavailable as exc:
        if pg.mode() == "require":
            pytest.fail(f"PostgreSQL is required here (CONCERTA_PG=require): {exc}", pytrace=False)
        pytest.skip(f"PostgreSQL not available: {exc}")
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def pg_template(pg_cluster: pg.Cluster) -> str:
    """A database migrated and with the shipped places synced, as the bot leaves it at its first
    start: copying it for each test takes a quarter of a second, doing that work a second more."""
    pg_cluster.create(name=TEMPLATE)
    db = Database(pg_cluster.url(TEMPLATE))
    try:
        db.upgrade()
        sync_places(db, PlaceIndex.load(ROOT / "knowledge" / "ubigeo.csv"))
    finally:
        db.dispose()  # CREATE DATABASE … TEMPLATE needs the template to have no connections
    return TEMPLATE


def _database(request: pytest.FixtureRequest, backend: str, tmp_path, template: str | None):
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'concerta.sqlite3'}"
        return
    cluster: pg.Cluster = request.getfixturevalue("pg_cluster")
    name = cluster.create(request.getfixturevalue("pg_template") if template else "template0")
    try:
        yield cluster.url(name)
    finally:
        cluster.drop(name)


@pytest.fixture
def db_url(request: pytest.FixtureRequest, backend: str, tmp_path):
    """A clean database: a new SQLite file (migrated by the bot at start), or a new PostgreSQL
    database copied from the migrated template."""
    yield from _database(request, backend, tmp_path, TEMPLATE)


@pytest.fixture
def empty_db_url(request: pytest.FixtureRequest, backend: str, tmp_path):
    """A database with nothing in it, not even the migrations' version table."""
    yield from _database(request, backend, tmp_path, None)
