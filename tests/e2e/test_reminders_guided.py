"""/recordatorios nuevo step by step, as /difundir: the audience with its live count, the
message, the schedule with buttons and in words, a preview with the next run, a confirmation;
back and cancel at any step. The one-line syntax has its own tests (test_reminders.py)."""

from sqlalchemy import select

from bot.audience import NOT_SENT
from bot.services import Services
from bot.storage import broadcasts as store
from tests.e2e.harness import STAFF_ID, eventually, expect
from tests.e2e.test_broadcast import add_officers
from tests.e2e.test_reminders import at

TEXT = "Recuerde enviar el reporte de su instancia"
IN_WORDS = "el 1 y el 15 de noviembre y diciembre a las 09:00"


def reminders(bot):
    with bot.services.db.session() as s:
        return [(r.days, r.months, r.at_time, r.audience, r.text)
                for r in s.scalars(select(store.Reminder))]  # fmt: skip


async def tap(api, label: str, then: str) -> None:
    """Press a button of the latest screen and wait until the screen shows `then` (its text or
    a button): the next press is on the new screen, as a person's would be."""
    await api.press_button(STAFF_ID, label)

    def shown():
        last = api.last(STAFF_ID)
        return last and (then in (last.text or "") or then in last.button_texts)

    assert await eventually(shown), (label, then, api.last(STAFF_ID).button_texts)


async def alert(api, text: str) -> None:
    assert await eventually(lambda: any(text in (a.text or "") for a in api.callback_answers))


async def test_a_reminder_set_up_step_by_step(api, bot, monkeypatch):
    monkeypatch.setattr(Services, "now", lambda self: at(2026, 10, 20, 10, 0))
    add_officers(bot, "Ayacucho", "distrital", [7501, 7502])

    await api.send_command(STAFF_ID, "/recordatorios")
    listing = await expect(api, STAFF_ID, "No hay recordatorios")
    assert listing.button_texts == ["➕ Nuevo recordatorio"]
    await api.press_button(STAFF_ID, "Nuevo recordatorio")
    who = await expect(api, STAFF_ID, "paso 1 de 6")
    assert "Llega a <b>2</b>" in who.text  # officers without a sent report: the usual
    assert "Reporte de este semestre: en borrador o sin empezar" in who.text

    # A mis-tap: only regional officers, nobody; "Siguiente" says so and stays.
    await tap(api, "Nivel", "⬜ regional")
    await tap(api, "⬜ regional", "☑️ regional")
    assert "Llega a <b>0</b>" in api.last(STAFF_ID).text
    await tap(api, "Listo", "🏛 Nivel: 1")
    await api.press_button(STAFF_ID, "Siguiente: el mensaje")
    await alert(api, "Ningún punto focal")
    await tap(api, "Nivel", "☑️ regional")
    await tap(api, "☑️ regional", "⬜ regional")
    assert "Llega a <b>2</b>" in api.last(STAFF_ID).text
    await tap(api, "Listo", "🏛 Nivel: todos")
    await tap(api, "Siguiente: el mensaje", "Escriba el mensaje")

    # Back a step and forward again; then the message.
    await tap(api, "Atrás", "paso 1 de 6")
    await tap(api, "Siguiente: el mensaje", "paso 2 de 6")
    await api.send_text(STAFF_ID, TEXT)
    days = await expect(api, STAFF_ID, "paso 3 de 6")
    # The screen typed past keeps no buttons: an old «Atrás» cannot be pressed by mistake.
    def prompt_buttons():
        [prompt] = [m for m in api.messages(STAFF_ID) if "paso 2 de 6" in (m.text or "")]
        return prompt.buttons

    assert await eventually(lambda: prompt_buttons() == [])
    assert "el 1 y el 15 de mayo, junio, noviembre y diciembre a las 09:00" in days.text
    assert days.button_texts[:3] == ["✅1", "2", "3"] and "✅15" in days.button_texts

    # The schedule: no 1st (a mis-tap), the 1st again; November and December only.
    await tap(api, "✅1", "Se enviará el 15 de mayo")
    await tap(api, "1", "✅1")
    await tap(api, "Meses", "paso 4 de 6")
    await tap(api, "✅ may", "el 15 de junio, noviembre y diciembre")
    await tap(api, "✅ jun", IN_WORDS)
    await tap(api, "Hora", "paso 5 de 6")
    assert "✅ 09:00" in api.last(STAFF_ID).button_texts
    await api.send_text(STAFF_ID, "25:00")
    await expect(api, STAFF_ID, "No entendí la hora")
    await api.press_button(STAFF_ID, "Revisar")

    # The preview: the reminder as officers get it, the schedule in words, the next run.
    preview = await expect(api, STAFF_ID, TEXT)
    assert preview.text == f"📣 <b>Mensaje del MIMP</b>\n\n{TEXT}"
    question = await expect(api, STAFF_ID, "paso 6 de 6")
    assert f"Se enviará <b>{IN_WORDS}</b> (hora de Lima)" in question.text
    assert "hoy llega a <b>2</b> puntos focales" in question.text
    assert "Próximo envío: 01/11/2026 09:00." in question.text
    assert reminders(bot) == []  # nothing until confirmed
    await api.press_button(STAFF_ID, "Crear recordatorio")
    created = await expect(api, STAFF_ID, "Recordatorio #1 creado")
    assert "Próximo envío: 01/11/2026 09:00" in created.text
    assert created.button_texts == ["⏸ Pausar #1", "🗑 Eliminar #1"]
    assert reminders(bot) == [("1,15", "11,12", "09:00", NOT_SENT.to_json(), TEXT)]

    # Back from the preview changes the schedule without retyping anything.
    await api.send_command(STAFF_ID, "/recordatorios nuevo")
    await expect(api, STAFF_ID, "paso 1 de 6")
    await tap(api, "Siguiente: el mensaje", "paso 2 de 6")
    await api.send_text(STAFF_ID, "Segundo aviso")
    await expect(api, STAFF_ID, "paso 3 de 6")
    await tap(api, "Meses", "paso 4 de 6")
    await tap(api, "Hora", "paso 5 de 6")
    await api.send_text(STAFF_ID, "16.30")  # a typed hour goes straight to the preview
    question = await expect(api, STAFF_ID, "paso 6 de 6")
    assert "a las 16:30" in question.text
    await tap(api, "Cambiar horario", "paso 3 de 6")
    await tap(api, "Meses", "paso 4 de 6")
    await tap(api, "Cada mes", "✅ Cada mes")
    await tap(api, "Hora", "paso 5 de 6")
    await api.press_button(STAFF_ID, "Revisar")
    question = await expect(api, STAFF_ID, "paso 6 de 6")
    assert "el 1 y el 15 de cada mes a las 16:30" in question.text
    assert "Próximo envío: 01/11/2026 16:30." in question.text
    await api.press_button(STAFF_ID, "Crear recordatorio")
    await expect(api, STAFF_ID, "Recordatorio #2 creado")
    assert reminders(bot)[1][:3] == ("1,15", "", "16:30")


async def test_cancel_at_any_step_creates_nothing(api, bot):
    add_officers(bot, "Cusco", "provincial", [7601])
    await api.send_command(STAFF_ID, "/recordatorios nuevo")
    await expect(api, STAFF_ID, "paso 1 de 6")
    await api.press_button(STAFF_ID, "Cancelar")
    await expect(api, STAFF_ID, "cancelado")

    await api.send_command(STAFF_ID, "/recordatorios nuevo")
    await expect(api, STAFF_ID, "paso 1 de 6")
    await tap(api, "Siguiente: el mensaje", "paso 2 de 6")
    await api.send_command(STAFF_ID, "/temas")  # another command: the step stays
    await expect(api, STAFF_ID, "Seguimos")
    await expect(api, STAFF_ID, "paso 2 de 6")
    await api.send_text(STAFF_ID, "Aviso para cancelar")
    await expect(api, STAFF_ID, "paso 3 de 6")
    await api.send_text(STAFF_ID, "cancelar")  # typed without the slash
    await expect(api, STAFF_ID, "cancelado")
    await api.send_text(STAFF_ID, "que es la ley 30364")  # no step left open
    await expect(api, STAFF_ID, "Fuente")
    assert reminders(bot) == []

    # Officers cannot start it, and a forged step button changes nothing.
    await api.send_command(7601, "/recordatorios nuevo")
    await expect(api, 7601, "solo para el personal")
    await api.send_command(STAFF_ID, "/recordatorios")
    listing = await expect(api, STAFF_ID, "No hay recordatorios")
    await api.press(7601, listing.message_id, "v1:rn:new")
    await eventually(lambda: any(a.user_id == 7601 for a in api.callback_answers))
    assert reminders(bot) == []
