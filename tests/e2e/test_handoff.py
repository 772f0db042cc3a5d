"""Hand-off to a specialist end to end: the officer's private chat, the staff group (raw group
updates through the stand-in), restarts, a blocked officer and the deletion of their data."""

from dataclasses import replace
from itertools import count

import pytest
from sqlalchemy import select

from bot import handoff_actions
from bot.registration import Draft
from bot.storage.models import AuditEntry, Handoff, HandoffMessage
from bot.storage.officers import save_officer
from handlers import common
from tests.e2e.harness import (
    STAFF_ID,
    BotRunner,
    busy_once,
    eventually,
    expect,
    private_message,
    send_twice,
)

OFFICER = 3003
STRANGER = 3004
GROUP = -1001234567
GROUP_CHAT = {"id": GROUP, "type": "supergroup", "title": "MIMP: especialistas"}
STAFF_MEMBER = {"id": 7001, "is_bot": False, "first_name": "Rosa"}
UNKNOWN_QUESTION = "¿Se puede grabar en video la sesión <2026> & el acta??"

_ids = count(500)  # our own ids for group messages, so the test can reply to them


@pytest.fixture
async def staff_bot(api, db_url):
    runner = BotRunner(api, db_url, staff_group_chat_id=GROUP)
    await runner.start()
    # Specialists are staff like any other: an admin adds them with /staff.
    await api.send_command(STAFF_ID, f"/staff agregar {STAFF_MEMBER['id']} Rosa Flores")
    await expect(api, STAFF_ID, "Se agregó")
    await group_say(api, "Hola equipo")  # the group exists before the bot posts in it
    await api.wait_until_consumed()
    try:
        yield runner
    finally:
        await runner.stop()


def register(bot, uid=OFFICER, name="María Quispe Huamán"):
    """Registration has its own tests; here the officer is stored directly."""
    draft = Draft(
        name=name, cargo="Subgerente de Desarrollo Social", level="distrital",
        place_code="150135", institution="Municipalidad Distrital de San Martín de Porres",
        phone_done=True, consent=True,
    )
    with bot.services.db.session() as s:
        save_officer(s, uid, draft, "2026-11", bot.services.now())


def reply_target(message) -> dict:
    return {k: v for k, v in message.raw.items() if k != "reply_to_message"}


def group_message(text, *, reply_to=None, sender=STAFF_MEMBER, chat=GROUP_CHAT) -> dict:
    """A raw update: a message in a group from a person (or a bot), maybe replying to one."""
    message = {"message_id": next(_ids), "chat": chat, "from": sender, "text": text}
    if text.startswith("/"):
        message["entities"] = [
            {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
        ]
    if reply_to is not None:
        message["reply_to_message"] = reply_target(reply_to)
    return {"message": message}


async def group_say(api, text, **where) -> int:
    """A message in a group from a person (or a bot), optionally replying to a message."""
    update = group_message(text, **where)
    await api.send_update(update)
    return update["message"]["message_id"]


async def group_press(api, message, data, sender=STAFF_MEMBER) -> None:
    query = {"id": str(next(_ids)), "from": sender, "message": message.raw,
             "chat_instance": "42", "data": data}
    await api.send_update({"callback_query": query})


def handoffs(bot):
    with bot.services.db.session() as s:
        return [(h.id, h.status) for h in s.scalars(select(Handoff).order_by(Handoff.id))]


def thread(bot):
    with bot.services.db.session() as s:
        rows = s.scalars(select(HandoffMessage).order_by(HandoffMessage.id))
        return [(m.handoff_id, m.direction, m.text) for m in rows]


async def consulta(api, text="¿Cómo conformamos la secretaría técnica si no hay CEM?"):
    """Send a consulta with /especialista; returns the group's message of it."""
    await api.send_command(OFFICER, "/especialista")
    await expect(api, OFFICER, "Escriba su consulta")
    await api.send_text(OFFICER, text)
    await expect(api, OFFICER, "llegó al equipo")
    return await expect(api, GROUP, "Consulta #")


async def nothing_more(api, chat_id):
    await api.wait_until_consumed()
    return [m for m in await api.settle(chat_id, quiet=0.3) if not m.edited]


# --- the round trip ----------------------------------------------------------------------------


async def test_round_trip_from_the_no_lo_se_reply(api, staff_bot):
    bot = staff_bot
    register(bot)
    await api.send_text(OFFICER, UNKNOWN_QUESTION)
    unknown = await expect(api, OFFICER, "No encontré una respuesta confiable")
    # After at most the entries that come vaguely close: the topics and the specialist.
    assert unknown.button_texts[-2:] == ["📚 Ver temas", "🙋 Hablar con un especialista"]
    await api.press_button(OFFICER, "especialista")
    confirm = await expect(api, OFFICER, "¿Envío esta consulta")
    assert "&lt;2026&gt; &amp; el acta" in confirm.text  # the question, offered back, escaped
    await api.press_button(OFFICER, "Enviar")
    await expect(api, OFFICER, "Su consulta <b>#1</b> llegó")

    posted = await expect(api, GROUP, "Consulta #1")
    for part in ("María Quispe Huamán", "Subgerente de Desarrollo Social",
                 "Municipalidad Distrital de San Martín de Porres",
                 "Instancia Distrital de Concertación de San Martín de Porres (Lima, Lima)",
                 "&lt;2026&gt; &amp; el acta"):
        assert part in posted.text
    assert posted.plain_text.count("<2026> & el acta") == 1
    assert handoffs(bot) == [(1, "open")]

    staff_msg = await group_say(api, "Hola María: se paga en la <b>quincena</b>.", reply_to=posted)
    relayed = await expect(api, OFFICER, "Respuesta del especialista del MIMP (consulta #1)")
    assert "se paga en la &lt;b&gt;quincena&lt;/b&gt;." in relayed.text
    assert relayed.button_texts == ["↩️ Responder"]
    assert await eventually(lambda: handoffs(bot) == [(1, "answered")])
    reaction = await api.wait_for_call("setMessageReaction")
    assert int(reaction.params["message_id"]) == staff_msg

    await api.press_button(OFFICER, "Responder")
    await expect(api, OFFICER, "Escriba su respuesta para el especialista (consulta #1)")
    await api.send_text(OFFICER, "Gracias, ¿y si el trabajador es CAS?")
    await expect(api, OFFICER, "Envié su respuesta")
    answer = await expect(api, GROUP, "#1 responde")
    assert "¿y si el trabajador es CAS?" in answer.text
    assert answer.raw["reply_to_message"]["message_id"] == staff_msg  # same thread
    assert "Cerrar consulta" in answer.button_texts[0]
    assert await eventually(lambda: handoffs(bot) == [(1, "open")])

    # Replying to the relayed message (Telegram's reply) works too.
    await api.send_update({"message": {
        "chat": {"id": OFFICER, "type": "private", "first_name": "Ana"},
        "from": {"id": OFFICER, "is_bot": False, "first_name": "Ana"},
        "text": "Sí",  # short is fine for an answer
        "reply_to_message": reply_target(relayed),
    }})
    await expect(api, OFFICER, "Envié su respuesta")
    again = await expect(api, GROUP, "#1 responde")
    assert again.text.endswith("\n\nSí")
    assert again.raw["reply_to_message"]["message_id"] == answer.message_id
    assert [d for _, d, _ in thread(bot)] == ["in", "out", "in", "in"]


async def test_especialista_needs_registration(api, staff_bot):
    await api.send_command(STRANGER, "/especialista")
    msg = await expect(api, STRANGER, "necesita saber quién consulta")
    assert "/start" in msg.text
    assert msg.button_texts == ["📝 Registrarme"]
    await api.send_text(STRANGER, "que es la ley 30364")  # no conversation was left open
    await expect(api, STRANGER, "Fuente")
    assert handoffs(staff_bot) == []


async def test_the_consulta_step(api, staff_bot):
    register(staff_bot)
    await api.send_command(OFFICER, "/especialista")
    await expect(api, OFFICER, "Escriba su consulta")
    await api.send_sticker(OFFICER)
    await expect(api, OFFICER, "Recibí un sticker")
    await expect(api, OFFICER, "Escriba su consulta")
    await api.send_text(OFFICER, "x" * 3001)
    await expect(api, OFFICER, "3001 caracteres y el límite es 3000")
    await api.send_command(OFFICER, "/temas")
    await expect(api, OFFICER, "Seguimos donde nos quedamos")
    await api.send_command(OFFICER, "/cancelar")
    await expect(api, OFFICER, "cancelado")
    await api.send_command(OFFICER, "/especialista")
    await expect(api, OFFICER, "Escriba su consulta")
    await api.send_text(OFFICER, "Cancelar")  # typed without the slash: still cancels
    await expect(api, OFFICER, "cancelado")
    assert handoffs(staff_bot) == []
    await consulta(api)
    assert handoffs(staff_bot) == [(1, "open")]


# --- when the service is off or the group cannot be reached -------------------------------------


async def test_no_staff_group_configured(api, bot):
    register(bot)
    await api.send_text(OFFICER, UNKNOWN_QUESTION)
    unknown = await expect(api, OFFICER, "No encontré")
    assert unknown.button_texts[-1] == "📚 Ver temas"  # no specialist to offer
    assert "🙋 Hablar con un especialista" not in unknown.button_texts
    await api.send_command(OFFICER, "/especialista")
    msg = await expect(api, OFFICER, "aún no está disponible")
    assert "/temas" in msg.text


async def test_the_text_is_kept_when_the_group_is_unreachable(api, db_url):
    # The configured group never had the bot in it: Telegram says "chat not found".
    runner = BotRunner(api, db_url, staff_group_chat_id=GROUP)
    await runner.start()
    try:
        register(runner)
        await api.send_command(OFFICER, "/especialista")
        await expect(api, OFFICER, "Escriba su consulta")
        await api.send_text(OFFICER, "¿Quién preside la instancia provincial?")
        await expect(api, OFFICER, "la guardé")
        assert handoffs(runner) == []  # nothing half-sent is kept

        # The service is switched off while an officer is typing (the step survives restarts).
        await api.send_command(OFFICER, "/especialista")
        await expect(api, OFFICER, "¿Envío esta consulta")
        await api.press_button(OFFICER, "Escribir otra")
        await expect(api, OFFICER, "Escriba su consulta")
        runner.settings = replace(runner.settings, staff_group_chat_id=None)
        await runner.restart()
        await api.send_text(OFFICER, "¿Y quién es la secretaría técnica?")
        await expect(api, OFFICER, "la guardé")

        # Back on, with the bot in the group: the saved text is offered and sent.
        runner.settings = replace(runner.settings, staff_group_chat_id=GROUP)
        await runner.restart()
        await group_say(api, "Ya agregamos el bot")
        await api.send_command(OFFICER, "/especialista")
        offered = await expect(api, OFFICER, "¿Envío esta consulta")
        assert "secretaría técnica" in offered.text
        await api.press_button(OFFICER, "Enviar")
        await expect(api, OFFICER, "llegó al equipo")
        posted = await expect(api, GROUP, "Consulta #2")  # #1 never reached staff; not reused
        assert "secretaría técnica" in posted.text
        assert handoffs(runner) == [(2, "open")]
    finally:
        await runner.stop()


# --- who counts as staff ------------------------------------------------------------------------


async def test_only_staff_replies_in_the_staff_group_are_relayed(api, staff_bot):
    register(staff_bot)
    posted = await consulta(api)
    other_group = {"id": -100999, "type": "supergroup", "title": "Otro grupo"}
    await group_say(api, "Hola a todos", chat=other_group)
    await group_say(api, "Respuesta desde otro grupo", reply_to=posted, chat=other_group)
    a_bot = {"id": 555, "is_bot": True, "first_name": "OtroBot", "username": "otro_bot"}
    await group_say(api, "Soy un bot", reply_to=posted, sender=a_bot)
    human = await group_say(api, "Una nota interna")
    await group_say(api, "De acuerdo", reply_to=type("M", (), {"raw": {
        "message_id": human, "chat": GROUP_CHAT, "from": STAFF_MEMBER, "date": 0,
        "text": "Una nota interna"}})())
    assert await nothing_more(api, OFFICER) == []
    assert await nothing_more(api, GROUP) == []
    assert handoffs(staff_bot) == [(1, "open")]

    # An admin posting anonymously as the group cannot be told from anyone: not relayed, and
    # told how to answer instead.
    anonymous = {"id": 1087968824, "is_bot": True, "first_name": "Group",
                 "username": "GroupAnonymousBot"}
    await api.send_update({"message": {
        "message_id": next(_ids), "chat": GROUP_CHAT, "from": anonymous,
        "sender_chat": GROUP_CHAT, "text": "Respuesta anónima",
        "reply_to_message": reply_target(posted),
    }})
    await expect(api, GROUP, "con su propia cuenta")
    assert await nothing_more(api, OFFICER) == []


async def test_a_blocked_officer_does_not_break_anything(api, staff_bot):
    register(staff_bot)
    posted = await consulta(api)
    # More 502s than the request layer retries: the relay itself must report the failure.
    api.fail_next("sendMessage", status=502, description="Bad Gateway", count=4)
    await group_say(api, "Primer intento", reply_to=posted)
    await expect(api, GROUP, "por un problema con Telegram")
    api.block(OFFICER)
    await group_say(api, "¿Sigue ahí?", reply_to=posted)
    warning = await expect(api, GROUP, "No se pudo entregar la respuesta a la consulta #1")
    assert "bloqueó" in warning.text
    assert handoffs(staff_bot) == [(1, "open")]  # not answered: it never arrived
    await group_say(api, "/consultas")
    await expect(api, GROUP, "#1")  # the bot goes on working


async def test_non_text_reply_and_reply_to_a_foreign_bot_message(api, staff_bot):
    register(staff_bot)
    posted = await consulta(api)
    await api.send_update({"message": {
        "message_id": next(_ids), "chat": GROUP_CHAT, "from": STAFF_MEMBER,
        "sticker": {"file_id": "s1", "file_unique_id": "s1", "type": "regular", "width": 1,
                    "height": 1, "is_animated": False, "is_video": False},
        "reply_to_message": reply_target(posted),
    }})
    await expect(api, GROUP, "Solo puedo reenviar texto")
    await group_say(api, "/consultas")
    listing = await expect(api, GROUP, "Consultas abiertas")
    await group_say(api, "gracias", reply_to=listing)
    await expect(api, GROUP, "no pertenece a ninguna consulta")
    assert await nothing_more(api, OFFICER) == []


# --- /consultas and /cerrar ---------------------------------------------------------------------


async def test_consultas_and_cerrar_are_for_staff(api, staff_bot):
    register(staff_bot)
    posted = await consulta(api)
    await group_say(api, "Lo revisamos y le escribimos.", reply_to=posted)
    await expect(api, OFFICER, "Respuesta del especialista")
    assert await eventually(lambda: handoffs(staff_bot) == [(1, "answered")])
    for command in ("/consultas", "/cerrar 1"):
        await api.send_command(OFFICER, command)
        await expect(api, OFFICER, "Este comando es solo para el personal del MIMP.")

    await api.send_command(STAFF_ID, "/consultas")
    listing = await expect(api, STAFF_ID, "Consultas abiertas")
    today = staff_bot.services.local_date(staff_bot.services.now())
    assert f"<b>#1</b> · 🟢 respondida · {today}" in listing.text
    assert "María Quispe Huamán, Instancia Distrital de Concertación de San Martín" in listing.text

    await api.send_command(STAFF_ID, "/cerrar")
    await expect(api, STAFF_ID, "Indique el número")
    await api.send_command(STAFF_ID, "/cerrar 99")
    await expect(api, STAFF_ID, "No existe la consulta #99")

    # A forged close button from the officer's private chat changes nothing.
    await api.press(OFFICER, 1, "v1:ho:close:1")
    await eventually(lambda: any("solo para el personal" in (a.text or "")
                                 for a in api.callback_answers))
    assert handoffs(staff_bot) == [(1, "answered")]

    # In the group: the button under the consulta closes it.
    await group_press(api, posted, "v1:ho:close:1")
    closed = await expect(api, GROUP, "Consulta cerrada", edits=True)
    assert closed.buttons == []
    assert handoffs(staff_bot) == [(1, "closed")]
    await group_say(api, "/cerrar 1")
    await expect(api, GROUP, "ya estaba cerrada")
    await group_say(api, "/consultas")
    await expect(api, GROUP, "No hay consultas abiertas")

    # The officer writing again reopens it, in the same thread; /cerrar as a reply closes it.
    await api.press_button(OFFICER, "Responder")
    await expect(api, OFFICER, "Escriba su respuesta")
    await api.send_text(OFFICER, "Gracias, una última cosa.")
    reopened = await expect(api, GROUP, "se reabrió")
    assert await eventually(lambda: handoffs(staff_bot) == [(1, "open")])
    await group_say(api, "/cerrar", reply_to=reopened)
    await expect(api, GROUP, "Consulta #1 cerrada")


async def test_a_forged_reply_button_is_refused(api, staff_bot):
    register(staff_bot)
    register(staff_bot, STRANGER, "Pedro Ramos")
    await consulta(api)
    await api.press(STRANGER, 1, "v1:ho:reply:1")  # someone else's consulta
    await eventually(lambda: any("ya no está" in (a.text or "") for a in api.callback_answers))
    await api.send_text(STRANGER, "que es la ley 30364")  # no answering step was opened
    await expect(api, STRANGER, "Fuente")
    assert [d for _, d, _ in thread(staff_bot)] == ["in"]


# --- Ley 29733 ----------------------------------------------------------------------------------


async def test_deleting_my_data_removes_my_consultas(api, staff_bot):
    register(staff_bot)
    posted = await consulta(api, "Soy María y mi caso es delicado")
    await group_say(api, "Entendido", reply_to=posted)
    await expect(api, OFFICER, "Respuesta del especialista")

    await api.send_command(OFFICER, "/borrar_mis_datos")
    await expect(api, OFFICER, "borrar todos sus datos")
    await api.press_button(OFFICER, "Sí, borrar")
    await expect(api, OFFICER, "borramos sus datos")
    assert handoffs(staff_bot) == [] and thread(staff_bot) == []
    # The bot's copy in the staff group no longer shows who asked or what.
    blanked = await expect(api, GROUP, "borró sus datos personales", edits=True)
    assert blanked.message_id == posted.message_id
    assert "María" not in blanked.text and blanked.buttons == []

    await group_say(api, "¿Sigue ahí?", reply_to=posted)
    await expect(api, GROUP, "no pertenece a ninguna consulta")
    assert await nothing_more(api, OFFICER) == []


async def test_anonymous_admin_and_joining_a_group(api, staff_bot, caplog):
    anonymous = {"id": 1087968824, "is_bot": True, "first_name": "Group",
                 "username": "GroupAnonymousBot"}
    await api.send_update({"message": {
        "message_id": next(_ids), "chat": GROUP_CHAT, "from": anonymous,
        "sender_chat": GROUP_CHAT, "text": "/consultas",
        "entities": [{"type": "bot_command", "offset": 0, "length": 10}],
    }})
    await expect(api, GROUP, "solo para el personal")  # who it is cannot be checked

    caplog.set_level("INFO", logger="handlers.handoff")
    new_group = {"id": -100777, "type": "supergroup", "title": "Nuevo grupo"}
    bot_user = {"id": 123456, "is_bot": True, "first_name": "Concerta",
                "username": "concerta_bot"}
    await api.send_update({"my_chat_member": {
        "chat": new_group, "from": STAFF_MEMBER, "date": 0,
        "old_chat_member": {"status": "left", "user": bot_user},
        "new_chat_member": {"status": "member", "user": bot_user},
    }})
    await api.wait_until_consumed()
    assert await eventually(lambda: "bot added to group chat -100777; set staff.group_chat_id"
                            in caplog.text)
    assert "Rosa" not in caplog.text


# --- one definition of staff ----------------------------------------------------------------------


async def test_a_member_added_with_staff_lists_and_closes_consultas(api, staff_bot):
    register(staff_bot)
    await consulta(api)
    new_member = 7002
    for uid in (new_member, STRANGER):
        await api.send_command(uid, "/consultas")
        await expect(api, uid, "Este comando es solo para el personal del MIMP.")
    await api.send_command(STAFF_ID, f"/staff agregar {new_member} Luz Mamani")
    await expect(api, STAFF_ID, "Se agregó")

    await api.send_command(new_member, "/consultas")
    listing = await expect(api, new_member, "Consultas abiertas")
    assert "<b>#1</b>" in listing.text
    await api.send_command(new_member, "/cerrar 1")
    await expect(api, new_member, "Consulta #1 cerrada")
    assert handoffs(staff_bot) == [(1, "closed")]
    await api.send_command(STRANGER, "/cerrar 1")
    await expect(api, STRANGER, "solo para el personal")


async def test_a_reply_from_someone_not_staff_is_not_relayed(api, staff_bot):
    register(staff_bot)
    posted = await consulta(api)
    outsider = {"id": 7010, "is_bot": False, "first_name": "Beto"}
    await group_say(api, "Yo le contesto", reply_to=posted, sender=outsider)
    notice = await expect(api, GROUP, "Su mensaje no se envió")
    assert "/staff" in notice.text and "/mi_id" in notice.text
    assert await nothing_more(api, OFFICER) == []
    assert [d for _, d, _ in thread(staff_bot)] == ["in"]
    assert handoffs(staff_bot) == [(1, "open")]
    # Once an admin adds them, the same reply goes through.
    await api.send_command(STAFF_ID, "/staff agregar 7010 Beto Ruiz")
    await expect(api, STAFF_ID, "Se agregó")
    await group_say(api, "Yo le contesto", reply_to=posted, sender=outsider)
    await expect(api, OFFICER, "Yo le contesto")


# --- crisis words on the way to a person --------------------------------------------------------


async def test_crisis_words_in_a_consulta_and_an_answer_still_reach_the_group(api, staff_bot):
    register(staff_bot)
    quoted = 'Una usuaria me contó: "mi esposo me pega"; ¿cómo la derivo?'
    await api.send_command(OFFICER, "/especialista")
    await expect(api, OFFICER, "Escriba su consulta")
    await api.send_text(OFFICER, quoted)
    await expect(api, OFFICER, "Línea 100")  # the writer gets the help lines…
    await expect(api, OFFICER, "Su consulta <b>#1</b> llegó")  # …and the consulta goes
    posted = await expect(api, GROUP, "Consulta #1")
    assert "mi esposo me pega" in posted.plain_text

    # A specialist quoting the case is not a disclosure: no help lines in the group.
    await group_say(api, "Si dice que él le pega, derívela al CEM más cercano.", reply_to=posted)
    await expect(api, OFFICER, "derívela al CEM")
    assert not [m for m in await nothing_more(api, GROUP) if "Línea 100" in (m.text or "")]

    await api.press_button(OFFICER, "Responder")
    await expect(api, OFFICER, "Escriba su respuesta")
    await api.send_text(OFFICER, 'Ahora ella dice "me quiere matar". ¿La acompaño a la comisaría?')
    await expect(api, OFFICER, "Línea 100")
    answer = await expect(api, GROUP, "#1 responde")
    assert "me quiere matar" in answer.plain_text
    await expect(api, OFFICER, "Envié su respuesta")
    assert [d for _, d, _ in thread(staff_bot)] == ["in", "out", "in"]


# --- replayed updates ---------------------------------------------------------------------------


def group_posts(api, text) -> list:
    return [m for m in api.messages(GROUP) if not m.edited and text in (m.text or "")]


def officer_got(api, text) -> list:
    return [m for m in api.messages(OFFICER) if not m.edited and text in (m.text or "")]


async def test_a_replayed_staff_reply_and_cerrar_happen_once(api, staff_bot):
    register(staff_bot)
    posted = await consulta(api)
    await send_twice(api, staff_bot, group_message("Le escribo la respuesta.", reply_to=posted))
    await expect(api, OFFICER, "Le escribo la respuesta.")
    await api.wait_until_consumed()
    await nothing_more(api, OFFICER)
    assert len(officer_got(api, "Le escribo la respuesta.")) == 1
    assert [d for _, d, _ in thread(staff_bot)] == ["in", "out"]

    await send_twice(api, staff_bot, group_message("/cerrar 1"))
    await expect(api, GROUP, "Consulta #1 cerrada")
    await nothing_more(api, GROUP)
    assert len(group_posts(api, "Consulta #1 cerrada")) == 1


async def test_a_consulta_handed_back_after_a_busy_database_is_posted_once(
    api, staff_bot, monkeypatch
):
    monkeypatch.setattr(common, "DB_RETRY_DELAY", 0.1)
    opened = busy_once(handoff_actions.open_consulta)
    monkeypatch.setattr(handoff_actions, "open_consulta", opened)
    register(staff_bot)
    await api.send_command(OFFICER, "/especialista")
    await expect(api, OFFICER, "Escriba su consulta")
    await api.send_text(OFFICER, "¿Quién convoca la primera sesión?")
    await expect(api, OFFICER, "demora momentánea")  # the first try stopped after its commit
    await expect(api, OFFICER, "Su consulta <b>#1</b> llegó")
    await expect(api, GROUP, "Consulta #1")
    await nothing_more(api, OFFICER)
    await nothing_more(api, GROUP)
    assert len(opened.calls) == 2
    assert len(group_posts(api, "Consulta #")) == 1
    assert len(officer_got(api, "llegó al equipo")) == 1
    assert handoffs(staff_bot) == [(1, "open")]


async def test_an_answer_handed_back_after_a_busy_database_is_posted_once(
    api, staff_bot, monkeypatch
):
    monkeypatch.setattr(common, "DB_RETRY_DELAY", 0.1)
    register(staff_bot)
    posted = await consulta(api)
    await group_say(api, "¿En qué distrito?", reply_to=posted)
    relayed = await expect(api, OFFICER, "¿En qué distrito?")
    answered = busy_once(handoff_actions.officer_answer)
    monkeypatch.setattr(handoff_actions, "officer_answer", answered)
    reply = private_message(OFFICER, "En San Martín de Porres.")
    reply["message"]["reply_to_message"] = reply_target(relayed)
    await api.send_update(reply)  # a Telegram reply to the relayed answer
    await expect(api, GROUP, "En San Martín de Porres.")
    await nothing_more(api, GROUP)
    assert len(answered.calls) == 2
    assert len(group_posts(api, "En San Martín de Porres.")) == 1
    assert len(officer_got(api, "Envié su respuesta")) == 1
    assert [d for _, d, _ in thread(staff_bot)] == ["in", "out", "in"]


async def test_a_busy_database_after_a_relay_does_not_relay_it_again(api, staff_bot, monkeypatch):
    monkeypatch.setattr(common, "RECORD_DELAY", 0.05)
    register(staff_bot)
    posted = await consulta(api)
    recorded = busy_once(handoff_actions.relayed)
    monkeypatch.setattr(handoff_actions, "relayed", recorded)
    await group_say(api, "Respuesta única", reply_to=posted)
    relayed = await expect(api, OFFICER, "Respuesta única")
    await nothing_more(api, OFFICER)
    assert len(officer_got(api, "Respuesta única")) == 1
    assert not officer_got(api, "demora")
    assert await eventually(lambda: handoffs(staff_bot) == [(1, "answered")])
    # The relay was recorded on the second try: a Telegram reply to it finds the thread.
    reply = private_message(OFFICER, "Gracias")
    reply["message"]["reply_to_message"] = reply_target(relayed)
    await api.send_update(reply)
    await expect(api, GROUP, "#1 responde")


# --- every staff action audited; people's data only in private or the staff group ---------------

OTHER_GROUP = {"id": -1009999, "type": "supergroup", "title": "Municipalidad: coordinación"}
ADMIN = {"id": STAFF_ID, "is_bot": False, "first_name": "Admin"}


def audited(bot) -> list[tuple[int, str]]:
    with bot.services.db.session() as s:
        rows = s.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [(a.actor_id, a.action) for a in rows]


async def test_consultas_and_cerrar_are_audited(api, staff_bot):
    register(staff_bot)
    await consulta(api)
    before = audited(staff_bot)
    await api.send_command(STAFF_ID, "/consultas")
    await expect(api, STAFF_ID, "Consultas abiertas")
    await api.send_command(STAFF_ID, "/cerrar 1")
    await expect(api, STAFF_ID, "cerr")
    assert await eventually(lambda: audited(staff_bot)[len(before):] == [
        (STAFF_ID, "handoff_list"), (STAFF_ID, "handoff_close"),
    ]), audited(staff_bot)


async def test_data_commands_stay_out_of_other_groups(api, staff_bot):
    register(staff_bot)
    await consulta(api)
    for command in ("/pendientes", "/consultas", "/exportar", "/resumen", "/staff"):
        before = len(api.messages(OTHER_GROUP["id"]))
        await api.send_update(group_message(command, sender=ADMIN, chat=OTHER_GROUP))
        refused = await expect(api, OTHER_GROUP["id"], "chat privado")
        shown = api.messages(OTHER_GROUP["id"])[before:]
        assert [m.text for m in shown] == [refused.text], (command, shown)
        assert all(m.kind == "text" for m in shown), shown
    assert "María Quispe" not in " ".join(m.text or "" for m in api.messages(OTHER_GROUP["id"]))
    # The staff group and a private chat still work.
    await api.send_update(group_message("/consultas", sender=STAFF_MEMBER))
    await expect(api, GROUP, "Consultas abiertas")
    await api.send_command(STAFF_ID, "/pendientes")
    await expect(api, STAFF_ID, "sin reporte", timeout=15)
