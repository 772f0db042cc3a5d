"""/borrar_mis_datos does what the consent text and the README promise (Ley 29733): the officer,
their consultas, drafts with their documents (files too) and conversation state go; a sent
report stays as the instancia's record, without the officer and without their name or phone."""

import json
import re
from pathlib import Path

from sqlalchemy import select

from bot.storage import reports as store
from bot.storage.models import BotState, Handoff, Officer, Report, ReportAnswer, ReportDocument
from bot.storage.officers import get_officer
from tests.e2e.harness import expect
from tests.e2e.test_report import ANA, PDF, fill_until_summary, registered

PHONE = "+51987654321"


def rows(bot, model):
    with bot.services.db.session() as s:
        return list(s.scalars(select(model)))


async def test_deletion_removes_what_is_personal_and_keeps_the_instancias_record(api, bot):
    await registered(api)
    with bot.services.db.session() as s:
        get_officer(s, ANA).phone = PHONE
    await fill_until_summary(api, bot)
    await api.press_button(ANA, "Enviar")
    await expect(api, ANA, "Reporte enviado")
    with bot.services.db.session() as s:  # as if typed in a free-text answer
        [report] = s.scalars(select(Report)).all()
        store.save_answer(s, report, "dificultades",
                          "Coordinar con ana torres al 987 654 321, o con Torres",
                          bot.services.now())
    [sent_doc] = rows(bot, ReportDocument)
    assert Path(sent_doc.path).read_bytes() == PDF

    # A draft of a later period with its own document on disk, and a conversation in progress.
    draft_file = Path(bot.settings.files_dir) / "borrador" / "acta.pdf"
    draft_file.parent.mkdir()
    draft_file.write_bytes(PDF)
    with bot.services.db.session() as s:
        officer = get_officer(s, ANA)
        draft = store.start_draft(s, officer, "2099-S1", "v1", bot.services.now(),
                                  answers={"dificultades": "Llamar a Ana Torres"})
        s.add(ReportDocument(report_id=draft.id, question_id="documento", file_id="F",
                             file_unique_id="U", file_name="acta.pdf", file_size=len(PDF),
                             mime_type="application/pdf", path=str(draft_file)))
        s.add(BotState(kind="conv:perfil", key=json.dumps([ANA, ANA]), data='"editing"'))
    await api.send_command(ANA, "/especialista")  # a consulta, in the officer's own words
    await api.send_text(ANA, "Soy Ana Torres, mi celular es 987654321")

    await api.send_command(ANA, "/borrar_mis_datos")
    await expect(api, ANA, "borrar todos sus datos")
    await api.press_button(ANA, "Sí, borrar")
    await expect(api, ANA, "borramos sus datos")

    assert rows(bot, Officer) == []
    [kept] = rows(bot, Report)  # the draft went; the sent report is the instancia's record
    assert kept.status == "sent" and kept.officer_id is None
    text = " ".join(a.value for a in rows(bot, ReportAnswer)).lower()
    # The phone is looked for as digits in a row: a file_id's random hex may hold «987».
    digits = re.sub(r"(?<=\d) (?=\d)", "", text)
    assert "torres" not in text and "987654321" not in digits
    assert "ana" not in text.replace("semana", "")
    assert "dato personal borrado" in text
    assert [d.id for d in rows(bot, ReportDocument)] == [sent_doc.id]
    assert Path(sent_doc.path).exists()
    assert not draft_file.exists() and not draft_file.parent.exists()
    assert [r for r in rows(bot, BotState) if str(ANA) in r.key] == []
    assert rows(bot, Handoff) == []
