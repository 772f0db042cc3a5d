"""The status self-report end to end: the real bot, the stand-in, a real SQLite file."""

import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from bot.periods import period_bounds, period_label, previous_period
from bot.storage import reports as store
from bot.storage.models import Report, ReportDocument
from bot.storage.officers import get_officer
from handlers.report import expire_drafts_job
from tests.e2e.harness import eventually, expect, register_officer

ANA, LUIS = 3001, 3002
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


async def registered(api, uid=ANA, name="Ana Torres"):
    await register_officer(api, uid, name, "Distrital", "ate", "Ate")


def draft_state(bot, uid):
    """(current question id, answers) of the officer's draft, read from the database."""
    s = bot.services
    with s.db.session() as session:
        officer = get_officer(session, uid)
        draft = store.current_draft(session, officer.id, s.open_periods())
        if draft is None:
            return None, None
        answers = store.answers_of(draft)
        survey = s.survey.for_level(officer.instancia.place.level)
        q = survey.question(draft.cursor) if draft.cursor else survey.next_question(answers)
        return (q.id if q else None), answers


async def at(bot, uid, qid):
    """Wait until the draft's current question is `qid` (state is saved before each reply)."""
    assert await eventually(lambda: draft_state(bot, uid)[0] == qid), draft_state(bot, uid)


async def answer(api, bot, uid, qid, *, press=None, text=None, doc=None, ticks=None):
    state = draft_state(bot, uid)
    if state[1] and qid in state[1] and state[0] != qid:
        return  # answered before a pause: the draft resumes after it
    await at(bot, uid, qid)
    if press is not None or ticks is not None:
        # The state is saved before the question is sent: wait for this question's buttons
        # (an earlier optional question answered by typing still shows its own "Omitir").
        message = await eventually(lambda: _question_message(api, uid, qid))
        if ticks is None:
            await api.press_button(uid, press, message_id=message.message_id)
            return
        for label in ticks:
            await api.press_button(uid, label, message_id=message.message_id)
        n = len(ticks)
        await eventually(lambda: str(api.last(uid).button_texts).count("☑️") == n)
        await api.press_button(uid, "Listo", message_id=message.message_id)
    elif doc is not None:
        await api.send_document(uid, doc, file_name="ordenanza.pdf", mime_type="application/pdf")
    else:
        await api.send_text(uid, text(bot) if callable(text) else text)


def _question_message(api, uid, qid):
    last = api.last(uid)
    ids = [b.callback_data or "" for row in (last.buttons if last else []) for b in row]
    return last if any(f":{qid}:" in d or d.endswith(f":{qid}") for d in ids) else None


def period_start(bot):
    """The first day of the semester reported, as typed: a session must be within it."""
    return period_bounds(bot.services.period())[0].strftime("%d/%m/%Y")


# Version 2 for a district that has everything: (question id, how it is answered).
DISTRICT_FULL = [
    ("creada", {"press": "Sí"}),
    ("ordenanza_numero", {"text": "Ordenanza Municipal N° 012-2024-MDA"}),
    ("ordenanza_fecha", {"text": "15/03/2024"}),
    ("ordenanza_archivo", {"doc": PDF}),
    ("instalada", {"press": "Sí"}),
    ("instalacion_fecha", {"text": "2/5/2024"}),
    ("instalacion_acta", {"press": "Omitir"}),
    ("reglamento_interno", {"press": "Sí"}),
    ("reglamento_instrumento", {"press": "Decreto"}),
    ("reglamento_numero", {"text": "Decreto de Alcaldía N° 007-2024-MDA/A"}),
    ("reglamento_fecha", {"text": "10/06/2024"}),
    ("reglamento_archivo", {"press": "Omitir"}),
    ("plan_trabajo", {"press": "No"}),
    ("sesiones_semestre", {"text": "3"}),
    ("sesiones.1.sesion_fecha", {"text": period_start}),
    ("sesiones.1.sesion_tipo", {"press": "Ordinaria"}),
    ("sesiones.1.sesion_acta", {"press": "Sí"}),
    ("sesiones.2.sesion_fecha", {"text": "hoy"}),
    ("sesiones.2.sesion_tipo", {"press": "Extraordinaria"}),
    ("sesiones.2.sesion_acta", {"press": "No"}),
    ("sesiones.3.sesion_fecha", {"text": period_start}),
    ("sesiones.3.sesion_tipo", {"press": "Ordinaria"}),
    ("sesiones.3.sesion_acta", {"press": "Sí"}),
    ("preside_titular", {"press": "En algunas"}),
    ("secretaria_tecnica", {"text": "Gerencia de Desarrollo Social"}),
    ("miembros_acreditados", {"ticks": ["Municipalidad distrital", "Gobernación distrital"]}),
    ("miembros_asistieron", {"ticks": ["Municipalidad distrital"]}),
    ("metas_instrumentos", {"ticks": ["PDC", "POI"]}),
    ("metas_anio", {"text": "2026"}),
    ("metas_presupuesto", {"press": "No"}),
    ("pbac_acciones", {"press": "Sí"}),
    ("acciones_pbac", {"text": "Reunión con el CEM y la comisaría para coordinar derivaciones"}),
    ("campanas", {"press": "Sí"}),
    ("estadisticas", {"ticks": ["Ministerio Público"]}),
    ("servicios", {"ticks": ["SAU", "Hogar"]}),
    ("servicios_faltan", {"press": "Omitir"}),
    ("asistencia_recibida", {"press": "Sí"}),
    ("asistencia_de", {"ticks": ["MIMP", "Defensoría"]}),
    ("asistencia_fecha", {"text": "marzo 2025"}),
    ("asistencia_tema", {"text": "Cómo elaborar el plan de trabajo"}),
    ("dificultades", {"text": "Poca asistencia de algunas instituciones"}),
    ("asistencia_tecnica", {"press": "Omitir"}),
]


async def fill_until_summary(api, bot, uid=ANA, *, resume=False, steps=None, **override):
    """Answer version 2 as a district that has everything (`override`: qid -> how)."""
    await api.send_command(uid, "/reporte")
    await expect(api, uid, "Seguimos donde se quedó" if resume else "Pregunta 1 de")
    for qid, how in steps or DISTRICT_FULL:
        await answer(api, bot, uid, qid, **override.get(qid, how))
    return await expect(api, uid, "Revise su reporte")


def receipt(api, uid=ANA):
    """The text of the receipt: the "Reporte enviado" message and those after it."""
    texts = [m.text for m in api.messages(uid)]
    first = max(i for i, t in enumerate(texts) if "Reporte enviado" in t)
    return "\n".join(texts[first:])


def summary_count(api, uid=ANA):
    """How many answers the last summary listed (its messages may be several)."""
    texts = [m.text for m in api.messages(uid)]
    first = max(i for i, t in enumerate(texts) if "Revise su reporte" in t)
    last = max(i for i, t in enumerate(texts) if "Reporte enviado" in t)
    return sum(t.count("→") for t in texts[first:last])


def sent_reports(bot):
    with bot.services.db.session() as s:
        return list(s.scalars(select(Report).where(Report.status == "sent")))


async def test_unregistered_officer_is_sent_to_registration(api, bot):
    await api.send_command(ANA, "/reporte")
    await expect(api, ANA, "primero necesita registrarse")


async def test_full_report_is_stored_with_its_document(api, bot):
    await registered(api)
    summary = await fill_until_summary(api, bot)
    assert "15/03/2024" in summary.text and "02/05/2024" in summary.text
    assert "03/2025" in summary.text  # a month without its day
    assert "Plan de Desarrollo Concertado" in summary.text
    period = period_label(bot.services.period(), bot.services.messages)
    assert "{periodo}" not in summary.text and period in summary.text
    assert summary.button_texts[-1] == "📤 Enviar reporte"
    await api.press_button(ANA, "Enviar")
    done = await expect(api, ANA, "Reporte enviado")
    assert bot.services.local_date(bot.services.now()) in done.text
    # The receipt lists every answer, whole, over as many messages as it takes.
    assert await eventually(lambda: "Poca asistencia de algunas instituciones" in receipt(api))
    shown = receipt(api)
    assert shown.count("→") == summary_count(api) == 36
    assert "Reunión con el CEM y la comisaría para coordinar derivaciones" in shown
    [report] = sent_reports(bot)
    answers = store.answers_of(report)
    assert answers["creada"] == "si" and answers["ordenanza_fecha"] == "2024-03-15"
    assert answers["instalacion_fecha"] == "2024-05-02"
    assert answers["sesiones_semestre"] == 3 and answers["plan_trabajo"] is False
    assert answers["metas_instrumentos"] == ["pdc", "poi"]
    assert answers["servicios"] == ["sau", "hrt"] and answers["servicios_faltan"] is None
    assert answers["reglamento_instrumento"] == "decreto"
    assert answers["asistencia_fecha"] == "2025-03"
    assert report.survey_version == bot.services.survey.version == "2026.3"
    assert [s["sesion_tipo"] for s in answers["sesiones"]] == [
        "ordinaria", "extraordinaria", "ordinaria"
    ]
    assert report.period == bot.services.period()
    with bot.services.db.session() as s:
        [doc] = s.scalars(select(ReportDocument)).all()
    assert doc.question_id == "ordenanza_archivo"
    assert doc.file_name == "ordenanza.pdf" and doc.mime_type == "application/pdf"
    assert Path(doc.path).read_bytes() == PDF


async def test_a_district_with_nothing_yet_is_done_in_a_minute(api, bot):
    """Not created yet: six taps and "Enviar", each answered at once."""
    await registered(api)
    began = time.monotonic()
    await api.send_command(ANA, "/reporte")
    await expect(api, ANA, "Pregunta 1 de")
    await answer(api, bot, ANA, "creada", press="No")
    await answer(api, bot, ANA, "servicios", ticks=["Ninguno de estos"])
    await answer(api, bot, ANA, "servicios_faltan", press="Omitir")
    await answer(api, bot, ANA, "asistencia_recibida", press="No")
    await answer(api, bot, ANA, "dificultades", press="Omitir")
    await answer(api, bot, ANA, "asistencia_tecnica", press="Omitir")
    summary = await expect(api, ANA, "Revise su reporte")
    assert summary.text.count("→") == 6
    await api.press_button(ANA, "Enviar")
    await expect(api, ANA, "Reporte enviado")
    elapsed = time.monotonic() - began
    assert elapsed < 60, elapsed
    [report] = sent_reports(bot)
    assert store.answers_of(report) == {
        "creada": "no", "servicios": ["ninguno"], "servicios_faltan": None,
        "asistencia_recibida": False, "dificultades": None, "asistencia_tecnica": None,
    }


async def test_provincial_and_regional_instancias_get_their_own_questions(api, bot):
    await register_officer(api, LUIS, "Luis Quispe", "Provincial", "huamanga", "Huamanga")
    await api.send_command(LUIS, "/reporte")
    await expect(api, LUIS, "Pregunta 1 de")
    await answer(api, bot, LUIS, "creada", press="Sí")
    await answer(api, bot, LUIS, "ordenanza_numero", text="Ordenanza 014-2018-MPH")
    await answer(api, bot, LUIS, "ordenanza_fecha", text="16/02/2018")
    await answer(api, bot, LUIS, "ordenanza_archivo", press="Omitir")
    await answer(api, bot, LUIS, "instalada", press="Sí")
    await answer(api, bot, LUIS, "instalacion_fecha", text="01/03/2018")
    await answer(api, bot, LUIS, "instalacion_acta", press="Omitir")
    await answer(api, bot, LUIS, "reglamento_interno", press="No")
    await answer(api, bot, LUIS, "plan_trabajo", press="No")
    await answer(api, bot, LUIS, "sesiones_semestre", text="0")
    await answer(api, bot, LUIS, "secretaria_tecnica", text="Gerencia de Desarrollo Social")
    await at(bot, LUIS, "miembros_acreditados")
    members = await eventually(lambda: _question_message(api, LUIS, "miembros_acreditados"))
    labels = " ".join(members.button_texts)
    assert "UGEL" in labels and "Otra institución" in labels
    assert "Gobierno regional" not in labels and "Gobernación distrital" not in labels
    assert "parciales" in members.text  # the list is not the whole one
    await answer(api, bot, LUIS, "miembros_acreditados", ticks=["UGEL", "Otra"])
    await answer(api, bot, LUIS, "miembros_otras", text="Beneficencia de Huamanga")
    await answer(api, bot, LUIS, "metas_instrumentos", ticks=["Ninguno"])
    await answer(api, bot, LUIS, "pbac_acciones", press="No")
    await answer(api, bot, LUIS, "campanas", press="No")
    await answer(api, bot, LUIS, "servicios", ticks=["Centro Emergencia Mujer"])
    await answer(api, bot, LUIS, "servicios_faltan", press="Omitir")
    await at(bot, LUIS, "hogares_refugio")  # provincial and regional only
    for bad in ("muchos", "-1", "1,5"):
        await warned(api, LUIS, bad, where="Hogares de Refugio Temporal")
    await api.send_text(LUIS, "uno")
    await at(bot, LUIS, "asistencia_recibida")
    assert draft_state(bot, LUIS)[1]["hogares_refugio"] == 1

    await register_officer(api, ANA, "Ana Torres", "Regional", "ayacucho", "Ayacucho")
    await api.send_command(ANA, "/reporte")
    await expect(api, ANA, "Pregunta 1 de")
    await answer(api, bot, ANA, "creada", press="Sí")
    await at(bot, ANA, "ordenanza_numero")
    await warned(api, ANA, "005", where="número de la ordenanza")
    await api.send_text(ANA, "Ordenanza Regional 005-2019-GRA/CR")
    await at(bot, ANA, "ordenanza_fecha")
    await warned(api, ANA, "marzo 2015", where="fecha")  # before the law
    await api.send_text(ANA, "marzo 2019")
    await answer(api, bot, ANA, "ordenanza_archivo", press="Omitir")
    await answer(api, bot, ANA, "instalada", press="No")
    await answer(api, bot, ANA, "servicios", ticks=["SAU"])
    await answer(api, bot, ANA, "servicios_faltan", press="Omitir")
    await at(bot, ANA, "observatorio_etapa")
    stage = await eventually(lambda: _question_message(api, ANA, "observatorio_etapa"))
    assert "Diseño conceptual" in stage.button_texts
    await api.press_button(ANA, "Diseño conceptual", message_id=stage.message_id)
    await at(bot, ANA, "hogares_refugio")


async def warned(api, uid, bad, *, where):
    await api.send_text(uid, bad)
    await expect(api, uid, "⚠️")
    await expect(api, uid, where)


async def test_every_validation_error_is_explained(api, bot):
    await registered(api)
    await api.send_command(ANA, "/reporte")
    await expect(api, ANA, "Pregunta 1 de")
    await warned(api, ANA, "quizas", where="Pregunta 1 de")
    await api.send_text(ANA, "si")  # typed choices are accepted too
    await at(bot, ANA, "ordenanza_numero")
    for bad in ("🙂", "👍👍", "12345"):
        await warned(api, ANA, bad, where="número de la ordenanza")
    # A question typed mid-form is not an answer: the officer says which it is.
    await api.send_text(ANA, "q es el pbac?")
    offer = await expect(api, ANA, "parece una pregunta")
    await api.press_button(ANA, "Responder mi pregunta", message_id=offer.message_id)
    await expect(api, ANA, "Fuente")
    await expect(api, ANA, "número de la ordenanza")
    assert "ordenanza_numero" not in draft_state(bot, ANA)[1]
    await api.send_text(ANA, "¿OM 012-2024?")
    offer = await expect(api, ANA, "parece una pregunta")
    await api.press_button(ANA, "Es mi respuesta", message_id=offer.message_id)
    await at(bot, ANA, "ordenanza_fecha")
    assert draft_state(bot, ANA)[1]["ordenanza_numero"] == "¿OM 012-2024?"
    tomorrow = bot.services.today() + timedelta(days=1)
    for bad in ("31/02/2024", "no me acuerdo", tomorrow.strftime("%d/%m/%Y"), "01/01/2010"):
        await warned(api, ANA, bad, where="Pregunta 3 de")
    question = await eventually(lambda: _question_message(api, ANA, "ordenanza_fecha"))
    await api.press_button(ANA, "No recuerdo el día", message_id=question.message_id)
    await expect(api, ANA, "escriba el mes y el año")
    await expect(api, ANA, "Pregunta 3 de")
    await api.send_text(ANA, "marzo 2024")
    await at(bot, ANA, "ordenanza_archivo")
    assert draft_state(bot, ANA)[1]["ordenanza_fecha"] == "2024-03"
    await api.send_text(ANA, "la tengo en papel")
    await expect(api, ANA, "necesito un archivo PDF")
    await answer(api, bot, ANA, "ordenanza_archivo", press="Omitir")
    await answer(api, bot, ANA, "instalada", text="sí")
    await at(bot, ANA, "instalacion_fecha")
    await warned(api, ANA, "01/02/2024", where="acta de instalación")  # before the ordenanza
    await api.send_sticker(ANA)
    await expect(api, ANA, "sticker")
    await api.send_text(ANA, "x" * 4000)
    await expect(api, ANA, "muy largo")
    await api.send_text(ANA, "20/03/2024")
    await answer(api, bot, ANA, "instalacion_acta", press="Omitir")
    await answer(api, bot, ANA, "reglamento_interno", press="No")
    await answer(api, bot, ANA, "plan_trabajo", press="No")
    await at(bot, ANA, "sesiones_semestre")
    for bad in ("abc", "61", "2.5"):
        await warned(api, ANA, bad, where="sesiones")
    await api.send_text(ANA, "1")
    await at(bot, ANA, "sesiones.1.sesion_fecha")
    await warned(api, ANA, "01/03/2024", where="Sesión 1 de 1")  # before the installation
    await api.send_text(ANA, "hoy")
    await answer(api, bot, ANA, "sesiones.1.sesion_tipo", press="Ordinaria")
    await answer(api, bot, ANA, "sesiones.1.sesion_acta", press="No")
    await answer(api, bot, ANA, "preside_titular", press="En todas")
    await at(bot, ANA, "secretaria_tecnica")
    for bad in ("123 456", "🙂", "x"):
        await warned(api, ANA, bad, where="Secretaría Técnica")
    await api.send_text(ANA, "Subgerencia de la Mujer")
    await answer(api, bot, ANA, "miembros_acreditados", ticks=["CEM"])
    await answer(api, bot, ANA, "miembros_asistieron", ticks=["CEM"])
    # «Ninguno todavía» clears the others, and another option clears it.
    await at(bot, ANA, "metas_instrumentos")
    message = await eventually(lambda: _question_message(api, ANA, "metas_instrumentos"))
    await api.press_button(ANA, "PDC", message_id=message.message_id)
    await eventually(lambda: str(api.last(ANA).button_texts).count("☑️") == 1)
    await api.press_button(ANA, "Ninguno", message_id=message.message_id)
    assert await eventually(lambda: "☑️ Ninguno" in str(api.last(ANA).button_texts))
    assert str(api.last(ANA).button_texts).count("☑️") == 1
    await api.press_button(ANA, "Listo", message_id=message.message_id)
    await at(bot, ANA, "pbac_acciones")  # no year or budget to ask about
    assert draft_state(bot, ANA)[1]["metas_instrumentos"] == ["ninguno"]


async def test_back_and_edit_from_the_summary(api, bot):
    await registered(api)
    await api.send_command(ANA, "/reporte")
    await expect(api, ANA, "Pregunta 1 de")
    await answer(api, bot, ANA, "creada", press="Sí")
    await answer(api, bot, ANA, "ordenanza_numero", text="OM 012-2024")
    await at(bot, ANA, "ordenanza_fecha")
    await api.send_command(ANA, "/atras")
    again = await expect(api, ANA, "Respuesta actual")
    assert "OM 012-2024" in again.text
    await at(bot, ANA, "ordenanza_numero")
    await api.send_text(ANA, "OM 013-2024")
    await at(bot, ANA, "ordenanza_fecha")
    assert draft_state(bot, ANA)[1]["ordenanza_numero"] == "OM 013-2024"
    await api.send_command(ANA, "/cancelar")
    await expect(api, ANA, "Guardé su borrador")
    await api.send_text(ANA, "que es el ruva")  # a question again, not an answer
    await expect(api, ANA, "Fuente")

    summary = await fill_until_summary(api, bot, resume=True)
    full = draft_state(bot, ANA)[1]
    # A mis-tap on the first answer would set 25 answers aside: the bot asks first.
    await api.press(ANA, summary.message_id, "v1:rep:e:creada")
    await expect(api, ANA, "Respuesta actual")
    await api.press_button(ANA, "No")
    warning = await expect(api, ANA, "dejan de aplicar")
    assert "25 respuestas" in warning.text and "número de la ordenanza" in warning.text
    await api.press_button(ANA, "dejarla como estaba")
    same = await expect(api, ANA, "Revise su reporte")
    assert "OM 013-2024" in same.text and draft_state(bot, ANA)[1] == full
    # Meant it: confirmed, the answers are set aside, not lost.
    await api.press(ANA, same.message_id, "v1:rep:e:creada")
    await expect(api, ANA, "Respuesta actual")
    await api.press_button(ANA, "No")
    await expect(api, ANA, "dejan de aplicar")
    await api.press_button(ANA, "Sí, cambiar")
    shorter = await expect(api, ANA, "Revise su reporte")
    assert "OM" not in shorter.text and "15/03/2024" not in shorter.text
    assert draft_state(bot, ANA)[1] == {**full, "creada": "no"}
    # And back: every answer returns, nothing to ask again.
    await api.press(ANA, shorter.message_id, "v1:rep:e:creada")
    await expect(api, ANA, "Respuesta actual")
    await api.press_button(ANA, "Sí")
    back = await expect(api, ANA, "Revise su reporte")
    assert "OM 013-2024" in back.text and draft_state(bot, ANA)[1] == full
    # Changed to "No" again and sent: the report keeps only what applies.
    await api.press(ANA, back.message_id, "v1:rep:e:creada")
    await expect(api, ANA, "Respuesta actual")
    await api.press_button(ANA, "No")
    await expect(api, ANA, "dejan de aplicar")
    await api.press_button(ANA, "Sí, cambiar")
    await expect(api, ANA, "Revise su reporte")
    await api.press_button(ANA, "Enviar")
    await expect(api, ANA, "Reporte enviado")
    sent = store.answers_of(sent_reports(bot)[0])
    assert sent["creada"] == "no" and "ordenanza_fecha" not in sent
    assert set(sent) == {"creada", "servicios", "servicios_faltan", "asistencia_recibida",
                         "asistencia_de", "asistencia_fecha", "asistencia_tema", "dificultades",
                         "asistencia_tecnica"}


async def test_restart_half_way_resumes_at_the_same_question(api, bot):
    await registered(api)
    await api.send_command(ANA, "/reporte")
    await expect(api, ANA, "Pregunta 1 de")
    await answer(api, bot, ANA, "creada", press="Sí")
    await answer(api, bot, ANA, "ordenanza_numero", text="OM 012-2024")
    await at(bot, ANA, "ordenanza_fecha")
    await bot.restart()
    await api.send_text(ANA, "15/03/2024")
    await expect(api, ANA, "Pregunta 4 de")
    await at(bot, ANA, "ordenanza_archivo")
    # /reporte after a restart also resumes rather than starting over.
    await api.send_command(ANA, "/cancelar")
    await expect(api, ANA, "Guardé su borrador")
    await bot.restart()
    await api.send_command(ANA, "/reporte")
    await expect(api, ANA, "Seguimos donde se quedó")
    await at(bot, ANA, "ordenanza_archivo")
    # A question typed mid-form, then a restart before the officer says what it was.
    await answer(api, bot, ANA, "ordenanza_archivo", press="Omitir")
    await answer(api, bot, ANA, "instalada", press="Sí")
    await at(bot, ANA, "instalacion_fecha")
    await api.send_text(ANA, "cuando se instala la instancia?")
    offer = await expect(api, ANA, "parece una pregunta")
    await bot.restart()
    await api.press_button(ANA, "Es mi respuesta", message_id=offer.message_id)
    await expect(api, ANA, "⚠️")  # kept, and checked as the date it should be
    await at(bot, ANA, "instalacion_fecha")


async def test_two_officers_of_one_instancia(api, bot):
    await registered(api, ANA, "Ana Torres")
    await registered(api, LUIS, "Luis Quispe")
    await fill_until_summary(api, bot, ANA)
    await api.press_button(ANA, "Enviar")
    await expect(api, ANA, "Reporte enviado")
    await api.send_command(LUIS, "/reporte")
    offer = await expect(api, LUIS, "ya tiene un reporte")
    assert "otro punto focal" in offer.text
    await api.press_button(LUIS, "Corregir")
    summary = await expect(api, LUIS, "Revise su reporte")
    await api.press(LUIS, summary.message_id, "v1:rep:e:sesiones_semestre")
    await expect(api, LUIS, "Respuesta actual")
    await api.send_text(LUIS, "5")
    for n in (4, 5):  # two more sessions: the list grows, asked from the fourth
        await answer(api, bot, LUIS, f"sesiones.{n}.sesion_fecha", text="hoy")
        await answer(api, bot, LUIS, f"sesiones.{n}.sesion_tipo", press="Ordinaria")
        await answer(api, bot, LUIS, f"sesiones.{n}.sesion_acta", press="Sí")
    await expect(api, LUIS, "Revise su reporte")
    await api.press_button(LUIS, "Enviar")
    await expect(api, LUIS, "Reporte enviado")
    first, second = sorted(sent_reports(bot), key=lambda r: r.id)
    with bot.services.db.session() as s:
        current = store.latest_sent(s, first.instancia_id, first.period)
        assert current.id == second.id
        assert len(store.history(s, first.instancia_id, first.period)) == 2
    assert store.answers_of(first)["sesiones_semestre"] == 3
    assert store.answers_of(second)["sesiones_semestre"] == 5
    assert len(store.answers_of(second)["sesiones"]) == 5


async def test_stale_and_forged_buttons(api, bot):
    await registered(api)
    await api.send_command(ANA, "/reporte")
    first = await expect(api, ANA, "Pregunta 1 de")
    await api.press_button(ANA, "Sí")
    await at(bot, ANA, "ordenanza_numero")
    await api.press(ANA, first.message_id, "v1:rep:a:creada:no")  # pressed again, late
    await expect(api, ANA, "Pregunta 2 de")
    await api.press(ANA, first.message_id, "v1:rep:a:no_such_question:x")
    await expect(api, ANA, "Pregunta 2 de")
    assert draft_state(bot, ANA)[1]["creada"] == "si"


async def test_untouched_draft_expires_with_a_notice(api, bot):
    await registered(api)
    await api.send_command(ANA, "/reporte")
    await expect(api, ANA, "Pregunta 1 de")
    await api.press_button(ANA, "No")
    await at(bot, ANA, "servicios")
    with bot.services.db.session() as s:
        for report in s.scalars(select(Report)):
            report.updated_at = bot.services.now() - timedelta(days=31)
    bot.app.job_queue.run_once(expire_drafts_job, 0)
    await expect(api, ANA, "se descartó")
    with bot.services.db.session() as s:
        assert s.scalars(select(Report)).all() == []
    await api.send_text(ANA, "Algunas dificultades")
    await expect(api, ANA, "Ya no hay un borrador")


async def test_a_summary_of_long_answers_is_split_and_can_be_sent(api, bot):
    """Every answer within its limit, the summary over Telegram's 4,096: several messages,
    "Enviar" on the last, and the report goes out."""
    words = "Coordinacion con el CEM y la comisaria para casos de riesgo alto, "
    long = (words * 20)[:990].rsplit(" ", 1)[0]
    await registered(api)
    await fill_until_summary(
        api, bot,
        ordenanza_numero={"text": ("Ordenanza Municipal 012-2024-MDA " * 6)[:195]},
        secretaria_tecnica={"text": ("Gerencia de Desarrollo " * 15)[:295]},
        acciones_pbac={"text": long},
        servicios_faltan={"text": long},
        dificultades={"text": long},
        asistencia_tecnica={"text": long},
    )
    assert await eventually(lambda: "Enviar" in str(api.last(ANA).button_texts))
    summary = [m for m in api.messages(ANA) if "→" in m.text]
    assert len(summary) >= 2, "the summary should need more than one message"
    assert all(len(m.plain_text or "") <= 4096 for m in api.messages(ANA))
    await api.press_button(ANA, "Enviar")
    await expect(api, ANA, "Reporte enviado")
    assert len(sent_reports(bot)) == 1


async def send_nothing_yet(
    api, bot, uid=ANA, *, dificultades="Falta quórum en el concejo", asistencia=None
):
    """A district with nothing yet, the short path, to «Reporte enviado»; `asistencia`: the
    technical assistance it needs (None: «Omitir»)."""
    await api.send_command(uid, "/reporte")
    await expect(api, uid, "Pregunta 1 de")
    await answer(api, bot, uid, "creada", press="No")
    await answer(api, bot, uid, "servicios", ticks=["Ninguno de estos"])
    await answer(api, bot, uid, "servicios_faltan", press="Omitir")
    await answer(api, bot, uid, "asistencia_recibida", press="No")
    await answer(api, bot, uid, "dificultades", text=dificultades)
    if asistencia is None:
        await answer(api, bot, uid, "asistencia_tecnica", press="Omitir")
    else:
        await answer(api, bot, uid, "asistencia_tecnica", text=asistencia)
    await expect(api, uid, "Revise su reporte")
    await api.press_button(uid, "Enviar")
    await expect(api, uid, "Reporte enviado")


async def test_my_report_shows_this_period_and_earlier_ones_read_only(api, bot):
    await registered(api)
    await api.send_command(ANA, "/mi_reporte")
    await expect(api, ANA, "aún no envió el reporte")
    await send_nothing_yet(api, bot)
    # An earlier period's report, answered under version 2026.1 (its "documento" question).
    s = bot.services
    with s.db.session() as session:
        officer = get_officer(session, ANA)
        old = store.start_draft(session, officer, "2024-S1", "2026.1", s.now(), {
            "creada": "si", "ordenanza_numero": "OM 003-2023-MDA",
            "ordenanza_fecha": "2023-02-01", "instalada": False, "metas_instrumentos": ["pdc"],
            "dificultades": None, "asistencia_tecnica": None,
            "documento": {"file_id": "F1", "name": "om-003.pdf", "size": 10,
                          "mime": "application/pdf"},
        })
        store.send(old, s.now())
    await api.send_command(ANA, "/mi_reporte")
    mine = await expect(api, ANA, "Solo para ver")
    assert "Falta quórum en el concejo" in mine.text and mine.text.count("→") == 6
    older = await expect(api, ANA, "periodos anteriores")
    assert older.button_texts == ["Ver el primer semestre de 2024"]
    await api.press_button(ANA, "Ver el primer semestre de 2024")
    shown = await expect(api, ANA, "Reporte del primer semestre de 2024")
    assert "OM 003-2023-MDA" in shown.text and "om-003.pdf" in shown.text
    assert "Si lo tiene, envíe la ordenanza" in shown.text  # the 2026.1 question
    assert len(sent_reports(bot)) == 2  # nothing changed


async def test_correct_then_cancel_leaves_no_shadow_draft(api, bot):
    await registered(api)
    await send_nothing_yet(api, bot)
    await api.send_command(ANA, "/reporte")
    await expect(api, ANA, "ya tiene un reporte")
    await api.press_button(ANA, "Corregir")
    await expect(api, ANA, "Revise su reporte")
    await api.send_command(ANA, "/cancelar")
    await expect(api, ANA, "queda como está")
    assert draft_state(bot, ANA) == (None, None)
    await api.send_command(ANA, "/reporte")
    await expect(api, ANA, "ya tiene un reporte")  # not "su borrador"
    # A correction that changed something is a draft and is kept.
    await api.press_button(ANA, "Corregir")
    summary = await expect(api, ANA, "Revise su reporte")
    await api.press(ANA, summary.message_id, "v1:rep:e:dificultades")
    await expect(api, ANA, "Respuesta actual")
    await api.send_text(ANA, "Falta presupuesto")
    await expect(api, ANA, "Revise su reporte")
    await api.send_command(ANA, "/cancelar")
    await expect(api, ANA, "Guardé su borrador")
    await api.send_command(ANA, "/reporte")
    await expect(api, ANA, "Seguimos donde se quedó")


async def test_report_says_until_when_it_can_be_sent(api, bot):
    s = bot.services
    closing = s.today() + timedelta(days=10)
    bot.settings = replace(
        bot.settings, closing_dates={**bot.settings.closing_dates, s.period(): closing}
    )
    await bot.restart()
    await registered(api)
    await api.send_command(ANA, "/reporte")
    hello = await expect(api, ANA, "Reporte de estado")
    assert f"hasta el <b>{closing.strftime('%d/%m/%Y')}</b>" in hello.text
    await api.send_command(ANA, "/cancelar")
    await expect(api, ANA, "Guardé su borrador")
    await api.send_command(ANA, "/reporte")
    resumed = await expect(api, ANA, "Seguimos donde se quedó")
    assert "Puede enviarlo hasta el" in resumed.text


async def test_the_semester_is_asked_while_the_one_before_is_open(api, bot):
    """A January–June report filed in July is for January–June: while the semester before is
    open and unreported, /reporte asks which one, and the report is filed under it."""
    s = bot.services
    current, before = s.period(), previous_period(s.period())
    bot.settings = replace(
        bot.settings, closing_dates={before: s.today() + timedelta(days=5)}
    )
    await bot.restart()
    s = bot.services
    await registered(api)
    await api.send_command(ANA, "/reporte")
    asked = await expect(api, ANA, "¿De qué semestre")
    m = s.messages
    assert [b.lower() for b in asked.button_texts] == [
        m("reporte_periodo_boton", periodo=period_label(p, m),
          meses=m(f"reporte_meses_s{p[-1]}")).lower()
        for p in (before, current)
    ]
    await api.send_text(ANA, "el de ahora")  # typed instead of pressed: asked again
    again = await expect(api, ANA, "Elija el semestre")
    assert again.button_texts == asked.button_texts
    await api.press(ANA, again.message_id, "v1:rep:per:2019-S1")  # forged: not open
    assert await eventually(lambda: any(
        "ya no está disponible" in (a.text or "") for a in api.callback_answers))
    assert draft_state(bot, ANA) == (None, None)
    await api.press_button(ANA, period_label(before, m))
    await expect(api, ANA, "Pregunta 1 de")
    assert period_label(before, m) in "\n".join(t.text for t in api.messages(ANA)[-3:])
    await answer(api, bot, ANA, "creada", press="No")
    await api.send_command(ANA, "/cancelar")
    await expect(api, ANA, "Guardé su borrador")
    await api.send_command(ANA, "/reporte")  # the draft is resumed, its semester named
    resumed = await expect(api, ANA, "Seguimos donde se quedó")
    assert period_label(before, m) in resumed.text
    for qid, how in [("servicios", {"ticks": ["Ninguno de estos"]}),
                     ("servicios_faltan", {"press": "Omitir"}),
                     ("asistencia_recibida", {"press": "No"}),
                     ("dificultades", {"press": "Omitir"}),
                     ("asistencia_tecnica", {"press": "Omitir"})]:
        await answer(api, bot, ANA, qid, **how)
    await expect(api, ANA, "Revise su reporte")
    await api.press_button(ANA, "Enviar")
    await expect(api, ANA, "Reporte enviado")
    [report] = sent_reports(bot)
    assert report.period == before
    # The semester before is reported now: the next /reporte opens the current one directly.
    await api.send_command(ANA, "/reporte")
    await expect(api, ANA, "Pregunta 1 de")
    assert period_label(current, m) in "\n".join(t.text for t in api.messages(ANA)[-3:])


async def test_two_questions_answered_with_files_of_the_same_name_keep_both(api, bot):
    """The officer sends «ordenanza.pdf» for the ordinance and a file of the same name for the
    installation act: each answer keeps its own file on disk."""
    acta = PDF.replace(b"%PDF-1.4", b"%PDF-1.4 acta")
    await registered(api)
    await fill_until_summary(api, bot, instalacion_acta={"doc": acta})
    await api.press_button(ANA, "Enviar")
    await expect(api, ANA, "Reporte enviado")
    with bot.services.db.session() as s:
        docs = {d.question_id: (d.file_name, d.path) for d in s.scalars(select(ReportDocument))}
    assert docs["ordenanza_archivo"][0] == docs["instalacion_acta"][0] == "ordenanza.pdf"
    assert Path(docs["ordenanza_archivo"][1]).read_bytes() == PDF
    assert Path(docs["instalacion_acta"][1]).read_bytes() == acta


async def test_a_replaced_document_leaves_no_copy_behind(api, bot):
    """Ley 29733: the file an officer replaced is not kept once no answer holds it."""
    await registered(api)
    summary = await fill_until_summary(api, bot)
    with bot.services.db.session() as s:
        [old] = [d.path for d in s.scalars(select(ReportDocument))]
    assert Path(old).exists()
    await api.press(ANA, summary.message_id, "v1:rep:e:ordenanza_archivo")
    await expect(api, ANA, "Respuesta actual")
    await api.send_document(ANA, PDF + b"%v2\n", file_name="ordenanza-firmada.pdf",
                            mime_type="application/pdf")
    await expect(api, ANA, "Revise su reporte")
    with bot.services.db.session() as s:
        [new] = [d.path for d in s.scalars(select(ReportDocument))]
    assert Path(new).read_bytes() == PDF + b"%v2\n"
    assert [p.name for p in Path(new).parent.iterdir()] == [Path(new).name]
