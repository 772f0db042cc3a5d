import pytest

from bot.localapi.server import BotAPIStandIn
from tests.e2e.harness import TOKEN, BotRunner


@pytest.fixture
async def api():
    async with BotAPIStandIn(token=TOKEN) as server:
        yield server


@pytest.fixture
def db_url(tmp_path):
    return f"sqlite:///{tmp_path / 'concerta.sqlite3'}"


@pytest.fixture
async def bot(api, db_url):
    runner = BotRunner(api, db_url)
    await runner.start()
    try:
        yield runner
    finally:
        await runner.stop()
