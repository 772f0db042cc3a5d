"""«Difusiones»: the history with its figures and «Recordar a estos» on the pending list, on a real
database: exactly the officers of the instancias listed are queued, once."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import broadcast_actions, pending_actions
from bot.config import Settings, TelegramSettings
from bot.registration import Draft
from bot.services import build_services
from bot.storage import broadcasts as store
from bot.storage import reports
from bot.storage.models import AuditEntry, Officer
from bot.storage.models_broadcast import Delivery
from bot.storage.officers import get_officer, save_officer

ROOT = Path(__file__).resolve().parents[1]
ADMIN = 9001


@pytest.fixture
def s(db_url, tmp_path):
    settings = Settings(
        telegram=TelegramSettings(token="1:x"), database_url=db_url, admins=frozenset({ADMIN}),
        knowledge_dir=ROOT / "knowledge", files_dir=tmp_path, source="<tests>",
    )  # fmt: skip
    services = build_services(settings)
    yield services
    services.db.dispose()


def _officer(s, telegram_id: int, name: str, code: str, *, active: bool = True):
    draft = Draft(name=name, cargo="Subgerente", level="distrital", place_code=code,
                  institution="Municipalidad", phone_done=True, consent=True)  # fmt: skip
    with s.db.session() as session:
        officer = save_officer(session, telegram_id, draft, "2026-11", s.now())
        officer.active = active


def _report(s, telegram_id: int, *, sent: bool) -> None:
    with s.db.session() as session:
        officer = get_officer(session, telegram_id)
        report = reports.start_draft(session, officer, s.period(), "v1", s.now())
        if sent:
            reports.send(report, s.now())


@pytest.fixture
def world(s):
    """District instancias: one sent; one in draft (its drafter, a colleague, and an officer
    who blocked the bot); one not started; one not started in another region."""
    districts = s.places.districts()
    lima = districts[0]
    cusco = next(p for p in districts if p.region != lima.region)
    same_region = [p for p in districts if p.region == lima.region][1:4]
    sent, draft, empty = same_region
    _officer(s, 101, "Ana <b>Envió</b>", sent.code)
    _report(s, 101, sent=True)
    _officer(s, 102, "Beto Borrador", draft.code)
    _report(s, 102, sent=False)
    _officer(s, 103, "Carla Compañera", draft.code)
    _officer(s, 104, "Dora Inactiva", draft.code, active=False)
    _officer(s, 105, "Eva Empty", empty.code)
    _officer(s, 106, "Fito Otra Región", cusco.code)
    return {"region": lima.region, "other": cusco.region, "draft": draft, "empty": empty}


def _queued(s, broadcast_id: int) -> set[int]:
    """The Telegram ids a broadcast's deliveries go to."""
    with s.db.session() as session:
        rows = session.query(Officer.telegram_id).join(Delivery, Delivery.officer_id == Officer.id)
        return {tid for (tid,) in rows.filter(Delivery.broadcast_id == broadcast_id)}


def test_the_pending_list_tells_drafts_from_not_started(s, world):
    everything = pending_actions.pending(s, pending_actions.Filters())
    states = {r.officers: r.state for r in everything.rows}
    assert states == {
        ("Beto Borrador", "Carla Compañera", "Dora Inactiva"): "draft", ("Eva Empty",): "none",
        ("Fito Otra Región",): "none",
    }  # fmt: skip
    assert everything.by_state == {"draft": 1, "none": 2}
    assert [r.reachable for r in everything.rows] == [2, 1, 1]
    # Reached: Beto, Carla, Eva, Fito; not Ana (sent), not Dora (blocked the bot: listed only).
    assert everything.officers == 4
    assert pending_actions.preview(s, pending_actions.Filters()).officers == 4  # all reachable
    drafts = pending_actions.pending(s, pending_actions.Filters.of("draft", world["region"]))
    assert [r.officers for r in drafts.rows] == [("Beto Borrador", "Carla Compañera",
                                                  "Dora Inactiva")]  # fmt: skip
    assert drafts.officers == 2


def test_remind_these_queues_exactly_the_listed_officers_once(s, world):
    filters = pending_actions.Filters.of("none", world["region"])
    shown = pending_actions.preview(s, filters)
    assert (shown.officers, shown.instancias) == (1, 1)
    assert "/reporte" in shown.text and "semestre" in shown.text

    changed = pending_actions.remind(s, ADMIN, filters, shown.text, expected=3)
    assert not changed.ok and changed.officers == 1 and "cambió" in changed.message
    with s.db.session() as session:
        assert store.recent(session, 10) == []  # nothing queued

    done = pending_actions.remind(s, ADMIN, filters, shown.text, expected=shown.officers)
    assert done.ok and done.officers == 1
    assert _queued(s, done.broadcast_id) == {105}
    again = pending_actions.remind(s, ADMIN, filters, shown.text, expected=shown.officers)
    assert again.ok and again.broadcast_id == done.broadcast_id  # a second press: not twice

    both = pending_actions.Filters.of("", None)
    everyone = pending_actions.preview(s, both)
    sent = pending_actions.remind(s, ADMIN, both, everyone.text, expected=everyone.officers)
    assert _queued(s, sent.broadcast_id) == {102, 103, 105, 106}
    with s.db.session() as session:
        audited = [a.detail for a in session.query(AuditEntry).filter(
            AuditEntry.action == broadcast_actions.REMIND_ACTION)]  # fmt: skip
    assert len(audited) == 2 and all(d.startswith("broadcast=") for d in audited)


def test_the_same_confirmation_form_queues_one_reminder_even_with_its_text_retouched(
    s, world, monkeypatch
):
    """A reload or a retyped space resends the form with its one-time key: one reminder. Past
    the two minutes of a similar press, only the key tells them apart."""
    filters = pending_actions.Filters.of("none", world["region"])
    shown = pending_actions.preview(s, filters)
    first = pending_actions.remind(s, ADMIN, filters, shown.text, shown.officers, "k-1")
    later = s.now() + pending_actions.SAME_PRESS * 3
    monkeypatch.setattr(type(s), "now", lambda self: later)
    again = pending_actions.remind(s, ADMIN, filters, shown.text + "\u200b", shown.officers, "k-1")
    assert first.ok and again.ok and again.broadcast_id == first.broadcast_id
    other = pending_actions.remind(s, ADMIN, filters, shown.text, shown.officers, "k-2")
    assert other.ok and other.broadcast_id != first.broadcast_id  # a new confirmation: new


def test_a_broken_message_is_refused_before_anything_is_queued(s, world):
    filters = pending_actions.Filters()
    n = pending_actions.preview(s, filters).officers
    for text in ("", "<b>sin cerrar", "x" * 5000):
        assert not pending_actions.remind(s, ADMIN, filters, text, expected=n).ok
    with s.db.session() as session:
        assert store.recent(session, 10) == []


def test_the_history_shows_each_kind_with_live_figures(s, world):
    filters = pending_actions.Filters()
    shown = pending_actions.preview(s, filters)
    done = pending_actions.remind(s, ADMIN, filters, shown.text, expected=shown.officers)
    with s.db.session() as session:
        rows = session.query(Delivery).filter(Delivery.broadcast_id == done.broadcast_id).all()
        store.mark_delivery(session, rows[0].id, store.SENT, "", s.now())
        store.mark_delivery(session, rows[1].id, store.FAILED, "Bad Request: chat not found",
                            s.now())  # fmt: skip
        store.mark_delivery(session, rows[2].id, store.LEFT, "", s.now())
    [past] = broadcast_actions.history(s)
    assert past.kind == "pendientes" and past.status == "sending"
    c = past.counts
    assert (c.total, c.sent, c.failed, c.left, c.pending) == (4, 1, 1, 1, 1)
    assert past.reasons == [("no existe ese chat (la persona no abrió el bot desde esa cuenta)", 1)]
    assert past.preview.startswith("⏰ Recordatorio del MIMP")
    assert "sin empezar" in past.audience
