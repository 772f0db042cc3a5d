"""`make demo`: the real bot against the local Bot API stand-in, chatted with from the terminal
and from a browser page."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot import console_actions
from bot.config import ConsoleSettings, Settings, TelegramSettings
from bot.services import build_services
from handlers.app import CONSOLE_KEY, build_application
from standin import demo_data
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


DEMO_CONSOLE_PORT = 8092


def demo_settings(
    db_path: Path, api_base_url: str, console_port: int | None = DEMO_CONSOLE_PORT
) -> Settings:
    return Settings(
        telegram=TelegramSettings(token=DEMO_TOKEN, api_base_url=api_base_url),
        database_url=f"sqlite:///{db_path}",
        admins=frozenset({DEMO_STAFF[0]}),
        knowledge_dir=KNOWLEDGE,
        files_dir=db_path.parent / "documentos",
        console=ConsoleSettings(enabled=console_port is not None, port=console_port or 0),
        source="<demo>",
    )


def _say_console(app, services) -> None:
    """Where the console is and a ready sign-in link for the demo's staff member."""
    server = app.bot_data.get(CONSOLE_KEY)
    if not services.settings.console.enabled:
        return
    if server is None:
        port = services.settings.console.port
        print(f"No se pudo abrir la consola web en el puerto {port}: está ocupado. "
              "Elija otro con CONSOLE_PORT, p. ej. make demo CONSOLE_PORT=8093")  # fmt: skip
        return
    link = console_actions.sign_in_link(services, DEMO_STAFF[0])
    print(f"Consola web del MIMP: {server.url}  ·  entre como {DEMO_STAFF[1]} con este enlace "
          f"(vale 10 minutos, una vez): {link}")
    print("  Otro enlace: envíe /panel como Especialista MIMP (en el chat del navegador, elíjalo "
          "arriba; en la terminal, «:usuario 9001»).")


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
    db_path: Path,
    *,
    with_terminal: bool = True,
    web_port: int | None = 8080,
    console_port: int | None = DEMO_CONSOLE_PORT,
) -> int:
    async with BotAPIStandIn(token=DEMO_TOKEN) as api:
        api.user(DEMO_OFFICER[0], first_name=DEMO_OFFICER[1])
        api.user(DEMO_STAFF[0], first_name=DEMO_STAFF[1])
        services = build_services(demo_settings(db_path, api.base_url, console_port))
        if demo_data.needs_seed(services):  # officers and reports for the console, once
            print("Preparando datos de demostración para la consola web (una sola vez)…")
            demo_data.seed(services)
        app = build_application(services)
        async with app:
            if app.post_init:  # publishes the command menu, as run_polling would
                await app.post_init(app)
            await app.start()
            await app.updater.start_polling(poll_interval=0.0, timeout=10)
            print(f"Bot API de prueba en {api.url}  ·  base de datos {db_path}")
            web = await _start_web_chat(api.url, web_port)
            _say_console(app, services)
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
                if app.post_stop:  # as run_polling would: the web console stops here
                    await app.post_stop(app)
        services.db.dispose()
    return 0
