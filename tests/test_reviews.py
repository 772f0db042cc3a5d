"""Reviews of sent reports on a real database: validate, observe (sent through the broadcast
lane's tables), the officer's correction and what it changed, the queue, replays."""

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot import broadcast_actions, report_actions
from bot import review_actions as core
from bot.config import Settings, TelegramSettings
from bot.periods import period_label, previous_period
from bot.registration import Draft
from bot.services import build_services
from bot.storage import reports as report_store
from bot.storage.models import AuditEntry, Officer, Report
from bot.storage.models_broadcast import Broadcast, Delivery
from bot.storage.models_review import ReportReview
from bot.storage.officers import get_officer, save_officer
from bot.storage.staff import add_staff
from tests.e2e.harness import closed_before

ROOT = Path(__file__).resolve().parents[1]
ADMIN, SPECIALIST, ANA, LUIS, OTHER = 1, 2, 4, 5, 6
NOTHING_YET = {"creada": "no", "servicios": ["ninguno"], "servicios_faltan": None,
               "asistencia_recibida": False, "dificultades": None, "asistencia_tecnica": None}


def officer(uid: int, name: str, code: str = "150135") -> Draft:
    return Draft(name=name, cargo="Subgerente", level="distrital", place_code=code,
                 institution="Municipalidad", phone_done=True, consent=True)


@pytest.fixture
def s(db_url, tmp_path):
    settings = Settings(
        telegram=TelegramSettings(token="1:x"), database_url=db_url,
        admins=frozenset({ADMIN}), knowledge_dir=ROOT / "knowledge", files_dir=tmp_path,
        source="<tests>", closing_dates=closed_before(),
    )  # fmt: skip
    services = build_services(settings)
    with services.db.session() as session:
        save_officer(session, ANA, officer(ANA, "Ana Torres"), "2026-11", services.now())
        save_officer(session, LUIS, officer(LUIS, "Luis Rojas"), "2026-11", services.now())
        save_officer(session, OTHER, officer(OTHER, "Eva", "150101"), "2026-11", services.now())
        add_staff(session, SPECIALIST, "Rosa Huamán", ADMIN, services.now())
    yield services
    services.db.dispose()


def send_report(s, uid: int, answers: dict = NOTHING_YET) -> int:
    """The officer's report of the open period, answered and sent through the real actions."""
    started = report_actions.start(s, uid)
    if started.state == report_actions.OFFER:  # the instancia sent one: correct it
        report_actions.correct(s, uid, started.says[0].rows[0][0].action[1])
    with s.db.session() as session:
        draft = report_store.current_draft(session, get_officer(session, uid).id, s.period())
        for qid, value in answers.items():
            report_store.save_answer(session, draft, qid, value, s.now())
    sent = report_actions.submit(s, uid)
    assert "Reporte enviado" in sent.says[0].text, sent
    with s.db.session() as session:
        return report_store.latest_sent(
            session, get_officer(session, uid).instancia_id, s.period()
        ).id


def count(s, model, *where) -> int:
    with s.db.session() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def test_a_sent_report_waits_in_the_queue_until_validated(s):
    first = send_report(s, OTHER)
    second = send_report(s, ANA)
    queue = core.queue(s, s.period()).items
    assert [(i.report_id, i.state) for i in queue] == [(first, "sin_revisar"),
                                                        (second, "sin_revisar")]  # oldest first
    page = core.queue(s, s.period(), first=1, limit=1)
    assert (page.total, [i.report_id for i in page.items]) == (2, [second])
    done = core.review(s, SPECIALIST, second, "validado", "", request_key="k1")
    assert done.ok and done.state == "validado" and done.recipients == 0
    assert [i.report_id for i in core.queue(s, s.period()).items] == [first]
    states = core.review_states(s, s.period())
    assert set(states.values()) == {"sin_revisar", "validado"} and len(states) == 2
    assert count(s, Broadcast) == 0
    assert count(s, AuditEntry, AuditEntry.action == "review_validado") == 1
    panel = core.panel(s, queue[1].instancia_id, s.period())
    assert (panel.state, panel.history[0].who, panel.history[0].state) == (
        "validado", "Rosa Huamán", "validado")


def test_a_report_is_reviewed_only_from_its_own_instancia(s):
    report = send_report(s, ANA)
    with s.db.session() as session:
        own = get_officer(session, ANA).instancia_id
        other = get_officer(session, OTHER).instancia_id
    assert not core.review(s, SPECIALIST, report, "validado", "", instancia_id=other).ok
    assert count(s, ReportReview) == 0
    assert core.review(s, SPECIALIST, report, "validado", "", instancia_id=own).ok


def test_an_observation_needs_a_comment_and_goes_to_every_active_officer_once(s):
    report = send_report(s, ANA)
    refused = core.review(s, SPECIALIST, report, "observado", "   ")
    assert not refused.ok and "comentario" in refused.error
    assert not core.review(s, SPECIALIST, report, "corregido", "x").ok
    with s.db.session() as session:  # Luis blocked the bot: he is not sent it
        session.scalar(select(Officer).where(Officer.telegram_id == LUIS)).active = False
    comment = "Falta la <b>fecha</b> & el número <script>x</script>"
    done = core.review(s, SPECIALIST, report, "observado", comment, request_key="form-1")
    again = core.review(s, SPECIALIST, report, "observado", comment, request_key="form-1")
    assert done.ok and done.recipients == 1
    assert again.replay and again.review_id == done.review_id
    assert count(s, ReportReview) == 1 and count(s, Broadcast) == 1
    assert count(s, AuditEntry, AuditEntry.action == "review_observado") == 1
    with s.db.session() as session:
        b = session.scalar(select(Broadcast))
        assert b.status == "sending" and b.total == 1
        assert "&lt;script&gt;" in b.text and "<script>" not in b.text
        tids = session.scalars(
            select(Officer.telegram_id).join(Delivery, Delivery.officer_id == Officer.id)
        ).all()
        assert tids == [ANA]
    assert core.queue(s, s.period()).items == []  # observed: waiting for the officer, not staff
    # «Difusiones» tells it for what it is: to one instancia's officers, by its reviewer.
    [past] = broadcast_actions.history(s)
    assert past.kind == "observacion" and past.author == "Rosa Huamán"
    assert past.audience.endswith("puntos focales de San Martín de Porres (Lima, Lima)")


def test_the_officer_sees_the_observation_corrects_and_staff_see_what_changed(s):
    report = send_report(s, ANA)
    core.review(s, SPECIALIST, report, "observado", "Indique las dificultades.")
    offer = report_actions.start(s, LUIS)  # any officer of the instancia sees it
    assert "observó" in offer.says[0].text and "Indique las dificultades." in offer.says[0].text
    assert offer.state == report_actions.OFFER
    fix = report_actions.correct(s, LUIS, str(report))
    assert "Indique las dificultades." in fix.says[0].text  # above the summary
    assert fix.state == report_actions.SUMMARY
    report_actions.edit(s, LUIS, "dificultades")
    report_actions.typed(s, LUIS, "No hay presupuesto para convocar")
    sent = report_actions.submit(s, LUIS)
    assert "corrección" in sent.says[-1].text
    queue = core.queue(s, s.period()).items
    assert [(i.state, i.report_id != report) for i in queue] == [("corregido", True)]
    panel = core.panel(s, queue[0].instancia_id, s.period())
    assert panel.state == "corregido" and panel.observation == "Indique las dificultades."
    assert [(c.question, c.before, c.after) for c in panel.changes] == [
        ("Dificultades", "—", "No hay presupuesto para convocar")]
    assert [h.state for h in panel.history] == ["corregido", "observado"]
    assert panel.history[0].who == ""  # the officer's correction, no staff member
    # /reporte no longer shows the observation; a second send is not a second correction.
    assert "observó" not in report_actions.start(s, ANA).says[0].text


def test_only_the_current_report_of_the_open_period_can_be_observed(s):
    old = send_report(s, ANA)
    new = send_report(s, LUIS)
    assert "reciente" in core.review(s, SPECIALIST, old, "validado", "").error
    with s.db.session() as session:
        session.get(Report, new).period = "2025-S2"
    refused = core.review(s, SPECIALIST, new, "observado", "Revise")
    assert not refused.ok and "periodo abierto" in refused.error
    assert core.review(s, SPECIALIST, new, "validado", "Conforme").ok
    assert not core.review(s, SPECIALIST, 9999, "validado", "").ok


def test_the_export_carries_the_review_state(s):
    from bot import exports
    from bot.storage.queries_data import sent_reports

    report = send_report(s, ANA)
    core.review(s, SPECIALIST, report, "observado", "Revise la fecha")
    with s.db.session() as session:
        rows = sent_reports(session, s.period())
    current = exports.report_tables(rows, s.survey, s.settings.tz, s.messages)[0]
    assert [dict(zip(current.headers, r, strict=True))["Estado de revisión"]
            for r in current.rows] == ["Observado"]


def test_an_observation_on_the_semester_before_is_what_reporte_opens(s):
    """While the semester before is still open, its observed report comes first: /reporte
    does not start the current semester's report over it."""
    before = previous_period(s.period())
    s.settings = replace(s.settings, closing_dates={before: s.today() + timedelta(days=9)})
    asked = report_actions.start(s, ANA)
    assert asked.state == report_actions.PERIOD
    report_actions.start(s, ANA, before)
    with s.db.session() as session:
        draft = report_store.current_draft(session, get_officer(session, ANA).id, before)
        for qid, value in NOTHING_YET.items():
            report_store.save_answer(session, draft, qid, value, s.now())
    assert "Reporte enviado" in report_actions.submit(s, ANA).says[0].text
    with s.db.session() as session:
        sent = report_store.latest_sent(session, get_officer(session, ANA).instancia_id, before)
    assert sent.period == before
    assert core.review(s, SPECIALIST, sent.id, "observado", "Falta la fecha del acta").ok
    opened = report_actions.start(s, ANA)
    assert opened.state == report_actions.OFFER
    assert "Falta la fecha del acta" in opened.says[0].text
    assert period_label(before, s.messages) in opened.says[0].text


def test_a_corrected_report_comes_first_and_the_queue_filters_by_state(s):
    waiting = send_report(s, OTHER)  # sent first: the oldest not reviewed
    observed = send_report(s, ANA)
    core.review(s, SPECIALIST, observed, "observado", "Indique las dificultades.")
    report_actions.correct(s, ANA, str(observed))
    report_actions.edit(s, ANA, "dificultades")
    report_actions.typed(s, ANA, "Sin presupuesto")
    report_actions.submit(s, ANA)
    everything = core.queue(s, s.period())
    assert [i.state for i in everything.items] == ["corregido", "sin_revisar"]
    assert everything.items[1].report_id == waiting
    assert everything.by_state == {"sin_revisar": 1, "corregido": 1}
    corrected = core.queue(s, s.period(), state="corregido")
    assert (corrected.total, [i.state for i in corrected.items]) == (1, ["corregido"])
    assert corrected.by_state == everything.by_state
    assert core.queue(s, s.period(), state="validado").total == 2  # not a queue state: all
