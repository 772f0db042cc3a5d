"""Engine, sessions and migrations: one `Database` object per process."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from bot.storage import files

MIGRATIONS = Path(__file__).with_name("migrations")
INSTANCE_LOCK_KEY = 30364_0001  # PostgreSQL advisory lock: "the one Concerta of this database"


class AlreadyRunning(Exception):
    """Another bot process uses this database: two would answer everything twice."""
PG_TIMEOUTS = {"connect_timeout": 5, "options": "-c lock_timeout=5000"}


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL lets readers run beside the writer; busy_timeout rides out short locks."""
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            # Officers' personal data: the file (and the -wal/-shm SQLite copies its mode to)
            # for the bot's user only.
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            files.private_file(Path(parsed.database))
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # PostgreSQL's counterparts of busy_timeout: a lock held too long or a server that does not
    # answer becomes an OperationalError (the officer is told to wait, the update is retried)
    # instead of an update that hangs. A URL that sets these itself keeps its own.
    args = {k: v for k, v in PG_TIMEOUTS.items() if k not in parsed.query}
    return create_engine(url, pool_pre_ping=True, connect_args=args)


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._instance_lock = None

    def claim_single_instance(self) -> None:
        """Hold, for the life of this process, the lock that one bot per database may have;
        AlreadyRunning if another process holds it. SQLite: an flock on a file beside the
        database (released by the kernel when the process dies). PostgreSQL: a session
        advisory lock on a connection kept for that purpose."""
        parsed = make_url(self.url)
        if parsed.get_backend_name() == "sqlite":
            if not parsed.database or parsed.database == ":memory:":
                return
            import fcntl

            path = Path(parsed.database + ".lock")
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = files.private_file(path).open("a")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                raise AlreadyRunning(str(path)) from None
            self._instance_lock = handle
            return
        conn = self.engine.connect()
        got = conn.exec_driver_sql(f"SELECT pg_try_advisory_lock({INSTANCE_LOCK_KEY})").scalar()
        conn.commit()
        if not got:
            conn.close()
            raise AlreadyRunning(f"{parsed.host}/{parsed.database}")
        self._instance_lock = conn

    def upgrade(self) -> None:
        """Bring the schema to the newest migration (safe to call on every start)."""
        with self.engine.begin() as conn:
            cfg = alembic_config(self.url)
            cfg.attributes["connection"] = conn
            # "heads": features may add migrations on parallel branches off the same parent.
            command.upgrade(cfg, "heads")

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed on success, rolled back on error."""
        with self._sessions() as s:
            try:
                yield s
                s.commit()
            except BaseException:
                s.rollback()
                raise

    def dispose(self) -> None:
        if self._instance_lock is not None:
            lock, self._instance_lock = self._instance_lock, None
            if not hasattr(lock, "fileno"):  # PostgreSQL: let go now, not when the server
                try:  # notices the closed connection (a restart right after would be refused)
                    lock.exec_driver_sql(f"SELECT pg_advisory_unlock({INSTANCE_LOCK_KEY})")
                    lock.commit()
                except Exception:  # the server is gone: it let go with the connection
                    pass
            lock.close()  # the flock, or the advisory lock's connection
        self.engine.dispose()
