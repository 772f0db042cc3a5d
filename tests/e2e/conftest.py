"""The stand-in and the bot. `db_url` comes from tests/conftest.py: every e2e test runs on SQLite
and on PostgreSQL, each with a clean database."""

import pytest

from standin.server import BotAPIStandIn
from tests.e2e.harness import TOKEN, BotRunner


@pytest.fixture
async def api():
    async with BotAPIStandIn(token=TOKEN) as server:
        yield server


@pytest.fixture
async def bot(api, db_url):
    runner = BotRunner(api, db_url)
    await runner.start()
    try:
        yield runner
    finally:
        await runner.stop()
