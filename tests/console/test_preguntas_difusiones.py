"""«Preguntas sin respuesta» and «Difusiones» in a real Chromium, against the real bot (PTB
Application over HTTP to the Bot API stand-in) whose process serves the console: a proposal
approved in the console makes the bot answer the officer's question; «Recordar a estos» reaches
exactly the pending officers, through the broadcast lane. The knowledge base is a COPY.

Screenshots (1366x768 and 390x844) are saved in the test's folder, and copied to the folder
named by CONCERTA_SHOTS when it is set.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from bot import proposal_actions, question_actions
from bot.config import ConsoleSettings
from bot.storage import reports
from bot.storage.models import Officer
from bot.storage.models_broadcast import Delivery
from handlers.app import CONSOLE_KEY
from standin.server import BotAPIStandIn
from tests.console.conftest import PHONE, Console, free_port, sign_in
from tests.e2e.harness import STAFF_ID, TOKEN, BotRunner, eventually, expect
from tests.e2e.test_broadcast import add_officers

ROOT = Path(__file__).resolve().parents[2]
OFFICER = 1001
ZOOM = "se puede sesionar por zoom"
TARGET = "instancia-sesiones"
pytestmark = pytest.mark.sqlite_only


@pytest.fixture
async def api():
    async with BotAPIStandIn(token=TOKEN) as server:
        yield server


@pytest.fixture
async def live(api, db_url, tmp_path):
    """The bot with its console on, over a copy of knowledge/."""
    kdir = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", kdir)
    runner = BotRunner(api, db_url, knowledge_dir=kdir,
                       console=ConsoleSettings(enabled=True, port=free_port()))  # fmt: skip
    await runner.start()
    try:
        server = runner.app.bot_data[CONSOLE_KEY]
        yield runner, Console(runner.services, server)
    finally:
        await runner.stop()


async def shoot(page, tmp_path: Path, name: str) -> None:
    """The page at a desk's size and a phone's, full length."""
    for label, size in (("1366", {"width": 1366, "height": 768}), ("390", PHONE)):
        await page.set_viewport_size(size)
        path = tmp_path / f"{name}-{label}.png"
        await page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000
        if os.environ.get("CONCERTA_SHOTS"):
            Path(os.environ["CONCERTA_SHOTS"]).mkdir(parents=True, exist_ok=True)
            shutil.copy(path, Path(os.environ["CONCERTA_SHOTS"]) / path.name)
    await page.set_viewport_size({"width": 1366, "height": 768})


async def test_a_proposal_approved_in_the_console_makes_the_bot_answer(api, live, browser,
                                                                       tmp_path):  # fmt: skip
    bot, console = live
    entry = bot.services.answers.kb.entries[TARGET]
    api.user(OFFICER, first_name="Ana")
    await api.send_text(OFFICER, ZOOM)
    first = await expect(api, OFFICER, "")
    assert entry.respuesta.splitlines()[0][3:30] not in (first.text or "")
    await api.send_text(OFFICER, "Se puede sesionar por Zoom?")  # the same question, reworded
    await expect(api, OFFICER, "")

    page = await browser.new_page()
    await sign_in(page, console)
    await page.get_by_role("link", name="Preguntas sin respuesta").click()
    card = page.locator(".cards > li", has_text=f"«{ZOOM}»")
    await card.wait_for()
    assert "2" in await card.locator(".meta b").first.inner_text()  # both wordings, one group
    await shoot(page, tmp_path, "preguntas")

    await card.get_by_role("link", name="Proponer respuesta").click()
    form = page.locator("form", has=page.get_by_role("heading", name="a) Otra forma"))
    assert await form.locator("select[name=entry_id]").input_value() == TARGET  # best guess
    assert await form.locator("input[name=question]").input_value() == ZOOM
    await shoot(page, tmp_path, "proponer")
    await form.get_by_role("button", name="Enviar a revisión").click()
    await page.get_by_text("enviada a revisión").wait_for()
    await page.locator(".cards > li", has_text=ZOOM).wait_for()
    await shoot(page, tmp_path, "propuestas")

    faq = console.services.settings.knowledge_dir / "faq" / "instancias.yaml"
    before = faq.read_text(encoding="utf-8")
    await page.get_by_role("button", name="Aprobar y escribir").click()
    await page.get_by_text("aprobada: se escribió en").wait_for()
    assert "Ahora responde con ella 1 de 1" in await page.locator(".notice").inner_text()
    after = faq.read_text(encoding="utf-8")
    assert len(after) - len(before) == len(f'      - "{ZOOM}"\n')

    # The officer asks again: the real bot answers from the reloaded knowledge base.
    await api.send_text(OFFICER, ZOOM)
    answer = await expect(api, OFFICER, "Fuente")
    assert bot.services.answers.matcher.match(ZOOM).entry_id == TARGET
    body = entry.respuesta.split("</b>")[0].removeprefix("<b>")
    assert body[:40] in (answer.plain_text or answer.text)


async def test_a_refused_approval_shows_the_check_and_writes_nothing(live, browser, tmp_path):
    _, console = live
    s = console.services
    made = proposal_actions.propose_question(s, STAFF_ID, [], TARGET, ZOOM)
    assert made.ok
    typed = '<img src=x onerror="alert(1)"> zoom o meet'
    assert proposal_actions.propose_question(s, STAFF_ID, [], TARGET, typed).ok
    question_actions.rate(s, TARGET, False)
    # Meanwhile the same question lands in another entry by hand: approving must refuse.
    faq = s.settings.knowledge_dir / "faq"
    path = faq / "instancias.yaml"
    text = path.read_text(encoding="utf-8")
    anchor = '      - "que es la IDC"\n'
    path.write_text(text.replace(anchor, anchor + f'      - "{ZOOM}"\n', 1), encoding="utf-8")
    before = path.read_bytes()
    page = await browser.new_page()
    dialogs = []
    page.on("dialog", lambda d: dialogs.append(d.message))
    await sign_in(page, console)
    await page.goto(f"{console.url}/preguntas")
    await page.get_by_text("Sesiones de la instancia").first.wait_for()  # rated 👎 once
    await page.goto(f"{console.url}/preguntas/propuestas")
    await page.get_by_text(typed).wait_for()  # staff-typed text shown as text
    assert dialogs == [] and await page.locator("main img").count() == 0
    await page.locator(".cards > li", has_text=ZOOM).first.get_by_role(
        "button", name="Aprobar y escribir").click()  # fmt: skip
    notice = page.locator(".notice.bad").first
    await notice.get_by_text("No se escribió nada").wait_for()
    said = await notice.inner_text()
    assert "instancias.yaml:" in said and "ya está" in said
    assert path.read_bytes() == before
    await page.locator(".cards > li .notice.bad").wait_for()  # kept beside the proposal
    await shoot(page, tmp_path, "propuesta-rechazada-por-kb-check")


def _pending_world(bot) -> dict[str, list[int]]:
    """Officers in Cusco: three whose instancias did not report (one of them drafting), one
    whose instancia sent; one in Puno that did not report either; one HTML-named officer."""
    add_officers(bot, "Cusco", "distrital", [4101, 4102, 4103, 4104])
    add_officers(bot, "Puno", "distrital", [4201])
    s = bot.services
    with s.db.session() as session:
        by_tid = {o.telegram_id: o for o in session.scalars(select(Officer))}
        by_tid[4103].name = 'Rosa <script>alert("x")</script> Quispe'
        sent = reports.start_draft(session, by_tid[4104], s.period(), "v1", s.now())
        reports.send(sent, s.now())
        reports.start_draft(session, by_tid[4102], s.period(), "v1", s.now())
    return {"cusco_pending": [4101, 4102, 4103], "sent": [4104], "puno": [4201]}


async def test_remind_these_reaches_exactly_the_pending_officers(api, live, browser, tmp_path):
    bot, console = live
    world = _pending_world(bot)
    page = await browser.new_page()
    dialogs = []
    page.on("dialog", lambda d: dialogs.append(d.message))
    await sign_in(page, console)
    await page.get_by_role("link", name="Difusiones").click()
    await page.locator("select[name=region]").select_option("Cusco")
    await page.get_by_role("button", name="Filtrar").click()
    await page.get_by_text("Rosa <script>").wait_for()  # officer-typed text shown as text
    assert dialogs == []
    table = await page.locator("table").first.inner_text()
    assert "en borrador" in table and "sin empezar" in table
    await shoot(page, tmp_path, "difusiones")

    assert "3" in await page.locator(".figure", has_text="llega un recordatorio").inner_text()
    await page.get_by_role("link", name="Recordar a estos").click()
    await page.get_by_text("Se enviará a 3 puntos focales activos").wait_for()
    assert "/reporte" in await page.locator("textarea[name=texto]").input_value()
    await shoot(page, tmp_path, "recordar")
    await page.get_by_role("button", name="Enviar a 3").click()
    await page.get_by_text("Recordatorio en cola como difusión").wait_for()

    def got(uid: int) -> bool:
        return any("Recordatorio del MIMP" in (m.plain_text or m.text or "")
                   for m in api.messages(uid))  # fmt: skip

    assert await eventually(lambda: all(got(uid) for uid in world["cusco_pending"]))
    assert not any(got(uid) for uid in world["sent"] + world["puno"])
    with bot.services.db.session() as session:
        queued = session.scalars(select(Officer.telegram_id).join(
            Delivery, Delivery.officer_id == Officer.id))  # fmt: skip
        assert sorted(queued) == world["cusco_pending"]
    await page.goto(f"{console.url}/difusiones")
    card = page.locator(".cards > li", has_text="Recordar a pendientes")
    await card.get_by_text("enviados 3").wait_for()
    await shoot(page, tmp_path, "difusiones-enviada")


async def test_a_group_set_aside_leaves_the_lists_until_asked_again(api, live, browser, tmp_path):
    from bot import data_actions

    bot, console = live
    api.user(OFFICER, first_name="Ana")
    noise = "donde compro semillas de quinua"
    await api.send_text(OFFICER, noise)
    await expect(api, OFFICER, "No encontré una respuesta")
    page = await browser.new_page()
    await sign_in(page, console)
    await page.goto(f"{console.url}/preguntas")
    card = page.locator(".cards > li", has_text=noise)
    await shoot(page, tmp_path, "preguntas-grupo")
    await card.get_by_role("button", name="Descartar").click()
    await page.get_by_role("status").get_by_text("Se descartó una pregunta").wait_for()
    assert await page.locator(".cards > li", has_text=noise).count() == 0
    await shoot(page, tmp_path, "preguntas-descartada")
    listing = data_actions.unanswered(bot.services, STAFF_ID, None)
    assert noise not in " ".join(listing.texts)  # nor in the chat's /sin_respuesta
    await page.reload()  # a second post of the same form: nothing more, and said so
    await page.get_by_role("alert").get_by_text("ya no estaban en la lista").wait_for()

    await api.send_text(OFFICER, "Dónde compro semillas de quinua?")  # asked again
    await expect(api, OFFICER, "No encontré una respuesta")
    await page.goto(f"{console.url}/preguntas")
    await page.locator(".cards > li", has_text=noise).wait_for()
