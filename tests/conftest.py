"""Every stand-in the tests create checks the bot's requests and its own answers against the Bot
API specification (tests/botapi/): a violation fails the test during which it was recorded.

The database backends: a test that asks for `db_url` (or `empty_db_url`) runs on SQLite and on a
throwaway PostgreSQL cluster (tests/pg.py), each run getting a clean database of its own.

`-m "not postgresql"` (or CONCERTA_PG=0) runs SQLite only; a test marked `sqlite_only` (it uses
something only SQLite has, e.g. locking the file) is not run on PostgreSQL at all.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from bot.places import PlaceIndex
from bot.storage.db import Database
from bot.storage.officers import sync_places
from standin.server import BotAPIStandIn
from tests import pg
from tests.botapi.checker import SpecChecker

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = "concerta_template"
SPEC = SpecChecker()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgresql: the PostgreSQL run of a test")
    config.addinivalue_line("markers", "sqlite_only: uses something only SQLite has; no PG run")
    BotAPIStandIn.checker = SPEC


def _spec_failure(found: list[str]) -> str:
    lines = [f"{SPEC.version} specification violated (tests/botapi/api.json):"]
    for violation, times in Counter(found).items():
        lines.append(f"  - {violation}" + (f" ({times} times)" if times > 1 else ""))
    return "\n".join(lines)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    """The test fails, not only its teardown, when it made the bot break the specification."""
    result = yield
    found = SPEC.take()
    if found:
        pytest.fail(_spec_failure(found), pytrace=False)
    return result


@pytest.fixture(autouse=True)
def bot_api_spec():
    """The checker of every stand-in; a test that breaks the specification on purpose takes its
    violations (`bot_api_spec.take()`) and asserts on them. What is left at the end (e.g. sent
    while the bot stopped in a fixture's teardown) fails the test's teardown."""
    SPEC.take()
    yield SPEC
    found = SPEC.take()
    if found:
        pytest.fail(_spec_failure(found), pytrace=False)


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
    _migrated(Database(pg_cluster.url(TEMPLATE)))  # CREATE DATABASE … TEMPLATE: no connections
    return TEMPLATE


def _migrated(db: Database) -> None:
    """What the bot does to a database at its first start."""
    try:
        db.upgrade()
        sync_places(db, PlaceIndex.load(ROOT / "knowledge" / "ubigeo.csv"))
    finally:
        db.dispose()  # no connection left: a copy (file or TEMPLATE) is complete and consistent


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The SQLite twin of `pg_template`: a file copied for each test in a millisecond."""
    path = tmp_path_factory.mktemp("template") / "concerta.sqlite3"
    _migrated(Database(f"sqlite:///{path}"))
    assert not path.with_name(path.name + "-wal").exists(), "template not checkpointed"
    return path


def _database(request: pytest.FixtureRequest, backend: str, tmp_path, template: str | None):
    if backend == "sqlite":
        path = tmp_path / "concerta.sqlite3"
        if template:
            shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    cluster: pg.Cluster = request.getfixturevalue("pg_cluster")
    name = cluster.create(request.getfixturevalue("pg_template") if template else "template0")
    try:
        yield cluster.url(name)
    finally:
        cluster.drop(name)


@pytest.fixture
def db_url(request: pytest.FixtureRequest, backend: str, tmp_path):
    """A clean database, as the bot leaves it at its first start: a copy of the migrated SQLite
    template file, or a new PostgreSQL database copied from the migrated template."""
    yield from _database(request, backend, tmp_path, TEMPLATE)


@pytest.fixture
def empty_db_url(request: pytest.FixtureRequest, backend: str, tmp_path):
    """A database with nothing in it, not even the migrations' version table."""
    yield from _database(request, backend, tmp_path, None)
