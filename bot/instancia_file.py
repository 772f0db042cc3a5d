"""The file of one instancia (the console's «Ficha»): its place, officers, current report with
every answer as the survey words it, the history of its reports and the documents attached;
and a document's file, served only from the documents folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.coverage import STATE_LABELS, state_of
from bot.exports import column_label, level_name, ubigeo
from bot.places import Place as PlaceInfo
from bot.services import Services
from bot.storage.models import Instancia, Officer, Place, Report, ReportDocument
from bot.storage.queries_data import place_info
from bot.storage.reports import DRAFT, SENT, answers_of
from bot.storage.staff import audit
from bot.survey import FILE_MIMES
from bot.telegram_html import plain_text


@dataclass(frozen=True)
class OfficerLine:
    name: str
    cargo: str
    institution: str
    phone: str | None  # only when the officer shared it
    active: bool  # False: they blocked the bot
    since: datetime


@dataclass(frozen=True)
class AnswerLine:
    question_id: str
    label: str  # the survey's column label (exports.column_label)
    question: str  # the question as the officer read it, plain text
    shown: str  # the answer as the report's summary shows it (survey.display)
    document_id: int | None  # an attached file's id, to open it


@dataclass(frozen=True)
class ReportLine:
    report_id: int
    period: str
    status: str  # "sent" or "draft"
    officer: str | None  # None: the officer deleted their data
    sent_at: datetime | None
    updated_at: datetime
    current: bool  # the latest sent one of its period


@dataclass(frozen=True)
class DocumentLine:
    document_id: int
    report_id: int
    period: str
    question_id: str
    question: str
    name: str  # as the officer's phone named it: show as text only
    kind: str  # PDF, JPG, PNG or the MIME type
    size_kb: float
    at: datetime
    stored: bool  # a copy is on disk (else only Telegram's file id is known)


@dataclass(frozen=True)
class Ficha:
    place: PlaceInfo
    ubigeo: str
    level_name: str
    instancia_id: int | None  # None: nobody registered for this place yet
    period: str
    state: str
    state_label: str
    officers: list[OfficerLine]
    report: ReportLine | None  # the current report of the period
    answers: list[AnswerLine]
    history: list[ReportLine]  # every report of every period, newest first
    documents: list[DocumentLine]


def ficha(s: Services, level: str, code: str, period: str) -> Ficha | None:
    """None for a place that is not in the places list."""
    with s.db.session() as session:
        row = session.scalar(select(Place).where(Place.level == level, Place.code == code))
        if row is None:
            return None
        info = place_info(row)
        instancia = session.scalar(select(Instancia).where(Instancia.place_id == row.id))
        iid = instancia.id if instancia else None
        officers, history, documents, answers, current = [], [], [], [], None
        if iid is not None:
            officers = [
                OfficerLine(o.name, o.cargo, o.institution, o.phone, o.active, o.created_at)
                for o in session.scalars(
                    select(Officer).where(Officer.instancia_id == iid).order_by(Officer.name)
                )
            ]
            history, reports = _history(session, iid)
            documents = _documents(session, iid, s)
            current = next((h for h in history if h.period == period and h.current), None)
            if current is not None:
                doc_ids = {(d.report_id, d.question_id): d.document_id for d in documents}
                answers = _answers(s, level, reports[current.report_id], doc_ids)
    in_period = {h.status for h in history if h.period == period}
    state = state_of(SENT in in_period, DRAFT in in_period, len(officers))
    return Ficha(
        place=info, ubigeo=ubigeo(info), level_name=level_name(level, s.messages),
        instancia_id=iid, period=period, state=state, state_label=STATE_LABELS[state],
        officers=officers, report=current, answers=answers, history=history,
        documents=documents,
    )  # fmt: skip


def _history(session, iid: int) -> tuple[list[ReportLine], dict[int, Report]]:
    query = (
        select(Report, Officer.name)
        .outerjoin(Officer, Report.officer_id == Officer.id)
        .where(Report.instancia_id == iid)
        .order_by(Report.period.desc(), Report.sent_at.desc(), Report.id.desc())
    )
    lines, reports, seen = [], {}, set()
    for report, name in session.execute(query):
        sent = report.status == SENT
        current = sent and report.period not in seen
        if current:
            seen.add(report.period)
        reports[report.id] = report
        lines.append(ReportLine(report.id, report.period, report.status, name, report.sent_at,
                                report.updated_at, current))  # fmt: skip
    # Drafts first within their period: they are what is being written now.
    lines.sort(key=lambda r: (r.period, r.status == DRAFT), reverse=True)
    return lines, reports


def _answers(s: Services, level: str, report: Report, doc_ids) -> list[AnswerLine]:
    answers = answers_of(report)
    survey = s.survey.for_level(level)
    out = []
    for q, shown in survey.summary(answers):
        out.append(AnswerLine(q.id, column_label(q), plain_text(q.texto), shown,
                              doc_ids.get((report.id, q.id))))  # fmt: skip
    known = {q.id for q in survey.questions}
    for qid, value in answers.items():  # answers a newer survey no longer asks: kept, shown
        if qid not in known:
            out.append(AnswerLine(qid, qid, "", _plain(value), None))
    return out


def _plain(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("name") or value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "—" if value is None else str(value)


def _documents(session, iid: int, s: Services) -> list[DocumentLine]:
    query = (
        select(ReportDocument, Report.period)
        .join(Report, Report.id == ReportDocument.report_id)
        .where(Report.instancia_id == iid)
        .order_by(Report.period.desc(), ReportDocument.at.desc())
    )
    out = []
    for doc, period in session.execute(query):
        q = s.survey.question(doc.question_id)
        out.append(DocumentLine(
            doc.id, doc.report_id, period, doc.question_id,
            column_label(q) if q else doc.question_id,
            doc.file_name, FILE_MIMES.get(doc.mime_type, doc.mime_type),
            round(doc.file_size / 1024, 1), doc.at, bool(doc.path),
        ))  # fmt: skip
    return out


# --------------------------------------------------------------------------- documents


@dataclass(frozen=True)
class DocumentFile:
    path: Path  # resolved, inside the documents folder
    name: str
    mime: str
    inline: bool  # a PDF or an image a browser shows itself


def document(s: Services, actor: int, document_id: int) -> DocumentFile | None:
    """An attached document's file, or None: unknown id, no copy on disk, or a path that
    resolves (symlinks followed) anywhere outside the documents folder. Audited: who opened
    which document, ids only."""
    with s.db.session() as session:
        doc = session.get(ReportDocument, document_id)
        if doc is None or not doc.path:
            return None
        stored, name, mime = doc.path, doc.file_name, doc.mime_type
        audit(session, actor, "console_document", f"document={document_id}", s.now())
    path = inside(Path(s.settings.files_dir), stored)
    if path is None:
        return None
    return DocumentFile(path, name, mime, mime in FILE_MIMES and _is_really(path, mime))


# How each file type a browser shows itself begins. The type is the sender's word: a file that
# does not begin as its type says is only offered as a download.
_SIGNATURES = {"application/pdf": (b"%PDF-",), "image/jpeg": (b"\xff\xd8\xff",),
               "image/png": (b"\x89PNG\r\n\x1a\n",)}  # fmt: skip


def _is_really(path: Path, mime: str) -> bool:
    try:
        with path.open("rb") as f:
            head = f.read(8)
    except OSError:
        return False
    return head.startswith(_SIGNATURES.get(mime, ()))


def inside(folder: Path, stored: str) -> Path | None:
    """`stored` as a real file inside `folder`, or None. Relative paths are read as the bot
    wrote them (from the working folder)."""
    try:
        root = folder.resolve(strict=True)
        real = Path(stored).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not real.is_relative_to(root) or real == root or not real.is_file():
        return None
    return real
