"""/recordatorios end to end: create, pause, delete, roles; a slot missed while the bot was down
is sent once at start, only to officers whose instancia has not sent its report."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.services import Services
from bot.storage import broadcasts as store
from bot.storage.models import Officer, Report
from tests.e2e.harness import STAFF_ID, eventually, expect, private_message, send_twice
from tests.e2e.test_broadcast import add_officers

LIMA = ZoneInfo("America/Lima")
TEXT = "Recuerde enviar el reporte de su instancia"


def at(*args) -> datetime:
    return datetime(*args, tzinfo=LIMA).astimezone(UTC)


def reminded(api, uid: int) -> int:
    return sum(TEXT in (m.text or "") for m in api.messages(uid))


async def test_missed_reminder_sent_once_after_restart(api, bot, monkeypatch):
    clock = [at(2026, 10, 20, 10, 0)]
    monkeypatch.setattr(Services, "now", lambda self: clock[0])
    uids = [7501, 7502, 7503]
    add_officers(bot, "Ayacucho", "distrital", uids)
    with bot.services.db.session() as s:  # 7501's instancia already sent its report
        o = s.scalar(select(Officer).where(Officer.telegram_id == 7501))
        s.add(Report(instancia_id=o.instancia_id, period="2026-S2", officer_id=o.id,
                     survey_version="1", status="sent", sent_at=clock[0]))

    await api.send_command(7502, "/recordatorios")
    await expect(api, 7502, "solo para el personal")
    await api.send_text(STAFF_ID, "/recordatorios nuevo 1,15 cada-mes 09:00")
    await expect(api, STAFF_ID, "No entendí los días")  # "cada-mes" is not a month word
    await api.send_text(STAFF_ID, f"/recordatorios nuevo 1,15 fin-de-semestre 09:00\n{TEXT}")
    created = await expect(api, STAFF_ID, "Recordatorio #1 creado")
    assert "Próximo envío: 01/11/2026 09:00" in created.text
    assert "últimos dos meses de cada semestre" in created.text

    # Forged pause from an officer: refused, nothing changes.
    await api.press(7502, created.message_id, "v1:rem:p:1")
    await eventually(lambda: any(a.user_id == 7502 for a in api.callback_answers))
    await api.press_button(STAFF_ID, "Pausar #1")
    await expect(api, STAFF_ID, "en pausa")
    await api.send_command(STAFF_ID, "/recordatorios")
    await expect(api, STAFF_ID, "⏸ en pausa")
    await api.press_button(STAFF_ID, "Reanudar #1")
    await expect(api, STAFF_ID, "activo de nuevo")
    with bot.services.db.session() as s:
        assert [r.active for r in store.list_reminders(s)] == [True]

    # Down from before 09:00 on 1 November until 16:00: sent at start, once.
    await bot.stop()
    clock[0] = at(2026, 11, 1, 16, 0)
    await bot.start()
    # Sent at start; 60 s: once, on a loaded machine, 20 s were not enough.
    assert await eventually(lambda: reminded(api, 7502) and reminded(api, 7503), timeout=60)
    await bot.restart()
    await api.send_text(7502, "que es el ruva")  # a round trip, after the start-up check
    await expect(api, 7502, "Fuente")
    assert [reminded(api, u) for u in uids] == [0, 1, 1]
    [delivered] = [m for m in api.messages(7502) if TEXT in (m.text or "")]
    assert delivered.text.startswith("📣 <b>Mensaje del MIMP</b>\n\n" + TEXT)  # who sends it
    with bot.services.db.session() as s:
        [b] = s.scalars(select(store.Broadcast)).all()
        assert (b.reminder_id, b.total) == (1, 2)

    # Deleting asks first.
    await api.send_command(STAFF_ID, "/recordatorios")
    await expect(api, STAFF_ID, "Último envío: 01/11/2026, a 2")
    await api.press_button(STAFF_ID, "Eliminar #1")
    await expect(api, STAFF_ID, "¿Eliminar el recordatorio #1?")
    await api.press_button(STAFF_ID, "Sí, eliminar #1")
    await expect(api, STAFF_ID, "eliminado")
    with bot.services.db.session() as s:
        assert store.list_reminders(s) == []


async def test_a_replayed_reminder_command_creates_one_and_crisis_words_still_go(api, bot):
    quoted = 'Si alguien le dice "me quiere matar", llame al 105'
    created = private_message(STAFF_ID, f"/recordatorios nuevo 1 todos 09:00\n{quoted}")
    await send_twice(api, bot, created)
    await expect(api, STAFF_ID, "Línea 100")  # the writer gets the help lines…
    await expect(api, STAFF_ID, "Recordatorio #1 creado")  # …and the reminder is made
    await api.settle(STAFF_ID, quiet=0.5)
    assert len([m for m in api.messages(STAFF_ID) if "creado" in (m.text or "")]) == 1
    assert len([m for m in api.messages(STAFF_ID) if "Línea 100" in (m.text or "")]) == 1
    with bot.services.db.session() as s:
        [r] = store.list_reminders(s)
        assert "me quiere matar" in r.text


async def test_a_malformed_or_stale_reminder_button_changes_nothing(api, bot):
    await api.send_text(STAFF_ID, f"/recordatorios nuevo 1 fin-de-semestre 09:00\n{TEXT}")
    created = await expect(api, STAFF_ID, "Recordatorio #1 creado")
    forged = ["v1:rem:pr:1", "v1:rem:p:²", "v1:rem:p:1:x", "v1:rem:p:99999999999999999999",
              "v1:rem::1", "v1:rem:p:", "v1:rem:y:77"]
    for data in forged:
        seen = len(api.callback_answers)
        await api.press(STAFF_ID, created.message_id, data)
        answer = await eventually(lambda n=seen: api.callback_answers[n:])
        assert [a.text for a in answer] == ["Este botón ya no está disponible."], data
    with bot.services.db.session() as s:
        assert [r.active for r in store.list_reminders(s)] == [True]
