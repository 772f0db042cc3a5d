"""Anonymous logs of how answering went: unanswered questions, feedback, crisis replies."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.personal_data import redact_personal_data
from bot.storage.models import AnswerFeedback, CrisisEvent, UnansweredQuestion
from bot.textnorm import normalize

MAX_LOGGED = 300

def log_unanswered(s: Session, question: str, now: datetime) -> None:
    """Count a question the bot could not answer, as staff will read it: personal data out,
    then normalised (lower case, no accents) so that the same question counts once."""
    text_norm = normalize(redact_personal_data(question)).strip()[:MAX_LOGGED]
    if sum(ch.isalpha() for ch in text_norm) < 3:
        return  # "?", "👍", "ok.": not a question worth a staff member's time
    row = s.scalar(select(UnansweredQuestion).where(UnansweredQuestion.text_norm == text_norm))
    if row is None:
        s.add(UnansweredQuestion(text_norm=text_norm, count=1, first_seen=now, last_seen=now))
    else:
        row.count += 1
        row.last_seen = now


# What was wrong with an answer rated 👎, asked with buttons right after it. These keys are
# stored (answer_feedback.reason) and read by staff tools and the console: never rename them.
REASONS = ("no_respondio", "incorrecta", "muy_largo", "otro")


def record_feedback(s: Session, entry_id: str, useful: bool, now: datetime) -> int:
    row = AnswerFeedback(entry_id=entry_id, useful=useful, at=now)
    s.add(row)
    s.flush()
    return row.id


def set_reason(s: Session, feedback_id: int, reason: str) -> str:
    """Why a 👎: "saved", "already" (it has one: the first answer counts) or "unknown"."""
    row = s.get(AnswerFeedback, feedback_id)
    if row is None or row.useful:
        return "unknown"
    if row.reason is not None:
        return "already"
    row.reason = reason
    return "saved"


def record_crisis(s: Session, kind: str, now: datetime) -> None:
    s.add(CrisisEvent(kind=kind, at=now))
