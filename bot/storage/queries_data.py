"""Read-only queries behind the staff's data tools: reports of a period, pending instancias,
questions the bot could not answer and answers rated 👎.

Results are plain frozen rows, so the exports, the statistics and their tests never touch a
session or a Telegram object.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from bot.places import LEVELS
from bot.places import Place as PlaceInfo
from bot.storage.models import (
    AnswerFeedback,
    Instancia,
    Officer,
    Place,
    Report,
    ReportAnswer,
    UnansweredQuestion,
)
from bot.storage.questions import REASONS
from bot.storage.reports import DRAFT, SENT
from bot.storage.reviews import SIN_REVISAR, states_in_period
from bot.textnorm import collation_key

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
    review_state: str = "sin_revisar"  # storage/reviews.py STATES

    @property
    def region(self) -> str:
        return self.place.region

    def sort_key(self) -> tuple:
        p = self.place
        return (
            collation_key(p.region), collation_key(p.departamento),
            collation_key(p.provincia or ""), _LEVEL_RANK.get(p.level, 9), collation_key(p.name),
        )  # fmt: skip


def sent_reports(
    s: Session, period: str, instancias: Collection[int] | None = None
) -> list[ReportRow]:
    """Every report sent in the period (current ones and their history), by place, newest first;
    only those of `instancias` when given. Two Core queries (reports with their place and
    officer; then their answers), whatever the number of reports."""
    query = (
        select(
            Report.id, Report.instancia_id, Report.sent_at, Report.survey_version, Report.period,
            Officer.name, Officer.cargo, Officer.phone, Place.level, Place.code, Place.name,
            Place.provincia, Place.departamento, Place.region,
        )
        .join(Instancia, Instancia.id == Report.instancia_id)
        .join(Place, Place.id == Instancia.place_id)
        .outerjoin(Officer, Report.officer_id == Officer.id)
        .where(Report.period == period, Report.status == SENT)
    )  # fmt: skip
    if instancias is not None:
        query = query.where(Report.instancia_id.in_(list(instancias)))
    found = s.connection().execute(query).all()
    answers: dict[int, dict[str, Any]] = {row[0]: {} for row in found}
    if found:
        sent = select(Report.id).where(Report.period == period, Report.status == SENT)
        if instancias is not None:
            sent = sent.where(Report.instancia_id.in_(list(instancias)))
        for rid, qid, value in s.connection().execute(
            select(ReportAnswer.report_id, ReportAnswer.question_id, ReportAnswer.value)
            .where(ReportAnswer.report_id.in_(sent))
            .order_by(ReportAnswer.report_id, ReportAnswer.id)
        ):  # fmt: skip
            answers[rid][qid] = json.loads(value)
    states = states_in_period(s, period) if found else {}
    rows = [
        ReportRow(
            report_id=rid,
            instancia_id=iid,
            place=PlaceInfo(level=level, code=code, name=pname, provincia=prov,
                            departamento=dep, region=region),
            officer_name=name,
            officer_cargo=cargo,
            sent_at=sent_at,
            survey_version=version,
            answers=answers[rid],
            period=per,
            officer_phone=phone,
            review_state=states.get(rid, SIN_REVISAR),
        )
        for (rid, iid, sent_at, version, per, name, cargo, phone, level, code, pname, prov, dep,
             region) in found
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


# A place's columns in the order of the places index's Place (bot/places.py).
_PLACE_COLUMNS = (
    Place.level, Place.code, Place.name, Place.provincia, Place.departamento, Place.region,
)  # fmt: skip


@dataclass(frozen=True)
class PendingInstancia:
    """An instancia with a registered officer and no report sent in the period: the places
    the Cobertura page counts «registrado» or «en borrador»."""

    instancia_id: int
    place: PlaceInfo
    officers: tuple[str, ...]  # names, for staff to follow up
    draft: bool = False  # one of its officers has started the report ("en borrador")
    # The draft's last change; without a draft, when its latest officer registered.
    last_activity: datetime | None = None
    # Officers a reminder reaches: active (not blocking the bot), not opposed to messages.
    reachable: int = 0


def contacts_of(s: Session, instancia_ids: Iterable[int]) -> dict[int, tuple[str, str, str]]:
    """Instancia id -> its active officers' (names, cargos, phones), each joined with "; ", for
    the rows of instancias without a report in the console's export: whom to call."""
    ids = set(instancia_ids)
    if not ids:
        return {}
    found: dict[int, list[tuple[str, str, str]]] = {}
    query = (
        select(Officer.instancia_id, Officer.name, Officer.cargo, Officer.phone)
        .where(Officer.instancia_id.in_(ids), Officer.active.is_(True))
        .order_by(Officer.name)
    )
    for iid, name, cargo, phone in s.execute(query):
        found.setdefault(iid, []).append((name, cargo, phone or ""))
    return {
        iid: tuple("; ".join(col) for col in zip(*people, strict=True))
        for iid, people in found.items()
    }


def draft_activity(s: Session, period: str) -> dict[int, datetime]:
    """Instancias with a report started and not sent this period (someone's draft), with the
    draft's last change."""
    return dict(s.execute(
        select(Report.instancia_id, func.max(Report.updated_at))
        .where(Report.period == period, Report.status == DRAFT)
        .group_by(Report.instancia_id)
    ).all())  # fmt: skip


def pending_instancias(s: Session, period: str) -> list[PendingInstancia]:
    """By region, then level (regional first), then place name."""
    reported = select(Report.instancia_id).where(
        Report.period == period, Report.status == SENT
    )
    # Plain rows, not ORM objects: 10,000 officers are read in a tenth of the time.
    query = (
        select(Officer.instancia_id, Officer.name, Officer.created_at,
               and_(Officer.active.is_(True), Officer.messages_opt_out.is_(False)),
               *_PLACE_COLUMNS)
        .join(Instancia, Officer.instancia_id == Instancia.id)
        .join(Place, Instancia.place_id == Place.id)
        .where(Officer.instancia_id.not_in(reported))
        .order_by(Officer.name)
    )  # fmt: skip
    drafts = draft_activity(s, period)
    grouped: dict[int, tuple[PlaceInfo, list[str], list[datetime], list[bool]]] = {}
    for instancia_id, name, created_at, reached, *place in s.execute(query):
        entry = grouped.get(instancia_id)
        if entry is None:
            entry = grouped[instancia_id] = (PlaceInfo(*place), [], [], [])
        entry[1].append(name)
        entry[2].append(created_at)
        entry[3].append(bool(reached))
    pending = [
        PendingInstancia(
            instancia_id, place, tuple(names), instancia_id in drafts,
            drafts.get(instancia_id) or max(registered), sum(reached),
        )
        for instancia_id, (place, names, registered, reached) in grouped.items()
    ]  # fmt: skip
    pending.sort(
        key=lambda p: (
            collation_key(p.place.region),
            _LEVEL_RANK.get(p.place.level, 9),
            collation_key(p.place.label),
        )
    )
    return pending


@dataclass(frozen=True)
class Unanswered:
    text_norm: str
    count: int
    last_seen: datetime


# Open: never proposed nor set aside, or asked again after its proposal was approved or staff
# set it aside (resolved_at). A question whose proposal waits is shown under that proposal.
OPEN_UNANSWERED = or_(
    and_(UnansweredQuestion.proposal_id.is_(None), UnansweredQuestion.resolved_at.is_(None)),
    and_(
        UnansweredQuestion.resolved_at.is_not(None),
        UnansweredQuestion.last_seen > UnansweredQuestion.resolved_at,
    ),
)


def top_unanswered(s: Session, limit: int | None = None) -> list[Unanswered]:
    """The open questions the bot could not answer, most asked first."""
    query = select(UnansweredQuestion).where(OPEN_UNANSWERED).order_by(
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
    # How many of the 👎 gave each reason (REASONS order); the rest gave none.
    reasons: tuple[int, ...] = (0,) * len(REASONS)


def rated_down(s: Session, limit: int | None = None) -> list[RatedDown]:
    """Knowledge-base entries rated 👎 at least once, most 👎 first (with their 👍 beside and
    the reasons given for the 👎)."""
    down = func.sum(case((AnswerFeedback.useful.is_(False), 1), else_=0))
    up = func.sum(case((AnswerFeedback.useful.is_(True), 1), else_=0))
    last_down = func.max(case((AnswerFeedback.useful.is_(False), AnswerFeedback.at)))
    by_reason = [func.sum(case((AnswerFeedback.reason == r, 1), else_=0)) for r in REASONS]
    query = (
        select(AnswerFeedback.entry_id, down, up, last_down, *by_reason)
        .group_by(AnswerFeedback.entry_id)
        .having(down > 0)
        .order_by(down.desc(), last_down.desc(), AnswerFeedback.entry_id)
    )
    if limit is not None:
        query = query.limit(limit)
    return [
        RatedDown(e, int(d), int(u), at, tuple(int(n) for n in reasons))
        for e, d, u, at, *reasons in s.execute(query)
    ]
