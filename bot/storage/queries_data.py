"""Read-only queries behind the staff's data tools: reports of a period, pending instancias,
questions the bot could not answer and answers rated 👎.

Results are plain frozen rows, so the exports, the statistics and their tests never touch a
session or a Telegram object.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from bot.places import LEVELS
from bot.places import Place as PlaceInfo
from bot.storage.models import AnswerFeedback, Officer, Place, Report, UnansweredQuestion
from bot.storage.reports import DRAFT, SENT, answers_of

_LEVEL_RANK = {level: i for i, level in enumerate(LEVELS)}


def place_info(p: Place) -> PlaceInfo:
    """The places-index view of a place row (its `label` tells apart places of equal name)."""
    return PlaceInfo(
        level=p.level, code=p.code, name=p.name, provincia=p.provincia,
        departamento=p.departamento, region=p.region,
    )  # fmt: skip


@dataclass(frozen=True)
class ReportRow:
    """One sent report with where it comes from and who sent it."""

    report_id: int
    instancia_id: int
    place: PlaceInfo
    officer_name: str | None  # None: the officer deleted their data (reports.officer_id NULL)
    officer_cargo: str | None
    sent_at: datetime
    survey_version: str
    answers: dict[str, Any]
    period: str = ""
    officer_phone: str | None = None  # when the officer shared it

    @property
    def region(self) -> str:
        return self.place.region

    def sort_key(self) -> tuple:
        p = self.place
        return (
            p.region, p.departamento, p.provincia or "", _LEVEL_RANK.get(p.level, 9), p.name,
        )  # fmt: skip


def sent_reports(s: Session, period: str) -> list[ReportRow]:
    """Every report sent in the period (current ones and their history), by place, newest first."""
    query = (
        select(Report, Officer.name, Officer.cargo, Officer.phone)
        .outerjoin(Officer, Report.officer_id == Officer.id)
        .where(Report.period == period, Report.status == SENT)
    )
    rows = [
        ReportRow(
            report_id=report.id,
            instancia_id=report.instancia_id,
            place=place_info(report.instancia.place),
            officer_name=name,
            officer_cargo=cargo,
            sent_at=report.sent_at,
            survey_version=report.survey_version,
            answers=answers_of(report),
            period=report.period,
            officer_phone=phone,
        )
        for report, name, cargo, phone in s.execute(query)
    ]
    rows.sort(key=lambda r: (r.sent_at, r.report_id), reverse=True)
    rows.sort(key=ReportRow.sort_key)  # stable: newest first within each place
    return rows


def latest_per_instancia(rows: Iterable[ReportRow]) -> list[ReportRow]:
    """The current report of each instancia: its latest sent one (as reports.latest_sent)."""
    best: dict[int, ReportRow] = {}
    for row in rows:
        kept = best.get(row.instancia_id)
        if kept is None or (row.sent_at, row.report_id) > (kept.sent_at, kept.report_id):
            best[row.instancia_id] = row
    return sorted(best.values(), key=ReportRow.sort_key)


def current_reports(s: Session, period: str) -> list[ReportRow]:
    return latest_per_instancia(sent_reports(s, period))


@dataclass(frozen=True)
class PendingInstancia:
    """An instancia with active officers and no report sent in the period."""

    instancia_id: int
    place: PlaceInfo
    officers: tuple[str, ...]  # names, for staff to follow up
    draft: bool = False  # one of its officers has started the report ("en borrador")
    # The draft's last change; without a draft, when its latest officer registered.
    last_activity: datetime | None = None


def pending_instancias(s: Session, period: str) -> list[PendingInstancia]:
    """By region, then level (regional first), then place name."""
    reported = select(Report.instancia_id).where(
        Report.period == period, Report.status == SENT
    )
    officers = s.scalars(
        select(Officer)
        .where(Officer.active.is_(True), Officer.instancia_id.not_in(reported))
        .order_by(Officer.name)
    )
    drafts = dict(s.execute(
        select(Report.instancia_id, func.max(Report.updated_at))
        .where(Report.period == period, Report.status == DRAFT)
        .group_by(Report.instancia_id)
    ).all())  # fmt: skip
    grouped: dict[int, tuple[PlaceInfo, list[str], list[datetime]]] = {}
    for officer in officers:
        entry = grouped.setdefault(
            officer.instancia_id, (place_info(officer.instancia.place), [], [])
        )
        entry[1].append(officer.name)
        entry[2].append(officer.created_at)
    pending = [
        PendingInstancia(
            instancia_id, place, tuple(names), instancia_id in drafts,
            drafts.get(instancia_id) or max(registered),
        )
        for instancia_id, (place, names, registered) in grouped.items()
    ]  # fmt: skip
    pending.sort(
        key=lambda p: (p.place.region, _LEVEL_RANK.get(p.place.level, 9), p.place.label)
    )
    return pending


@dataclass(frozen=True)
class Unanswered:
    text_norm: str
    count: int
    last_seen: datetime


def top_unanswered(s: Session, limit: int | None = None) -> list[Unanswered]:
    """The questions the bot could not answer, most asked first."""
    query = select(UnansweredQuestion).order_by(
        UnansweredQuestion.count.desc(), UnansweredQuestion.last_seen.desc()
    )
    if limit is not None:
        query = query.limit(limit)
    return [Unanswered(q.text_norm, q.count, q.last_seen) for q in s.scalars(query)]


@dataclass(frozen=True)
class RatedDown:
    entry_id: str
    down: int
    up: int
    last_down: datetime


def rated_down(s: Session, limit: int | None = None) -> list[RatedDown]:
    """Knowledge-base entries rated 👎 at least once, most 👎 first (with their 👍 beside)."""
    down = func.sum(case((AnswerFeedback.useful.is_(False), 1), else_=0))
    up = func.sum(case((AnswerFeedback.useful.is_(True), 1), else_=0))
    last_down = func.max(case((AnswerFeedback.useful.is_(False), AnswerFeedback.at)))
    query = (
        select(AnswerFeedback.entry_id, down, up, last_down)
        .group_by(AnswerFeedback.entry_id)
        .having(down > 0)
        .order_by(down.desc(), last_down.desc(), AnswerFeedback.entry_id)
    )
    if limit is not None:
        query = query.limit(limit)
    return [RatedDown(e, int(d), int(u), at) for e, d, u, at in s.execute(query)]
