"""Faults the bot must ride out: Bot API 5xx answers, a locked database."""

import asyncio
import sqlite3

import pytest
from sqlalchemy import create_engine, event, make_url, text

from bot import metrics
from bot.health import HealthCheck
from bot.storage import faults
from handlers.common import DB_RETRY_DELAY
from tests.e2e.harness import eventually, expect, register_officer

UID = 5001


async def test_bot_api_500s_are_retried_with_backoff(api, bot):
    api.fail_next("sendMessage", status=500, description="Internal Server Error", count=2)
    await api.send_text(UID, "que es el ruva")
    answer = await expect(api, UID, "Fuente")
    assert "RUVA" in answer.text or "Registro" in answer.text
    failed = [c for c in api.calls if c.method == "sendMessage" and c.status == 500]
    assert len(failed) == 2
    # Exactly one answer reached the chat: retries did not duplicate it.
    assert sum("Fuente" in (m.text or "") for m in api.messages(UID)) == 1


async def test_bad_gateway_then_success(api, bot):
    api.fail_next("sendMessage", status=502, description="Bad Gateway", count=1)
    await api.send_command(UID, "/start")
    await expect(api, UID, "Concerta")


@pytest.mark.sqlite_only  # locks the file; tests/test_postgres.py locks the tables on PostgreSQL
async def test_locked_database_tells_the_officer_and_keeps_the_update(api, bot, db_url):
    path = db_url.removeprefix("sqlite:///")
    locker = sqlite3.connect(path, timeout=1, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        # An unknown question writes to the database (the anonymous log), so it meets the lock.
        await api.send_text(UID, "se puede grabar en video la sesion")
        await expect(api, UID, "Inténtelo en un momento", timeout=30)
    finally:
        await asyncio.sleep(0.5)
        locker.execute("COMMIT")
        locker.close()
    # The same update is handled again once the database is back: nothing was lost.
    await expect(api, UID, "No encontré una respuesta", timeout=30)


class ReadOnly:
    """The bot's database stops taking writes, as a read-only mount or a full disk does:
    SQLite's `query_only` gives its "attempt to write a readonly database", PostgreSQL's
    `default_transaction_read_only` its read-only transaction error."""

    def __init__(self, db, db_url: str) -> None:
        self.db, self.url = db, make_url(db_url)

    def _pragma(self, dbapi_connection, _record) -> None:
        dbapi_connection.execute("PRAGMA query_only=ON")

    def _set(self, on: bool) -> None:
        if self.url.get_backend_name() == "sqlite":
            (event.listen if on else event.remove)(self.db.engine, "connect", self._pragma)
        else:
            admin = create_engine(
                self.url, connect_args={"options": "-c default_transaction_read_only=off"}
            )
            value = "SET default_transaction_read_only = on" if on else "RESET ALL"
            with admin.begin() as conn:
                conn.execute(text(f'ALTER DATABASE "{self.url.database}" {value}'))
            admin.dispose()
        self.db.engine.dispose()  # new connections meet it

    def __enter__(self):
        self._set(True)
        return self

    def __exit__(self, *exc) -> None:
        self._set(False)


async def test_a_database_that_refuses_writes_is_told_once_counted_and_fails_health(
    api, bot, db_url
):
    uid = 5003
    await register_officer(api, uid, "Rosa Quispe", "Distrital", "ate", "Ate")
    seen = len(api.messages(uid))
    failures = metrics.value("concerta_db_write_failures_total")

    async def telegram_ok():
        return True

    health = HealthCheck(bot.services.db, telegram_ok, ttl=0)
    assert (await health.check())["status"] == "ok"
    with ReadOnly(bot.services.db, db_url):
        await api.send_command(uid, "/reporte")
        await expect(api, uid, "no pude guardar", timeout=30)
        await asyncio.sleep(DB_RETRY_DELAY * 3)  # past the first retries a busy database gets
        shown = [m.text for m in api.messages(uid)[seen:]]
        assert sum("no pude guardar" in t for t in shown) == 1, shown
        assert "no se perdió" not in " ".join(shown)
        assert len(shown) == len(set(shown)), shown  # nothing shown twice
        assert metrics.value("concerta_db_write_failures_total") > failures
        assert await health.check() == {"status": "failing", "database": "error", "telegram": "ok"}

    await api.send_command(uid, "/reporte")  # writes again: healthy again
    await expect(api, uid, "Pregunta 1 de", timeout=30)
    await eventually(lambda: not faults.writes_failing())
    assert (await health.check())["status"] == "ok"
