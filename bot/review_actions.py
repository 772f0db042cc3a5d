"""MIMP's review of sent reports: «Validado» or «Observado» with a comment, the queue, the
history, and what a correction changed.

A review is a staff action from the console: one call, one short transaction, its audit entry,
and — for an observation — a broadcast to the instancia's active officers, written in the same
transaction so the running lane (bot/broadcast.py) sends it; nothing here talks to Telegram.
An observation opens the report for correction: the officer sees the comment on /reporte
(bot/report_actions.py), and the report they send then is «corregido» (storage.reviews
.record_correction). A form's one-time `request_key` makes posting it twice one review.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any

from sqlalchemy import select

from bot.audience import Recipient
from bot.periods import period_label
from bot.places import Place as PlaceInfo
from bot.services import Services
from bot.storage import broadcasts as lane_store
from bot.storage import reports as report_store
from bot.storage import reviews as store
from bot.storage import staff as staff_store
from bot.storage.models import Instancia, Place
from bot.storage.queries_data import place_info
from bot.storage.staff import audit
from bot.survey import display, past_survey

MAX_COMMENT = 1000
SIN_REVISAR, VALIDADO, OBSERVADO, CORREGIDO = store.STATES
STATES = store.STATES
WAITING = store.WAITING


def state_labels(svc: Services) -> dict[str, str]:
    """«Sin revisar», «Validado», «Observado», «Corregido» (mensajes.yaml revision_estados)."""
    return svc.messages.section("revision_estados")


@dataclass(frozen=True)
class Reviewed:
    """What a review did: `error` (Spanish, for the form) when nothing was recorded."""

    ok: bool
    error: str | None = None
    review_id: int | None = None
    state: str | None = None
    recipients: int = 0  # officers the observation is being sent to
    replay: bool = False  # the same form posted again: nothing new happened


def review(
    svc: Services, actor: int, report_id: int, state: str, comment: str,
    *, request_key: str | None = None, instancia_id: int | None = None,
) -> Reviewed:  # fmt: skip
    """Mark the instancia's current report «validado» or «observado» (comment required);
    an observation goes to the instancia's active officers through the broadcast lane."""
    m = svc.messages
    comment = (comment or "").strip()
    if state not in (VALIDADO, OBSERVADO):
        return Reviewed(False, m("revision_error_estado"))
    if state == OBSERVADO and not comment:
        return Reviewed(False, m("revision_error_comentario"))
    if len(comment) > MAX_COMMENT:
        return Reviewed(False, m("revision_error_largo", maximo=MAX_COMMENT, largo=len(comment)))
    now = svc.now()
    with svc.db.session() as s:
        done = store.by_request_key(s, request_key)
        if done is not None:
            return Reviewed(True, review_id=done.id, state=done.state, replay=True)
        report = report_store.get_report(s, report_id)
        if report is None or report.status != report_store.SENT or (
            instancia_id is not None and report.instancia_id != instancia_id
        ):  # the page's instancia: a report of another one is not reviewed from it
            return Reviewed(False, m("revision_error_reporte"))
        current = report_store.latest_sent(s, report.instancia_id, report.period)
        if current is None or current.id != report.id:
            return Reviewed(False, m("revision_error_reemplazado"))
        if state == OBSERVADO and report.period not in svc.open_periods():
            return Reviewed(False, m("revision_error_periodo"))
        row = store.add_review(
            s, report, state, now, comment=comment, actor_id=actor, request_key=request_key
        )
        recipients = 0
        if state == OBSERVADO:
            recipients = _send_observation(svc, s, report, row, comment, actor, now)
        audit(s, actor, f"review_{state}",
              f"report={report.id} review={row.id} recipients={recipients}", now)  # fmt: skip
        return Reviewed(True, review_id=row.id, state=state, recipients=recipients)


def _send_observation(svc: Services, s, report, row, comment: str, actor: int,
                      now: datetime) -> int:
    """The observation as a broadcast to the instancia's active officers, for the lane."""
    officers = store.active_officers(s, report.instancia_id)
    if not officers:
        return 0
    place = report.instancia.place
    text = svc.messages(
        "revision_observacion", periodo=period_label(report.period, svc.messages),
        lugar=escape(place.name), comentario=escape(comment),
    )  # fmt: skip
    recipients = [Recipient(oid, tid, place.region, place.level, "sent") for oid, tid in officers]
    b = lane_store.create_broadcast(
        s, author_id=actor, text=text, recipients=recipients, now=now,
        audience_json=json.dumps({"revision": row.id, "instancia": report.instancia_id}),
    )  # fmt: skip
    row.broadcast_id = b.id
    return len(recipients)


# --- reading ---------------------------------------------------------------------------------


def review_states(svc: Services, period: str) -> dict[int, str]:
    """Instancia id -> the review state of its current report of the period, in one pass (for
    the Instancias list's filter); instancias without a sent report are absent."""
    with svc.db.session() as s:
        return {r.instancia_id: r.state for r in store.current_in_period(s, period)}


@dataclass(frozen=True)
class QueueItem:
    report_id: int
    instancia_id: int
    place_id: int
    place: PlaceInfo
    sent_at: datetime
    state: str  # sin_revisar or corregido


@dataclass(frozen=True)
class Queue:
    total: int  # waiting in the state asked for
    items: list[QueueItem]  # the `limit` from `first`: corrected first, then oldest first
    by_state: dict[str, int]  # waiting per state, whatever was asked for


def queue(svc: Services, period: str, first: int = 0, limit: int | None = None,
          state: str | None = None) -> Queue:  # fmt: skip
    """The period's current reports waiting for review, `state` only if it names one of the
    queue's: corrected after an observation first (its officer waits for the answer to the
    correction), then sent and not reviewed, oldest first. Places are read for the rows
    asked for only."""
    with svc.db.session() as s:
        waiting = [r for r in store.current_in_period(s, period) if r.state in store.WAITING]
        by_state = {w: sum(r.state == w for r in waiting) for w in store.WAITING}
        if state in store.WAITING:
            waiting = [r for r in waiting if r.state == state]
        waiting.sort(key=lambda r: (r.state != CORREGIDO, r.sent_at, r.report_id))
        shown = waiting[first:] if limit is None else waiting[first:first + limit]
        places = _places(s, {r.place_id for r in shown})
    items = [
        QueueItem(r.report_id, r.instancia_id, r.place_id, places[r.place_id], r.sent_at, r.state)
        for r in shown
    ]
    return Queue(len(waiting), items, by_state)


def _places(s, ids: set[int]) -> dict[int, PlaceInfo]:
    if not ids:
        return {}
    return {p.id: place_info(p) for p in s.scalars(select(Place).where(Place.id.in_(ids)))}


@dataclass(frozen=True)
class Step:
    """One row of a report's review history."""

    review_id: int
    report_id: int
    period: str
    state: str
    at: datetime
    who: str  # the staff member's name, or "" when the officer's correction made it
    comment: str
    # An observation's message to the officers: how many it reached, failed, is still sending.
    delivery: lane_store.Counts | None = None


@dataclass(frozen=True)
class Change:
    question: str  # the question's column label
    before: str
    after: str


@dataclass(frozen=True)
class Panel:
    """The Ficha's «Revisiones» section: the current report's state, the form's limits, the
    history, and for a corrected report what changed."""

    report_id: int | None
    period: str
    state: str
    can_observe: bool
    history: tuple[Step, ...]
    changes: tuple[Change, ...]
    observation: str  # the comment the correction answers ("" if none)
    place: PlaceInfo | None = None
    sent_at: datetime | None = None
    answers: tuple[tuple[str, str], ...] = ()  # the current report: (question, answer shown)


def panel(svc: Services, instancia_id: int, period: str) -> Panel:
    with svc.db.session() as s:
        current = report_store.latest_sent(s, instancia_id, period)
        rows = store.history(s, instancia_id)
        names = staff_store.names_of(s, {r.actor_id for r in rows})
        sent = lane_store.counts_of(s, [r.broadcast_id for r in rows if r.broadcast_id])
        history = tuple(
            Step(r.id, r.report_id, r.period, r.state, r.at,
                 "" if r.actor_id is None else names.get(r.actor_id, str(r.actor_id)), r.comment,
                 sent.get(r.broadcast_id) if r.broadcast_id else None)
            for r in rows
        )  # fmt: skip
        place = store.place_of_instancia(s, instancia_id)
        latest = store.latest_review(s, current.id) if current else None
        answers: tuple[tuple[str, str], ...] = ()
        if current is not None:
            survey = (past_survey(current.survey_version) or svc.survey).for_level(place.level)
            answers = tuple(
                (q.etiqueta or q.id, shown)
                for q, shown in survey.summary(report_store.answers_of(current),
                                               today=svc.today())
            )
        state = latest.state if latest else SIN_REVISAR
        changes: tuple[Change, ...] = ()
        observation = ""
        if latest is not None and latest.state == CORREGIDO and latest.observation_id:
            observed = store.get_review(s, latest.observation_id)
            before = report_store.get_report(s, observed.report_id) if observed else None
            if before is not None:
                observation = observed.comment
                level = current.instancia.place.level
                changes = tuple(diff(svc, level, before, current))
    return Panel(
        report_id=current.id if current else None, period=period, state=state,
        can_observe=current is not None and period in svc.open_periods(), history=history,
        changes=changes, observation=observation,
        place=place_info(place) if place else None,
        sent_at=current.sent_at if current else None, answers=answers,
    )  # fmt: skip


def instancia_of_place(svc: Services, place_id: int) -> int | None:
    """The instancia of a place, if an officer ever registered it (None: no reports)."""
    with svc.db.session() as s:
        return s.scalar(select(Instancia.id).where(Instancia.place_id == place_id))


def diff(svc: Services, level: str, before, after) -> list[Change]:
    """Per question, in the survey's order, each answer that differs: as the officer saw it
    (survey.display), «—» where there was none."""
    a, b = report_store.answers_of(before), report_store.answers_of(after)
    survey = (past_survey(after.survey_version) or svc.survey).for_level(level)
    shown_none = svc.messages("revision_no_preguntada")

    def show(qid: str, answers: dict[str, Any]) -> str:
        if qid not in answers:
            return shown_none
        q = survey.question(qid)
        return display(q, answers[qid]) if q else str(answers[qid])

    order = [q.id for q in survey.questions]
    order += sorted((set(a) | set(b)) - set(order))
    changes = []
    for qid in order:
        if a.get(qid, _MISSING) == b.get(qid, _MISSING):
            continue
        q = survey.question(qid)
        label = (q.etiqueta or qid) if q else qid
        changes.append(Change(label, show(qid, a), show(qid, b)))
    return changes


_MISSING = object()
