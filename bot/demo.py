"""`make demo`: the real bot against the local Bot API stand-in, chatted with from the terminal."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.app import build_application
from bot.config import Settings, TelegramSettings
from bot.localapi.server import BotAPIStandIn
from bot.localapi.terminal import run_terminal_chat
from bot.services import build_services

DEMO_TOKEN = "123456:DEMO-TOKEN"
DEMO_OFFICER = (1001, "Ana")
DEMO_STAFF = (9001, "Especialista MIMP")
KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"


def demo_settings(db_path: Path, api_base_url: str) -> Settings:
    return Settings(
        telegram=TelegramSettings(token=DEMO_TOKEN, api_base_url=api_base_url),
        database_url=f"sqlite:///{db_path}",
        admins=frozenset({DEMO_STAFF[0]}),
        knowledge_dir=KNOWLEDGE,
        source="<demo>",
    )


async def run_demo(db_path: Path, *, with_terminal: bool = True) -> int:
    async with BotAPIStandIn(token=DEMO_TOKEN) as api:
        api.user(DEMO_OFFICER[0], first_name=DEMO_OFFICER[1])
        api.user(DEMO_STAFF[0], first_name=DEMO_STAFF[1])
        services = build_services(demo_settings(db_path, api.base_url))
        app = build_application(services)
        async with app:
            await app.start()
            await app.updater.start_polling(poll_interval=0.0, timeout=10)
            print(f"Bot API de prueba en {api.url}  ·  base de datos {db_path}")
            try:
                if with_terminal:
                    print("Escriba /start para empezar; /salir para terminar.\n")
                    await run_terminal_chat(api.url, *DEMO_OFFICER)
                else:
                    await asyncio.Event().wait()
            finally:
                await app.updater.stop()
                await app.stop()
        services.db.dispose()
    return 0
