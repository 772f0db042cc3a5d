"""Reminder schedules (pure, Lima time) and firing them into broadcasts once each."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.audience import NOT_SENT, Audience
from bot.reminders import Schedule, ScheduleError, due_slot, fire_due, in_words, parse_new
from bot.storage import broadcasts as store
from bot.storage.models import Report
from tests.test_broadcast import db, make_officers  # noqa: F401 (db: a fixture)

LIMA = ZoneInfo("America/Lima")
SEMESTER_END = Schedule.parse("1,15", "5,6,11,12", "09:00")


def lima(*args) -> datetime:
    return datetime(*args, tzinfo=LIMA).astimezone(UTC)


def test_parse_and_errors():
    assert Schedule((1, 15), (5, 6, 11, 12), 9, 0) == SEMESTER_END
    assert Schedule.parse("15, 1", "", "9.30").at_time == "09:30"
    for days, months, at, key in [("", "", "09:00", "dias"), ("0", "", "09:00", "dias"),
                                  ("1", "13", "09:00", "meses"), ("1", "", "25:00", "hora"),
                                  ("uno", "", "09:00", "dias")]:
        with pytest.raises(ScheduleError) as err:
            Schedule.parse(days, months, at)
        assert err.value.key == key


def test_slots_in_lima_time():
    # 09:00 in Lima is 14:00 UTC.
    assert SEMESTER_END.latest_slot(lima(2026, 11, 15, 8, 59), LIMA) == lima(2026, 11, 1, 9, 0)
    assert SEMESTER_END.latest_slot(lima(2026, 11, 15, 9, 0), LIMA) == lima(2026, 11, 15, 9, 0)
    assert SEMESTER_END.latest_slot(lima(2026, 9, 20), LIMA) == lima(2026, 6, 15, 9, 0)
    assert SEMESTER_END.next_slot(lima(2026, 6, 15, 9, 0), LIMA) == lima(2026, 11, 1, 9, 0)
    assert Schedule.parse("31", "2", "09:00").next_slot(lima(2026, 1, 1), LIMA) is None


def test_due_once_and_missed_slots_only_on_the_same_day():
    created = lima(2026, 10, 20)
    due = due_slot(SEMESTER_END, now=lima(2026, 11, 1, 9, 0, 30), tz=LIMA,
                   created_at=created, last_fired_at=None)
    assert due == (lima(2026, 11, 1, 9, 0), True)
    # Once acted on, not again.
    assert due_slot(SEMESTER_END, now=lima(2026, 11, 1, 9, 5), tz=LIMA, created_at=created,
                    last_fired_at=due[0]) is None
    # The bot was down at 09:00 and is back at 16:00: still sent.
    assert due_slot(SEMESTER_END, now=lima(2026, 11, 1, 16), tz=LIMA, created_at=created,
                    last_fired_at=None) == (lima(2026, 11, 1, 9, 0), True)
    # Back the next day: too late, only recorded.
    assert due_slot(SEMESTER_END, now=lima(2026, 11, 2, 8), tz=LIMA, created_at=created,
                    last_fired_at=None) == (lima(2026, 11, 1, 9, 0), False)
    # A slot before the reminder existed is never sent.
    assert due_slot(SEMESTER_END, now=lima(2026, 11, 1, 10), tz=LIMA,
                    created_at=lima(2026, 11, 1, 9, 30), last_fired_at=None) is None


def test_parse_new_command():
    new = parse_new(["1,15", "fin-de-semestre", "09:00"], "Envíe su <b>reporte</b>", ["Puno"])
    assert new.schedule == SEMESTER_END and new.audience == NOT_SENT
    new = parse_new(["1", "todos", "8:00", "puno", "enviado"], "x", ["Puno"])
    assert new.schedule.months == () and new.audience == Audience(
        regions=frozenset({"Puno"}), statuses=frozenset({"sent"}))
    for args, text, key in [(["1", "todos"], "x", "hora"), (["1", "x", "09:00"], "x", "dias"),
                            (["1", "todos", "09:00", "marte"], "x", "publico"),
                            (["1", "todos", "09:00"], "  ", "texto")]:
        with pytest.raises(ScheduleError) as err:
            parse_new(args, text, ["Puno"])
        assert err.value.key == key


def test_fire_due_sends_each_slot_once_to_who_is_missing(db):  # noqa: F811 (the fixture)
    chats = make_officers(db, 3)
    with db.session() as s:
        officer = store.audience_rows(s, "2026-S2")[0]
        s.add(Report(instancia_id=s.get(store.Officer, officer.officer_id).instancia_id,
                     period="2026-S2", officer_id=officer.officer_id, survey_version="1",
                     status="sent", sent_at=lima(2026, 10, 30)))
        r = store.add_reminder(s, author_id=9001, created_at=lima(2026, 10, 1), days="1",
                               months="11", at_time="09:00", audience=NOT_SENT.to_json(),
                               text="Recuerde su reporte")
        rid = r.id
    kwargs = dict(tz=LIMA, period="2026-S2")
    assert fire_due(db, now=lima(2026, 11, 1, 8, 59), **kwargs) == []
    [bid] = fire_due(db, now=lima(2026, 11, 1, 9, 0, 10), **kwargs)
    assert fire_due(db, now=lima(2026, 11, 1, 9, 1), **kwargs) == []
    with db.session() as s:
        b = store.get_broadcast(s, bid)
        assert (b.total, b.reminder_id, b.text) == (2, rid, "Recuerde su reporte")
        assert {d.telegram_id for d in store.pending_deliveries(s, bid, 10)} == set(chats[1:])
        assert store.last_firing(s, rid).id == bid
    # With a closing date, the reminder says until when.
    with db.session() as s:
        store.get_reminder(s, rid).last_fired_at = None
    deadline = "📅 hasta el <b>15/01/2027</b>"
    [bid] = fire_due(db, now=lima(2026, 11, 1, 9, 0, 20), deadline=deadline, **kwargs)
    with db.session() as s:
        assert store.get_broadcast(s, bid).text == f"Recuerde su reporte\n\n{deadline}"
    # Paused: nothing is sent.
    with db.session() as s:
        store.get_reminder(s, rid).active = False
    assert fire_due(db, now=lima(2026, 12, 1, 9, 0) + timedelta(minutes=1), **kwargs) == []


def test_a_schedule_in_words():
    names = dict(enumerate(
        ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
         "septiembre", "octubre", "noviembre", "diciembre"], start=1))
    assert in_words(Schedule.parse("1,15", "11,12", "09:00"), names) == (
        "el 1 y el 15 de noviembre y diciembre a las 09:00"
    )
    assert in_words(Schedule.parse("5", "", "1:30"), names) == "el 5 de cada mes a la 01:30"
    assert in_words(Schedule.parse("10,1,20", "6,5,11,12", "17:00"), names) == (
        "el 1, el 10 y el 20 de mayo, junio, noviembre y diciembre a las 17:00"
    )
