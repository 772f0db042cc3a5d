"""A real console on a free port, over a real SQLite file seeded with the demo's data
(standin/demo_data.py, as `make demo`), and a real Chromium signed in through a real link.

Other console pages' tests use these: `console` (services, url), `browser` (a Playwright
context at 1366x768), `sign_in(page, console)`.
"""

from __future__ import annotations

import shutil
import socket
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot import console_actions
from bot.config import ConsoleSettings, Settings, TelegramSettings
from bot.services import Services, build_services
from console.server import ConsoleServer
from standin import demo_data
from standin.demo import DEMO_STAFF, KNOWLEDGE
from tests.e2e.test_browser import CHROMIUM_ARGS, WAIT_MS, chromium  # noqa: F401

STAFF_ID = DEMO_STAFF[0]  # an admin of these settings
DESK = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
pytestmark = pytest.mark.sqlite_only


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def console_settings(db: Path, documents: Path, **console) -> Settings:
    return Settings(
        telegram=TelegramSettings(token="123456:CONSOLE-TEST"),
        database_url=f"sqlite:///{db}",
        admins=frozenset({STAFF_ID}),
        knowledge_dir=KNOWLEDGE,
        files_dir=documents,
        console=ConsoleSettings(enabled=True, **{"port": 0, **console}),
        source="<console test>",
    )


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory) -> tuple[Path, Path]:
    """Seeded once per test session; each test works on its own copy of the database (the
    documents folder is shared: tests add files only under folders of their own)."""
    root = tmp_path_factory.mktemp("console-demo")
    db, documents = root / "demo.sqlite3", root / "documentos"
    services = build_services(console_settings(db, documents))
    demo_data.seed(services)
    services.db.dispose()
    return db, documents


@dataclass
class Console:
    services: Services
    server: ConsoleServer

    @property
    def url(self) -> str:
        return self.server.url

    def link(self, staff_id: int = STAFF_ID) -> str:
        """A fresh one-time sign-in link, as /panel would send."""
        return console_actions.sign_in_link(self.services, staff_id)


async def start_console(db: Path, documents: Path, **console) -> Console:
    console.setdefault("port", free_port())  # the link names the port
    services = build_services(console_settings(db, documents, **console))
    server = ConsoleServer(services)
    await server.start()
    return Console(services, server)


@pytest.fixture
async def console(demo_database, tmp_path):
    db, documents = demo_database
    copy = tmp_path / "console.sqlite3"
    shutil.copyfile(db, copy)
    running = await start_console(copy, documents)
    yield running
    await running.server.stop()
    running.services.db.dispose()


@pytest.fixture
async def browser(chromium, tmp_path):  # noqa: F811
    """A Chromium context at a laptop's size; `new_page(viewport=PHONE)` for a phone."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        engine = await pw.chromium.launch(executable_path=chromium, headless=True,
                                          args=CHROMIUM_ARGS)  # fmt: skip
        context = await engine.new_context(viewport=DESK, locale="es-PE",
                                           timezone_id="America/Lima")  # fmt: skip
        context.set_default_timeout(WAIT_MS)
        yield context
        await context.close()
        await engine.close()


async def sign_in(page, console: Console, staff_id: int = STAFF_ID) -> None:
    """Open a fresh link and press «Entrar», as a staff member does after /panel."""
    await page.goto(console.link(staff_id))
    await page.get_by_role("button", name="Entrar").click()
    await page.wait_for_url(f"{console.url}/")
