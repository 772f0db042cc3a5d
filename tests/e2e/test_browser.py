"""The browser chat end to end: Debian's chromium, driven by Playwright, uses the page served by
standin/webchat.py against the real bot running through the stand-in."""

from __future__ import annotations

import html
import os
import re
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
PHONE = {"width": 390, "height": 844}  # a common phone; the people use one this size
SHOTS = os.environ.get("CONCERTA_SHOTS")  # a folder: the tests leave their screenshots there
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
            viewport=PHONE,
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


async def shoot(page, name: str) -> None:
    """A screenshot to look at, when CONCERTA_SHOTS names a folder."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(Path(SHOTS) / f"{name}.png"))


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
    await shoot(page, "register-and-ask")


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


# --- the demo shows the whole product (issue 15) ------------------------------------------------

GROUP = -1001000009001
GROUP_USER = ChatUser(GROUP, "MIMP: especialistas", "grupo", member=(STAFF_ID, "Especialista"))


def register(bot, uid=UID):
    """Registration is walked through above; here the officer is stored directly."""
    from bot.registration import Draft
    from bot.storage.officers import save_officer

    draft = Draft(
        name="Rosa Quispe Mamani", cargo="Subgerente de Desarrollo Social", level="distrital",
        place_code="150103", institution="Municipalidad Distrital de Ate", phone_done=True,
        consent=True,
    )  # fmt: skip
    with bot.services.db.session() as s:
        save_officer(s, uid, draft, "2026-11", bot.services.now())


async def box(locator) -> dict:
    found = await locator.bounding_box()
    assert found is not None, f"{locator} is not on screen"
    return found


async def test_the_reply_keyboard_never_hides_its_question(api, bot, page):
    chat = Chat(page)
    await page.get_by_role("button", name="Empezar").click()
    await chat.see("Para preguntar")
    for action, what, reply in REGISTRATION:
        await getattr(chat, action)(what)
        await chat.see(reply)
    keyboard = page.locator("#reply-keyboard")
    await chat.expect(keyboard).to_be_visible()
    question = await chat.see("número de teléfono")
    await page.wait_for_timeout(300)  # the page's own scrolling is done
    shown, messages, keys = (
        await box(question),
        await box(page.locator("#messages")),
        await box(keyboard),
    )
    assert messages["y"] + messages["height"] <= keys["y"] + 1  # the conversation ends above it
    assert shown["y"] >= messages["y"] - 1
    assert shown["y"] + shown["height"] <= keys["y"], (shown, keys)  # the whole question shows
    await shoot(page, "keyboard-open")
    # Scrolled up to read, the conversation stays where the person left it…
    await page.locator("#messages").evaluate("m => { m.scrollTop = 0; }")
    await page.wait_for_timeout(100)
    assert await page.locator("#messages").evaluate("m => m.scrollTop") == 0
    # …and a typed answer closes the keyboard with the end of the chat in view.
    await chat.send("Omitir")
    summary = await chat.see("Revise sus datos")
    await chat.expect(keyboard).to_be_hidden()
    await page.wait_for_timeout(200)
    last, messages = await box(summary), await box(page.locator("#messages"))
    assert last["y"] + last["height"] <= messages["y"] + messages["height"] + 1


async def test_buttons_of_an_older_message_look_and_act_disabled(api, bot, page):
    chat = Chat(page)
    api.user(UID, first_name="Rosa")
    await chat.send("quienes integran la instancia distrital de concertacion")
    mid = await (await chat.see("Fuente")).locator("xpath=..").get_attribute("data-mid")
    first = page.locator(f'[data-mid="{mid}"]')  # pinned: the answer that becomes the older one
    await chat.send("que es la ley 30364")
    await chat.expect(page.locator(".row.bot .bubble", has_text="Fuente")).to_have_count(2)
    second = page.locator(".row.bot", has_text="Fuente").last
    old = first.get_by_role("button", name="👍 Útil")
    current = second.get_by_role("button", name="👍 Útil")
    await chat.expect(old).to_be_disabled()
    await chat.expect(old).to_have_attribute("aria-disabled", "true")
    await chat.expect(current).to_be_enabled()
    await chat.expect(current).to_have_attribute("aria-disabled", "false")
    looks = "b => [getComputedStyle(b).backgroundColor, getComputedStyle(b).cursor]"
    old_look, current_look = await old.evaluate(looks), await current.evaluate(looks)
    assert old_look[0] != current_look[0] and old_look[1] == "not-allowed", (old_look, current_look)
    await old.scroll_into_view_if_needed()
    await page.locator("#messages").evaluate("m => { m.scrollTop -= 120; }")
    await shoot(page, "old-buttons-disabled")
    presses = len(api.calls_to("answerCallbackQuery"))
    await old.click(force=True)  # a click on it does nothing
    await current.click()
    await chat.expect(page.locator("#toast")).to_contain_text("Gracias")
    assert len(api.calls_to("answerCallbackQuery")) == presses + 1


async def test_bubbles_show_the_time_only_in_the_devices_time_zone(
    api, bot, chromium, web, tmp_path
):
    """Telegram shows the hour and minute of the phone's own clock; the date is the tooltip."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from playwright.async_api import async_playwright

    api.user(UID, first_name="Rosa")
    sent = await bot.app.bot.send_message(UID, "Hola")
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        context = await browser.new_context(viewport=PHONE, timezone_id="Asia/Tokyo")
        tab = await context.new_page()
        await tab.goto(web.url)
        await tab.wait_for_selector("body[data-ready=true]")
        shown = tab.locator(f'[data-mid="{sent.message_id}"] time')
        tokyo = datetime.fromtimestamp(sent.date.timestamp(), ZoneInfo("Asia/Tokyo"))
        assert await shown.text_content() == tokyo.strftime("%H:%M")
        assert await shown.get_attribute("title") == tokyo.strftime("%d/%m/%Y %H:%M")
        # The day is a chip above its first message, as in Telegram.
        chip = tab.locator(".day-chip")
        await tab.wait_for_selector(".day-chip")
        assert await chip.count() == 1
        today = datetime.now(ZoneInfo("Asia/Tokyo")).date()
        assert await chip.text_content() == ("Hoy" if tokyo.date() == today else "Ayer")
        await browser.close()


@pytest.fixture
async def group_bot(api, db_url):
    from tests.e2e.harness import BotRunner

    api.group(GROUP, GROUP_USER.name)
    runner = BotRunner(api, db_url, staff_group_chat_id=GROUP)
    await runner.start()
    try:
        yield runner
    finally:
        await runner.stop()


@pytest.fixture
async def group_page(chromium, api, group_bot, tmp_path):
    from playwright.async_api import async_playwright

    users = [ChatUser(UID, "Rosa", "punto focal"), ChatUser(STAFF_ID, "Especialista", "MIMP"),
             GROUP_USER]  # fmt: skip
    async with WebChat(api.url, port=0, users=users) as web, async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        context = await browser.new_context(viewport=PHONE, timezone_id="America/Lima")
        context.set_default_timeout(WAIT_MS)
        tab = await context.new_page()
        errors: list[str] = []
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        await tab.goto(web.url)
        await tab.wait_for_selector("body[data-ready=true]")
        yield tab
        await browser.close()
        assert not errors, f"JavaScript errors in the page: {errors}"


async def test_hand_off_round_trip_through_the_staff_group(api, group_bot, group_page):
    page, chat = group_page, Chat(group_page)
    register(group_bot)
    await chat.send("/especialista")
    await chat.see("Escriba su consulta")
    await page.fill("#input", "¿Quién asume la secretaría técnica?")
    await page.press("#input", "Shift+Enter")  # a second line, as on a phone
    await page.type("#input", "No hay CEM en el distrito.")
    await page.press("#input", "Enter")
    await chat.see("llegó al equipo")
    await chat.expect(page.locator("#user-select option", has_text="(1 nuevo)")).to_have_count(1)
    await shoot(page, "officer-chat")

    await page.select_option("#user-select", str(GROUP))
    await chat.expect(page.locator("#bot-name")).to_have_text("MIMP: especialistas")
    await chat.expect(page.locator("#status")).to_contain_text("grupo · escribe Especialista")
    consulta = page.locator(".row.bot", has_text="Consulta #1")
    await chat.expect(consulta).to_contain_text("¿Quién asume la secretaría técnica?\nNo hay CEM")
    await consulta.get_by_role("button", name="Responder a este mensaje").click()
    await chat.expect(page.locator("#reply-bar")).to_contain_text("Consulta #1")
    await chat.send("La asume la Subgerencia de Desarrollo Social.")
    mine = page.locator(".row.user", has_text="La asume")
    await chat.expect(mine.locator(".reply-quote")).to_contain_text("Consulta #1")
    await chat.expect(page.locator("#reply-bar")).to_be_hidden()
    await chat.expect(mine.locator(".reactions")).to_have_text("👍")  # delivered to the officer
    await page.wait_for_timeout(300)
    await shoot(page, "staff-group")

    await page.select_option("#user-select", str(UID))
    relayed = await chat.see("Respuesta del especialista del MIMP (consulta #1)")
    await chat.expect(relayed).to_contain_text("La asume la Subgerencia")
    await chat.tap("Responder")
    await chat.see("Escriba su respuesta para el especialista (consulta #1)")
    await chat.send("Gracias, ¿y si el alcalde no convoca?")
    await chat.see("Envié su respuesta")
    await page.select_option("#user-select", str(GROUP))
    answer = page.locator(".row.bot", has_text="#1 responde")
    await chat.expect(answer).to_contain_text("¿y si el alcalde no convoca?")
    # Every consulta in the group keeps its buttons: none is stale there.
    close = page.get_by_role("button", name=re.compile("Cerrar consulta"))
    await chat.expect(close).to_have_count(2)
    for i in range(2):
        await chat.expect(close.nth(i)).to_be_enabled()
    await close.last.click()  # pressed in the group, as the member who writes there
    await chat.expect(answer).to_contain_text("Consulta cerrada")
    closing = api.calls_to("answerCallbackQuery")[-1]
    assert closing.ok


async def test_the_clip_and_the_sticker_button_send_a_photo_a_pdf_and_a_sticker(
    api, group_bot, group_page, tmp_path
):
    from standin.samples import sample_pdf, sample_photo

    page, chat = group_page, Chat(group_page)
    register(group_bot)
    await chat.send("/especialista")
    await chat.see("Escriba su consulta")
    await page.get_by_role("button", name="Enviar un sticker").click()
    await chat.see("Recibí un sticker")
    await chat.expect(page.locator(".row.user .sticker-art")).to_have_text("👍")
    await shoot(page, "sticker-sent")

    photo, pdf = tmp_path / "acta.png", tmp_path / "acta.pdf"
    photo.write_bytes(sample_photo())
    pdf.write_bytes(sample_pdf())
    async with page.expect_file_chooser() as chooser:
        await page.get_by_role("button", name="Adjuntar una foto o un PDF").click()
    await (await chooser.value).set_files(str(photo))
    await chat.see("Recibí una foto")
    img = page.locator(".row.user img.photo")
    await chat.expect(img).to_be_visible()
    assert await img.evaluate("i => i.complete && i.naturalWidth === 240")
    await page.set_input_files("#file-input", str(pdf))
    await chat.see("Recibí un archivo")
    await chat.expect(page.locator(".row.user .file-card")).to_contain_text("acta.pdf")

    await page.reload()
    await page.wait_for_selector("body[data-ready=true]")
    # After a reload the three come back from the stand-in.
    await chat.expect(page.locator(".row.user .sticker-art")).to_have_count(1)
    await chat.expect(page.locator(".row.user img.photo")).to_have_count(1)
    await chat.expect(page.locator(".row.user .file-card")).to_contain_text("acta.pdf")
    await shoot(page, "files-sent")
