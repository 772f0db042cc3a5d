"""The hand-off's core actions on a real database: each step happens once per update."""

from pathlib import Path

import pytest

from bot import handoff_actions as core
from bot.config import Settings, TelegramSettings
from bot.registration import Draft
from bot.services import build_services
from bot.storage.officers import save_officer
from bot.storage.staff import add_staff

ROOT = Path(__file__).resolve().parents[1]
ADMIN, SPECIALIST, OUTSIDER, OFFICER = 1, 2, 3, 4
GROUP = -1001


@pytest.fixture
def s(db_url, tmp_path):
    settings = Settings(
        telegram=TelegramSettings(token="1:x"), database_url=db_url,
        admins=frozenset({ADMIN}), staff_group_chat_id=GROUP, knowledge_dir=ROOT / "knowledge",
        files_dir=tmp_path, source="<tests>",
    )  # fmt: skip
    services = build_services(settings)
    draft = Draft(
        name="María Quispe", cargo="Subgerente", level="distrital", place_code="150135",
        institution="Municipalidad", phone_done=True, consent=True,
    )  # fmt: skip
    with services.db.session() as session:
        save_officer(session, OFFICER, draft, "2026-11", services.now())
        add_staff(session, SPECIALIST, "Rosa", ADMIN, services.now())
    yield services
    services.db.dispose()


def reply(posted_id: int, user_id: int | None, update_id: int, **more) -> tuple:
    msg = core.GroupMessage(
        group=GROUP, message_id=update_id, reply_to_id=posted_id, reply_to_bot=True,
        user_id=user_id, anonymous=more.get("anonymous", False), text=more.get("text", "Hola"),
        html=more.get("text", "Hola"),
    )  # fmt: skip
    return msg, update_id


def test_a_consulta_is_stored_once_and_posted_once(s):
    first = core.open_consulta(s, OFFICER, "¿Quién convoca?", 10, update_id=500)
    assert (first.kind, first.number, first.resumed) == ("post", 1, False)
    again = core.open_consulta(s, OFFICER, "¿Quién convoca?", 10, update_id=500)
    assert (again.kind, again.number, again.resumed) == ("post", 1, True)  # not posted yet
    core.consulta_posted(s, first.row_id, GROUP, 77)
    assert core.open_consulta(s, OFFICER, "¿Quién convoca?", 10, update_id=500).kind == "replay"
    assert core.open_consulta(s, OFFICER, "Otra", 11, update_id=501).number == 2


def test_only_staff_replies_are_relayed_and_once(s):
    post = core.open_consulta(s, OFFICER, "¿Quién convoca?", 10, update_id=500)
    core.consulta_posted(s, post.row_id, GROUP, 77)
    assert core.staff_reply(s, *reply(77, OUTSIDER, 600)).kind == "not_staff"
    assert core.staff_reply(s, *reply(77, None, 601, anonymous=True)).kind == "not_staff"
    assert core.staff_reply(s, *reply(77, None, 602)).kind == "ignore"  # another bot
    assert core.staff_reply(s, *reply(999, OUTSIDER, 603)).kind == "unknown"
    assert core.staff_reply(s, *reply(77, SPECIALIST, 604, text=None)).kind == "only_text"
    for staff in (SPECIALIST, ADMIN):
        relay = core.staff_reply(s, *reply(77, staff, 610 + staff))
        assert (relay.kind, relay.officer_chat) == ("relay", OFFICER)
        core.relayed(s, relay.row_id, 900 + staff)
        assert core.staff_reply(s, *reply(77, staff, 610 + staff)).kind == "replay"
    assert core.relayed_consulta(s, OFFICER, 900 + SPECIALIST) == 1


def test_a_relay_that_failed_is_forgotten(s):
    post = core.open_consulta(s, OFFICER, "¿Quién convoca?", 10, update_id=500)
    core.consulta_posted(s, post.row_id, GROUP, 77)
    relay = core.staff_reply(s, *reply(77, SPECIALIST, 600))
    core.not_sent(s, relay.row_id)
    assert core.staff_reply(s, *reply(77, SPECIALIST, 600)).kind == "replay"
    assert core.thread_of(s, GROUP, 600) is None  # the failed reply is no part of the thread


def test_closing_is_said_once(s):
    core.open_consulta(s, OFFICER, "¿Quién convoca?", 10, update_id=500)
    assert core.close(s, 1, update_id=700, actor=9001) == "closed"
    assert core.close(s, 1, update_id=700, actor=9001) is None
    assert core.close(s, 1, update_id=701, actor=9001) == "already"
    assert core.close(s, 9, update_id=702, actor=9001) == "missing"
