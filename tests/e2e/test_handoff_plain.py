"""An officer answers a specialist by simply typing, as everyone does in Telegram: the message
goes to the consulta that waits for them (not to the bot as a question, not to the unanswered
list), and they can take it back or ask the bot instead."""

from datetime import timedelta

from sqlalchemy import select, update

from bot.storage.models import HandoffMessage, UnansweredQuestion
from tests.e2e import test_handoff
from tests.e2e.harness import eventually, expect, private_message, send_twice
from tests.e2e.test_handoff import (
    GROUP,
    OFFICER,
    consulta,
    group_say,
    handoffs,
    nothing_more,
    register,
    thread,
)

staff_bot = test_handoff.staff_bot  # the bot with a staff group, as the hand-off tests use it
EMAIL = "maria.quispe@munisjl.gob.pe"


def unanswered(bot) -> list[str]:
    with bot.services.db.session() as s:
        return list(s.scalars(select(UnansweredQuestion.text_norm)))


async def specialist_answers(api, posted, text="Hola María: envíeme su correo, por favor."):
    staff_msg = await group_say(api, text, reply_to=posted)
    relayed = await expect(api, OFFICER, "Respuesta del especialista del MIMP")
    return relayed, staff_msg


async def test_a_typed_reply_reaches_the_group_not_the_unanswered_list(api, staff_bot):
    bot = staff_bot
    register(bot)
    posted = await consulta(api)
    relayed, staff_msg = await specialist_answers(api, posted)
    assert "escriba aquí su mensaje" in relayed.text  # the officer is told they can just type

    await api.send_text(OFFICER, EMAIL)  # typed, not a Telegram reply, no "Responder"
    said = await expect(api, OFFICER, "Envié su mensaje al especialista")
    assert "consulta <b>#1</b>" in said.text
    assert said.button_texts == ["↩️ Retirar el mensaje", "❓ Era una pregunta para el bot"]
    in_group = await expect(api, GROUP, "#1 responde")
    assert EMAIL in in_group.text
    assert in_group.raw["reply_to_message"]["message_id"] == staff_msg  # in the thread
    assert unanswered(bot) == []
    assert await eventually(lambda: handoffs(bot) == [(1, "open")])
    # Nothing else: no "no encontré una respuesta", no suggestions.
    assert [m.text for m in await nothing_more(api, OFFICER)] == []

    # A second line right after the first goes to the same consulta.
    await api.send_text(OFFICER, "y mi anexo es 204")
    await expect(api, OFFICER, "Envié su mensaje al especialista")
    second = await expect(api, GROUP, "#1 responde")
    assert "anexo es 204" in second.text

    # Taken back: the group's copy says so (its words leave the group), the thread forgets
    # them, and what the officer types next is a question for the bot again.
    await api.press_button(OFFICER, "Retirar el mensaje")
    await expect(api, OFFICER, "Retiré su mensaje de la consulta #1")
    edited = await expect(api, GROUP, "retiró este mensaje", edits=True)
    assert edited.message_id == second.message_id and "204" not in edited.text
    assert [t for _, _, t in thread(bot)][-1] == ""
    assert EMAIL in [t for _, _, t in thread(bot)]
    await api.send_text(OFFICER, "que es la ley 30364")
    await expect(api, OFFICER, "Fuente")
    assert [m for m in await nothing_more(api, GROUP)] == []


async def test_ask_the_bot_instead(api, staff_bot):
    bot = staff_bot
    register(bot)
    posted = await consulta(api)
    await specialist_answers(api, posted, "¿Algo más en que le ayude?")
    await api.send_text(OFFICER, "que es la ley 30364")
    await expect(api, OFFICER, "Envié su mensaje al especialista")
    copy = await expect(api, GROUP, "#1 responde")
    await api.press_button(OFFICER, "Era una pregunta para el bot")
    await expect(api, OFFICER, "Fuente")  # answered as the question it was
    edited = await expect(api, GROUP, "retiró este mensaje", edits=True)
    assert edited.message_id == copy.message_id
    # The consulta waits for the officer again, as before the message.
    assert await eventually(lambda: handoffs(bot) == [(1, "answered")])


async def test_a_disclosure_typed_to_a_consulta_gets_the_help_lines_once_and_still_goes(
    api, staff_bot
):
    bot = staff_bot
    register(bot)
    posted = await consulta(api)
    await specialist_answers(api, posted)
    await api.send_text(OFFICER, "Una usuaria dice: mi esposo me pega")
    await expect(api, OFFICER, "Línea 100")
    await expect(api, OFFICER, "Envié su mensaje al especialista")
    await expect(api, GROUP, "mi esposo me pega")
    texts = [m.text for m in api.messages(OFFICER)]
    assert sum("Línea 100" in t for t in texts) == 1, texts


async def test_an_old_or_closed_consulta_takes_no_plain_messages(api, staff_bot):
    bot = staff_bot
    register(bot)
    posted = await consulta(api)
    await specialist_answers(api, posted)
    with bot.services.db.session() as s:  # the specialist's reply was eight days ago
        s.execute(update(HandoffMessage).values(at=bot.services.now() - timedelta(days=8)))
    await api.send_text(OFFICER, "que es la ley 30364")
    await expect(api, OFFICER, "Fuente")

    posted = await consulta(api, "¿Y quién convoca a la primera sesión de la instancia?")
    await specialist_answers(api, posted, "La convoca el alcalde.")
    await group_say(api, "/cerrar", reply_to=posted)
    await expect(api, GROUP, "cerrada")
    await api.send_text(OFFICER, "que es la ley 30364")
    await expect(api, OFFICER, "Fuente")
    assert [m for m in await nothing_more(api, GROUP)] == []


async def test_a_replayed_plain_message_reaches_the_group_once(api, staff_bot):
    bot = staff_bot
    register(bot)
    posted = await consulta(api)
    await specialist_answers(api, posted)
    await send_twice(api, bot, private_message(OFFICER, EMAIL))
    await expect(api, OFFICER, "Envié su mensaje al especialista")
    await expect(api, GROUP, EMAIL)
    assert [m.text for m in await nothing_more(api, GROUP)] == []
    assert [t for _, _, t in thread(bot)].count(EMAIL) == 1
    said = [m for m in api.messages(OFFICER) if "Envié su mensaje" in (m.text or "")]
    assert len(said) == 1
