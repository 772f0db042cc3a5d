"""Anonymous logs of how answering went: unanswered questions, feedback, crisis replies."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.storage.models import AnswerFeedback, CrisisEvent, UnansweredQuestion

MAX_LOGGED = 300


def log_unanswered(s: Session, text_norm: str, now: datetime) -> None:
    text_norm = text_norm.strip()[:MAX_LOGGED]
    if sum(ch.isalpha() for ch in text_norm) < 3:
        return  # "?", "👍", "ok.": not a question worth a staff member's time
    row = s.scalar(select(UnansweredQuestion).where(UnansweredQuestion.text_norm == text_norm))
    if row is None:
        s.add(UnansweredQuestion(text_norm=text_norm, count=1, first_seen=now, last_seen=now))
    else:
        row.count += 1
        row.last_seen = now


def record_feedback(s: Session, entry_id: str, useful: bool, now: datetime) -> None:
    s.add(AnswerFeedback(entry_id=entry_id, useful=useful, at=now))


def record_crisis(s: Session, kind: str, now: datetime) -> None:
    s.add(CrisisEvent(kind=kind, at=now))
