"""Questions end to end: answers with sources, suggestions, unknowns, /temas, feedback,
crisis replies anywhere, and a knowledge-base reload that survives a broken file."""

import shutil

import pytest
from sqlalchemy import select

from bot.storage.models import AnswerFeedback, CrisisEvent, UnansweredQuestion
from tests.e2e.harness import ROOT, STAFF_ID, BotRunner, eventually, expect, open_registration

UID = 2002


def rows(bot, model):
    with bot.services.db.session() as s:
        return list(s.scalars(select(model)))


def first_suggest_question(answers):
    """A question the matcher is unsure about, found by asking it rather than hard-coding."""
    for q in ("instancia", "violencia", "ley", "plan", "registro", "linea"):
        reply = answers.respond(q)
        if reply.match and reply.match.band == "suggest" and reply.match.suggestions:
            return q, reply.match.suggestions
    pytest.skip("no single word leaves this matcher unsure")


async def test_question_gets_answer_with_source_and_feedback(api, bot):
    await api.send_text(UID, "quienes integran la instancia distrital de concertacion")
    answer = await expect(api, UID, "Fuente")
    entry = bot.services.answers.kb.entries["instancia-distrital-integrantes"]
    assert answer.text.startswith(entry.respuesta.strip()[:40])
    labels = [b.text for row in answer.buttons for b in row]
    assert labels[:3] == ["👍 Útil", "👎 No me sirvió", "📋 Ver la lista completa"]
    related = [b.callback_data for row in answer.buttons[2:] for b in row]
    assert related == [f"v1:kb:e:{r}" for r in entry.relacionados[:3]]

    await api.press_button(UID, "👎")
    await eventually(lambda: rows(bot, AnswerFeedback))
    [fb] = rows(bot, AnswerFeedback)
    assert (fb.entry_id, fb.useful) == ("instancia-distrital-integrantes", False)
    await expect(api, UID, "Gracias por avisarnos")
    # The rating buttons go away; pressing the old data again does not count twice.
    def rating_gone():
        rated = next(m for m in api.messages(UID) if m.message_id == answer.message_id)
        data = [b.callback_data or "" for row in rated.buttons for b in row]
        return not any(d.startswith("v1:fb:") for d in data)

    assert await eventually(rating_gone)
    await api.press(UID, answer.message_id, "v1:fb:instancia-distrital-integrantes:down")
    await eventually(lambda: len(api.callback_answers) >= 2)
    assert len(rows(bot, AnswerFeedback)) == 1


async def test_long_list_is_offered_not_sent(api, bot):
    entry = bot.services.answers.kb.entries["instancia-distrital-integrantes"]
    await api.send_text(UID, "quienes integran la instancia distrital de concertacion")
    answer = await expect(api, UID, "Fuente")
    assert "designado por la presidencia de la Junta" not in answer.text  # only the summary
    await api.press(UID, answer.message_id, f"v1:kb:l:{entry.id}")
    full = await expect(api, UID, "Junta de Fiscales Superiores")
    assert full.text.count("•") == 13 and "— verificado" in full.text
    # The list button goes away; the rating and related buttons stay.
    def list_button_gone():
        [now] = [m for m in api.messages(UID) if m.message_id == answer.message_id]
        data = [b.callback_data or "" for row in now.buttons for b in row]
        return "v1:fb:instancia-distrital-integrantes:up" in data and not any(
            d.startswith("v1:kb:l:") for d in data)

    assert await eventually(list_button_gone)


async def test_help_line_answer_has_no_rating(api, bot):
    await api.send_text(UID, "que numero marco para pedir un patrullero por violencia familiar")
    answer = await expect(api, UID, "105")
    data = [b.callback_data or "" for row in answer.buttons for b in row]
    assert data and not any(d.startswith("v1:fb:") for d in data)
    assert "secundaria" not in answer.text.split("📖")[0]


async def test_related_button_opens_that_entry(api, bot):
    await api.send_text(UID, "q es el ruva??")
    await expect(api, UID, "Fuente")
    entry = bot.services.answers.kb.entries["ruva"]
    if not entry.relacionados:
        pytest.skip("ruva has no related entries")
    target = bot.services.answers.kb.entries[entry.relacionados[0]]
    await api.press(UID, api.last(UID).message_id, f"v1:kb:e:{target.id}")
    answer = await expect(api, UID, "Fuente")
    assert target.respuesta.strip()[:30] in answer.text


async def test_unsure_question_offers_suggestions(api, bot):
    q, suggestions = first_suggest_question(bot.services.answers)
    await api.send_text(UID, q)
    msg = await expect(api, UID, "¿Quiso decir")
    data = [b.callback_data for row in msg.buttons for b in row]
    assert data[:-1] == [f"v1:kb:e:{i}" for i in suggestions[:3]]
    assert data[-1] == "v1:kb:none"
    await api.press(UID, msg.message_id, data[0])
    answer = await expect(api, UID, "Fuente")
    entry = bot.services.answers.kb.entries[suggestions[0]]
    assert entry.respuesta.strip()[:30] in answer.text


async def test_unknown_question_is_admitted_and_logged_without_user(api, bot):
    await api.send_text(UID, "¿Se puede grabar en video la sesión??")
    msg = await expect(api, UID, "No encontré una respuesta confiable")
    data = [b.callback_data for row in msg.buttons for b in row]
    # The topics, after at most the entries that come vaguely close; never an answer.
    assert data[-1] == "v1:kb:home" and all(d.startswith("v1:kb:e:") for d in data[:-1]), data
    await api.send_text(UID, "se puede grabar en video la sesion")
    await expect(api, UID, "No encontré")
    logged = await eventually(lambda: [r for r in rows(bot, UnansweredQuestion) if r.count == 2])
    assert len(logged) == 1
    assert "video" in logged[0].text_norm
    assert str(UID) not in logged[0].text_norm
    # From the unknown reply, the topics menu opens in place.
    await api.press(UID, msg.message_id, "v1:kb:home")
    menu = await expect(api, UID, "Temas de consulta", edits=True)
    assert len(menu.buttons) == len(bot.services.answers.kb.categories)


async def test_someone_typing_their_own_name_is_not_logged_by_name(api, bot):
    """Not registered (consent declined, say), they type their name as if registering: what
    staff read keeps no word of their Telegram name."""
    api.user(7301, first_name="Rósa", last_name="Quispe Huamán")
    await api.send_text(7301, "rosa quispe huaman, municipalidad de ayabaca")
    await expect(api, 7301, "")
    logged = await eventually(lambda: rows(bot, UnansweredQuestion))
    assert all(w not in logged[0].text_norm for w in ("rosa", "quispe", "huaman")), logged
    assert "ayabaca" in logged[0].text_norm


async def test_small_talk_is_not_answered_with_an_entry(api, bot):
    await api.send_text(UID, "hola")
    msg = await expect(api, UID, "Hola")
    assert "Fuente" not in msg.text
    await api.send_text(UID, "muchas gracias!!")
    msg = await expect(api, UID, "gusto")
    assert "Fuente" not in msg.text


async def test_topics_navigation(api, bot):
    kb = bot.services.answers.kb
    await api.send_command(UID, "/temas")
    menu = await expect(api, UID, "Temas de consulta")
    assert [row[0].callback_data for row in menu.buttons] == [
        f"v1:kb:c:{c.id}" for c in kb.categories
    ]
    first = kb.categories[0]
    await api.press(UID, menu.message_id, f"v1:kb:c:{first.id}")
    cat = await expect(api, UID, first.titulo, edits=True)
    assert cat.message_id == menu.message_id  # navigates in place
    assert [r[0].callback_data for r in cat.buttons[:-1]] == [
        f"v1:kb:e:{i}" for i in first.entries
    ]
    await api.press(UID, menu.message_id, "v1:kb:home")
    await expect(api, UID, "Temas de consulta", edits=True)
    await api.press(UID, menu.message_id, f"v1:kb:e:{first.entries[0]}")
    await expect(api, UID, "Fuente")
    # A forged category or entry is refused politely.
    await api.press(UID, menu.message_id, "v1:kb:c:no-such-category")
    await eventually(lambda: any("ya no está" in (a.text or "") for a in api.callback_answers))


async def test_crisis_from_an_unregistered_user(api, bot):
    await api.send_text(UID, "ayuda mi expareja me quiere matar, esta afuera de mi casa")
    msg = await expect(api, UID, "Línea 100")
    assert "105" in msg.text
    assert "Chat 100" in msg.text and "Centro Emergencia Mujer" in msg.text
    [event] = await eventually(lambda: rows(bot, CrisisEvent))
    assert event.kind == "violence"
    assert set(CrisisEvent.__table__.columns.keys()) == {"id", "kind", "at"}


async def test_crisis_that_is_also_a_question_gets_both(api, bot):
    text = "mi esposo me pega, donde puedo poner la denuncia?"
    reply = bot.services.answers.respond(text)
    assert reply.crisis is not None
    await api.send_text(UID, text)
    await expect(api, UID, "Línea 100")
    if reply.entry_id:
        answer = await expect(api, UID, "Fuente")
        entry = bot.services.answers.kb.entries[reply.entry_id]
        assert entry.respuesta.strip()[:30] in answer.text
    assert rows(bot, UnansweredQuestion) == []  # a crisis text is never logged


async def test_self_harm_gets_the_mental_health_line(api, bot):
    await api.send_text(UID, "ya no quiero vivir, me quiero morir")
    msg = await expect(api, UID, "113")
    assert "Línea 100" in msg.text


async def test_question_about_violence_is_not_a_crisis(api, bot):
    await api.send_text(UID, "que se considera violencia fisica segun la ley 30364")
    msg = await expect(api, UID, "Fuente")
    assert "Si usted o alguien cerca está en peligro" not in msg.text
    assert rows(bot, CrisisEvent) == []


async def test_crisis_inside_registration_keeps_the_step(api, bot):
    await open_registration(api, UID)
    await api.send_text(UID, "mi esposo me pega todos los dias")
    await expect(api, UID, "Línea 100")
    await api.send_text(UID, "Lucía Condori")  # the registration goes on where it was
    await expect(api, UID, "cargo")


async def test_non_text_outside_a_conversation(api, bot):
    await api.send_sticker(UID)
    await expect(api, UID, "solo puedo leer mensajes de texto")


async def test_very_long_message(api, bot):
    await api.send_text(UID, "palabra " * 500)
    await expect(api, UID, "muy largo")


@pytest.fixture
async def bot_with_copy(api, db_url, tmp_path):
    knowledge = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge)
    runner = BotRunner(api, db_url, knowledge_dir=knowledge)
    await runner.start()
    try:
        yield runner, knowledge
    finally:
        await runner.stop()


async def test_reload_keeps_serving_on_a_broken_file(api, bot_with_copy):
    bot, knowledge = bot_with_copy
    await api.send_command(UID, "/recargar")
    await expect(api, UID, "solo para el personal")

    ley = knowledge / "faq" / "ley.yaml"
    ley.write_text(ley.read_text(encoding="utf-8") + "\n  - id: [roto\n", encoding="utf-8")
    await api.send_command(STAFF_ID, "/recargar")
    msg = await expect(api, STAFF_ID, "No se recargó")
    assert "ley.yaml:" in msg.text
    await api.send_text(UID, "que es la ley 30364")
    await expect(api, UID, "Fuente")  # the previous version still answers

    shutil.copy(ROOT / "knowledge" / "faq" / "ley.yaml", ley)
    await api.send_command(STAFF_ID, "/recargar")
    msg = await expect(api, STAFF_ID, "recargada")
    assert f"{len(bot.services.answers.kb.entries)} respuestas" in msg.text


async def test_help_and_unknown_commands(api, bot):
    await api.send_command(UID, "/ayuda")
    msg = await expect(api, UID, "Fuente")
    assert bot.services.answers.kb.entries["bot-como-usar"].respuesta.strip()[:30] in msg.text
    await api.send_command(UID, "/reportar_algo")
    await expect(api, UID, "No conozco ese comando")
