"""The sessions of the period, one by one (issue 13): a grupo asked once per session."""

from datetime import timedelta

from bot.periods import period_bounds
from bot.storage import reports as store
from bot.storage.officers import get_officer
from tests.e2e.harness import expect
from tests.e2e.test_report import (
    ANA,
    DISTRICT_FULL,
    _question_message,
    answer,
    at,
    draft_state,
    eventually,
    registered,
    sent_reports,
    warned,
)

BEFORE = [step for step in DISTRICT_FULL if not step[0].startswith("sesiones")]
CUT = [qid for qid, _ in BEFORE].index("preside_titular")


async def test_two_sessions_one_extraordinary_then_the_count_edited(api, bot):
    await registered(api)
    start, _ = period_bounds(bot.services.period())
    first = start.strftime("%d/%m/%Y")
    await api.send_command(ANA, "/reporte")
    await expect(api, ANA, "Pregunta 1 de")
    for qid, how in BEFORE[:CUT]:
        await answer(api, bot, ANA, qid, **how)
    await answer(api, bot, ANA, "sesiones_semestre", text="2")

    # Session 1: a date before the period is refused, kindly, inside the grupo.
    await at(bot, ANA, "sesiones.1.sesion_fecha")
    asked = await eventually(lambda: _question_message(api, ANA, "sesiones.1.sesion_fecha"))
    assert "Sesión 1 de 2" in asked.text and "una por una" in asked.text
    await warned(api, ANA, (start - timedelta(days=1)).strftime("%d/%m/%Y"), where="Sesión 1 de 2")
    await api.send_text(ANA, first)
    await answer(api, bot, ANA, "sesiones.1.sesion_tipo", press="Ordinaria")
    old_acta = await eventually(lambda: _question_message(api, ANA, "sesiones.1.sesion_acta"))
    await answer(api, bot, ANA, "sesiones.1.sesion_acta", press="Sí")
    # Session 2, and /atras inside the grupo goes back to session 1's last question.
    await at(bot, ANA, "sesiones.2.sesion_fecha")
    again = await eventually(lambda: _question_message(api, ANA, "sesiones.2.sesion_fecha"))
    assert "Sesión 2 de 2" in again.text and "una por una" not in again.text
    await api.send_command(ANA, "/atras")
    back = await expect(api, ANA, "Respuesta actual")
    assert "Sesión 1 de 2" in back.text and "Respuesta actual: <b>Sí</b>" in back.text
    await at(bot, ANA, "sesiones.1.sesion_acta")
    await api.press_button(ANA, "No", message_id=api.last(ANA).message_id)
    await at(bot, ANA, "sesiones.2.sesion_fecha")
    # A late press on session 1's old buttons changes nothing (stale, and replay-safe).
    before = draft_state(bot, ANA)[1]["sesiones"]
    await api.press(ANA, old_acta.message_id, "v1:rep:a:sesiones.1.sesion_acta:si")
    await expect(api, ANA, "Sesión 2 de 2")
    assert draft_state(bot, ANA)[1]["sesiones"] == before
    await api.send_text(ANA, "hoy")
    await answer(api, bot, ANA, "sesiones.2.sesion_tipo", press="Extraordinaria")
    await answer(api, bot, ANA, "sesiones.2.sesion_acta", press="Sí")
    for qid, how in BEFORE[CUT:]:
        await answer(api, bot, ANA, qid, **how)
    summary = await expect(api, ANA, "Revise su reporte")
    today = bot.services.today().strftime("%d/%m/%Y")
    assert f"→ Sesión 1: {first} · Ordinaria · Acta: No" in summary.text
    assert f"→ Sesión 2: {today} · Extraordinaria · Acta: Sí" in summary.text

    # 2 -> 1: session 2 would be set aside; the bot says so and asks first.
    await api.press(ANA, summary.message_id, "v1:rep:e:sesiones_semestre")
    await expect(api, ANA, "Respuesta actual")
    await api.send_text(ANA, "1")
    warning = await expect(api, ANA, "deja de aplicar")
    assert "deja de aplicar 1 respuesta que" in warning.text and "(Sesión 2)" in warning.text
    await api.press_button(ANA, "Sí, cambiar")
    shorter = await expect(api, ANA, "Revise su reporte")
    assert "Sesión 1:" in shorter.text and "Sesión 2" not in shorter.text
    assert len(draft_state(bot, ANA)[1]["sesiones"]) == 2  # kept aside, not lost
    # 1 -> 2: session 2 comes back, nothing asked again.
    await api.press(ANA, shorter.message_id, "v1:rep:e:sesiones_semestre")
    await expect(api, ANA, "Respuesta actual")
    await api.send_text(ANA, "2")
    restored = await expect(api, ANA, "Revise su reporte")
    assert f"Sesión 2: {today} · Extraordinaria" in restored.text
    # Editing the grupo walks it: «Sin cambios» keeps an answer, a new one replaces it.
    await api.press(ANA, restored.message_id, "v1:rep:e:sesiones")
    step = await expect(api, ANA, "Sesión 1 de 2")
    assert "➡️ Sin cambios" in step.button_texts
    await api.press_button(ANA, "Sin cambios", message_id=step.message_id)
    await answer(api, bot, ANA, "sesiones.1.sesion_tipo", press="Extraordinaria")
    for n, sub in ((1, "acta"), (2, "fecha"), (2, "tipo"), (2, "acta")):
        await at(bot, ANA, f"sesiones.{n}.sesion_{sub}")
        message = await eventually(
            lambda n=n, sub=sub: _question_message(api, ANA, f"sesiones.{n}.sesion_{sub}"))
        await api.press_button(ANA, "Sin cambios", message_id=message.message_id)
    walked = await expect(api, ANA, "Revise su reporte")
    assert f"Sesión 1: {first} · Extraordinaria · Acta: No" in walked.text
    # 2 -> 1 again and sent: the report keeps only the session listed.
    await api.press(ANA, walked.message_id, "v1:rep:e:sesiones_semestre")
    await expect(api, ANA, "Respuesta actual")
    await api.send_text(ANA, "1")
    await expect(api, ANA, "deja de aplicar")
    await api.press_button(ANA, "Sí, cambiar")
    await expect(api, ANA, "Revise su reporte")
    await api.press_button(ANA, "Enviar")
    done = await expect(api, ANA, "Reporte enviado")
    [report] = sent_reports(bot)
    assert store.answers_of(report)["sesiones"] == [{
        "sesion_fecha": start.isoformat(), "sesion_tipo": "extraordinaria", "sesion_acta": False,
    }]
    assert await eventually(lambda: "Sesión 1:" in "".join(
        m.text for m in api.messages(ANA)[api.messages(ANA).index(done):]))
    await api.send_command(ANA, "/mi_reporte")
    mine = await expect(api, ANA, "Sesión 1:")
    assert f"→ Sesión 1: {first} · Extraordinaria · Acta: No" in mine.text
    assert "Sesión 2" not in mine.text


async def test_more_sessions_than_listed_says_so(api, bot):
    await registered(api)
    await api.send_command(ANA, "/reporte")
    await expect(api, ANA, "Pregunta 1 de")
    for qid, how in BEFORE[:CUT]:
        await answer(api, bot, ANA, qid, **how)
    await answer(api, bot, ANA, "sesiones_semestre", text="20")
    await at(bot, ANA, "sesiones.1.sesion_fecha")
    asked = await eventually(lambda: _question_message(api, ANA, "sesiones.1.sesion_fecha"))
    assert "Sesión 1 de 12" in asked.text
    assert "Indicó 20 en total; aquí se piden los datos de 12" in asked.text


async def test_a_draft_begun_under_2026_2_is_sent_as_the_version_it_was_finished_in(api, bot):
    """A draft started before 2026.3 was deployed is finished with today's questions (the
    sessions listed): it is sent as 2026.3, so /mi_reporte shows it with those questions."""
    await registered(api)
    await api.send_command(ANA, "/reporte")
    await expect(api, ANA, "Pregunta 1 de")
    with bot.services.db.session() as s:
        officer = get_officer(s, ANA)
        draft = store.current_draft(s, officer.id, bot.services.open_periods())
        draft.survey_version = "2026.2"
    for qid, how in BEFORE[:CUT]:
        await answer(api, bot, ANA, qid, **how)
    await answer(api, bot, ANA, "sesiones_semestre", text="1")
    await answer(api, bot, ANA, "sesiones.1.sesion_fecha", text="hoy")
    await answer(api, bot, ANA, "sesiones.1.sesion_tipo", press="Extraordinaria")
    await answer(api, bot, ANA, "sesiones.1.sesion_acta", press="Sí")
    for qid, how in BEFORE[CUT:]:
        await answer(api, bot, ANA, qid, **how)
    await expect(api, ANA, "Revise su reporte")
    await api.press_button(ANA, "Enviar")
    await expect(api, ANA, "Reporte enviado")
    [report] = sent_reports(bot)
    assert report.survey_version == "2026.3"
    await api.send_command(ANA, "/mi_reporte")
    mine = await expect(api, ANA, "Sesión 1:")
    assert "Extraordinaria · Acta: Sí" in mine.text
