"""Queries behind «Preguntas sin respuesta»: the open unanswered questions, the 👎 per entry (with
their reasons, where officers gave one), and the proposals made from them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.question_groups import Question
from bot.storage.models import AnswerFeedback, UnansweredQuestion
from bot.storage.models_kb import KbProposal
from bot.storage.queries_data import OPEN_UNANSWERED, rated_down

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
QUESTION, ENTRY = "question", "entry"

def _as_question(q: UnansweredQuestion) -> Question:
    return Question(q.id, q.text_norm, q.count, q.last_seen)


_COLUMNS = (
    UnansweredQuestion.id,
    UnansweredQuestion.text_norm,
    UnansweredQuestion.count,
    UnansweredQuestion.last_seen,
)


def open_questions(s: Session, limit: int) -> list[Question]:
    """The open unanswered questions, most asked first (grouping takes it from there)."""
    query = (
        select(*_COLUMNS)
        .where(OPEN_UNANSWERED)
        .order_by(UnansweredQuestion.count.desc(), UnansweredQuestion.last_seen.desc())
        .limit(limit)
    )
    return [Question(*row) for row in s.execute(query)]


def count_open(s: Session) -> int:
    query = select(func.count()).select_from(UnansweredQuestion).where(OPEN_UNANSWERED)
    return s.scalar(query) or 0


def questions_by_id(s: Session, ids: list[int]) -> list[Question]:
    rows = s.scalars(select(UnansweredQuestion).where(UnansweredQuestion.id.in_(ids)))
    return sorted((_as_question(q) for q in rows), key=lambda q: (-q.count, q.id))


def linked_questions(s: Session, proposal_ids: list[int]) -> dict[int, list[Question]]:
    found: dict[int, list[Question]] = {p: [] for p in proposal_ids}
    rows = s.scalars(
        select(UnansweredQuestion).where(UnansweredQuestion.proposal_id.in_(proposal_ids))
    )
    for q in rows:
        found[q.proposal_id].append(_as_question(q))
    for questions in found.values():
        questions.sort(key=lambda q: (-q.count, q.id))
    return found


def waiting_proposal(s: Session, ids: list[int]) -> int | None:
    """The pending proposal one of these questions already belongs to, if any."""
    return s.scalar(
        select(KbProposal.id)
        .join(UnansweredQuestion, UnansweredQuestion.proposal_id == KbProposal.id)
        .where(UnansweredQuestion.id.in_(ids), KbProposal.status == PENDING)
        .limit(1)
    )


# --- 👎 ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RatedDown:
    entry_id: str
    down: int
    up: int
    last_down: datetime
    reasons: tuple[tuple[str, int], ...] = ()  # (reason, 👎 with it), most frequent first


def _reason_column():
    """answer_feedback.reason, where the schema has it (the 👎 reasons officers choose)."""
    return getattr(AnswerFeedback, "reason", None)


def rated_down_with_reasons(s: Session, limit: int | None = None) -> list[RatedDown]:
    """Entries rated 👎 at least once, most 👎 first, each with its reasons when stored."""
    rows = rated_down(s, limit)
    reason = _reason_column()
    by_entry: dict[str, list[tuple[str, int]]] = {}
    if reason is not None and rows:
        query = (
            select(AnswerFeedback.entry_id, reason, func.count())
            .where(
                AnswerFeedback.useful.is_(False),
                reason.is_not(None),
                AnswerFeedback.entry_id.in_([r.entry_id for r in rows]),
            )
            .group_by(AnswerFeedback.entry_id, reason)
        )
        for entry_id, why, n in s.execute(query):
            by_entry.setdefault(entry_id, []).append((str(why), int(n)))
    def reasons(entry_id: str) -> tuple[tuple[str, int], ...]:
        return tuple(sorted(by_entry.get(entry_id, ()), key=lambda x: (-x[1], x[0])))

    return [RatedDown(r.entry_id, r.down, r.up, r.last_down, reasons(r.entry_id)) for r in rows]


# --- proposals -------------------------------------------------------------------------------


def create(s: Session, *, question_ids: list[int], now: datetime, **values) -> KbProposal:
    """The proposal, and its questions taken out of the open list (in the caller's transaction)."""
    if "preguntas" in values and values["preguntas"] is not None:
        values["preguntas"] = json.dumps(list(values["preguntas"]), ensure_ascii=False)
    p = KbProposal(status=PENDING, proposed_at=now, **values)
    s.add(p)
    s.flush()
    s.execute(
        update(UnansweredQuestion)
        .where(UnansweredQuestion.id.in_(question_ids))
        .values(proposal_id=p.id, resolved_at=None)
    )
    return p


def get(s: Session, proposal_id: int) -> KbProposal | None:
    return s.get(KbProposal, proposal_id)


def preguntas_of(p: KbProposal) -> list[str]:
    return json.loads(p.preguntas) if p.preguntas else []


def listing(s: Session, statuses: tuple[str, ...], limit: int = 100) -> list[KbProposal]:
    """Pending ones oldest first (a queue); decided ones newest first."""
    order = (
        KbProposal.id.asc() if statuses == (PENDING,) else KbProposal.decided_at.desc()
    )
    query = select(KbProposal).where(KbProposal.status.in_(statuses)).order_by(order)
    return list(s.scalars(query.limit(limit)))


def count_pending(s: Session) -> int:
    query = select(func.count()).select_from(KbProposal).where(KbProposal.status == PENDING)
    return s.scalar(query) or 0


def set_problems(s: Session, proposal_id: int, problems: str | None) -> None:
    s.execute(update(KbProposal).where(KbProposal.id == proposal_id).values(problems=problems))


def decide(s: Session, proposal_id: int, status: str, actor: int, now: datetime) -> bool:
    """pending → approved or rejected; False when it was decided already. Approved: its
    questions are resolved; rejected: they go back to the open list."""
    done = s.execute(
        update(KbProposal)
        .where(KbProposal.id == proposal_id, KbProposal.status == PENDING)
        .values(status=status, decided_by=actor, decided_at=now, problems=None)
    )
    if not done.rowcount:
        return False
    linked = UnansweredQuestion.proposal_id == proposal_id
    if status == APPROVED:
        s.execute(update(UnansweredQuestion).where(linked).values(resolved_at=now))
    else:
        s.execute(update(UnansweredQuestion).where(linked).values(proposal_id=None))
    return True


def dismiss(s: Session, question_ids: list[int], now: datetime) -> int:
    """Staff set these open questions aside (noise, a greeting, a matter not ours): out of the
    list until someone asks one again. How many were open."""
    done = s.execute(
        update(UnansweredQuestion)
        .where(UnansweredQuestion.id.in_(question_ids), OPEN_UNANSWERED)
        .values(resolved_at=now)
    )
    return done.rowcount or 0
