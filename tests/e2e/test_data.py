"""Data out for MIMP staff, end to end: /exportar, /resumen, /pendientes, /sin_respuesta."""

import csv
import io

from openpyxl import load_workbook
from sqlalchemy import select

from bot.storage.models import AuditEntry
from tests.e2e.harness import (
    STAFF_ID,
    eventually,
    expect,
    private_message,
    register_officer,
    send_twice,
)
from tests.e2e.test_report import send_nothing_yet
from tests.test_exports import PLACES, add_report, register

ANA, OFFICER = 3001, 4001
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


async def next_of_kind(api, chat_id, kind, timeout=15.0):
    """The bot's next message of that kind (document, photo) in the chat."""
    seen = []
    while True:
        try:
            [message] = await api.wait_for_messages(chat_id, count=1, timeout=timeout)
        except AssertionError as exc:
            raise AssertionError(f"no {kind}; got {[(m.kind, m.text) for m in seen]}") from exc
        seen.append(message)
        if message.kind == kind and not message.edited:
            return message


def audit_actions(bot):
    with bot.services.db.session() as s:
        return [(a.actor_id, a.action, a.detail) for a in s.scalars(select(AuditEntry))]


def seed(bot, telegram_id, name, level, code, answers):
    s = bot.services
    return add_report(s.db, telegram_id, name, level, code, answers, s.now(), period=s.period())


async def test_export_sends_xlsx_and_csv_to_staff_only(api, bot):
    # One report through the real conversation, one stored directly.
    await register_officer(api, ANA, "Ana Torres", "Distrital", "ate", "Ate")
    await send_nothing_yet(
        api, bot, ANA, dificultades="Falta de quórum, sobre todo en lluvias",
        asistencia="Capacitación en la Ley N° 30364",
    )
    seed(bot, 5001, "Rosa Ccori", "regional", "05", {"creada": "no"})

    await api.send_command(ANA, "/exportar")
    await expect(api, ANA, "solo para el personal")
    assert not [m for m in api.messages(ANA) if m.kind == "document"]

    await api.send_command(STAFF_ID, "/exportar")
    xlsx = await next_of_kind(api, STAFF_ID, "document")
    csv_doc = await next_of_kind(api, STAFF_ID, "document")
    period = bot.services.period()
    assert xlsx.file_name == f"concerta-reportes-{period}.xlsx"
    assert csv_doc.file_name == f"concerta-reportes-{period}.csv"
    assert "2 instancias" in xlsx.text

    wb = load_workbook(io.BytesIO(xlsx.file_bytes))
    ws = wb["Reportes vigentes"]
    headers = [c.value for c in ws[1]]
    rows = [dict(zip(headers, [c.value for c in r], strict=True)) for r in ws.iter_rows(min_row=2)]
    assert len(rows) == 2 and wb["Historial"].max_row == 3
    ate = next(r for r in rows if r["Distrito"] == "Ate")
    assert ate["Punto focal"] == "Ana Torres" and ate["Región"] == "Lima Metropolitana"
    assert ate["Creada por ordenanza"] == "No" and ate["Instalada"] is None  # never asked
    assert ate["Dificultades"] == "Falta de quórum, sobre todo en lluvias"
    assert ate["Servicio en el territorio: Ninguno de estos"] == "Sí"
    assert ate["Servicio en el territorio: Centro Emergencia Mujer (CEM)"] == "No"
    assert ate["Ubigeo"] == "150103" and ate["Periodo"] == bot.services.period()
    assert ate["Fecha de envío"].date() == bot.services.today()

    text = csv_doc.file_bytes.decode("utf-8-sig")
    assert csv_doc.file_bytes.startswith(b"\xef\xbb\xbf")
    parsed = list(csv.DictReader(io.StringIO(text)))
    assert {r["Región"] for r in parsed} == {"Lima Metropolitana", "Ayacucho"}
    ate_csv = next(r for r in parsed if r["Distrito"] == "Ate")
    assert ate_csv["Asistencia técnica que necesita"] == "Capacitación en la Ley N° 30364"
    assert ate_csv["Fecha de envío"] == bot.services.today().strftime("%d/%m/%Y")

    await api.send_command(STAFF_ID, "/exportar 2020-S1")
    await expect(api, STAFF_ID, "Todavía no hay reportes enviados del primer semestre de 2020")
    await api.send_command(STAFF_ID, "/exportar 2026-S3")
    await expect(api, STAFF_ID, "no es un semestre")
    assert [a for a in audit_actions(bot) if a[1] == "data_export"] == [
        (STAFF_ID, "data_export", f"period={period} rows=2"),
        (STAFF_ID, "data_export", "period=2020-S1 rows=0"),
    ]


async def test_summary_sends_a_table_and_a_chart(api, bot):
    await api.send_command(STAFF_ID, "/resumen")
    await expect(api, STAFF_ID, "Todavía no hay reportes")
    full = {"creada": "si", "instalada": True, "reglamento_interno": True,
            "plan_trabajo": False, "sesiones_semestre": 2, "metas_instrumentos": ["pp"]}
    seed(bot, 5001, "Rosa Ccori", "regional", "05", full)
    seed(bot, 5002, "Juan Paz", "provincial", "0801", {"creada": "en_tramite"})
    seed(bot, 5003, "Eva Ríos", "distrital", "080101", {**full, "sesiones_semestre": 0})
    register(bot.services.db, 5004, "Luz Mamani", "regional", "21")  # Puno: no report yet

    await api.send_command(OFFICER, "/resumen")
    await expect(api, OFFICER, "solo para el personal")
    await api.send_command(STAFF_ID, "/resumen")
    table = await expect(api, STAFF_ID, "<pre>")
    lines = table.plain_text.splitlines()
    # Three key figures: reported of registered, registered of possible, drafts.
    assert "Reportes enviados: 3 de 4 con punto focal (75 %)" in table.plain_text
    possible = sum(1 for _ in bot.services.places.regions() + bot.services.places.provinces()
                   + bot.services.places.districts())  # fmt: skip
    assert f"Con punto focal: 4 de {possible} instancias posibles" in table.plain_text
    assert next(x for x in lines if x.startswith("Provincial")).split() == ["Provincial", "1/1",
                                                                          "100"]  # fmt: skip
    assert next(x for x in lines if x.startswith("Ayacucho")).split() == ["Ayacucho", "1/1", "100"]
    assert next(x for x in lines if x.startswith("Cusco")).split() == ["Cusco", "2/2", "100"]
    # A region with an officer and no report appears, and so does one nobody registered in.
    assert next(x for x in lines if x.startswith("Puno")).split() == ["Puno", "0/1", "0"]
    assert next(x for x in lines if x.startswith("Tacna")).split() == ["Tacna", "0/0", "-"]
    assert next(x for x in lines if x.startswith("TOTAL")).split() == ["TOTAL", "3/4", "75"]
    photo = await next_of_kind(api, STAFF_ID, "photo")
    assert photo.file_bytes.startswith(PNG_SIGNATURE) and len(photo.file_bytes) > 20_000
    assert bot.services.period() in photo.text


async def test_pending_lists_instancias_without_a_report(api, bot):
    db = bot.services.db
    register(db, 5001, "Rosa Ccori", "distrital", "150103")  # Ate: two officers, no report
    register(db, 5002, "Luis Quispe", "distrital", "150103")
    register(db, 5003, "Juan Paz", "provincial", "0801")  # Cusco: reported
    seed(bot, 5003, "Juan Paz", "provincial", "0801", {"creada": "no"})
    register(db, 5004, "Eva Ríos", "regional", "05")
    with db.session() as s:  # an officer who blocked the bot: listed, to be phoned
        from bot.storage.officers import get_officer

        get_officer(s, 5004).active = False

    await api.send_command(OFFICER, "/pendientes")
    await expect(api, OFFICER, "solo para el personal")
    await api.send_command(STAFF_ID, "/pendientes")
    listing = await expect(api, STAFF_ID, "Instancias sin reporte")
    assert "<b>Lima Metropolitana</b> (1)" in listing.text
    assert "Distrital — Ate (Lima, Lima): Luis Quispe; Rosa Ccori" in listing.text
    assert "Cusco" not in listing.text
    eva = listing.text.split("Eva Ríos", 1)[1].split("•", 1)[0]
    assert "los recordatorios no le llegan" in eva and "llámele" in eva
    assert "no le llegan" not in listing.text.split("Eva Ríos", 1)[0]  # Ate's officers do get them
    assert listing.button_texts == ["🔔 Recordar a estos (2)"]  # Rosa and Luis, not Eva

    # Over 50 instancias: a spreadsheet instead of a long chat message.
    for i, place in enumerate(PLACES.districts()[100:160]):
        register(db, 6000 + i, f"Persona {i}", "distrital", place.code)
    await api.send_command(STAFF_ID, "/pendientes")
    doc = await next_of_kind(api, STAFF_ID, "document")
    assert "Son 62 instancias" in doc.text
    ws = load_workbook(io.BytesIO(doc.file_bytes))["Pendientes"]
    assert ws.max_row == 63 and ws["A1"].value == "Región"
    assert [ws["F1"].value, ws["G1"].value] == ["Reporte", "Última actividad"]
    assert ws["F2"].value in ("sin empezar", "en borrador") and ws["G2"].value is not None
    assert [a[2] for a in audit_actions(bot) if a[1] == "data_pending"][-1].endswith("=62")


async def test_unanswered_questions_and_thumbs_down(api, bot):
    for text in ("donde compro semillas de quinua", "Dónde compro semillas de quinua?"):
        await api.send_text(OFFICER, text)
        await expect(api, OFFICER, "No encontré una respuesta")
    await api.send_text(OFFICER, "quienes integran la instancia distrital de concertacion")
    await expect(api, OFFICER, "Fuente")
    await api.press_button(OFFICER, "👎")
    await expect(api, OFFICER, "¿Qué estuvo mal")

    await api.send_command(OFFICER, "/sin_respuesta")
    await expect(api, OFFICER, "solo para el personal")
    await api.send_command(STAFF_ID, "/sin_respuesta")
    listing = await expect(api, STAFF_ID, "no pudo responder")
    entry = bot.services.answers.kb.entries["instancia-distrital-integrantes"]
    assert "1. «donde compro semillas de quinua» — 2 ×" in listing.plain_text
    assert entry.titulo in listing.plain_text and "👎 1 · 👍 0" in listing.plain_text

    # A forged press of "Exportar" by an officer is refused; staff get the workbook.
    await api.press(OFFICER, listing.message_id, "v1:data:unans")
    await eventually(lambda: any(a.user_id == OFFICER for a in api.callback_answers))
    assert not [m for m in api.messages(OFFICER) if m.kind == "document"]
    await api.press_button(STAFF_ID, "Exportar")
    doc = await next_of_kind(api, STAFF_ID, "document")
    wb = load_workbook(io.BytesIO(doc.file_bytes))
    assert wb.sheetnames == ["Sin respuesta", "Respuestas no útiles"]
    assert wb["Sin respuesta"]["A2"].value == "donde compro semillas de quinua"
    assert wb["Sin respuesta"]["B2"].value == 2
    assert wb["Respuestas no útiles"]["A2"].value == entry.id
    assert wb["Respuestas no útiles"]["C2"].value == 1
    await api.send_command(STAFF_ID, "/sin_respuesta exportar")
    await next_of_kind(api, STAFF_ID, "document")
    actions = [a[1] for a in audit_actions(bot) if a[0] == STAFF_ID]
    assert actions == ["data_unanswered", "data_unanswered_export", "data_unanswered_export"]


async def test_a_replayed_data_command_sends_and_audits_once(api, bot):
    await send_twice(api, bot, private_message(STAFF_ID, "/sin_respuesta exportar"))
    await next_of_kind(api, STAFF_ID, "document")
    await api.settle(STAFF_ID, quiet=0.5)
    assert len([m for m in api.messages(STAFF_ID) if m.kind == "document"]) == 1
    assert [a[1] for a in audit_actions(bot)] == ["data_unanswered_export"]
