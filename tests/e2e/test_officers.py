"""What an officer sees on a phone (issue 15, "Officers"): the place picker, the consent notice,
/perfil's rights, a typed phone, the reasons for a 👎, Spanish by the number, the crisis panel."""

import io
import re

from openpyxl import load_workbook
from sqlalchemy import select

from bot.storage.models import AnswerFeedback, Officer
from tests.e2e.harness import STAFF_ID, eventually, expect, open_registration, send_twice
from tests.e2e.test_broadcast import add_officers, compose

UID = 1001
ENTRY = "instancia-distrital-integrantes"


def officer(bot, uid=UID) -> Officer | None:
    with bot.services.db.session() as s:
        return s.scalar(select(Officer).where(Officer.telegram_id == uid))


def feedback_rows(bot) -> list[AnswerFeedback]:
    with bot.services.db.session() as s:
        return list(s.scalars(select(AnswerFeedback).order_by(AnswerFeedback.id)))


async def to_place_step(api, uid=UID):
    await open_registration(api, uid)
    await api.send_text(uid, "Rosa Mamani Quispe")
    await expect(api, uid, "cargo")
    await api.send_text(uid, "Secretaria Técnica")
    await expect(api, uid, "¿De qué nivel")
    await api.press_button(uid, "Distrital")
    await expect(api, uid, "Escriba el nombre de su <b>distrito")


async def finish_registration(api, uid=UID, phone="Omitir"):
    await expect(api, uid, "institución")
    await api.press_button(uid, 0)
    await expect(api, uid, "teléfono")
    await api.send_text(uid, phone)
    return await expect(api, uid, "Revise sus datos")


async def test_a_cut_place_list_says_how_many_more_and_how_to_narrow(api, bot):
    await to_place_step(api)
    await api.send_text(UID, "santa rosa")
    picker = await expect(api, UID, "Toque el suyo")
    shown = [b for b in picker.button_texts if "Santa Rosa (" in b]
    assert len(shown) == 8
    total = len(bot.services.places.search("santa rosa", level="distrital", limit=1000))
    assert f"…y {total - 8} más" in picker.text
    example = re.search(r"escriba también la provincia, por ejemplo: «([^»]+)»", picker.text)
    assert example, picker.text
    name, province = example.group(1).split(", ")
    assert name == "Santa Rosa"
    assert not any(f"({province}," in label for label in shown)  # not one already offered
    # The example works: it narrows the list to that province.
    await api.send_text(UID, example.group(1))
    narrowed = await expect(api, UID, "Toque el suyo")
    assert f"Santa Rosa ({province}," in narrowed.button_texts[0]
    assert "más" not in narrowed.text

    await api.press_button(UID, "Santa Rosa (El Collao, Puno)", message_id=picker.message_id)
    summary = await finish_registration(api)
    where = "distrito de Santa Rosa, provincia de El Collao, departamento de Puno"
    assert f"Lugar: {where}" in summary.text
    await api.press_button(UID, "Confirmar")
    await expect(api, UID, "Registro completo")
    await api.send_command(UID, "/perfil")
    profile = await expect(api, UID, "Sus datos registrados")
    assert f"Lugar: {where}" in profile.text
    await api.send_command(UID, "/reporte")
    start = await expect(api, UID, "Reporte de estado")
    assert f"Instancia Distrital de Concertación de Santa Rosa ({where})" in start.text


async def test_the_short_list_has_no_more_line(api, bot):
    await to_place_step(api)
    await api.send_text(UID, "santa rosa puno")
    picker = await expect(api, UID, "Toque el suyo")
    assert "más" not in picker.text and len(picker.buttons) == 3  # two places and «Buscar otro»


async def test_consent_is_short_with_the_details_behind_a_button(api, bot):
    await api.send_command(UID, "/registro")
    short = await expect(api, UID, "¿Acepta?")
    assert len(short.plain_text) < 500  # one screen of a 390 px phone
    assert short.button_texts == ["✅ Acepto", "No acepto", "📄 Más detalles"]
    await api.press_button(UID, "Más detalles")
    details = await expect(api, UID, "Quién los guarda")
    text = details.plain_text
    for fact in (
        "Ministerio de la Mujer y Poblaciones Vulnerables (MIMP)", "titular del banco de datos",
        "gob.pe/mimp", "Para qué", "Cuánto tiempo", "hasta que usted los borre",
        "Ver sus datos: /perfil", "Corregirlos", "Borrarlos: /borrar_mis_datos",
        "Oponerse a recibir mensajes", "se conservan, sin su nombre ni su teléfono",
        "Autoridad Nacional de Protección de Datos Personales",
    ):
        assert fact in text, fact
    links = [e["url"] for e in details.entities if e["type"] == "text_link"]
    assert links == ["https://www.gob.pe/mimp"]  # no address, e-mail or phone made up
    assert details.button_texts == ["✅ Acepto", "No acepto"]
    await api.press_button(UID, "Acepto")
    await expect(api, UID, "nombre completo")
    assert officer(bot) is None  # nothing stored before the confirmation


async def test_a_typed_work_number_is_checked_and_stored_normalised(api, bot):
    await to_place_step(api)
    await api.send_text(UID, "ate")
    await expect(api, UID, "Toque el suyo")
    await api.press_button(UID, "Ate")
    await expect(api, UID, "institución")
    await api.press_button(UID, 0)
    ask = await expect(api, UID, "teléfono")
    assert "Escriba su número de trabajo" in ask.text
    for bad in ("12345", "887 654 321", "426 1234"):
        await api.send_text(UID, bad)
        hint = await expect(api, UID, "no parece un número de Perú")
        assert f"«{bad}»" in hint.text and "Omitir" in hint.text
    await api.send_text(UID, "+51 (044) 123-456")
    summary = await expect(api, UID, "Revise sus datos")
    assert "Teléfono: +51 44 123456" in summary.text
    await api.press_button(UID, "Corregir")
    await expect(api, UID, "¿Qué dato desea corregir?")
    await api.press_button(UID, "Teléfono")
    await expect(api, UID, "teléfono")
    await api.send_text(UID, "987-654-321")
    summary = await expect(api, UID, "Revise sus datos")
    assert "Teléfono: +51 987 654 321" in summary.text
    await api.press_button(UID, "Confirmar")
    await expect(api, UID, "Registro completo")
    assert officer(bot).phone == "+51987654321"


async def register(api, uid=UID):
    await to_place_step(api, uid)
    await api.send_text(uid, "ate")
    await expect(api, uid, "Toque el suyo")
    await api.press_button(uid, "Ate")
    await finish_registration(api, uid)
    await api.press_button(uid, "Confirmar")
    await expect(api, uid, "Registro completo")


async def test_profile_offers_each_right_and_opposition_stops_broadcasts(api, bot):
    await register(api)
    add_officers(bot, "Cusco", "distrital", [7001])
    await api.send_command(UID, "/perfil")
    profile = await expect(api, UID, "Sus datos registrados")
    assert profile.button_texts == [
        "✏️ Corregir mis datos", "🗑 Borrar mis datos", "🔕 No recibir mensajes", "📄 Sus derechos",
    ]  # fmt: skip
    assert "Mensajes del MIMP: los recibe" in profile.text
    assert "Consultas al especialista: ninguna" in profile.text
    await api.press_button(UID, "Sus derechos")
    await expect(api, UID, "Quién los guarda")

    # Opposition: the press counts once, however often the update is handed.
    await send_twice(api, bot, {"callback_query": {
        "from": {"id": UID, "is_bot": False, "first_name": "Rosa"},
        "message": {"message_id": profile.message_id, "date": 0,
                    "chat": {"id": UID, "type": "private"}},
        "data": "v1:reg:msgs:off",
    }})  # fmt: skip
    await expect(api, UID, "ya no le enviaremos difusiones")
    await api.settle(UID, quiet=0.5)
    assert sum("ya no le enviaremos" in (m.text or "") for m in api.messages(UID)) == 1
    assert officer(bot).messages_opt_out and officer(bot).active

    await compose(api)
    screen = await expect(api, STAFF_ID, "¿A quién se envía?")
    assert "Llega a <b>1</b> punto focal activo." in screen.text  # 7001 only, not Rosa
    assert "🏛 Nivel: todos" in screen.button_texts and "🗺 Región: todas" in screen.button_texts
    await api.press_button(STAFF_ID, "Región")
    regions = await expect(api, STAFF_ID, "Marque una o varias", edits=True)
    names = [b.removeprefix("⬜ ") for b in regions.button_texts if b.startswith("⬜ ")]
    assert names[:3] == ["Amazonas", "Áncash", "Apurímac"]

    await api.send_command(UID, "/perfil")
    again = await expect(api, UID, "Sus datos registrados")
    assert "Mensajes del MIMP: no los recibe" in again.text
    await api.press_button(UID, "Volver a recibir mensajes")
    await expect(api, UID, "volverá a recibir")
    assert not officer(bot).messages_opt_out


async def test_thumbs_down_asks_why_and_staff_see_it(api, bot):
    await api.send_text(UID, "quienes integran la instancia distrital de concertacion")
    answer = await expect(api, UID, "Fuente")
    await api.press_button(UID, "👎")
    ask = await expect(api, UID, "¿Qué estuvo mal")
    assert ask.button_texts == [
        "No respondió lo que pregunté", "Información incorrecta", "Muy largo", "Otro",
    ]  # fmt: skip
    [fb] = feedback_rows(bot)
    assert (fb.entry_id, fb.useful, fb.reason) == (ENTRY, False, None)
    muy_largo = next(b.callback_data for row in ask.buttons for b in row if b.text == "Muy largo")
    await api.press_button(UID, "Muy largo")
    assert await eventually(lambda: feedback_rows(bot)[0].reason == "muy_largo")
    echoed = await expect(api, UID, "➡️ <i>Muy largo</i>", edits=True)
    assert echoed.message_id == ask.message_id and not echoed.buttons
    # A second press of the old message (another reason, or the same) does not change it.
    await api.press(UID, ask.message_id, muy_largo.replace("muy_largo", "otro"))
    await eventually(lambda: any("Ya anotamos" in (a.text or "") for a in api.callback_answers))
    assert [f.reason for f in feedback_rows(bot)] == ["muy_largo"]
    # A replayed 👎 counts once and asks once.
    await send_twice(api, bot, {"callback_query": {
        "from": {"id": UID, "is_bot": False, "first_name": "Rosa"},
        "message": {"message_id": answer.message_id, "date": 0,
                    "chat": {"id": UID, "type": "private"},
                    "reply_markup": {"inline_keyboard": [[
                        {"text": "👎", "callback_data": f"v1:fb:{ENTRY}:down"}]]}},
        "data": f"v1:fb:{ENTRY}:down",
    }})  # fmt: skip
    await expect(api, UID, "¿Qué estuvo mal")
    await api.settle(UID, quiet=0.5)
    assert len(feedback_rows(bot)) == 2
    assert sum("¿Qué estuvo mal" in (m.text or "") for m in api.messages(UID)) == 2
    # A forged reason for a rating that is not a 👎 waiting for one is refused.
    await api.press(UID, ask.message_id, "v1:fbr:999999:otro")
    await eventually(lambda: any("ya no está" in (a.text or "") for a in api.callback_answers))

    await api.send_command(STAFF_ID, "/sin_respuesta")
    listing = await expect(api, STAFF_ID, "no pudo responder")
    assert "👎 2 · 👍 0" in listing.plain_text
    assert "Motivos del 👎: muy largo 1 · sin motivo 1" in listing.plain_text
    await api.press_button(STAFF_ID, "Exportar")
    doc = await eventually(
        lambda: next((m for m in api.messages(STAFF_ID) if m.kind == "document"), None)
    )
    sheet = load_workbook(io.BytesIO(doc.file_bytes))["Respuestas no útiles"]
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert row["👎 muy largo"] == 1 and row["👎 sin motivo"] == 1
    assert row["👎 no respondió lo preguntado"] == 0 and row["👎 otro"] == 0


async def test_crisis_panel_numbers_are_plain_digits_and_chat_100_stays_text(api, bot):
    await api.send_text(UID, "mi pareja me está golpeando ahora")
    panel = await expect(api, UID, "Línea 100")
    text = panel.plain_text
    assert "Llame al 105" in text and "llame al 100" in text
    # Telegram's HTML has no tel: links (bot/telegram_html.py refuses them); a number stands
    # on its own, bold, with nothing glued to it. Chat 100's address is not confirmed
    # (shared/reference/ley30364-hechos.md §8.2, §8.3), so it is not a link.
    assert not [e for e in panel.entities if e["type"] == "text_link"]
    units = text.encode("utf-16-le")  # entity offsets count UTF-16 code units
    bold = {
        units[2 * e["offset"] : 2 * (e["offset"] + e["length"])].decode("utf-16-le")
        for e in panel.entities
        if e["type"] == "bold"
    }
    assert {"105", "100"} <= bold
