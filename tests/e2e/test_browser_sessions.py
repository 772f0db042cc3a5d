"""The sessions grupo in the browser chat at a phone's size (390x844): what an officer sees."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.periods import period_bounds
from tests.e2e.harness import expect, register_officer
from tests.e2e.test_browser import CHROMIUM_ARGS, UID, WAIT_MS, Chat, chromium, web  # noqa: F401
from tests.e2e.test_report import answer, at
from tests.e2e.test_report_sessions import BEFORE, CUT

pytestmark = pytest.mark.sqlite_only
SHOTS = Path(os.environ.get("CONCERTA_SHOTS", "/tmp/shots-sessions"))


@pytest.fixture
async def phone(chromium, web, tmp_path):  # noqa: F811
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium, headless=True,
                                           args=CHROMIUM_ARGS)
        context = await browser.new_context(viewport={"width": 390, "height": 844},
                                            locale="es-PE", timezone_id="America/Lima")
        context.set_default_timeout(WAIT_MS)
        tab = await context.new_page()
        await tab.goto(web.url)
        await tab.wait_for_selector("body[data-ready=true]")
        yield tab
        await browser.close()


async def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    await page.screenshot(path=str(path))
    assert path.stat().st_size > 20_000  # a rendered chat, not a blank page


async def test_the_sessions_grupo_on_a_phone(api, bot, phone):
    chat = Chat(phone)
    await register_officer(api, UID, "Rosa Quispe", "Distrital", "ate", "Ate")
    await api.send_command(UID, "/reporte")
    await expect(api, UID, "Pregunta 1 de")
    for qid, how in BEFORE[:CUT]:
        await answer(api, bot, UID, qid, **how)
    await at(bot, UID, "sesiones_semestre")
    first = period_bounds(bot.services.period())[0]
    await chat.send("2")
    await chat.see("Sesión 1 de 2")
    await shot(phone, "1-session-1-date")
    await chat.send("01/01/2020")
    await chat.see("La sesión debe ser del segundo semestre" if first.month == 7
                   else "La sesión debe ser del primer semestre")
    await shot(phone, "2-bad-date")
    await chat.send(first.strftime("%d/%m/%Y"))
    await chat.see("ordinaria")
    await chat.tap("Ordinaria")
    await chat.see("tiene acta")
    await chat.tap("Sí")
    await chat.see("Sesión 2 de 2")
    await chat.send("hoy")
    await chat.see("ordinaria")
    await chat.tap("Extraordinaria")
    await chat.see("tiene acta")
    await shot(phone, "3-session-2-acta")
    await chat.tap("No")
    for qid, how in BEFORE[CUT:]:
        await answer(api, bot, UID, qid, **how)
    await chat.see("Revise su reporte")
    sessions = phone.locator(".row.bot .bubble", has_text="Sesión 2:").last
    await sessions.evaluate("b => b.scrollIntoView({block: 'center'})")
    await phone.wait_for_timeout(300)
    await shot(phone, "4-summary")
    await api.press(UID, api.last(UID).message_id, "v1:rep:e:sesiones_semestre")
    await chat.see("Respuesta actual")
    await chat.send("1")
    await chat.see("deja de aplicar")
    await shot(phone, "5-count-warning")
    await chat.tap("No, dejarla como estaba")
    await chat.see("Revise su reporte")
    await api.press(UID, api.last(UID).message_id, "v1:rep:e:sesiones")
    await chat.see("Respuesta actual")
    await shot(phone, "6-walk-the-grupo")
    await chat.tap("➡️ Sin cambios")
    await chat.see("¿Fue")
