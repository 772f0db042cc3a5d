"""The crisis step inside conversations, and replayed updates, through the real bot.

The crisis step is called by each step that takes text: the help lines go to the writer and
what they wrote still goes where it was going (a report answer is saved). A replayed update
(what the bot does after a busy database, and Telegram after a restart) changes nothing twice
and shows nothing twice.
"""

import asyncio
import time

from telegram import Update

from tests.e2e.harness import expect
from tests.e2e.test_report import ANA, answer, at, draft_state, registered

DISCLOSURE = "Gerencia de la Mujer; una vecina dice: mi esposo me pega"


async def test_a_report_answer_quoting_a_disclosure_is_saved_and_the_help_lines_sent(api, bot):
    await registered(api)
    await api.send_command(ANA, "/reporte")
    await expect(api, ANA, "Pregunta 1 de")
    await answer(api, bot, ANA, "creada", press="No")
    await answer(api, bot, ANA, "servicios", ticks=["CEM en comisaría"])
    await answer(api, bot, ANA, "servicios_faltan", text=DISCLOSURE)
    await expect(api, ANA, "Línea 100")
    await at(bot, ANA, "asistencia_recibida")
    assert draft_state(bot, ANA)[1]["servicios_faltan"] == DISCLOSURE


async def test_a_question_that_is_a_crisis_gets_the_help_lines_only_once(api, bot):
    await api.send_text(ANA, "mi esposo me pega, ayuda")
    await expect(api, ANA, "Línea 100")
    await asyncio.sleep(0.5)
    texts = [m.text for m in api.messages(ANA)]
    assert sum("Línea 100" in t for t in texts) == 1, texts
    assert not any("no tengo" in t.lower() for t in texts), texts


async def test_a_crisis_at_a_registration_step_is_not_taken_as_data(api, bot):
    from tests.e2e.harness import open_registration

    await open_registration(api, ANA)
    await api.send_text(ANA, "mi pareja me golpea todos los dias")
    await expect(api, ANA, "Línea 100")
    await expect(api, ANA, "nombre completo")
    await api.send_text(ANA, "Ana Torres")
    await expect(api, ANA, "cargo")


def _text_update(bot, chat_id: int, text: str, update_id: int) -> Update:
    data = {
        "update_id": update_id,
        "message": {
            "message_id": 900_000 + update_id % 1000,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "Ana"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "Ana"},
            "text": text,
        },
    }
    return Update.de_json(data, bot.app.bot)


async def test_a_replayed_report_answer_is_saved_once_and_answered_once(api, bot):
    await registered(api)
    await api.send_command(ANA, "/reporte")
    await expect(api, ANA, "Pregunta 1 de")
    await answer(api, bot, ANA, "creada", press="Sí")
    await at(bot, ANA, "ordenanza_numero")
    update = _text_update(bot, ANA, "Ordenanza Municipal N° 007-2024-MDA", 10**9)
    await bot.app.update_queue.put(update)
    await expect(api, ANA, "fecha")
    await at(bot, ANA, "ordenanza_fecha")
    # Handled again, as after "database busy": the answer must not be taken for the date.
    await bot.app.update_queue.put(update)
    await asyncio.sleep(1.0)
    current, answers = draft_state(bot, ANA)
    assert current == "ordenanza_fecha"
    assert answers["ordenanza_numero"] == "Ordenanza Municipal N° 007-2024-MDA"
    dates = [m for m in api.messages(ANA) if "se aprobó la ordenanza" in m.text]
    assert len(dates) == 1, [m.text for m in api.messages(ANA)[-4:]]
    errors = [m for m in api.messages(ANA) if m.text.startswith("⚠️")]
    assert not errors, [m.text for m in errors]


async def test_a_photo_whose_caption_discloses_danger_gets_the_help_lines(api, bot):
    await api.send_photo(ANA, caption="mi esposo me pega")
    await expect(api, ANA, "Línea 100")
