"""Faults the bot must ride out: Bot API 5xx answers, a locked database."""

import asyncio
import sqlite3

import pytest

from tests.e2e.harness import expect

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
        await api.send_text(UID, "cuando pagan la gratificacion de diciembre")
        await expect(api, UID, "Inténtelo en un momento", timeout=30)
    finally:
        await asyncio.sleep(0.5)
        locker.execute("COMMIT")
        locker.close()
    # The same update is handled again once the database is back: nothing was lost.
    await expect(api, UID, "No encontré una respuesta", timeout=30)
