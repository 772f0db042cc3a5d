"""Issue 11 end to end: «Ninguna de estas» logs the question without personal data, someone
else's case gets the helper's reply (then the answer), a minor's exploitation gets the reply for
children, a figure of speech none, a second question is offered, and the help command is never a
crisis."""

from sqlalchemy import select

from bot.safety import CrisisDetector
from bot.storage.models import CrisisEvent, UnansweredQuestion
from bot.textnorm import default_language
from tests.e2e.harness import eventually, expect, open_registration

UID = 2011


def rows(bot, model):
    with bot.services.db.session() as s:
        return list(s.scalars(select(model)))


def suggest_question(answers, contact: str) -> str:
    """A question the matcher only suggests for, with a name, a phone and an e-mail in it."""
    for q in ("instancia", "violencia", "ley", "plan", "registro", "linea"):
        text = f"Buenas, le saluda Rosa Quispe (cel 987 654 321, {contact}). ¿{q}?"
        match = answers.respond(text).match
        if match and match.band == "suggest" and match.suggestions:
            return text
    raise AssertionError("no question leaves this matcher unsure")


async def test_none_of_these_logs_the_question_without_personal_data(api, bot):
    text = suggest_question(bot.services.answers, "rosa.quispe@gmail.com")
    await api.send_text(UID, text)
    menu = await expect(api, UID, "¿Quiso decir")
    assert rows(bot, UnansweredQuestion) == []  # not before the officer says none fits
    await api.press(UID, menu.message_id, "v1:kb:none")
    await expect(api, UID, "Anoté su pregunta")
    [logged] = await eventually(lambda: rows(bot, UnansweredQuestion))
    for personal in ("rosa", "quispe", "987", "654", "gmail"):
        assert personal not in logged.text_norm, logged.text_norm
    assert "nombre" in logged.text_norm and "correo" in logged.text_norm
    # The same menu pressed again does not log it twice.
    await api.press(UID, menu.message_id, "v1:kb:none")
    assert [r.count for r in rows(bot, UnansweredQuestion)] == [1]


async def test_an_unknown_question_is_logged_without_personal_data(api, bot):
    await api.send_text(
        UID, "Mi nombre es Ana Torres, DNI 45678912: se puede grabar en video la sesion"
    )
    await expect(api, UID, "No encontré")
    [logged] = await eventually(lambda: rows(bot, UnansweredQuestion))
    assert "video" in logged.text_norm
    assert "ana" not in logged.text_norm.split() and "45678912" not in logged.text_norm


async def test_someone_elses_case_gets_the_helpers_reply(api, bot):
    await api.send_text(UID, "una señora dice q su pareja la golpea q hago")
    msg = await expect(api, UID, "Para ayudar a esa persona")
    for line in ("105", "Línea 100", "Chat 100", "Centro Emergencia Mujer"):
        assert line in msg.text
    assert "Si usted o alguien cerca" not in msg.text
    [event] = await eventually(lambda: rows(bot, CrisisEvent))
    assert event.kind == "violence_other"
    assert rows(bot, UnansweredQuestion) == []  # a crisis text is never logged


async def test_a_case_only_the_learned_reading_sees_gets_the_helpers_reply(api, bot):
    """No rule fires on this worry about a neighbour (bot/crisis_model.py catches it): the
    helper's reply all the same, counted as a crisis, the text never logged."""
    text = "mi vecina no sale de su casa hace dias y se escuchan llantos de noche"
    detector = bot.services.answers.detector
    assert CrisisDetector(default_language(), rules_only=True).detect(text) is None
    assert detector.model is not None
    await api.send_text(UID, text)
    msg = await expect(api, UID, "Para ayudar a esa persona")
    assert "105" in msg.text and "Línea 100" in msg.text
    [event] = await eventually(lambda: rows(bot, CrisisEvent))
    assert event.kind == "violence_other"
    assert rows(bot, UnansweredQuestion) == []


async def test_a_childs_disclosure_gets_the_demuna_and_the_duty_to_report(api, bot):
    await api.send_text(
        UID, "la hijita de mi vecina le conto a mi hija q su abuelo le toca sus partes"
    )
    msg = await expect(api, UID, "DEMUNA")
    assert "105" in msg.text and "salud y de educación" in msg.text
    [event] = await eventually(lambda: rows(bot, CrisisEvent))
    assert event.kind == "violence_child"


async def test_a_minor_sold_for_money_gets_the_reply_for_children(api, bot):
    """Exploitation told with no violent verb, in a long message: the child's reply, once."""
    await api.send_text(
        UID,
        "Buenas noches, soy regidora en Satipo. En el grifo de la salida hay una chibola de unos "
        "13 que su tío la ofrece a los camioneros a cambio de plata, todos saben, nadie hace nada",
    )
    msg = await expect(api, UID, "DEMUNA")
    assert "105" in msg.text and "salud y de educación" in msg.text
    [event] = await eventually(lambda: rows(bot, CrisisEvent))
    assert event.kind == "violence_child"


async def test_a_figure_of_speech_about_work_gets_no_crisis_reply(api, bot):
    await api.send_text(UID, "nos estamos matando con el informe del semestre, hay algún formato?")
    await eventually(lambda: api.messages(UID))
    texts = [m.text for m in api.messages(UID)]
    for panel in ("Si usted o alguien cerca", "Para ayudar a esa persona", "Línea 100"):
        assert not any(panel in t for t in texts), texts
    assert rows(bot, CrisisEvent) == []


async def test_a_case_with_a_question_gets_the_helpers_reply_then_the_answer(api, bot):
    text = "una mujer llego diciendo que su esposo le pega, donde puede denunciar?"
    reply = bot.services.answers.respond(text)
    assert reply.crisis is not None and reply.crisis.victim == "other"
    await api.send_text(UID, text)
    await expect(api, UID, "Para ayudar a esa persona")
    if reply.entry_id:
        answer = await expect(api, UID, "Fuente")
        entry = bot.services.answers.kb.entries[reply.entry_id]
        assert entry.respuesta.strip()[:30] in answer.text


async def test_two_questions_answer_the_first_and_offer_the_second(api, bot):
    text = "como se instala la instancia? y quien la preside?"
    asked = bot.services.answers.respond(text).match
    assert asked.band == "answer" and asked.also, asked
    await api.send_text(UID, text)
    answer = await expect(api, UID, "Fuente")
    entry = bot.services.answers.kb.entries[asked.entry_id]
    assert entry.respuesta.strip()[:30] in answer.text
    offer = await expect(api, UID, "También preguntó")
    assert [b.callback_data for row in offer.buttons for b in row] == [f"v1:kb:e:{asked.also[0]}"]


async def test_help_inside_a_conversation_is_not_a_crisis(api, bot):
    await open_registration(api, UID)
    await api.send_command(UID, "/ayuda")
    await api.send_text(UID, "ayuda con el reporte")
    await api.send_text(UID, "Lucía Condori")  # the registration goes on where it was
    await expect(api, UID, "cargo")
    texts = [m.text for m in api.messages(UID)]
    assert not any("Línea 100" in t for t in texts), texts
    assert rows(bot, CrisisEvent) == []


async def test_an_unknown_question_offers_what_comes_vaguely_close(api, bot):
    answers = bot.services.answers
    candidates = ("los enamorados estan protegidos por la ley o solo los esposos?",
                  "el alcalde dice que no es obligatorio tener la instancia, es cierto?",
                  "cuanto cuesta el pasaje a lima")  # fmt: skip
    for text in candidates:
        match = answers.respond(text).match
        if match.band == "unknown" and match.suggestions:
            break
    else:
        raise AssertionError("pick a question that is unknown with vague suggestions")
    await api.send_text(UID, text)
    msg = await expect(api, UID, "No encontré")
    data = [b.callback_data for row in msg.buttons for b in row]
    assert data[: len(match.suggestions)] == [f"v1:kb:e:{i}" for i in match.suggestions[:3]]
    assert "v1:kb:home" in data


async def test_another_matter_is_named_so_offers_nothing_and_is_not_logged(api, bot):
    """SIAF is another public matter: no entry to suggest, and no gap for staff to fill."""
    await api.send_text(UID, "como registro un compromiso de gasto en el SIAF?")
    msg = await expect(api, UID, "es de otro tema")
    assert "Ley N° 30364" in msg.text
    assert [b.callback_data for row in msg.buttons for b in row] == ["v1:kb:home"]
    await api.wait_until_consumed()
    assert rows(bot, UnansweredQuestion) == []
    # A question of the matter that merely can't be answered is still logged.
    await api.send_text(UID, "se puede grabar en video la sesion")
    await expect(api, UID, "No encontré")
    await eventually(lambda: rows(bot, UnansweredQuestion))


# Messages near danger that the rules may let pass (bot/crisis_model.py `soft_threshold`): the
# test takes the first the packaged model finds worrying but not a crisis, so a refit that moves
# one of them across either bar does not break it.
NEAR_DANGER = (
    "mi enamorado se molesta si salgo con mis amigas, es normal?",
    "una compañera ya no almuerza con nosotros y su esposo la llama a cada rato",
    "mi pareja revisa mi celular todos los dias y me cuenta los minutos",
    "mi enamorado no me deja ir a las capacitaciones, es normal?",
    "una alumna ya no quiere ir a su casa, se queda en el colegio hasta tarde",
    "la señora de la tienda tiene moretones pero dice que se cayo",
)
SHORT_LINES = "Si usted o alguien cercano está en peligro"


def near_danger(detector) -> str:
    for text in NEAR_DANGER:
        if detector.detect(text) is None and detector.worrying(text):
            return text
    raise AssertionError("none of NEAR_DANGER is worrying and calm for this model: add one")


async def replies_until(api, uid: int, text: str) -> list[str]:
    """Every new message the bot sends up to the one containing `text`."""
    seen: list[str] = []
    while not seen or text not in seen[-1]:
        batch = await api.wait_for_messages(uid, count=1, timeout=15.0)
        seen += [m.text or "" for m in batch if not m.edited]
    return seen


async def test_a_message_near_danger_gets_the_short_help_lines_after_the_reply(api, bot):
    """No crisis reply, none counted, but the numbers after whatever the bot replies; and the
    text, which may tell of a person at risk, is not kept for the unanswered list."""
    text = near_danger(bot.services.answers.detector)
    await api.send_text(UID, text)
    seen = await replies_until(api, UID, SHORT_LINES)
    assert len(seen) >= 2, seen  # the reply first, then the short lines
    assert "105" in seen[-1] and "Línea 100" in seen[-1] and "113" in seen[-1]
    assert not any("Si usted o alguien cerca está en peligro, pida ayuda" in m for m in seen)
    assert not any("Anoté" in m for m in seen)  # it is not noted, and it does not say so
    assert rows(bot, CrisisEvent) == []
    assert rows(bot, UnansweredQuestion) == []


async def test_a_calm_question_gets_no_short_help_lines(api, bot):
    text = "se puede grabar en video la sesion de la instancia"
    assert not bot.services.answers.detector.worrying(text)
    await api.send_text(UID, text)
    await expect(api, UID, "No encontré")
    await api.send_text(UID, "gracias")
    seen = await replies_until(api, UID, "Con gusto")
    assert not any(SHORT_LINES in m for m in seen), seen
