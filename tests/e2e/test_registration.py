"""Registration end to end: the real Application, the stand-in, a real SQLite file."""

from sqlalchemy import select

from bot.storage.models import BotState, Officer
from tests.e2e.harness import eventually, expect, open_registration

UID = 1001


async def register_until_summary(api, uid=UID, place_query="san martin de porres"):
    await api.send_command(uid, "/start")
    await expect(api, uid, "Soy <b>Concerta</b>")
    await expect(api, uid, "Para preguntar no necesita registrarse")
    await api.press_button(uid, "Registrarme")
    await expect(api, uid, "Ley N° 29733")
    await api.press_button(uid, "Acepto")
    await expect(api, uid, "nombre completo")
    await api.send_text(uid, "maría quispe huamán")
    await expect(api, uid, "cargo")
    await api.send_text(uid, "Subgerente de Desarrollo Social")
    await expect(api, uid, "nivel")
    await api.press_button(uid, "Distrital")
    await expect(api, uid, "distrito")
    await api.send_text(uid, place_query)
    await expect(api, uid, "Toque el suyo")
    await api.press_button(uid, "San Martín de Porres")
    await expect(api, uid, "institución")
    await api.press_button(uid, "Municipalidad Distrital de San Martín de Porres")
    await expect(api, uid, "teléfono")
    await api.send_text(uid, "Omitir")
    return await expect(api, uid, "Revise sus datos")


def state_rows(bot):
    with bot.services.db.session() as s:
        return [(row.kind, row.key) for row in s.scalars(select(BotState))]


def officers(bot):
    with bot.services.db.session() as s:
        return list(s.scalars(select(Officer)))


async def test_start_greets_and_nothing_is_stored(api, bot):
    await api.send_command(UID, "/start")
    greeting = await expect(api, UID, "Concerta")
    assert "Ley N° 30364" in greeting.text
    actions = await expect(api, UID, "Para preguntar")
    labels = [b.text for row in actions.buttons for b in row]
    assert labels == ["📝 Registrarme", "❓ Hacer una pregunta"]
    assert officers(bot) == []


async def test_command_menu_is_set_in_spanish(api, bot):
    payload = api.commands
    text = str(payload)
    assert "perfil" in text and "Ver o editar sus datos" in text


async def test_full_registration(api, bot):
    summary = await register_until_summary(api)
    assert "María Quispe Huamán" in summary.text
    assert "Instancia Distrital de Concertación de San Martín de Porres" in summary.text
    assert "no compartido" in summary.text
    assert officers(bot) == []  # nothing stored before the confirmation
    await api.press_button(UID, "Confirmar")
    await expect(api, UID, "Registro completo")
    [officer] = officers(bot)
    assert officer.telegram_id == UID
    assert officer.name == "María Quispe Huamán"
    assert officer.cargo == "Subgerente de Desarrollo Social"
    assert officer.institution == "Municipalidad Distrital de San Martín de Porres"
    assert officer.phone is None
    assert officer.consent_version == "2026-12.2"
    assert officer.instancia.place.code == "150135"
    assert officer.instancia.place.region == "Lima Metropolitana"
    # The draft and the conversation state are gone once stored.
    assert await eventually(lambda: state_rows(bot) == [])


async def test_declining_consent_stores_nothing(api, bot):
    await api.send_command(UID, "/start")
    await expect(api, UID, "Para preguntar")
    await api.press_button(UID, "Registrarme")
    await expect(api, UID, "¿Acepta?")
    await api.press_button(UID, "No acepto")
    await expect(api, UID, "no guardamos ningún dato")
    await api.send_text(UID, "Ana Pérez")  # not a registration answer any more
    assert officers(bot) == []


async def test_correction_from_the_summary(api, bot):
    await register_until_summary(api)
    await api.press_button(UID, "Corregir")
    await expect(api, UID, "¿Qué dato desea corregir?")
    await api.press_button(UID, "Cargo")
    await expect(api, UID, "cargo")
    await api.send_text(UID, "Gerente de Desarrollo Humano")
    summary = await expect(api, UID, "Revise sus datos")
    assert "Gerente de Desarrollo Humano" in summary.text
    assert "María Quispe Huamán" in summary.text  # the rest is kept
    # Change the place: level and place are asked again, the default institution follows.
    await api.press_button(UID, "Corregir")
    await expect(api, UID, "¿Qué dato desea corregir?")
    await api.press_button(UID, "Instancia")
    await expect(api, UID, "nivel")
    await api.press_button(UID, "Provincial")
    await expect(api, UID, "provincia")
    await api.send_text(UID, "huamanga")
    await expect(api, UID, "Toque el suyo")
    await api.press_button(UID, "Huamanga")
    await expect(api, UID, "institución")
    await api.press_button(UID, "Municipalidad Provincial de Huamanga")
    summary = await expect(api, UID, "Revise sus datos")
    assert "Instancia Provincial de Concertación de Huamanga" in summary.text
    await api.press_button(UID, "Confirmar")
    await expect(api, UID, "Registro completo")
    [officer] = officers(bot)
    assert officer.cargo == "Gerente de Desarrollo Humano"
    assert officer.instancia.place.level == "provincial"


async def test_bad_inputs_are_explained_and_the_step_repeated(api, bot):
    await api.send_command(UID, "/start")
    await expect(api, UID, "Para preguntar")
    await api.press_button(UID, "Registrarme")
    await expect(api, UID, "¿Acepta?")
    await api.send_text(UID, "puede ser")
    hint = await expect(api, UID, "toque <b>Acepto</b>")
    assert "no puedo leer" not in hint.text
    await api.send_text(UID, "Sí, acepto")  # typed instead of pressed
    await expect(api, UID, "nombre completo")
    await api.send_sticker(UID)
    await expect(api, UID, "sticker")
    await expect(api, UID, "nombre completo")
    await api.send_photo(UID)
    await expect(api, UID, "foto")
    await api.send_voice(UID)
    await expect(api, UID, "audio")
    await api.send_text(UID, "x" * 4000)
    await expect(api, UID, "muy largo")
    await expect(api, UID, "nombre completo")
    await api.send_text(UID, "12345")
    await expect(api, UID, "solo con letras")
    await api.send_text(UID, "Ana")
    await expect(api, UID, "nombre y apellido")
    await api.send_text(UID, "Ana Pérez")
    await expect(api, UID, "cargo")
    await api.send_text(UID, "Gerente")
    await expect(api, UID, "nivel")
    await api.send_text(UID, "el de mi distrito")
    await expect(api, UID, "toque uno de los botones")
    await api.send_text(UID, "Distrital")  # typed instead of pressed
    await expect(api, UID, "Escriba el nombre de su <b>distrito")
    await api.send_text(UID, "qwxzqwxz")
    await expect(api, UID, "No encontré")
    await api.send_text(UID, "ate")
    await expect(api, UID, "Toque el suyo")
    # A forged button and one from another conversation are refused without side effects.
    await api.press(UID, api.last(UID).message_id, "v1:reg:place:999999")
    await expect(api, UID, "distrito")
    await api.press(UID, api.last(UID).message_id, "v0:something:old")
    await expect(api, UID, "distrito")
    assert any("ya no está disponible" in (a.get("text") or "") for a in _answers(api))
    await api.send_text(UID, "ate")
    await expect(api, UID, "Toque el suyo")
    await api.press_button(UID, "Ate")
    await expect(api, UID, "institución")
    await api.send_text(UID, "ab")
    await expect(api, UID, "nombre de su institución")
    await api.send_text(UID, "CEM Ate")
    await expect(api, UID, "teléfono")
    await api.send_text(UID, "mi celular")
    await expect(api, UID, "Escriba su número de trabajo")
    await api.send_contact(UID, "51987654321")
    summary = await expect(api, UID, "Revise sus datos")
    assert "+51 987 654 321" in summary.text
    assert "CEM Ate" in summary.text
    await api.send_text(UID, "listo")
    await expect(api, UID, "Confirmar")
    await api.press_button(UID, "Confirmar")
    await expect(api, UID, "Registro completo")
    assert officers(bot)[0].phone == "+51987654321"


def _answers(api):
    out = []
    for a in api.callback_answers:
        out.append(a if isinstance(a, dict) else {"text": getattr(a, "text", None)})
    return out


async def test_button_pressed_twice_counts_once(api, bot):
    await register_until_summary(api)
    summary_id = api.last(UID).message_id
    await api.press(UID, summary_id, "v1:reg:confirm")
    await expect(api, UID, "Registro completo")
    await api.press(UID, summary_id, "v1:reg:confirm")
    await api.send_text(UID, "/perfil")
    profile = await expect(api, UID, "Sus datos registrados")
    assert "María Quispe Huamán" in profile.text
    assert len(officers(bot)) == 1


async def test_restart_half_way_continues_at_the_same_step(api, bot):
    await open_registration(api, UID)
    await api.send_text(UID, "Rosa Mamani")
    await expect(api, UID, "cargo")
    # The state is in the database as soon as the answer is handled, not only at shutdown.
    wanted = {"user_data", "conv:registration"}
    assert await eventually(lambda: wanted <= {kind for kind, _ in state_rows(bot)})
    await bot.restart()
    await api.send_text(UID, "Secretaria Técnica")
    await expect(api, UID, "nivel")
    await api.press_button(UID, "Regional")
    await expect(api, UID, "región")
    await api.send_text(UID, "ayacucho")
    await expect(api, UID, "Toque el suyo")
    await api.press_button(UID, "Ayacucho")
    await expect(api, UID, "institución")
    await api.press_button(UID, "Gobierno Regional de Ayacucho")
    await expect(api, UID, "teléfono")
    await api.send_text(UID, "omitir")
    summary = await expect(api, UID, "Revise sus datos")
    assert "Rosa Mamani" in summary.text and "Secretaria Técnica" in summary.text
    assert "Instancia Regional de Concertación de Ayacucho" in summary.text


async def test_start_in_the_middle_resumes(api, bot):
    await open_registration(api, UID)
    await api.send_command(UID, "/start")
    await expect(api, UID, "Seguimos donde nos quedamos")
    await expect(api, UID, "nombre completo")


async def test_cancel_leaves_cleanly(api, bot):
    await api.send_command(UID, "/cancelar")
    await expect(api, UID, "No hay nada en curso")
    await open_registration(api, UID)
    await api.send_text(UID, "Ana Pérez")
    await expect(api, UID, "cargo")
    await api.send_command(UID, "/cancelar")
    await expect(api, UID, "cancelado")
    assert await eventually(lambda: state_rows(bot) == [])
    assert officers(bot) == []


async def test_cancel_typed_without_slash(api, bot):
    await open_registration(api, UID)
    await api.send_text(UID, "Cancelar")
    await expect(api, UID, "cancelado")
    assert officers(bot) == []


async def test_lima_metropolitana_institution(api, bot):
    await api.send_command(UID, "/registro")
    await expect(api, UID, "¿Acepta?")
    await api.press_button(UID, "Acepto")
    await expect(api, UID, "nombre completo")
    await api.send_text(UID, "Rosa Díaz")
    await expect(api, UID, "cargo")
    await api.send_text(UID, "Gerente de la Mujer")
    await expect(api, UID, "¿De qué nivel")
    await api.press_button(UID, "Regional")
    await expect(api, UID, "región")
    await api.send_text(UID, "lima metropolitana")
    await expect(api, UID, "Toque el suyo")
    await api.press_button(UID, "Lima Metropolitana")
    ask = await expect(api, UID, "institución")
    assert ask.button_texts == ["Municipalidad Metropolitana de Lima"]


async def test_delete_with_nothing_stored(api, bot):
    await api.send_command(UID, "/borrar_mis_datos")
    await expect(api, UID, "No tenemos datos personales suyos")


async def test_profile_edit_and_delete(api, bot):
    await api.send_command(UID, "/perfil")
    await expect(api, UID, "Aún no tiene un registro")
    await register_until_summary(api)
    await api.press_button(UID, "Confirmar")
    await expect(api, UID, "Registro completo")
    await api.send_command(UID, "/perfil")
    profile = await expect(api, UID, "Sus datos registrados")
    assert "Consentimiento:" in profile.text
    await api.press_button(UID, "Corregir mis datos")
    await expect(api, UID, "¿Qué dato desea corregir?")
    await api.press_button(UID, "Nombre")
    await expect(api, UID, "nombre completo")
    await api.send_text(UID, "María Quispe de Torres")
    await expect(api, UID, "Revise sus datos")
    await api.press_button(UID, "Confirmar")
    await expect(api, UID, "Sus datos se actualizaron")
    assert officers(bot)[0].name == "María Quispe de Torres"

    await api.send_command(UID, "/borrar_mis_datos")
    await expect(api, UID, "borrar todos sus datos")
    await api.press_button(UID, "No, conservarlos")
    await expect(api, UID, "No se borró nada")
    assert len(officers(bot)) == 1
    await api.send_command(UID, "/borrar_mis_datos")
    await expect(api, UID, "borrar todos sus datos")
    await api.press_button(UID, "Sí, borrar")
    await expect(api, UID, "borramos sus datos personales")
    assert officers(bot) == []
    await api.send_command(UID, "/perfil")
    await expect(api, UID, "Aún no tiene un registro")
