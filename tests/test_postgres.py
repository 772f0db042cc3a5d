"""What differs between SQLite and PostgreSQL, checked on both: big Telegram ids, times with their
zone, foreign-key actions, enforced column lengths; the throwaway cluster itself; a locked
PostgreSQL database as the officer sees it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from sqlalchemy import select, text

from bot.places import PlaceIndex
from bot.registration import Draft
from bot.storage import reports
from bot.storage.db import Database
from bot.storage.handoffs import open_handoff
from bot.storage.models import Handoff, HandoffMessage, Officer, Report, ReportDocument
from bot.storage.officers import delete_officer, save_officer, sync_places
from bot.storage.schema import Base
from tests import pg

# 04:30 UTC is still the day before in Lima (UTC-5), and the test cluster runs in Lima's zone.
NOW = datetime(2026, 11, 21, 4, 30, tzinfo=UTC)
TELEGRAM_ID = 7_123_456_789  # user ids no longer fit in 32 bits
GROUP = -1_001_987_654_321


@pytest.fixture
def db(db_url):
    database = Database(db_url)
    database.upgrade()
    sync_places(database, PlaceIndex.load())
    yield database
    database.dispose()


def new_officer(s, telegram_id: int = TELEGRAM_ID) -> Officer:
    draft = Draft(
        name="Rosa Huamán Quispe", cargo="Subgerente", level="distrital", place_code="150135",
        institution="Municipalidad Distrital de San Martín de Porres", phone_done=True,
        consent=True,
    )
    return save_officer(s, telegram_id, draft, "2026-11", NOW)


def as_utc(moment: datetime) -> datetime:
    """SQLite gives back naive UTC, PostgreSQL an aware time in the session's zone."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def test_big_ids_and_times_round_trip(db):
    with db.session() as s:
        officer = new_officer(s)
        handoff, first = open_handoff(s, officer, "¿Consulta?", 2**40, NOW)
        first.group_chat_id, first.group_message_id = GROUP, 2**33
    with db.session() as s:
        officer = s.scalar(select(Officer).where(Officer.telegram_id == TELEGRAM_ID))
        message = s.scalar(select(HandoffMessage))
        assert (message.group_chat_id, message.group_message_id) == (GROUP, 2**33)
        assert message.officer_message_id == 2**40
        assert as_utc(officer.consent_at) == NOW
        assert as_utc(message.at) == NOW
        # Comparisons in SQL see the same instant whatever the session's zone.
        later = s.scalar(select(Handoff.id).where(Handoff.created_at >= NOW - timedelta(seconds=1)))
        assert later == handoff.id


def test_old_drafts_expire_by_instant_not_by_wall_clock(db):
    with db.session() as s:
        officer = new_officer(s)
        reports.start_draft(s, officer, "2026-S2", "v1", NOW)
    with db.session() as s:
        assert reports.expire_drafts(s, NOW - timedelta(minutes=1)) == []
    with db.session() as s:
        assert reports.expire_drafts(s, NOW + timedelta(minutes=1)) == [(TELEGRAM_ID, "2026-S2")]


def test_deleting_an_officer_keeps_their_sent_report_without_them(db):
    with db.session() as s:
        officer = new_officer(s)
        report = reports.start_draft(s, officer, "2026-S2", "v1", NOW, answers={"creada": "si"})
        reports.send(report, NOW)
        open_handoff(s, officer, "¿Consulta?", 1, NOW)
    with db.session() as s:
        assert delete_officer(s, TELEGRAM_ID)[0]
    with db.session() as s:
        kept = s.scalar(select(Report))
        assert kept.officer_id is None  # ondelete SET NULL, enforced by both backends
        assert reports.answers_of(kept) == {"creada": "si"}
        assert s.scalar(select(Handoff)) is None


def test_long_document_names_are_stored(db):
    """PostgreSQL enforces VARCHAR lengths (SQLite does not): what Telegram sends must fit."""
    meta = {"file_id": "F" * 200, "name": "informe " * 60 + ".pdf", "size": 2**33,
            "mime": "application/vnd.openxmlformats-officedocument." + "x" * 100}
    with db.session() as s:
        report = reports.start_draft(s, new_officer(s), "2026-S2", "v1", NOW)
        reports.add_document(s, report, "documento", meta, None, NOW)
    with db.session() as s:
        doc = s.scalar(select(ReportDocument))
        assert doc.file_name.startswith("informe ") and doc.file_size == 2**33


# --- the cluster -----------------------------------------------------------------------------


def test_a_cluster_listens_on_loopback_only_and_leaves_nothing_behind():
    try:
        cluster = pg.start_cluster()
    except pg.Unavailable as exc:
        pytest.skip(f"PostgreSQL not available: {exc}")
    root, port = cluster.root, cluster.port
    try:
        with psycopg.connect(cluster.url("postgres").replace("+psycopg", "")) as conn:
            settings = dict(conn.execute(
                "SELECT name, setting FROM pg_settings WHERE name IN "
                "('listen_addresses', 'fsync', 'TimeZone')"
            ).fetchall())
            data_owner = root.joinpath("data").stat().st_uid
        assert settings == {
            "listen_addresses": "127.0.0.1", "fsync": "off", "TimeZone": "America/Lima"
        }
        assert cluster.user is None or data_owner == cluster.user.pw_uid != 0
    finally:
        cluster.stop()
    assert not root.exists()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(host="127.0.0.1", port=port, user="postgres", connect_timeout=2)
    cluster.stop()  # twice is harmless


# --- a locked PostgreSQL database, through the real bot ----------------------------------------


@pytest.fixture
def pg_db_url(request, tmp_path):
    """PostgreSQL only (SQLite has its own locked-file test in tests/e2e/test_faults.py)."""
    from tests.conftest import _database

    yield from _database(request, "postgresql", tmp_path, template=True)


async def test_locked_tables_tell_the_officer_to_wait_and_keep_the_update(pg_db_url):
    from standin.server import BotAPIStandIn
    from tests.e2e.harness import TOKEN, BotRunner, expect

    uid = 5002
    tables = ", ".join(sorted(Base.metadata.tables))
    async with BotAPIStandIn(token=TOKEN) as api:
        runner = BotRunner(api, pg_db_url)
        await runner.start()
        locker = Database(pg_db_url)
        try:
            with locker.engine.connect() as conn:
                conn.execute(text(f"LOCK TABLE {tables} IN ACCESS EXCLUSIVE MODE"))
                await api.send_command(uid, "/start")  # looks the officer up
                # lock_timeout turns the wait into an error: the officer hears from us.
                await expect(api, uid, "Inténtelo en un momento", timeout=30)
                conn.rollback()
            await expect(api, uid, "Para preguntar", timeout=30)  # the same update, again
            await asyncio.sleep(0)
        finally:
            locker.dispose()
            await runner.stop()
