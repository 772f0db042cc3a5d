"""/panel end to end: the real bot through the stand-in, with the console in its process; the
link it sends opens a session in a real Chromium, and the console stops with the bot."""

from __future__ import annotations

import re
import socket

import pytest
from sqlalchemy import select

from bot.config import ConsoleSettings
from bot.storage.models import AuditEntry
from bot.storage.models_console import ConsoleLink
from standin.server import BotAPIStandIn
from tests.console.conftest import free_port
from tests.e2e.harness import STAFF_ID, TOKEN, BotRunner, expect
from tests.e2e.test_handoff import GROUP, group_say

pytestmark = pytest.mark.sqlite_only
LINK = re.compile(r"http://127\.0\.0\.1:\d+/entrar\?t=[\w-]+")


@pytest.fixture
async def api():
    async with BotAPIStandIn(token=TOKEN) as server:
        yield server


@pytest.fixture
async def bot(api, db_url):
    port = free_port()
    runner = BotRunner(api, db_url, staff_group_chat_id=GROUP,
                       console=ConsoleSettings(enabled=True, port=port))  # fmt: skip
    await runner.start()
    try:
        yield runner
    finally:
        await runner.stop()


async def test_panel_sends_a_one_time_link_that_signs_in(api, bot, browser):
    await api.send_command(STAFF_ID, "/panel")
    message = await expect(api, STAFF_ID, "consola web")
    [link] = LINK.findall(message.text)
    assert "10 minutos" in message.text and "una sola vez" in message.text
    with bot.services.db.session() as s:
        stored = [x.token_hash for x in s.scalars(select(ConsoleLink))]
        actions = [a.action for a in s.scalars(select(AuditEntry))]
    token = link.rsplit("=", 1)[1]
    assert stored and token not in stored  # only its hash is kept
    assert "console_link" in actions
    page = await browser.new_page()
    await page.goto(link)
    await page.get_by_role("button", name="Entrar").click()
    await page.get_by_role("heading", name="Cobertura", exact=True).wait_for()


async def test_panel_is_for_staff_in_a_private_chat_only(api, bot):
    await api.send_command(4004, "/panel")
    await expect(api, 4004, "solo para el personal")
    await group_say(api, "/panel", sender={"id": STAFF_ID, "is_bot": False, "first_name": "E"})
    posted = await expect(api, GROUP, "chat privado")
    assert not LINK.search(posted.text)


async def test_the_console_stops_with_the_bot(api, bot):
    port = bot.settings.console.port
    with socket.create_connection(("127.0.0.1", port), timeout=2):
        pass
    await bot.stop()
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=2):
        pass
