"""/pendientes tells a started report from one never begun, with the last activity, and
«Recordar a estos» reminds exactly those officers through the broadcast lane, after /difundir's
own preview with the count and confirmation."""

from datetime import UTC, datetime

from sqlalchemy import select

from bot.registration import Draft
from bot.storage import reports as store
from bot.storage.models import AuditEntry
from bot.storage.models_broadcast import Broadcast
from bot.storage.officers import get_officer, save_officer
from tests.e2e.harness import STAFF_ID, expect
from tests.e2e.test_broadcast import final_report
from tests.e2e.test_data import seed

ROSA, LUIS, JUAN, EVA = 5101, 5102, 5103, 5104
REMINDER = "Recordatorio: reporte de su instancia"


def officer(bot, uid, name, level, code, registered: datetime) -> None:
    bot.api.user(uid, first_name=name)  # they wrote to the bot when they registered
    with bot.services.db.session() as s:
        draft = Draft(name=name, cargo="Gerente", level=level, place_code=code,
                      institution="Municipalidad")
        save_officer(s, uid, draft, "v1", registered).created_at = registered


def reminded(api, uid) -> int:
    return sum(REMINDER in (m.text or "") for m in api.messages(uid))


async def test_pending_states_and_remind_these(api, bot):
    s = bot.services
    officer(bot, ROSA, "Rosa Ccori", "distrital", "150103", datetime(2026, 9, 1, 15, tzinfo=UTC))
    officer(bot, LUIS, "Luis Quispe", "distrital", "150103", datetime(2026, 9, 2, 15, tzinfo=UTC))
    officer(bot, EVA, "Eva Ríos", "regional", "05", datetime(2026, 10, 20, 15, tzinfo=UTC))
    with s.db.session() as session:  # Luis started Ate's report and stopped on 5 November
        started = datetime(2026, 11, 5, 20, tzinfo=UTC)
        store.start_draft(session, get_officer(session, LUIS), s.period(), "2", started)
    seed(bot, JUAN, "Juan Paz", "provincial", "0801", {"creada": "no"})  # Cusco reported
    bot.api.user(JUAN, first_name="Juan")

    await api.send_command(STAFF_ID, "/pendientes")
    listing = await expect(api, STAFF_ID, "Instancias sin reporte")
    assert "📝 En borrador: 1 · ⏳ Sin empezar: 1" in listing.text
    assert ("Distrital — Ate (Lima, Lima): Luis Quispe; Rosa Ccori\n"
            "   📝 en borrador, último cambio el 05/11/2026") in listing.text
    assert "⏳ sin empezar, punto focal registrado el 20/10/2026" in listing.text
    assert "Juan" not in listing.text
    assert listing.button_texts == ["🔔 Recordar a estos (3)"]  # officers, not instancias

    await api.press_button(STAFF_ID, "Recordar a estos")
    preview = await expect(api, STAFF_ID, REMINDER)  # exactly as officers will get it
    assert preview.text.startswith("📣 <b>Mensaje del MIMP</b>")
    assert "/reporte" in preview.text
    question = await expect(api, STAFF_ID, "Así lo verán")
    assert "<b>3</b>" in question.text
    assert question.button_texts[0] == "✅ Enviar a 3"
    await api.press_button(STAFF_ID, "Enviar a 3")
    report = await final_report(api)
    assert "enviados 3" in report
    assert [reminded(api, uid) for uid in (ROSA, LUIS, EVA, JUAN)] == [1, 1, 1, 0]
    with s.db.session() as session:
        [b] = session.scalars(select(Broadcast)).all()
        assert b.total == 3 and b.author_id == STAFF_ID
        actions = [a.action for a in session.scalars(select(AuditEntry))]
        assert actions[-2:] == ["data_pending", "broadcast_send"]

    # An earlier period's list is for reading: nobody is reminded of a closed semester.
    await api.send_command(STAFF_ID, "/pendientes 2026-S1")
    old = await expect(api, STAFF_ID, "Instancias sin reporte")
    assert old.button_texts == []


async def test_remind_these_then_cancel(api, bot):
    officer(bot, ROSA, "Rosa Ccori", "distrital", "150103", datetime(2026, 9, 1, 15, tzinfo=UTC))
    await api.send_command(STAFF_ID, "/pendientes")
    await expect(api, STAFF_ID, "Instancias sin reporte")
    await api.press_button(STAFF_ID, "Recordar a estos (1)")
    question = await expect(api, STAFF_ID, "Así lo verán")
    assert "Se enviará a <b>1</b> punto focal:" in question.text  # the form for the number
    await api.press_button(STAFF_ID, "Cancelar")
    await expect(api, STAFF_ID, "cancelado")
    assert reminded(api, ROSA) == 0
    with bot.services.db.session() as session:
        assert session.scalars(select(Broadcast)).all() == []
