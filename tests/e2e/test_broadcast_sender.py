"""Broadcasts and reminders carry a sender line, and one that lands in the middle of a
conversation does not break it: the officer's next answer still goes to the open step."""

from dataclasses import replace

from tests.e2e.harness import STAFF_ID, expect
from tests.e2e.test_broadcast import MESSAGE, broadcast_to_everyone, final_report
from tests.e2e.test_report import ANA, answer, at, draft_state, registered

SENDER = "📣 <b>Mensaje del MIMP</b>"
ANSWER = "Falta una Casa de Refugio en la provincia"


async def test_a_broadcast_mid_report_leaves_the_step_open(api, bot):
    await registered(api)
    await api.send_command(ANA, "/reporte")
    await expect(api, ANA, "Pregunta 1 de")
    await answer(api, bot, ANA, "creada", press="No")
    await answer(api, bot, ANA, "servicios", ticks=["CEM en comisaría"])
    await at(bot, ANA, "servicios_faltan")
    question = api.last(ANA)

    assert await broadcast_to_everyone(api) == 1
    preview = next(m for m in api.messages(STAFF_ID) if MESSAGE in (m.plain_text or ""))
    assert preview.text.startswith(SENDER + "\n\n")  # staff preview it exactly as sent
    await final_report(api)
    got = await expect(api, ANA, "el lunes 9")
    assert got.text.startswith(SENDER + "\n\n<b>Reunión nacional</b>")
    assert got.message_id > question.message_id  # it landed after the report's question

    await api.send_text(ANA, ANSWER)
    await at(bot, ANA, "asistencia_recibida")
    assert draft_state(bot, ANA)[1]["servicios_faltan"] == ANSWER


async def test_the_sender_line_comes_from_mensajes_yaml(api, bot, tmp_path):
    # An empty line in mensajes.yaml sends the text alone (staff who prefer their own heading).
    source = (bot.settings.knowledge_dir / "mensajes.yaml").read_text(encoding="utf-8")
    changed = source.replace('difusion_remitente: "📣 <b>Mensaje del MIMP</b>"',
                             'difusion_remitente: ""')
    assert changed != source
    folder = tmp_path / "knowledge"
    folder.mkdir()
    for path in bot.settings.knowledge_dir.iterdir():
        target = folder / path.name
        if path.is_dir():
            target.symlink_to(path, target_is_directory=True)
        elif path.name != "mensajes.yaml":
            target.symlink_to(path)
    (folder / "mensajes.yaml").write_text(changed, encoding="utf-8")
    bot.settings = replace(bot.settings, knowledge_dir=folder)
    await bot.restart()
    await registered(api)
    await broadcast_to_everyone(api)
    await final_report(api)
    got = await expect(api, ANA, "el lunes 9")
    assert got.text.startswith("<b>Reunión nacional</b>")
    assert "Mensaje del MIMP" not in got.text
