"""Queries about status reports: drafts saved answer by answer, sending, history, expiry."""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.storage.models import Officer, Report, ReportAnswer, ReportDocument

DRAFT, SENT = "draft", "sent"


def get_report(s: Session, report_id: int) -> Report | None:
    return s.get(Report, report_id)


def current_draft(s: Session, officer_id: int, periods: str | Collection[str]) -> Report | None:
    """The officer's draft for one of the open periods (Services.open_periods), or for one
    period."""
    if isinstance(periods, str):
        periods = (periods,)
    return s.scalar(
        select(Report)
        .where(
            Report.officer_id == officer_id,
            Report.period.in_(tuple(periods)),
            Report.status == DRAFT,
        )
        .order_by(Report.id.desc())
    )


def latest_sent(s: Session, instancia_id: int, period: str) -> Report | None:
    """The current report of an instancia: the latest one sent in the period."""
    return s.scalar(
        select(Report)
        .where(Report.instancia_id == instancia_id, Report.period == period, Report.status == SENT)
        .order_by(Report.sent_at.desc(), Report.id.desc())
    )


def history(s: Session, instancia_id: int, period: str) -> list[Report]:
    """Every sent report of the instancia in the period, newest first."""
    return list(
        s.scalars(
            select(Report)
            .where(
                Report.instancia_id == instancia_id,
                Report.period == period,
                Report.status == SENT,
            )
            .order_by(Report.sent_at.desc(), Report.id.desc())
        )
    )


def sent_by_period(s: Session, instancia_id: int) -> list[Report]:
    """The current report of each period the instancia reported in, newest period first."""
    reports = s.scalars(
        select(Report)
        .where(Report.instancia_id == instancia_id, Report.status == SENT)
        .order_by(Report.period.desc(), Report.sent_at.desc(), Report.id.desc())
    )
    latest: dict[str, Report] = {}
    for report in reports:
        latest.setdefault(report.period, report)
    return list(latest.values())


def discard_draft(s: Session, report: Report) -> None:
    """Forget a draft that changed nothing (a «Corregir» left with /cancelar)."""
    if report.status == DRAFT:
        s.delete(report)


def start_draft(
    s: Session,
    officer: Officer,
    period: str,
    survey_version: str,
    now: datetime,
    answers: dict[str, Any] | None = None,
) -> Report:
    """A new draft, empty or prefilled (to correct a sent report)."""
    report = Report(
        instancia_id=officer.instancia_id,
        period=period,
        officer_id=officer.id,
        survey_version=survey_version,
        status=DRAFT,
        created_at=now,
        updated_at=now,
        answers=[],  # loaded now, so it can be read after the session closes
    )
    s.add(report)
    s.flush()
    for qid, value in (answers or {}).items():
        save_answer(s, report, qid, value, now)
    return report


def answers_of(report: Report) -> dict[str, Any]:
    return {a.question_id: json.loads(a.value) for a in report.answers}


def save_answer(s: Session, report: Report, qid: str, value: Any, now: datetime) -> None:
    """Upsert one answer; None records a skipped optional question."""
    data = json.dumps(value, ensure_ascii=False)
    for answer in report.answers:
        if answer.question_id == qid:
            answer.value = data
            answer.answered_at = now
            break
    else:
        report.answers.append(ReportAnswer(question_id=qid, value=data, answered_at=now))
    report.updated_at = now
    s.flush()


def keep_only(
    s: Session, report: Report, keep: set[str] | Mapping[str, Any], now: datetime
) -> None:
    """Drop answers that are no longer relevant after an earlier answer changed. Given the
    pruned answers themselves (a mapping), also store the values pruning changed (a grupo
    trimmed to its count)."""
    dropped = [a for a in report.answers if a.question_id not in keep]
    for answer in dropped:
        report.answers.remove(answer)
    changed = False
    if isinstance(keep, Mapping):
        for answer in report.answers:
            data = json.dumps(keep[answer.question_id], ensure_ascii=False)
            if json.loads(answer.value) != keep[answer.question_id]:
                answer.value = data
                changed = True
    if dropped or changed:
        report.updated_at = now
        s.flush()


def set_cursor(report: Report, qid: str | None, now: datetime) -> None:
    report.cursor = qid
    report.updated_at = now


def send(report: Report, now: datetime) -> None:
    report.status = SENT
    report.cursor = None
    report.sent_at = now
    report.updated_at = now


def add_document(
    s: Session, report: Report, qid: str, meta: dict[str, Any], path: str | None, now: datetime
) -> None:
    s.execute(
        delete(ReportDocument).where(
            ReportDocument.report_id == report.id, ReportDocument.question_id == qid
        )
    )
    s.add(
        ReportDocument(
            report_id=report.id,
            question_id=qid,
            file_id=meta["file_id"],
            file_unique_id=_fit("file_unique_id", meta.get("file_unique_id") or meta["file_id"]),
            file_name=_fit("file_name", meta.get("name") or "documento"),
            file_size=int(meta.get("size") or 0),
            mime_type=_fit("mime_type", meta.get("mime") or "application/octet-stream"),
            path=path,
            at=now,
        )
    )


def _fit(column: str, value: str) -> str:
    """Cut what the sender chose (a name, a type) to its column: PostgreSQL refuses longer
    values where SQLite kept them."""
    return value[: ReportDocument.__table__.c[column].type.length]


def document_ids(s: Session, report_ids: Collection[int]) -> dict[tuple[int, str], int]:
    """(report id, question id) -> the document's id, for these reports."""
    if not report_ids:
        return {}
    query = select(ReportDocument.report_id, ReportDocument.question_id, ReportDocument.id).where(
        ReportDocument.report_id.in_(set(report_ids))
    )
    return {(rid, qid): did for rid, qid, did in s.execute(query)}


def documents_of(s: Session, report_id: int) -> list[ReportDocument]:
    return list(s.scalars(select(ReportDocument).where(ReportDocument.report_id == report_id)))


def expire_drafts(s: Session, cutoff: datetime) -> list[tuple[int, str]]:
    """Delete drafts untouched since `cutoff`; return (telegram id, period) to notify."""
    stale = list(
        s.scalars(select(Report).where(Report.status == DRAFT, Report.updated_at < cutoff))
    )
    notify = []
    for report in stale:
        if report.officer_id is not None:
            officer = s.get(Officer, report.officer_id)
            if officer is not None:
                notify.append((officer.telegram_id, report.period))
        s.delete(report)
    return notify


REDACTED = "[dato personal borrado]"


def forget_officer(s: Session, officer_id: int, name: str, phone: str | None) -> list[str]:
    """Deletion (Ley 29733) on the report side; the paths of the files to remove from disk.

    A draft is the officer's own unfinished work: it goes whole, with its documents. A sent
    report is the instancia's record and stays, without the officer: the link to them is cut
    (ondelete SET NULL) and their name or phone written in a free-text answer is replaced."""
    paths: list[str] = []
    own = _own_words(name, phone)
    for report in s.scalars(select(Report).where(Report.officer_id == officer_id)).all():
        if report.status == "draft":
            docs = s.scalars(select(ReportDocument).where(ReportDocument.report_id == report.id))
            paths += [d.path for d in docs if d.path]
            s.execute(delete(ReportDocument).where(ReportDocument.report_id == report.id))
            s.delete(report)
            continue
        for answer in report.answers:
            cleaned = _redact(json.loads(answer.value), own)
            answer.value = json.dumps(cleaned, ensure_ascii=False)
    s.flush()
    return paths


def _own_words(name: str, phone: str | None) -> list[re.Pattern]:
    """The full name, each part of it of three letters or more, and the phone's last nine
    digits however they are spaced."""
    parts = [name.strip(), *(p for p in re.split(r"\s+", name) if len(p) >= 3)]
    found = [re.compile(rf"\b{re.escape(p)}\b", re.IGNORECASE) for p in parts if p]
    digits = re.sub(r"\D", "", phone or "")[-9:]
    if len(digits) >= 6:
        found.append(re.compile(r"(?:\+?\d{1,3}[\s.-]*)?" + r"[\s.-]*".join(digits)))
    return found


def _redact(value: Any, words: list[re.Pattern]) -> Any:
    if isinstance(value, str):
        for word in words:
            value = word.sub(REDACTED, value)
        return value
    if isinstance(value, list):
        return [_redact(v, words) for v in value]
    if isinstance(value, dict):
        return {k: _redact(v, words) for k, v in value.items()}
    return value
