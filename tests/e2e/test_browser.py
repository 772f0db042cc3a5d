"""The browser chat end to end: Debian's chromium, driven by Playwright, uses the page served by
standin/webchat.py against the real bot running through the stand-in."""

from __future__ import annotations

import html
import os
import re
import shutil
from pathlib import Path

import pytest

from bot.registration import phone_display
from standin.server import TINY_PNG
from standin.webchat import ChatUser, WebChat
from tests.e2e.harness import STAFF_ID
from tests.e2e.test_questions import first_suggest_question

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WAIT_MS = 15_000  # how long a step may wait for the page before failing
UID = 3003
# The page never touches the database: one backend is enough for it.
pytestmark = pytest.mark.sqlite_only


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's chromium, which `make test` installs when it can (root with apt-get). Missing
    under CI is a failure; on a developer's machine without it, a skip that says how to get it."""
    if CHROMIUM.exists():
        return str(CHROMIUM)
    reason = f"{CHROMIUM} is missing: apt-get install chromium (make test does it as root)"
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"the browser test must run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
async def web(api, bot):
    users = [ChatUser(UID, "Rosa", "punto focal"), ChatUser(STAFF_ID, "Especialista", "MIMP")]
    async with WebChat(api.url, port=0, users=users) as chat:
        yield chat


@pytest.fixture
async def page(chromium, web, tmp_path):
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        context = await pw.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=chromium,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 400, "height": 860},
            locale="es-PE",
            timezone_id="America/Lima",
        )
        context.set_default_timeout(WAIT_MS)
        tab = context.pages[0] if context.pages else await context.new_page()
        errors: list[str] = []
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        await tab.goto(web.url)
        await tab.wait_for_selector("body[data-ready=true]")
        yield tab
        await context.close()
        assert not errors, f"JavaScript errors in the page: {errors}"


# Registration up to the phone step: (what the person does, with what, what the bot says next).
REGISTRATION = (
    ("tap", "Registrarme", "¿Acepta?"),
    ("tap", "Acepto", "nombre completo"),
    ("send", "Rosa Quispe Mamani", "cargo"),
    ("send", "Subgerente de Desarrollo Social", "¿De qué nivel"),
    ("tap", "Distrital", "Escriba el nombre"),
    ("send", "ate", "Toque el suyo"),
    ("tap", re.compile(r"^Ate\b"), "institución"),
    ("tap", 0, "teléfono"),
)


def visible_text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


class Chat:
    """What a person does on the page: type, tap buttons, read bubbles."""

    def __init__(self, page):
        from playwright.async_api import expect as page_expect

        page_expect.set_options(timeout=WAIT_MS)
        self.page = page
        self.expect = page_expect

    async def send(self, text: str) -> None:
        await self.page.fill("#input", text)
        await self.page.press("#input", "Enter")

    async def see(self, text: str):
        bubble = self.page.locator(".row.bot .bubble", has_text=text).last
        await self.expect(bubble).to_be_visible()
        return bubble

    async def tap(self, name: str | re.Pattern | int):
        """A button under the latest bot message that has buttons."""
        keyboard = self.page.locator(".row.bot .inline-keyboard").last
        if isinstance(name, int):
            button = keyboard.locator(".kb-button").nth(name)
        else:
            button = keyboard.get_by_role("button", name=name).first
        await button.click()


async def test_register_ask_and_pick_a_suggestion(api, bot, page, tmp_path):
    chat = Chat(page)
    await page.get_by_role("button", name="Empezar").click()  # the empty chat's /start
    await chat.see("Para preguntar")
    for action, what, reply in REGISTRATION:
        await getattr(chat, action)(what)
        await chat.see(reply)
    # The phone step's reply keyboard: sharing the contact goes through /_chat/contact.
    share = page.locator("#reply-keyboard").get_by_role("button", name="Compartir mi número")
    await share.click()
    summary = await chat.see("Revise sus datos")
    await chat.expect(summary).to_contain_text(phone_display(f"+519{UID:08d}"))
    await chat.expect(page.locator("#reply-keyboard")).to_be_hidden()
    await chat.tap("Confirmar")
    await chat.see("Registro completo")

    await chat.send("quienes integran la instancia distrital de concertacion")
    await chat.see("Fuente")
    await chat.tap("👍")
    await chat.expect(page.locator("#toast")).to_contain_text("Gracias")

    question, suggestions = first_suggest_question(bot.services.answers)
    await chat.send(question)
    await chat.see("¿Quiso decir")
    await chat.tap(0)
    entry = bot.services.answers.kb.entries[suggestions[0]]
    answer = page.locator(".row.bot .bubble", has_text="Fuente")
    await chat.expect(answer).to_have_count(2)
    await chat.expect(answer.last).to_contain_text(visible_text(entry.respuesta).strip()[:30])
    # Bold from the bot's HTML arrives as a real <b>, built from the entities.
    await chat.expect(answer.last.locator("b").first).to_be_visible()

    shot = tmp_path / "chat.png"
    await page.screenshot(path=str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 20_000  # a rendered chat, not a blank page
    if os.environ.get("CONCERTA_SCREENSHOT"):
        shutil.copy(shot, os.environ["CONCERTA_SCREENSHOT"])


async def test_formatting_files_edits_menu_and_users(api, bot, web, page):
    chat = Chat(page)
    tg = bot.app.bot
    api.user(UID, first_name="Rosa")  # a chat the bot can write to, as after a first /start
    sent = await tg.send_message(
        UID,
        '<b>Negrita</b> <i>cursiva</i> &lt;img src=x onerror="alert(1)"&gt; '
        '<a href="https://www.mimp.gob.pe">MIMP</a> <a href="javascript:alert(1)">malo</a>',
        parse_mode="HTML",
    )
    bubble = await chat.see("Negrita")
    await chat.expect(bubble.locator("b")).to_have_text("Negrita")
    await chat.expect(bubble.locator("i")).to_have_text("cursiva")
    await chat.expect(bubble).to_contain_text('<img src=x onerror="alert(1)">')
    assert await page.locator("#messages img").count() == 0
    await chat.expect(bubble.locator("a", has_text="MIMP")).to_have_attribute(
        "href", "https://www.mimp.gob.pe"
    )

    await tg.edit_message_text("<b>Negrita</b> corregida", UID, sent.message_id, parse_mode="HTML")
    await chat.expect(bubble).to_contain_text("corregida")
    await chat.expect(bubble).to_contain_text("editado")
    await chat.expect(page.locator(".row.bot .bubble", has_text="Negrita")).to_have_count(1)

    xlsx = b"PK\x03\x04 not really a workbook"
    doc = await tg.send_document(UID, xlsx, filename="reportes.xlsx", caption="Exportación")
    card = page.locator(f'[data-mid="{doc.message_id}"] a.file-card')
    await chat.expect(card).to_contain_text("reportes.xlsx")
    href = await card.get_attribute("href")
    assert href == f"/_chat/file/{UID}/{doc.message_id}"
    downloaded = await page.request.get(web.url + href)
    assert await downloaded.body() == xlsx

    photo = await tg.send_photo(UID, TINY_PNG, caption="Resumen")
    img = page.locator(f'[data-mid="{photo.message_id}"] img.photo')
    await chat.expect(img).to_be_visible()
    assert await img.evaluate("i => i.complete && i.naturalWidth > 0")

    await page.get_by_role("button", name="Menú").click()
    await chat.expect(page.get_by_role("menuitem", name="/reporte")).to_be_visible()
    await page.keyboard.press("Escape")

    await page.select_option("#user-select", str(STAFF_ID))
    await chat.expect(page.get_by_role("button", name="Empezar")).to_be_visible()
    await chat.send("/mi_id")
    mine = await chat.see("Su número de usuario")
    await chat.expect(mine.locator("code")).to_have_text(str(STAFF_ID))
    await page.reload()  # both sides come back from the stand-in, for the user chosen last
    await page.wait_for_selector("body[data-ready=true]")
    await chat.expect(page.locator(".row.user .bubble")).to_contain_text("/mi_id")
    await chat.see("Su número de usuario")
    await page.select_option("#user-select", str(UID))
    await chat.expect(page.locator(".row.bot .bubble", has_text="Resumen")).to_be_visible()
