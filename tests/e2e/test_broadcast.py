"""/difundir end to end: audiences, preview, confirmation, roles, 429/403, blocks, a crash."""

from collections import Counter
from datetime import UTC, datetime

from sqlalchemy import select

from bot import broadcast as lane_module
from bot import broadcast_actions
from bot.storage import broadcasts as store
from bot.storage.models import AuditEntry, Instancia, Officer, Place
from handlers import common
from handlers.common import LANE_KEY
from tests.e2e.harness import STAFF_ID, busy_once, eventually, expect

NOW = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
MESSAGE = "Reunión nacional el lunes 9"  # bold "Reunión nacional" via an entity
SENT_AS = "📣 <b>Mensaje del MIMP</b>\n\n<b>Reunión nacional</b> el lunes 9"  # with who sends it


def add_officers(bot, region: str, level: str, uids: list[int]) -> None:
    """Registered officers straight in the database, one instancia each, in that region (and
    known to the stand-in, as anyone who registered has written to the bot)."""
    for uid in uids:
        bot.api.user(uid, first_name=f"Oficial {uid}")
    with bot.services.db.session() as s:
        places = s.scalars(
            select(Place).where(Place.region == region, Place.level == level).order_by(Place.id)
        ).all()
        for uid, place in zip(uids, places, strict=False):
            instancia = s.scalar(select(Instancia).where(Instancia.place_id == place.id))
            s.add(Officer(
                telegram_id=uid, name=f"Oficial {uid}", cargo="Subgerente", institution="Muni",
                consent_at=NOW, consent_version="1",
                instancia=instancia or Instancia(place=place),
            ))  # fmt: skip


def active(bot, uid: int) -> bool:
    with bot.services.db.session() as s:
        return s.scalar(select(Officer.active).where(Officer.telegram_id == uid))


def received(api, uid: int) -> list[str]:
    return [m.text for m in api.messages(uid) if MESSAGE in (m.plain_text or m.text or "")]


async def compose(api, text_entities: bool = True) -> None:
    """Staff: /difundir and the message, bold kept as an entity."""
    await api.send_command(STAFF_ID, "/difundir")
    await expect(api, STAFF_ID, "Nueva difusión")
    entities = [{"type": "bold", "offset": 0, "length": 16}] if text_entities else []
    await api.send_update({"message": {
        "from": {"id": STAFF_ID, "is_bot": False, "first_name": "Staff"},
        "chat": {"id": STAFF_ID, "type": "private", "first_name": "Staff"},
        "text": MESSAGE, "entities": entities,
    }})  # fmt: skip


async def broadcast_to_everyone(api, before_send=lambda: None) -> int:
    """Compose, preview, confirm; returns N from the "Enviar a N" button."""
    await compose(api)
    await expect(api, STAFF_ID, "¿A quién se envía?")
    await api.press_button(STAFF_ID, "Vista previa")
    confirm = await expect(api, STAFF_ID, "Así lo verán")
    label = confirm.button_texts[0]
    before_send()  # faults from here on hit the lane: confirming sends no new message
    await api.press_button(STAFF_ID, "Enviar a")
    return int(label.rsplit(" ", 1)[-1])


async def final_report(api) -> str:
    return (await expect(api, STAFF_ID, "terminada", timeout=30)).text


def deliveries(bot) -> Counter:
    with bot.services.db.session() as s:
        b = s.scalars(select(store.Broadcast).order_by(store.Broadcast.id.desc())).first()
        if b is None:  # not confirmed yet
            return Counter()
        c = store.counts(s, b.id)
    return Counter(total=c.total, sent=c.sent, failed=c.failed, left=c.left, pending=c.pending)


async def test_compose_choose_preview_confirm(api, bot):
    add_officers(bot, "Cusco", "distrital", [7001, 7002])
    add_officers(bot, "Puno", "provincial", [7003])

    await api.send_command(7001, "/difundir")
    await expect(api, 7001, "solo para el personal")

    await compose(api)
    screen = await expect(api, STAFF_ID, "¿A quién se envía?")
    assert "Llega a <b>3</b>" in screen.text
    await api.press_button(STAFF_ID, "Región")
    await expect(api, STAFF_ID, "Marque una o varias", edits=True)
    await api.press_button(STAFF_ID, "⬜ Cusco")
    toggled = await expect(api, STAFF_ID, "Llega a <b>2</b>", edits=True)
    assert "☑️ Cusco" in toggled.button_texts
    await api.press_button(STAFF_ID, "Listo")
    await expect(api, STAFF_ID, "Región: Cusco", edits=True)
    await api.send_text(STAFF_ID, "hola")  # typed while choosing: not a question for the bot
    await expect(api, STAFF_ID, "Seguimos")
    await expect(api, STAFF_ID, "Llega a <b>2</b>")

    # A forged "Enviar" from an officer: refused on the server, nothing is sent.
    await api.press(7001, screen.message_id, "v1:bc:send")
    await eventually(lambda: any(a.user_id == 7001 for a in api.callback_answers))
    assert "personal del MIMP" in [a for a in api.callback_answers if a.user_id == 7001][-1].text

    await api.press_button(STAFF_ID, "Vista previa (2)")
    preview = await expect(api, STAFF_ID, "Reunión")
    assert preview.text == SENT_AS  # exactly as officers will get it
    await expect(api, STAFF_ID, "Así lo verán")
    await api.press_button(STAFF_ID, "Enviar a 2")
    report = await final_report(api)
    assert "enviados 2" in report and "de 2" in report

    assert [len(received(api, uid)) for uid in (7001, 7002, 7003)] == [1, 1, 0]
    assert received(api, 7001) == [SENT_AS]
    assert deliveries(bot) == Counter(total=2, sent=2)
    with bot.services.db.session() as s:
        actions = [(a.actor_id, a.action) for a in s.scalars(select(AuditEntry))]
    assert (STAFF_ID, "broadcast_send") in actions
    # The "Enviar" button is gone: pressing it again (replayed) sends nothing more.
    await api.press(STAFF_ID, preview.message_id + 1, "v1:bc:send")
    await api.wait_until_consumed()
    await api.settle(STAFF_ID)
    assert len(received(api, 7001)) == 1


async def test_429_waited_out_and_403_leaves(api, bot):
    add_officers(bot, "Cusco", "distrital", [7101, 7102, 7103])
    api.block(7102)
    fault = lambda: api.fail_next("sendMessage", status=429, retry_after=1)  # noqa: E731
    assert await broadcast_to_everyone(api, fault) == 3
    report = await final_report(api)
    assert "enviados 2" in report and "se fueron (bloquearon el bot) 1" in report
    assert deliveries(bot) == Counter(total=3, sent=2, left=1)
    assert [len(received(api, uid)) for uid in (7101, 7102, 7103)] == [1, 0, 1]
    assert not active(bot, 7102)
    assert any(c.status == 429 for c in api.calls_to("sendMessage"))

    # Skipped from then on: the next broadcast does not even count them.
    assert await broadcast_to_everyone(api) == 2
    await final_report(api)
    assert deliveries(bot) == Counter(total=2, sent=2)


async def test_blocks_and_unblocks_as_they_happen(api, bot):
    add_officers(bot, "Cusco", "distrital", [7201])
    api.block(7201, notify=True)
    assert await eventually(lambda: not active(bot, 7201))
    api.unblock(7201, notify=True)
    assert await eventually(lambda: active(bot, 7201))


async def test_progress_is_edited_then_a_final_report(api, bot, monkeypatch):
    monkeypatch.setattr(lane_module, "PROGRESS_EVERY", 0.05)
    add_officers(bot, "Cusco", "distrital", list(range(7301, 7306)))
    await broadcast_to_everyone(api, lambda: api.delay("sendMessage", 0.05))
    await final_report(api)
    progress = [m for m in api.messages(STAFF_ID) if "Difusión #" in (m.text or "")]
    edited = [m for m in progress if m.edited]
    assert edited, "the progress message was never edited"
    assert "terminada" in edited[0].text and edited[0].buttons == []


async def test_a_crash_mid_broadcast_resumes_exactly(api, bot):
    uids = list(range(7401, 7421))
    add_officers(bot, "Cusco", "distrital", uids)
    assert await broadcast_to_everyone(api, lambda: api.delay("sendMessage", 0.05)) == 20
    # The moment of the crash is chosen by what the database says was sent: the stand-in's count
    # runs one ahead while a reply is on its way back, and a crash then leaves that one unmarked.
    assert await eventually(lambda: deliveries(bot)["sent"] >= 6)
    bot.app.bot_data[LANE_KEY].task.cancel()  # the process dies mid-broadcast
    await eventually(lambda: bot.app.bot_data[LANE_KEY].task.done())
    with bot.services.db.session() as s:
        b = s.scalars(select(store.Broadcast)).one()
        sent_before = store.counts(s, b.id).sent
        assert b.status == store.SENDING and 6 <= sent_before < 20

    await bot.restart()
    await final_report(api)
    per_officer = [len(received(api, u)) for u in uids]
    assert all(n in (1, 2) for n in per_officer)
    assert per_officer.count(2) <= 1  # only the one in flight at the crash, if any
    if 2 in per_officer:
        assert per_officer.index(2) == sent_before  # the next one in order
    assert deliveries(bot) == Counter(total=20, sent=20)


async def test_a_broadcast_quoting_crisis_words_is_delivered(api, bot):
    add_officers(bot, "Cusco", "distrital", [7501, 7502])
    quoted = 'Taller: qué hacer si una vecina dice "mi pareja me golpea"'
    await api.send_command(STAFF_ID, "/difundir")
    await expect(api, STAFF_ID, "Nueva difusión")
    await api.send_text(STAFF_ID, quoted)
    await expect(api, STAFF_ID, "Línea 100")  # the writer gets the help lines…
    await expect(api, STAFF_ID, "¿A quién se envía?")  # …and the text is the broadcast's
    await api.press_button(STAFF_ID, "Vista previa")
    await expect(api, STAFF_ID, "Así lo verán")
    await api.press_button(STAFF_ID, "Enviar a 2")
    await final_report(api)
    for uid in (7501, 7502):
        got = [m for m in api.messages(uid) if "mi pareja me golpea" in (m.plain_text or "")]
        assert len(got) == 1
        assert not [m for m in api.messages(uid) if "Línea 100" in (m.text or "")]


async def test_a_confirmation_handed_back_after_a_busy_database_creates_one_broadcast(
    api, bot, monkeypatch
):
    monkeypatch.setattr(common, "DB_RETRY_DELAY", 0.1)
    confirm = busy_once(broadcast_actions.confirm)
    monkeypatch.setattr(broadcast_actions, "confirm", confirm)
    add_officers(bot, "Cusco", "distrital", [7601, 7602])
    await broadcast_to_everyone(api)
    await expect(api, STAFF_ID, "demora momentánea")
    report = await final_report(api)
    assert "enviados 2" in report and "de 2" in report
    await api.settle(STAFF_ID, quiet=0.5)
    assert len(confirm.calls) == 1  # the second handling found the broadcast made
    assert not [m for m in api.messages(STAFF_ID) if "algo falló" in (m.text or "")]
    with bot.services.db.session() as s:
        assert len(s.scalars(select(store.Broadcast)).all()) == 1
        sends = [a for a in s.scalars(select(AuditEntry)) if a.action == "broadcast_send"]
        assert len(sends) == 1
    assert [len(received(api, uid)) for uid in (7601, 7602)] == [1, 1]
    assert len([m for m in api.messages(STAFF_ID) if "terminada" in (m.text or "")
                and not m.edited]) == 1


async def test_a_region_button_names_its_region_for_good(api, bot):
    """Region buttons carry the INEI code, never a position in the list: a button kept from
    before (a position, «t») is stale, and picks no region."""
    add_officers(bot, "Cusco", "distrital", [7001])
    add_officers(bot, "Puno", "provincial", [7003])
    await compose(api)
    await expect(api, STAFF_ID, "¿A quién se envía?")
    await api.press_button(STAFF_ID, "Región")
    regions = await expect(api, STAFF_ID, "Marque una o varias", edits=True)
    data = {b.text: b.callback_data for row in regions.buttons for b in row}
    assert data["⬜ Cusco"] == "v1:bc:k:r:08" and data["⬜ Puno"] == "v1:bc:k:r:21"
    await api.press(STAFF_ID, regions.message_id, "v1:bc:t:r:7")  # position 7 was Cusco
    await eventually(lambda: any(a.user_id == STAFF_ID and "ya no está disponible" in (a.text or "")
                                 for a in api.callback_answers))  # fmt: skip
    await api.send_text(STAFF_ID, "hola")  # the same draft, its audience shown again
    await expect(api, STAFF_ID, "Seguimos")
    again = await expect(api, STAFF_ID, "¿A quién se envía?")
    assert "Llega a <b>2</b>" in again.text  # still everyone: no region was chosen
    await api.press_button(STAFF_ID, "Región")
    await expect(api, STAFF_ID, "Marque una o varias", edits=True)
    await api.press_button(STAFF_ID, "⬜ Puno")
    toggled = await expect(api, STAFF_ID, "Llega a <b>1</b>", edits=True)
    assert "☑️ Puno" in toggled.button_texts


async def test_failures_are_explained_in_staffs_words(api, bot):
    add_officers(bot, "Cusco", "distrital", [7301, 7302, 7303])

    def faults():
        api.fail_next("sendMessage", status=400, retry_after=None,
                      description="Bad Request: chat not found", count=2)  # fmt: skip
        api.fail_next("sendMessage", status=400, retry_after=None,
                      description="Bad Request: something new")  # fmt: skip

    assert await broadcast_to_everyone(api, faults) == 3
    report = await final_report(api)
    assert "fallidos 3" in report
    assert "• no existe ese chat (la persona no abrió el bot desde esa cuenta): 2" in report
    assert "• otra respuesta de Telegram («Something new»): 1" in report
    assert "chat not found" not in report
