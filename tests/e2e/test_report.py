"""The status self-report end to end: the real bot, the stand-in, a real SQLite file."""

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

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
        draft = store.current_draft(session, officer.id, s.period())
        if draft is None:
            return None, None
        answers = store.answers_of(draft)
        q = s.survey.question(draft.cursor) if draft.cursor else s.survey.next_question(answers)
        return (q.id if q else None), answers


async def at(bot, uid, qid):
    """Wait until the draft's current question is `qid` (state is saved before each reply)."""
    assert await eventually(lambda: draft_state(bot, uid)[0] == qid), draft_state(bot, uid)


async def answer(api, bot, uid, qid, *, press=None, text=None, doc=None):
    state = draft_state(bot, uid)
    if state[1] and qid in state[1] and state[0] != qid:
        return  # answered before a pause: the draft resumes after it
    await at(bot, uid, qid)
    if press is not None:
        # The state is saved before the question is sent: wait for this question's buttons
        # (an earlier optional question answered by typing still shows its own "Omitir").
        message = await eventually(lambda: _question_message(api, uid, qid))
        await api.press_button(uid, press, message_id=message.message_id)
    elif doc is not None:
        await api.send_document(uid, doc, file_name="ordenanza.pdf", mime_type="application/pdf")
    else:
        await api.send_text(uid, text)


def _question_message(api, uid, qid):
    last = api.last(uid)
    ids = [b.callback_data or "" for row in (last.buttons if last else []) for b in row]
    return last if any(f":{qid}:" in d or d.endswith(f":{qid}") for d in ids) else None


async def fill_until_summary(api, bot, uid=ANA, *, resume=False):
    await api.send_command(uid, "/reporte")
    await expect(api, uid, "Seguimos donde se quedó" if resume else "Pregunta 1 de")
    await answer(api, bot, uid, "creada", press="Sí")
    await answer(api, bot, uid, "ordenanza_numero", text="Ordenanza Municipal N° 012-2024-MDA")
    await answer(api, bot, uid, "ordenanza_fecha", text="15/03/2024")
    await answer(api, bot, uid, "instalada", press="Sí")
    await answer(api, bot, uid, "instalacion_fecha", text="2/5/2024")
    await answer(api, bot, uid, "reglamento_interno", press="Sí")
    await answer(api, bot, uid, "plan_trabajo", press="No")
    await answer(api, bot, uid, "sesiones_semestre", text="3")
    await answer(api, bot, uid, "secretaria_tecnica", text="Gerencia de Desarrollo Social")
    await at(bot, uid, "metas_instrumentos")
    await eventually(lambda: _question_message(api, uid, "metas_instrumentos"))
    await api.press_button(uid, "PDC")
    await api.press_button(uid, "POI")
    await eventually(lambda: "☑️" in str(api.last(uid).button_texts))
    await api.press_button(uid, "Listo")
    await answer(api, bot, uid, "acciones_pbac", press="Omitir")
    await answer(api, bot, uid, "dificultades", text="Poca asistencia de algunas instituciones")
    await answer(api, bot, uid, "asistencia_tecnica", press="Omitir")
    await answer(api, bot, uid, "documento", doc=PDF)
    return await expect(api, uid, "Revise su reporte")


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
    assert "Plan de Desarrollo Concertado" in summary.text
    assert summary.button_texts[-1] == "📤 Enviar reporte"
    await api.press_button(ANA, "Enviar")
    done = await expect(api, ANA, "Reporte enviado")
    assert bot.services.local_date(bot.services.now()) in done.text
    [report] = sent_reports(bot)
    answers = store.answers_of(report)
    assert answers["creada"] == "si" and answers["ordenanza_fecha"] == "2024-03-15"
    assert answers["instalacion_fecha"] == "2024-05-02"
    assert answers["sesiones_semestre"] == 3 and answers["plan_trabajo"] is False
    assert answers["metas_instrumentos"] == ["pdc", "poi"]
    assert answers["acciones_pbac"] is None
    assert report.survey_version == bot.services.survey.version
    assert report.period == bot.services.period()
    with bot.services.db.session() as s:
        [doc] = s.scalars(select(ReportDocument)).all()
    assert doc.file_name == "ordenanza.pdf" and doc.mime_type == "application/pdf"
    assert Path(doc.path).read_bytes() == PDF


async def test_every_validation_error_is_explained(api, bot):
    await registered(api)
    await api.send_command(ANA, "/reporte")
    await expect(api, ANA, "Pregunta 1 de")
    await api.send_text(ANA, "quizas")
    await expect(api, ANA, "⚠️")
    await api.send_text(ANA, "si")  # typed choices are accepted too
    await answer(api, bot, ANA, "ordenanza_numero", text="OM 012-2024")
    await at(bot, ANA, "ordenanza_fecha")
    tomorrow = bot.services.today() + timedelta(days=1)
    for bad in ("31/02/2024", "no me acuerdo", tomorrow.strftime("%d/%m/%Y")):
        await api.send_text(ANA, bad)
        await expect(api, ANA, "⚠️")
        await expect(api, ANA, "Pregunta 3 de")
    await api.send_text(ANA, "15/03/2024")
    await answer(api, bot, ANA, "instalada", text="sí")
    await at(bot, ANA, "instalacion_fecha")
    await api.send_text(ANA, "01/01/2024")  # before the ordenanza
    await expect(api, ANA, "⚠️")
    await api.send_sticker(ANA)
    await expect(api, ANA, "sticker")
    await api.send_text(ANA, "x" * 4000)
    await expect(api, ANA, "muy largo")
    await api.send_text(ANA, "20/03/2024")
    await answer(api, bot, ANA, "reglamento_interno", press="No")
    await answer(api, bot, ANA, "plan_trabajo", press="No")
    await at(bot, ANA, "sesiones_semestre")
    for bad in ("abc", "61", "2.5"):
        await api.send_text(ANA, bad)
        await expect(api, ANA, "⚠️")
    await api.send_text(ANA, "0")
    await answer(api, bot, ANA, "secretaria_tecnica", text="Subgerencia de la Mujer")
    await at(bot, ANA, "metas_instrumentos")
    await eventually(lambda: _question_message(api, ANA, "metas_instrumentos"))
    await api.press_button(ANA, "PDC")
    await api.press_button(ANA, "Ninguno")
    await eventually(lambda: str(api.last(ANA).button_texts).count("☑️") == 2)
    await api.press_button(ANA, "Listo")
    await expect(api, ANA, "⚠️")
    await at(bot, ANA, "metas_instrumentos")


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
    # Edit the first answer to "No": the ordenanza and installation answers no longer apply.
    await api.press(ANA, summary.message_id, "v1:rep:e:creada")
    await expect(api, ANA, "Respuesta actual")
    await api.press_button(ANA, "No")
    shorter = await expect(api, ANA, "Revise su reporte")
    assert "OM" not in shorter.text and "15/03/2024" not in shorter.text
    answers = draft_state(bot, ANA)[1]
    assert answers["creada"] == "no" and "ordenanza_fecha" not in answers
    await api.press_button(ANA, "Enviar")
    await expect(api, ANA, "Reporte enviado")
    assert store.answers_of(sent_reports(bot)[0])["creada"] == "no"


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
    await at(bot, ANA, "instalada")
    # /reporte after a restart also resumes rather than starting over.
    await api.send_command(ANA, "/cancelar")
    await expect(api, ANA, "Guardé su borrador")
    await bot.restart()
    await api.send_command(ANA, "/reporte")
    await expect(api, ANA, "Seguimos donde se quedó")
    await at(bot, ANA, "instalada")


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
    await at(bot, ANA, "dificultades")
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
    await api.send_command(ANA, "/reporte")
    await expect(api, ANA, "Pregunta 1 de")
    await answer(api, bot, ANA, "creada", press="Sí")
    await answer(api, bot, ANA, "ordenanza_numero", text=("Ordenanza Municipal " * 12)[:195])
    await answer(api, bot, ANA, "ordenanza_fecha", text="15/03/2024")
    await answer(api, bot, ANA, "instalada", press="Sí")
    await answer(api, bot, ANA, "instalacion_fecha", text="2/5/2024")
    await answer(api, bot, ANA, "reglamento_interno", press="No")
    await answer(api, bot, ANA, "plan_trabajo", press="No")
    await answer(api, bot, ANA, "sesiones_semestre", text="0")
    await answer(api, bot, ANA, "secretaria_tecnica", text=("Gerencia de Desarrollo " * 15)[:295])
    await at(bot, ANA, "metas_instrumentos")
    await eventually(lambda: _question_message(api, ANA, "metas_instrumentos"))
    await api.press_button(ANA, "PDC")
    await eventually(lambda: "☑️" in str(api.last(ANA).button_texts))
    await api.press_button(ANA, "Listo")
    await answer(api, bot, ANA, "acciones_pbac", text=long)
    await answer(api, bot, ANA, "dificultades", text=long)
    await answer(api, bot, ANA, "asistencia_tecnica", text=long)
    await answer(api, bot, ANA, "documento", press="Omitir")
    await expect(api, ANA, "Revise su reporte")
    assert await eventually(lambda: "Enviar" in str(api.last(ANA).button_texts))
    summary = [m for m in api.messages(ANA) if "→" in m.text]
    assert len(summary) >= 2, "the summary should need more than one message"
    assert all(len(m.plain_text or "") <= 4096 for m in api.messages(ANA))
    await api.press_button(ANA, "Enviar")
    await expect(api, ANA, "Reporte enviado")
    assert len(sent_reports(bot)) == 1
