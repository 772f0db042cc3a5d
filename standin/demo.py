"""`make demo`: the real bot against the local Bot API stand-in, chatted with from the terminal
and from a browser page."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.config import Settings, TelegramSettings
from bot.services import build_services
from handlers.app import build_application
from standin.server import BotAPIStandIn
from standin.terminal import run_terminal_chat
from standin.webchat import ChatUser, WebChat

DEMO_TOKEN = "123456:DEMO-TOKEN"
DEMO_OFFICER = (1001, "Ana")
DEMO_STAFF = (9001, "Especialista MIMP")
KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
DEMO_WEB_USERS = (
    ChatUser(DEMO_OFFICER[0], DEMO_OFFICER[1], "punto focal"),
    ChatUser(DEMO_STAFF[0], DEMO_STAFF[1], "personal MIMP"),
)


def demo_settings(db_path: Path, api_base_url: str) -> Settings:
    return Settings(
        telegram=TelegramSettings(token=DEMO_TOKEN, api_base_url=api_base_url),
        database_url=f"sqlite:///{db_path}",
        admins=frozenset({DEMO_STAFF[0]}),
        knowledge_dir=KNOWLEDGE,
        source="<demo>",
    )


async def _start_web_chat(api_url: str, port: int | None) -> WebChat | None:
    """The browser chat on 127.0.0.1:port; None when it is off or the port is taken."""
    if port is None:
        return None
    web = WebChat(api_url, port=port, users=DEMO_WEB_USERS)
    try:
        await web.start()
    except OSError as exc:
        reason = exc.strerror or exc
        print(f"No se pudo abrir el chat en el navegador en el puerto {port}: {reason}")
        return None
    print(f"Chat en el navegador: {web.url}  (Ana, punto focal; Especialista MIMP, personal)")
    return web


async def run_demo(
    db_path: Path, *, with_terminal: bool = True, web_port: int | None = 8080
) -> int:
    async with BotAPIStandIn(token=DEMO_TOKEN) as api:
        api.user(DEMO_OFFICER[0], first_name=DEMO_OFFICER[1])
        api.user(DEMO_STAFF[0], first_name=DEMO_STAFF[1])
        services = build_services(demo_settings(db_path, api.base_url))
        app = build_application(services)
        async with app:
            if app.post_init:  # publishes the command menu, as run_polling would
                await app.post_init(app)
            await app.start()
            await app.updater.start_polling(poll_interval=0.0, timeout=10)
            print(f"Bot API de prueba en {api.url}  ·  base de datos {db_path}")
            web = await _start_web_chat(api.url, web_port)
            try:
                if with_terminal:
                    print("Escriba /start para empezar; /salir para terminar.\n")
                    await run_terminal_chat(api.url, *DEMO_OFFICER)
                else:
                    await asyncio.Event().wait()
            finally:
                if web is not None:
                    await web.stop()
                await app.updater.stop()
                await app.stop()
        services.db.dispose()
    return 0
