"""Hand-off rules, their storage, deletion with the officer, and the staff group setting."""

from datetime import UTC, datetime, timedelta

import pytest

from bot.config import ConfigError, load_settings
from bot.handoff import (
    ANSWERED,
    CLOSED,
    FOLLOW_UP,
    IN,
    MAX_TEXT,
    OPEN,
    OUT,
    PREFILL_TTL,
    WAITING,
    after_officer_message,
    after_staff_reply,
    after_withdrawal,
    answered_since,
    parse_number,
    recall,
    remember,
    takes_plain_message,
    text_problem,
)
from bot.places import PlaceIndex
from bot.registration import Draft
from bot.storage.db import Database
from bot.storage.handoffs import (
    add_message,
    by_group_message,
    by_officer_message,
    close,
    for_staff,
    get_for_officer,
    group_copies_of,
    open_handoff,
    set_group_message,
    set_status,
    thread_anchor,
)
from bot.storage.models import Handoff, HandoffMessage
from bot.storage.officers import delete_officer, save_officer, sync_places

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
GROUP = -1001234


# --- rules -----------------------------------------------------------------------------------


def test_text_limits():
    assert text_problem("  ok ") == "short"
    assert text_problem(None) == "short"
    assert text_problem("¿Qué hago?") is None
    assert text_problem("a" * MAX_TEXT) is None
    assert text_problem("a" * (MAX_TEXT + 1)) == "long"
    assert text_problem("Sí", minimum=1) is None  # a fine answer, not a fine consulta
    assert text_problem("  ", minimum=1) == "short"


def test_status_moves():
    assert after_staff_reply(OPEN) == ANSWERED
    assert after_staff_reply(CLOSED) == ANSWERED  # a staff reply to a closed one still counts
    assert after_officer_message(ANSWERED) == OPEN
    assert after_officer_message(CLOSED) == OPEN  # the officer's words are never dropped
    assert answered_since(NOW) == NOW - timedelta(days=14)


def test_remembered_question_only_for_its_button_and_while_fresh():
    stored = remember("ab12", "¿Cuándo se instala la instancia?", NOW)
    assert recall(stored, "ab12", NOW + timedelta(minutes=5)) == stored["text"]
    assert recall(stored, "ffff", NOW) is None  # an older "no lo sé" button
    assert recall(stored, None, NOW) is None
    assert recall(stored, "ab12", NOW + PREFILL_TTL + timedelta(seconds=1)) is None
    assert recall({"token": "ab12", "at": "yesterday"}, "ab12", NOW) is None
    assert recall("garbage", "ab12", NOW) is None


@pytest.mark.parametrize(
    ("arg", "number"),
    [("12", 12), ("#12", 12), (" # 7 ", 7), ("0", None), ("-3", None), ("doce", None),
     ("", None), (None, None), ("1 2", None)],
)
def test_parse_number(arg, number):
    assert parse_number(arg) == number


# --- storage ---------------------------------------------------------------------------------


@pytest.fixture
def db(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'h.sqlite3'}")
    database.upgrade()
    sync_places(database, PlaceIndex.load())
    yield database
    database.dispose()


def officer(s, telegram_id, name="María Quispe"):
    draft = Draft(
        name=name, cargo="Subgerente", level="distrital", place_code="150135",
        institution="Municipalidad Distrital de San Martín de Porres", phone_done=True,
        consent=True,
    )
    return save_officer(s, telegram_id, draft, "2026-11", NOW)


def test_thread_lookups_are_per_chat_and_per_officer(db):
    with db.session() as s:
        h, first = open_handoff(s, officer(s, 11), "¿Primera consulta?", 5, NOW)
        set_group_message(s, first.id, GROUP, 40)
        add_message(s, h, OUT, "Respuesta", NOW, group_chat_id=GROUP, group_message_id=41,
                    officer_message_id=9)
        n = h.id
    with db.session() as s:
        assert by_group_message(s, GROUP, 40).id == n
        assert by_group_message(s, GROUP, 41).id == n
        assert by_group_message(s, -999, 40) is None  # same id in another chat
        assert by_officer_message(s, 11, 9).id == n
        assert by_officer_message(s, 12, 9) is None  # someone else's chat
        assert by_officer_message(s, 11, 5) is None  # the officer's own message is no anchor
        assert thread_anchor(s, n, GROUP) == 41
        assert thread_anchor(s, n, -999) is None
        assert get_for_officer(s, n, 11) is not None
        assert get_for_officer(s, n, 12) is None


def test_staff_list_open_first_then_recent_answered(db):
    with db.session() as s:
        a = officer(s, 21, "Ana Torres")
        ids = []
        for i in range(4):
            h, _ = open_handoff(s, a, f"Consulta número {i}", None, NOW - timedelta(days=30 - i))
            ids.append(h.id)
        set_status(s.get(Handoff, ids[0]), ANSWERED, NOW - timedelta(days=20))  # too old
        set_status(s.get(Handoff, ids[1]), ANSWERED, NOW - timedelta(days=1))
        set_status(s.get(Handoff, ids[2]), CLOSED, NOW)
    with db.session() as s:
        rows, total = for_staff(s, answered_since(NOW), limit=10)
        assert [h.id for h in rows] == [ids[3], ids[1]]
        assert total == 2
        rows, total = for_staff(s, answered_since(NOW), limit=1)
        assert ([h.id for h in rows], total) == ([ids[3]], 2)
        assert close(s, ids[3], NOW) == "closed"
        assert close(s, ids[3], NOW) == "already"
        assert close(s, 999, NOW) is None


def test_deleting_the_officer_deletes_their_consultas(db):
    with db.session() as s:
        h, first = open_handoff(s, officer(s, 31), "Mi consulta con mi nombre", None, NOW)
        set_group_message(s, first.id, GROUP, 50)
        add_message(s, h, OUT, "Respuesta", NOW, group_chat_id=GROUP, group_message_id=51)
        other, _ = open_handoff(s, officer(s, 32, "Otra Persona"), "Otra consulta", None, NOW)
        other_id = other.id
    with db.session() as s:
        assert group_copies_of(s, 31) == [(h.id, GROUP, 50)]  # only what the bot posted
        assert delete_officer(s, 31)[0] is True
    with db.session() as s:
        assert [row.id for row in s.query(Handoff)] == [other_id]
        assert {row.handoff_id for row in s.query(HandoffMessage)} == {other_id}
        assert all(row.direction == IN for row in s.query(HandoffMessage))


def test_numbers_are_never_reused(db):
    with db.session() as s:
        h, _ = open_handoff(s, officer(s, 41), "La última consulta", None, NOW)
        last = h.id
    with db.session() as s:
        delete_officer(s, 41)
    with db.session() as s:
        h, _ = open_handoff(s, officer(s, 42), "Una consulta nueva", None, NOW)
        assert h.id == last + 1


# --- configuration ---------------------------------------------------------------------------


def write(tmp_path, text):
    path = tmp_path / "config.yaml"
    path.write_text("telegram:\n  token: x\n" + text, encoding="utf-8")
    return path


def test_staff_group_setting(tmp_path):
    assert load_settings(write(tmp_path, ""), env={}).staff_group_chat_id is None
    path = write(tmp_path, "staff:\n  group_chat_id: -1001234567890\n")
    assert load_settings(path, env={}).staff_group_chat_id == -1001234567890
    path = write(tmp_path, "staff:\n  group_chat_id: null\n")
    assert load_settings(path, env={}).staff_group_chat_id is None


def test_staff_group_setting_errors(tmp_path):
    path = write(tmp_path, "staff:\n  admins: []\n  group_chat_id: 12345\n")
    with pytest.raises(ConfigError, match=r":5: staff.group_chat_id: 12345 is not a group"):
        load_settings(path, env={})
    path = write(tmp_path, "staff:\n  group_chat_id: '-100123'\n")
    with pytest.raises(ConfigError, match=r"staff.group_chat_id: must be a whole number or null"):
        load_settings(path, env={})
    path = write(tmp_path, "staff:\n  group_chat_id: true\n")
    with pytest.raises(ConfigError, match=r"staff.group_chat_id: must be"):
        load_settings(path, env={})


def test_which_consulta_takes_a_plain_message():
    now = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    # A specialist's reply waits for the officer for a week.
    assert takes_plain_message(ANSWERED, OUT, False, now - WAITING, now)
    assert not takes_plain_message(ANSWERED, OUT, False, now - WAITING - timedelta(seconds=1), now)
    # The officer's own line is followed by a second one only right after it.
    assert takes_plain_message(OPEN, IN, False, now - FOLLOW_UP, now)
    assert not takes_plain_message(OPEN, IN, False, now - FOLLOW_UP - timedelta(seconds=1), now)
    # Closed by staff, or a message just taken back: what the officer types is for the bot.
    assert not takes_plain_message(CLOSED, OUT, False, now, now)
    assert not takes_plain_message(ANSWERED, IN, True, now, now)
    assert not takes_plain_message(OPEN, None, False, now, now)


def test_a_withdrawal_gives_the_turn_back():
    assert after_withdrawal(OPEN, OUT) == ANSWERED  # the specialist had written last
    assert after_withdrawal(OPEN, IN) == OPEN  # the officer's earlier message still waits
    assert after_withdrawal(CLOSED, OUT) == CLOSED
