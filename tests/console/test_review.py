"""The review round trip end to end, as MIMP and an officer live it: a specialist observes a
report in the console (real Chromium), the real bot's broadcast lane delivers the observation
through the Bot API stand-in, the officer opens /reporte, sees it, corrects and sends, and the
console shows «Corregido» with what changed. On SQLite and on PostgreSQL.

Also: the assistance log and the priority list in the browser, and screenshots of the pages at
1366x768 and 390x844 and of the officer's chat (standin/webchat.py) in /tmp/shots-review/."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from bot import console_actions
from bot.config import ConsoleSettings
from standin.server import BotAPIStandIn
from standin.webchat import ChatUser, WebChat
from tests.console.conftest import DESK, PHONE, free_port
from tests.e2e.harness import STAFF_ID, TOKEN, BotRunner, expect, register_officer
from tests.e2e.test_browser import CHROMIUM_ARGS, WAIT_MS, chromium, visible_text  # noqa: F401
from tests.e2e.test_report import send_nothing_yet

ANA = 3101
SHOTS = Path("/tmp/shots-review")
COMMENT = "Falta la fecha de la sesión <b>y</b> el acta & el número"
CORRECTION = "Falta quórum: se convocará en enero"


@pytest.fixture
async def api():
    async with BotAPIStandIn(token=TOKEN) as server:
        yield server


@pytest.fixture
async def bot(api, db_url):
    runner = BotRunner(api, db_url, console=ConsoleSettings(enabled=True, port=free_port()))
    await runner.start()
    try:
        yield runner
    finally:
        await runner.stop()


@pytest.fixture
async def engine(chromium):  # noqa: F811
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium, headless=True,
                                           args=CHROMIUM_ARGS)  # fmt: skip
        yield browser
        await browser.close()


async def signed_in(engine, bot, viewport=DESK):
    context = await engine.new_context(viewport=viewport, locale="es-PE",
                                       timezone_id="America/Lima", accept_downloads=True)
    context.set_default_timeout(WAIT_MS)
    page = await context.new_page()
    await page.goto(console_actions.sign_in_link(bot.services, STAFF_ID))
    await page.get_by_role("button", name="Entrar").click()
    await page.wait_for_url(re.compile(r"/$"))
    return page


async def shot(page, name: str, backend: str, *, full: bool = True) -> None:
    if backend == "sqlite":  # one set is enough
        SHOTS.mkdir(exist_ok=True)
        await page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full)


def edit_button(api, uid: int, qid: str) -> int:
    """The index of «✏️ n» for a question on the summary (its callback names the question)."""
    summary = [m for m in api.messages(uid) if m.buttons][-1]
    flat = [b for row in summary.buttons for b in row]
    return next(i for i, b in enumerate(flat) if (b.callback_data or "").endswith(f":e:{qid}"))


async def test_observe_correct_and_see_what_changed(api, bot, engine, backend):
    from playwright.async_api import expect as page_expect

    page_expect.set_options(timeout=WAIT_MS)
    await register_officer(api, ANA, "Ana Torres", "Distrital", "ate", "Ate")
    await send_nothing_yet(api, bot, ANA)

    # The specialist finds the report in the queue and observes it.
    page = await signed_in(engine, bot)
    await page.get_by_role("link", name="Revisión").click()
    row = page.locator("tr", has_text="Ate (Lima, Lima)")
    await page_expect(row).to_contain_text("Sin revisar")
    await shot(page, "revision-cola-1366", backend)
    await row.get_by_role("link", name="Revisar").click()
    await page_expect(page.locator("#revisiones")).to_contain_text("Sin revisar")
    await page.get_by_label("Observado").check()
    await page.get_by_role("button", name="Guardar revisión").click()  # no comment yet
    await page_expect(page.locator(".error")).to_contain_text("escriba el comentario")
    await page.get_by_label("Observado").check()
    await page.fill("#comentario", COMMENT)
    await page.get_by_role("button", name="Guardar revisión").click()
    await page_expect(page.get_by_role("status")).to_contain_text("Observado")
    await page_expect(page.locator(".history")).to_contain_text(COMMENT)  # as text
    report = await page.locator("input[name=reporte]").get_attribute("value")
    forged = await page.request.post(page.url.split("?")[0], form={
        "reporte": report, "estado": "validado", "comentario": "sin token"})
    assert forged.status == 403  # no CSRF token: refused, nothing recorded

    # The lane delivers it, and the panel says so; the officer corrects through /reporte.
    sent = await expect(api, ANA, "tiene una observación")
    await page.reload()
    await page_expect(page.locator(".history")).to_contain_text(
        "El bot se la envió a 1 de 1 puntos focales.")
    assert COMMENT in visible_text(sent.text)
    assert "&lt;b&gt;y&lt;/b&gt; el acta &amp; el" in sent.text  # shown, never applied
    await api.send_command(ANA, "/reporte")
    offer = await expect(api, ANA, "observó el reporte")
    assert COMMENT in visible_text(offer.text)
    await api.press_button(ANA, "Corregir el reporte")
    await expect(api, ANA, "Revise su reporte")
    await api.press_button(ANA, edit_button(api, ANA, "dificultades"))
    await expect(api, ANA, "dificultades")
    await api.send_text(ANA, CORRECTION)
    await expect(api, ANA, "Revise su reporte")
    await api.press_button(ANA, "Enviar")
    await expect(api, ANA, "Reporte enviado")
    await expect(api, ANA, "Su corrección responde")

    # Staff see «Corregido» in the queue and what changed on the panel.
    await page.goto(f"{bot.services.settings.console.base_url}/revision")
    row = page.locator("tr", has_text="Ate (Lima, Lima)")
    await page_expect(row).to_contain_text("Corregido")
    await page.locator("select[name=estado]").select_option("sin_revisar")
    await page.get_by_role("button", name="Ver").click()
    await page_expect(page.locator("main")).to_contain_text("en el estado «sin revisar»")
    await page.locator("select[name=estado]").select_option("corregido")
    await page.get_by_role("button", name="Ver").click()
    row = page.locator("tr", has_text="Ate (Lima, Lima)")
    await page_expect(row).to_contain_text("Corregido")
    await row.get_by_role("link", name="Revisar").click()
    changes = page.locator(".changes")
    await page_expect(changes).to_contain_text("Falta quórum en el concejo")
    await page_expect(changes).to_contain_text(CORRECTION)
    await page_expect(changes).to_contain_text(COMMENT)
    await shot(page, "revision-corregido-1366", backend)
    await page.set_viewport_size(PHONE)
    await shot(page, "revision-corregido-390", backend)
    # The Ficha shows the same section, and its form returns there.
    await page.set_viewport_size(DESK)
    await page.goto(f"{bot.services.settings.console.base_url}/instancia/distrital/150103")
    section = page.locator("#revisiones")
    await page_expect(section).to_contain_text("Corregido")
    await page_expect(section.locator(".changes")).to_contain_text(CORRECTION)
    await shot(page, "ficha-revisiones-1366", backend)
    await section.get_by_label("Validado").check()
    await section.get_by_role("button", name="Guardar revisión").click()
    await page.wait_for_url(re.compile(r"/instancia/distrital/150103\?hecho=validado"))
    await page_expect(page.locator("#revisiones")).to_contain_text("Validado")
    await page.goto(f"{bot.services.settings.console.base_url}/instancias")
    await page_expect(page.locator("main")).to_contain_text("validado")
    await page.goto(f"{bot.services.settings.console.base_url}/revision")
    await page_expect(page.locator("main")).to_contain_text("No hay reportes esperando")

    if backend == "sqlite":  # the officer's chat as they saw it
        users = [ChatUser(ANA, "Ana", "punto focal")]
        async with WebChat(api.url, port=0, users=users) as chat:
            context = await engine.new_context(viewport=PHONE, locale="es-PE")
            phone = await context.new_page()
            await phone.goto(chat.url)
            await phone.wait_for_selector("body[data-ready=true]")
            await page_expect(phone.locator(".row.bot .bubble", has_text="corrección").last
                              ).to_be_visible()
            await phone.screenshot(path=str(SHOTS / "chat-correccion-390.png"))
            await phone.locator(".row.bot .bubble", has_text="tiene una observación").last\
                .scroll_into_view_if_needed()
            await phone.screenshot(path=str(SHOTS / "chat-observacion-390.png"))
            await context.close()


async def test_assistance_log_and_priority_in_the_browser(api, bot, engine, backend):
    from playwright.async_api import expect as page_expect

    page_expect.set_options(timeout=WAIT_MS)
    page = await signed_in(engine, bot)
    await page.get_by_role("link", name="Asistencia técnica").click()
    await page.fill("#buscar", "huamanga")
    await page.get_by_role("button", name="Buscar").click()
    await page.get_by_label("Huamanga (Ayacucho) · Provincial").check()
    await page.get_by_label("Gobierno local o regional").check()
    await page.fill("#fecha", "31/02/2026")
    await page.select_option("#modalidad", "telefono")
    await page.fill("#tema", "Ordenanza <script>alert(1)</script>")
    await page.fill("#participantes", "Gerente de Desarrollo Social")
    await page.get_by_role("button", name="Registrar").click()
    await page_expect(page.locator(".error").first).to_contain_text("dd/mm/aaaa")
    await page.fill("#fecha", "15/11/2026")
    await page.get_by_role("button", name="Registrar").click()
    await page_expect(page.get_by_role("status")).to_contain_text("quedó registrada")
    table = page.locator("table")
    await page_expect(table).to_contain_text("Ordenanza <script>alert(1)</script>")
    await page_expect(table).to_contain_text("Teléfono")
    await shot(page, "asistencia-1366", backend)
    async with page.expect_download() as waiting:
        await page.get_by_role("link", name="Exportar CSV").click()
    download = await waiting.value
    rows = list(csv.reader(io.StringIO(Path(await download.path()).read_text("utf-8-sig"))))
    assert rows[1][:2] == ["15/11/2026", "050100"] and rows[1][6] == "Teléfono"
    await page.goto(f"{bot.services.settings.console.base_url}/asistencia?modalidad=virtual")
    await page_expect(page.locator("main")).to_contain_text("No hay acciones")
    await page.set_viewport_size(PHONE)
    await page.goto(f"{bot.services.settings.console.base_url}/asistencia")
    await shot(page, "asistencia-390", backend)

    await page.set_viewport_size(DESK)
    await page.get_by_role("link", name="Prioridad").click()
    await page_expect(page.locator(".warn")).to_contain_text("no fue")
    await page.select_option("select[name=departamento]", "Ayacucho")
    await page.get_by_role("button", name="Filtrar").click()
    first = page.locator("table.priority tbody tr").first
    await page_expect(first).to_contain_text("Sin asistencia")
    await shot(page, "prioridad-1366", backend, full=False)
    await page.get_by_role("link", name="Siguiente →").first.click()
    await page_expect(page.locator("table.priority tbody tr").first).to_contain_text("51")
    await page.select_option("select[name=nivel]", "provincial")
    await page.get_by_role("button", name="Filtrar").click()
    huamanga = page.locator("tr", has_text="Huamanga (Ayacucho)").first
    await page_expect(huamanga).to_contain_text("No envió el reporte")
    await page_expect(huamanga).not_to_contain_text("Sin asistencia técnica")  # contacted
    await page.set_viewport_size(PHONE)
    await shot(page, "prioridad-390", backend, full=False)


async def test_the_panel_says_who_the_observation_did_not_reach(api, bot, engine, backend):
    from playwright.async_api import expect as page_expect

    page_expect.set_options(timeout=WAIT_MS)
    await register_officer(api, ANA, "Ana Torres", "Distrital", "ate", "Ate")
    await register_officer(api, ANA + 1, "Luis Rojas", "Distrital", "ate", "Ate")
    await send_nothing_yet(api, bot, ANA)
    api.block(ANA + 1)
    page = await signed_in(engine, bot)
    await page.goto(f"{bot.services.settings.console.base_url}/instancia/distrital/150103")
    section = page.locator("#revisiones")
    await section.get_by_label("Observado").check()
    await page.fill("#comentario", "Adjunte el acta de instalación")
    await section.get_by_role("button", name="Guardar revisión").click()
    await expect(api, ANA, "tiene una observación")
    history = page.locator(".history .undelivered")
    for _ in range(40):  # the lane records the refusal right after Telegram's answer
        await page.reload()
        if "bloqueó" in (await page.locator(".history").inner_text()):
            break
    await page_expect(history).to_contain_text(
        "El bot se la envió a 1 de 2 puntos focales; 1 bloqueó el bot o dejó el chat.")
    await page.set_viewport_size(PHONE)
    await page.locator(".history").scroll_into_view_if_needed()
    await shot(page, "revision-no-llego-390", backend, full=False)
