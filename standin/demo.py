"""`make demo`: the real bot against the local Bot API stand-in, chatted with from the terminal
and from a browser page.

The demo holds the three chats the whole product needs: an officer (Ana), a MIMP specialist
who is staff (an admin), and the staff group where `/especialista` consultas arrive and where the
specialist answers them. Both chats can switch between the three.
"""

from __future__ import annotations

import asyncio
import errno
import shutil
import socket
import sys
from pathlib import Path
from typing import TextIO

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
DEMO_GROUP = (-1001000009001, "MIMP: especialistas")
DEFAULT_WEB_PORT = 8080
DEFAULT_CONSOLE_PORT = 8092
EXIT_PORT_BUSY = 2
KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
DEMO_WEB_USERS = (
    ChatUser(DEMO_OFFICER[0], DEMO_OFFICER[1], "punto focal"),
    ChatUser(DEMO_STAFF[0], DEMO_STAFF[1], "personal MIMP"),
    ChatUser(DEMO_GROUP[0], DEMO_GROUP[1], "grupo", member=DEMO_STAFF),
)


def demo_settings(
    db_path: Path, api_base_url: str, console_port: int | None = DEFAULT_CONSOLE_PORT
) -> Settings:
    """What a config.yaml would say: the specialist is an admin (staff.admins), the demo's
    group receives the consultas (staff.group_chat_id), and the web console is on."""
    return Settings(
        telegram=TelegramSettings(token=DEMO_TOKEN, api_base_url=api_base_url),
        database_url=f"sqlite:///{db_path}",
        admins=frozenset({DEMO_STAFF[0]}),
        staff_group_chat_id=DEMO_GROUP[0],
        knowledge_dir=demo_knowledge(db_path),
        files_dir=db_path.parent / "documentos",
        console=ConsoleSettings(enabled=console_port is not None, port=console_port or 0),
        source="<demo>",
    )


def demo_knowledge(db_path: Path) -> Path:
    """The demo's own copy of knowledge/, made afresh at each start beside its database: a
    proposal approved in the demo's console is written there, never into the repository."""
    copy = db_path.parent / "conocimiento-demo"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(KNOWLEDGE, copy)
    return copy


class PortBusy(Exception):
    """A port the demo needs is taken; the message names the make variable that moves it."""


def busy_port_message(port: int, variable: str, flag: str) -> str:
    """One line a newcomer can act on, with a port that is free right now."""
    free = free_port_near(port)
    return (
        f"El puerto {port} está ocupado: make demo {variable}={free} "
        f"(o python -m bot demo {flag} {free})."
    )


def free_port_near(port: int, host: str = "127.0.0.1") -> int:
    """A port from port+10 to port+19 that nothing listens on (else port+10): near enough to
    remember; never the other default (the console's 8092 when the chat's 8080 is taken)."""
    taken_by_us = {DEFAULT_WEB_PORT, DEFAULT_CONSOLE_PORT}
    for candidate in (p for p in range(port + 10, port + 20) if p not in taken_by_us):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host, candidate))
            except OSError:
                continue
            return candidate
    return port + 10


def console_port_free(port: int | None) -> None:
    """PortBusy before anything starts when the console's port is taken (the bot itself only
    logs it and runs on without the console)."""
    if port is None:
        return
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as exc:
            raise PortBusy(busy_port_message(port, "CONSOLE_PORT", "--console-port")) from exc


def _say_console(app, services, out: TextIO) -> None:
    """Where the console is and a ready sign-in link for the demo's staff member."""
    server = app.bot_data.get(CONSOLE_KEY)
    if not services.settings.console.enabled or server is None:
        return
    link = console_actions.sign_in_link(services, DEMO_STAFF[0])
    print(f"Consola web del MIMP: {server.url}  ·  entre como {DEMO_STAFF[1]} con este enlace "
          f"(vale 10 minutos, una vez): {link}", file=out)  # fmt: skip
    print("  Otro enlace: envíe /panel como Especialista MIMP (en el chat del navegador, elíjalo "
          "arriba; en la terminal, «:usuario 9001»).", file=out)  # fmt: skip


async def _start_web_chat(api_url: str, port: int | None, out: TextIO) -> WebChat | None:
    """The browser chat on 127.0.0.1:port; None when it is off. A taken port is PortBusy."""
    if port is None:
        return None
    web = WebChat(api_url, port=port, users=DEMO_WEB_USERS)
    try:
        await web.start()
    except OSError as exc:
        if exc.errno in (errno.EADDRINUSE, errno.EACCES):
            raise PortBusy(busy_port_message(port, "WEB_PORT", "--web-port")) from exc
        raise
    print(
        f"Chat en el navegador: {web.url}  (Ana, punto focal; Especialista MIMP, personal; "
        f"{DEMO_GROUP[1]}, el grupo del personal)",
        file=out,
    )
    return web


async def run_demo(
    db_path: Path,
    *,
    with_terminal: bool = True,
    web_port: int | None = DEFAULT_WEB_PORT,
    console_port: int | None = DEFAULT_CONSOLE_PORT,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
) -> int:
    """Run until the terminal chat ends (or forever without it); 2 when a port is taken.
    `console_port`: where the staff web console listens (None: no console)."""
    out = stdout or sys.stdout
    async with BotAPIStandIn(token=DEMO_TOKEN) as api:
        api.user(DEMO_OFFICER[0], first_name=DEMO_OFFICER[1])
        api.user(DEMO_STAFF[0], first_name=DEMO_STAFF[1])
        api.group(DEMO_GROUP[0], DEMO_GROUP[1])
        try:  # before the bot starts: a taken port stops the demo with nothing half-started
            console_port_free(console_port)
            web = await _start_web_chat(api.url, web_port, out)
        except PortBusy as exc:
            print(exc, file=out, flush=True)
            return EXIT_PORT_BUSY
        services = build_services(demo_settings(db_path, api.base_url, console_port))
        if demo_data.needs_seed(services):  # officers and reports for the console, once
            print("Preparando datos de demostración para la consola web (una sola vez)…",
                  file=out, flush=True)  # fmt: skip
            demo_data.seed(services)
        app = build_application(services)
        try:
            async with app:
                try:
                    if app.post_init:  # publishes the command menu, as run_polling would
                        await app.post_init(app)
                    await app.start()
                    await app.updater.start_polling(poll_interval=0.0, timeout=10)
                    print(f"Bot API de prueba en {api.url}  ·  base de datos {db_path}  ·  "
                          f"base de conocimiento: {services.settings.knowledge_dir} (una copia "
                          "para la demo, hecha de nuevo en cada inicio)", file=out)  # fmt: skip
                    _say_console(app, services, out)
                    if with_terminal:
                        print("Escriba /start para empezar; /salir para terminar.\n", file=out)
                        return await run_terminal_chat(
                            api.url, *DEMO_OFFICER,
                            people=(DEMO_OFFICER, DEMO_STAFF), group=(*DEMO_GROUP, *DEMO_STAFF),
                            stdin=stdin or sys.stdin, stdout=out,
                        )  # fmt: skip
                    await asyncio.Event().wait()
                finally:  # also when stopped (Ctrl+C) while still starting
                    if app.updater.running:
                        await app.updater.stop()
                    if app.running:
                        await app.stop()
                    if app.post_stop:  # as run_polling would: the web console stops here
                        await app.post_stop(app)
        finally:
            if web is not None:
                await web.stop()
            services.db.dispose()
    return 0
