"""Run the real bot against the Bot API stand-in, on a real database, and restart it."""

from __future__ import annotations

import asyncio
import copy
import itertools
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from sqlalchemy.exc import OperationalError
from telegram import Update
from telegram.ext import Application

from bot.config import Settings, TelegramSettings
from bot.services import Services, build_services
from handlers.app import build_application
from handlers.common import LANE_KEY
from standin.server import BotAPIStandIn

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456:TEST-TOKEN"
STAFF_ID = 9001


class BotRunner:
    """Owns one bot process's worth of objects; `restart` builds fresh ones on the same DB."""

    def __init__(self, api: BotAPIStandIn, db_url: str, **overrides) -> None:
        self.api = api
        # Saved documents outlive a restart (same runner), and go when the runner does.
        self._files = tempfile.TemporaryDirectory(prefix="concerta-files-")
        self.settings = Settings(
            telegram=TelegramSettings(token=TOKEN, api_base_url=api.base_url),
            database_url=db_url,
            admins=frozenset({STAFF_ID}),
            knowledge_dir=ROOT / "knowledge",
            files_dir=Path(self._files.name),
            source="<tests>",
            # Tests type faster than any officer; tests/e2e/test_flood.py sets the real limit.
            flood_limit=10_000,
        )
        if overrides:
            self.settings = replace(self.settings, **overrides)
        self.services: Services | None = None
        self.app: Application | None = None

    async def start(self) -> None:
        self.services = build_services(self.settings)
        self.app = build_application(self.services)
        await self.app.initialize()
        if self.app.post_init:
            await self.app.post_init(self.app)
        await self.app.start()
        await self.app.updater.start_polling(
            poll_interval=0.0, timeout=1, allowed_updates=Update.ALL_TYPES
        )

    async def stop(self) -> None:
        if self.app is None:
            return
        await self.app.updater.stop()
        stopping = asyncio.ensure_future(self.app.stop())
        await asyncio.sleep(0)  # stop() has marked the application not running
        lane = self.app.bot_data.get(LANE_KEY)
        if lane is not None:
            lane.wake()  # it exits now rather than at its next idle check, a quarter second away
        await stopping
        if self.app.post_stop:  # as run_polling would (the web console stops there)
            await self.app.post_stop(self.app)
        await self.app.shutdown()
        self.services.db.dispose()
        self.app = None

    async def restart(self) -> None:
        await self.stop()
        await self.start()


_replay_ids = itertools.count(900_000)  # message and query ids of updates a test builds


def private_message(uid: int, text: str) -> dict:
    """A raw update: `text` from `uid` in their private chat (a command gets its entity)."""
    user = {"id": uid, "is_bot": False, "first_name": f"Usuario {uid}"}
    chat = {"id": uid, "type": "private", "first_name": user["first_name"]}
    message = {"from": user, "chat": chat, "text": text}
    if text.startswith("/"):
        message["entities"] = [
            {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
        ]
    return {"message": message}


async def send_twice(api: BotAPIStandIn, bot: BotRunner, update: dict) -> int:
    """Send a raw update, then hand the very same update to the bot again: what Telegram does
    after a restart. Returns its update_id."""
    update = copy.deepcopy(update)
    if "message" in update:
        update["message"].setdefault("message_id", next(_replay_ids))
        update["message"].setdefault("date", int(time.time()))
    if "callback_query" in update:
        update["callback_query"].setdefault("id", str(next(_replay_ids)))
        update["callback_query"].setdefault("chat_instance", "42")
    update["update_id"] = await api.send_update(update)
    await api.wait_until_consumed()
    await bot.app.update_queue.put(Update.de_json(update, bot.app.bot))
    return update["update_id"]


def busy_once(real):
    """`real`, except that its first call, once done and committed, raises "database is
    locked": the bot hands the same update back a little later (handlers/common.on_error)."""
    calls = []

    def wrapper(*args, **kwargs):
        result = real(*args, **kwargs)
        calls.append(result)
        if len(calls) == 1:
            raise OperationalError("(a later step)", {}, Exception("database is locked"))
        return result

    wrapper.calls = calls
    return wrapper


async def expect(
    api: BotAPIStandIn, chat_id: int, text: str, timeout: float = 15.0, *, edits: bool = False
):
    """Wait for the bot's next new message in this chat containing `text` (or an edit, if asked).

    Edits are skipped by default: closing a keyboard echoes the choice into the old message, and
    that echo must not be mistaken for the next question.
    """
    seen = []
    while True:
        try:
            batch = await api.wait_for_messages(chat_id, count=1, timeout=timeout)
        except AssertionError as exc:
            raise AssertionError(
                f"no bot message containing {text!r}; got: {[m.text for m in seen]}"
            ) from exc
        for message in batch:
            seen.append(message)
            if message.edited and not edits:
                continue
            if text in (message.text or ""):
                return message


async def eventually(check, timeout: float = 15.0):
    """Poll `check` until it returns a truthy value: state is flushed right after each reply."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = check()
        if result or asyncio.get_running_loop().time() > deadline:
            return result
        await asyncio.sleep(0.02)


async def open_registration(api: BotAPIStandIn, uid: int) -> None:
    """/start, "Registrarme", consent accepted: the bot now asks for the name."""
    await api.send_command(uid, "/start")
    await expect(api, uid, "Para preguntar")
    await api.press_button(uid, "Registrarme")
    await expect(api, uid, "¿Acepta?")
    await api.press_button(uid, "Acepto")
    await expect(api, uid, "nombre completo")


async def register_officer(
    api: BotAPIStandIn, uid: int, name: str, level: str, query: str, pick: str
) -> None:
    """Register an officer through the real conversation (consent, data, place, confirm)."""
    await open_registration(api, uid)
    await api.send_text(uid, name)
    await expect(api, uid, "cargo")
    await api.send_text(uid, "Subgerente de Desarrollo Social")
    await expect(api, uid, "¿De qué nivel")
    await api.press_button(uid, level)
    await expect(api, uid, "Escriba el nombre")
    await api.send_text(uid, query)
    await expect(api, uid, "Toque el suyo")
    await api.press_button(uid, pick)
    await expect(api, uid, "institución")
    await api.press_button(uid, 0)
    await expect(api, uid, "teléfono")
    await api.send_text(uid, "Omitir")
    await expect(api, uid, "Revise sus datos")
    await api.press_button(uid, "Confirmar")
    await expect(api, uid, "Registro completo")
