"""The broadcast lane's pacing (fake clock) and its delivery records (real database, fake send)."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.audience import Audience
from bot.audience import select as choose
from bot.broadcast import ERROR, GONE, RETRY_AFTER, SENT, Lane, Outcome, Pacer, as_seconds, backoff
from bot.storage import broadcasts as store
from bot.storage.db import Database
from bot.storage.models import Instancia, Officer, Place
from bot.storage.models_broadcast import Delivery

NOW = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)


# --- pacing ----------------------------------------------------------------------------------


def test_pacer_keeps_the_global_rate():
    pacer, t, sent = Pacer(25), 0.0, []
    chat = iter(range(10_000))
    while t < 10.0:
        wait = pacer.reserve(next(chat), t)
        if wait == 0:
            sent.append(t)
        else:
            t += wait
    # 25 a second, and never more than rate + burst in any one-second window.
    assert 249 <= len(sent) <= 251
    assert max(sum(1 for x in sent if s <= x < s + 1) for s in sent) <= 25 + pacer.burst


def test_pacer_one_message_per_second_per_chat_and_pauses_after_429():
    pacer = Pacer(25)
    assert pacer.reserve(7, 0.0) == 0
    assert pacer.reserve(7, 0.1) == pytest.approx(0.9)
    assert pacer.reserve(8, 0.1) == 0  # another chat is fine
    pacer.pause(2.0, 0.2)
    assert pacer.reserve(9, 0.3) == pytest.approx(1.9)
    assert pacer.reserve(9, 2.2) == 0
    with pytest.raises(ValueError):
        Pacer(0)


def test_retry_after_as_int_float_or_timedelta():
    assert as_seconds(3) == 3.0
    assert as_seconds(0.2) == 0.2
    assert as_seconds(timedelta(milliseconds=1500)) == 1.5
    assert as_seconds(None) == 0.0
    assert [backoff(n) for n in (1, 2, 3)] == [0.5, 1.0, 2.0]


# --- the lane --------------------------------------------------------------------------------


def make_officers(db: Database, n: int) -> list[int]:
    """n active officers of n district instancias; returns their telegram ids."""
    with db.session() as s:
        for i in range(n):
            place = Place(level="distrital", code=f"99{i:04d}", name=f"Distrito {i}",
                          provincia="P", departamento="D", region="Cusco")
            s.add(Officer(telegram_id=5000 + i, name=f"O{i}", cargo="c", institution="i",
                          consent_at=NOW, consent_version="1", instancia=Instancia(place=place)))
    return [5000 + i for i in range(n)]


def new_broadcast(db: Database) -> int:
    with db.session() as s:
        rows = choose(store.audience_rows(s, "2026-S2"), Audience())
        return store.create_broadcast(
            s, author_id=1, text="<b>Hola</b>", audience_json="{}", recipients=rows, now=NOW
        ).id


class FakeTelegram:
    """Scripted outcomes per chat (consumed in order), else SENT; records what arrived."""

    def __init__(self, script=None, stop_after=None):
        self.script = {k: list(v) for k, v in (script or {}).items()}
        self.received: list[int] = []
        self.stop_after = stop_after

    async def send(self, chat_id, content):
        if self.stop_after is not None and len(self.received) == self.stop_after:
            raise asyncio.CancelledError  # the process dies with this send in flight
        queue = self.script.get(chat_id)
        outcome = queue.pop(0) if queue else Outcome(SENT)
        if outcome.kind == SENT:
            self.received.append(chat_id)
        return outcome


async def no_sleep(_seconds):
    await asyncio.sleep(0)


def lane_for(db, tg, progress=None, clock=None):
    t = [0.0]

    def fake_clock():
        t[0] += 0.05  # every look at the clock moves time on: pacing never blocks the test
        return t[0]

    return Lane(db, tg.send, rate=25, progress=progress, clock=clock or fake_clock,
                now=lambda: NOW, sleep=no_sleep)


@pytest.fixture
def db(db_url):
    database = Database(db_url)
    database.upgrade()
    yield database
    database.dispose()


async def test_outcomes_are_recorded(db):
    chats = make_officers(db, 5)
    bid = new_broadcast(db)
    tg = FakeTelegram({
        chats[1]: [Outcome(RETRY_AFTER, seconds=0.2)],
        chats[2]: [Outcome(GONE, reason="Forbidden: bot was blocked by the user")],
        chats[3]: [Outcome(ERROR, reason="Bad Gateway", retryable=True)] * 3,
        chats[4]: [Outcome(ERROR, reason="Bad Gateway", retryable=True)],
    })
    reports = []

    async def progress(p):
        reports.append(p)

    with db.session() as s:
        store.set_progress_message(s, bid, 9001, 77)
    assert await lane_for(db, tg, progress).run_once()
    assert tg.received == [chats[0], chats[1], chats[4]]  # 429 waited out, 5xx retried once
    with db.session() as s:
        c = store.counts(s, bid)
        assert (c.total, c.sent, c.failed, c.left, c.pending) == (5, 3, 1, 1, 0)
        assert store.failure_reasons(s, bid) == [("Bad Gateway", 1)]
        assert store.status_of(s, bid) == store.DONE
        assert not s.scalar(select(Officer.active).where(Officer.telegram_id == chats[2]))
    assert reports[-1].done and reports[-1].counts.sent == 3 and reports[-1].message_id == 77

    # The officer who blocked the bot is skipped from then on.
    bid2 = new_broadcast(db)
    tg2 = FakeTelegram()
    await lane_for(db, tg2).run_once()
    assert chats[2] not in tg2.received and len(tg2.received) == 4
    with db.session() as s:
        assert store.counts(s, bid2).total == 4


async def test_a_crash_mid_broadcast_resumes_without_skipping_or_repeating(db):
    chats = make_officers(db, 30)
    bid = new_broadcast(db)
    first = FakeTelegram(stop_after=12)
    with pytest.raises(asyncio.CancelledError):
        await lane_for(db, first).run_once()
    with db.session() as s:
        assert store.counts(s, bid).sent == 12
        assert store.status_of(s, bid) == store.SENDING
    second = FakeTelegram()
    await lane_for(db, second).run_once()  # the next start
    assert first.received + second.received == chats  # each exactly once, in order
    with db.session() as s:
        statuses = set(s.scalars(select(Delivery.status).where(Delivery.broadcast_id == bid)))
        assert statuses == {store.SENT}


async def test_a_stopped_broadcast_keeps_the_rest_pending(db):
    make_officers(db, 10)
    bid = new_broadcast(db)
    with db.session() as s:
        assert store.cancel(s, bid, NOW)
        assert not store.cancel(s, bid, NOW)
    tg = FakeTelegram()
    assert await lane_for(db, tg).run_once() is False  # nothing in status "sending"
    assert tg.received == []
    with db.session() as s:
        assert store.counts(s, bid).pending == 10
        assert store.status_of(s, bid) == store.CANCELLED
