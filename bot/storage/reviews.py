"""Queries about the review of sent reports: states, the queue, history, corrections."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.storage.models import Instancia, Officer, Place, Report
from bot.storage.models_review import ReportReview
from bot.storage.reports import SENT

SIN_REVISAR, VALIDADO, OBSERVADO, CORREGIDO = "sin_revisar", "validado", "observado", "corregido"
STATES = (SIN_REVISAR, VALIDADO, OBSERVADO, CORREGIDO)
WAITING = (SIN_REVISAR, CORREGIDO)  # what the review queue holds


def _latest_ids():
    return select(func.max(ReportReview.id)).group_by(ReportReview.report_id)


def states_of(s: Session, report_ids: Iterable[int] | None = None) -> dict[int, str]:
    """Report id -> its review state, in one query; reports never reviewed are absent (they
    are «sin revisar»). Without `report_ids`, every reviewed report."""
    query = select(ReportReview.report_id, ReportReview.state).where(
        ReportReview.id.in_(_latest_ids())
    )
    if report_ids is not None:
        ids = list(report_ids)
        if not ids:
            return {}
        query = query.where(ReportReview.report_id.in_(ids))
    return dict(s.execute(query).all())


def states_in_period(s: Session, period: str) -> dict[int, str]:
    """Report id -> review state of every reviewed report of the period, in one query."""
    latest = (
        select(func.max(ReportReview.id))
        .where(ReportReview.period == period)
        .group_by(ReportReview.report_id)
    )
    return dict(
        s.execute(
            select(ReportReview.report_id, ReportReview.state).where(ReportReview.id.in_(latest))
        ).all()
    )


@dataclass(frozen=True)
class CurrentReport:
    """An instancia's current report of a period (its latest sent one), as the queue sees it."""

    report_id: int
    instancia_id: int
    place_id: int
    sent_at: datetime
    state: str


def current_in_period(s: Session, period: str) -> list[CurrentReport]:
    """Every instancia's current report of the period with its review state: two queries,
    no answers loaded (2,100 instancias)."""
    rows = s.execute(
        select(Report.id, Report.instancia_id, Instancia.place_id, Report.sent_at)
        .join(Instancia, Report.instancia_id == Instancia.id)
        .where(Report.period == period, Report.status == SENT)
    ).all()
    best: dict[int, tuple] = {}
    for row in rows:
        kept = best.get(row.instancia_id)
        if kept is None or (row.sent_at, row.id) > (kept.sent_at, kept.id):
            best[row.instancia_id] = row
    states = states_in_period(s, period) if best else {}
    return [
        CurrentReport(r.id, r.instancia_id, r.place_id, r.sent_at, states.get(r.id, SIN_REVISAR))
        for r in best.values()
    ]


def latest_review(s: Session, report_id: int) -> ReportReview | None:
    return s.scalar(
        select(ReportReview)
        .where(ReportReview.report_id == report_id)
        .order_by(ReportReview.id.desc())
    )


def by_request_key(s: Session, key: str | None) -> ReportReview | None:
    if not key:
        return None
    return s.scalar(select(ReportReview).where(ReportReview.request_key == key))


def get_review(s: Session, review_id: int) -> ReportReview | None:
    return s.get(ReportReview, review_id)


def add_review(s: Session, report: Report, state: str, now: datetime, **values) -> ReportReview:
    review = ReportReview(
        report_id=report.id, instancia_id=report.instancia_id, period=report.period,
        state=state, at=now, comment=values.pop("comment", ""), **values,
    )  # fmt: skip
    s.add(review)
    s.flush()
    return review


def history(s: Session, instancia_id: int) -> list[ReportReview]:
    """Every review step of the instancia's reports, newest first."""
    return list(
        s.scalars(
            select(ReportReview)
            .where(ReportReview.instancia_id == instancia_id)
            .order_by(ReportReview.id.desc())
        )
    )


def open_observation(s: Session, report: Report | None) -> ReportReview | None:
    """The observation waiting for a correction: the report's latest review, if «observado»."""
    if report is None:
        return None
    latest = latest_review(s, report.id)
    return latest if latest is not None and latest.state == OBSERVADO else None


def record_correction(s: Session, report: Report, now: datetime) -> ReportReview | None:
    """Right after `report` was sent: when the report it replaces was observed and not yet
    corrected, this one is «corregido», answering that observation."""
    previous = s.scalar(
        select(Report)
        .where(
            Report.instancia_id == report.instancia_id, Report.period == report.period,
            Report.status == SENT, Report.id != report.id,
        )
        .order_by(Report.sent_at.desc(), Report.id.desc())
    )  # fmt: skip
    observation = open_observation(s, previous)
    if observation is None:
        return None
    return add_review(s, report, CORREGIDO, now, observation_id=observation.id)


def active_officers(s: Session, instancia_id: int) -> list[tuple[int, int]]:
    """(officer id, telegram id) of the instancia's officers who have not blocked the bot."""
    return [
        (oid, tid)
        for oid, tid in s.execute(
            select(Officer.id, Officer.telegram_id)
            .where(Officer.instancia_id == instancia_id, Officer.active.is_(True))
            .order_by(Officer.id)
        )
    ]


def place_of_instancia(s: Session, instancia_id: int) -> Place | None:
    return s.scalar(
        select(Place).join(Instancia, Instancia.place_id == Place.id)
        .where(Instancia.id == instancia_id)
    )
