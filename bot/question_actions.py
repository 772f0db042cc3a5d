"""A free question from an officer: the matcher's decision, and what is logged about it.

One call per question (`ask`), one when the officer says none of the suggestions fits
(`none_fits`) and one per rating (`rate`). The unanswered-questions list keeps only the
normalised text without personal data, never who asked (Ley 29733).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot import metrics
from bot.answers import MAX_QUESTION
from bot.services import Services
from bot.storage.questions import log_unanswered, record_feedback, redact_personal_data


@dataclass(frozen=True)
class Asked:
    band: str  # "too_long", "answer", "smalltalk", "suggest" or "unknown"
    entry_id: str | None = None
    message_key: str | None = None  # smalltalk's reply
    suggestions: tuple[str, ...] = ()
    also: tuple[str, ...] = ()  # a second question in the message: entries to offer
    # For "suggest": the question without personal data, to log if none of the suggestions
    # fits (`none_fits`); the caller keeps it only until the officer chooses.
    question: str = ""


def ask(svc: Services, text: str) -> Asked:
    """What to answer to a question; an unknown one is logged anonymously for staff."""
    if len(text) > MAX_QUESTION:
        return Asked("too_long")
    reply = svc.answers.respond(text)
    match = reply.match
    metrics.inc("concerta_answers_total", band=match.band)
    if reply.entry_id:
        return Asked("answer", entry_id=reply.entry_id, also=tuple(match.also))
    if match.band == "smalltalk":
        key = f"charla_{match.smalltalk}"
        return Asked("smalltalk", message_key=key if svc.messages.has(key) else "charla_otro")
    if match.band == "suggest" and match.suggestions:
        return Asked(
            "suggest", suggestions=tuple(match.suggestions), question=redact_personal_data(text)
        )
    with svc.db.session() as session:
        log_unanswered(session, text, svc.now())
    return Asked("unknown", suggestions=tuple(match.suggestions))


def none_fits(svc: Services, question: str) -> None:
    """«Ninguna de estas» after suggestions: the question goes to the unanswered list (those
    are the questions staff most need to see)."""
    with svc.db.session() as session:
        log_unanswered(session, question, svc.now())


def rate(svc: Services, entry_id: str, useful: bool) -> None:
    """👍 / 👎 on an answer: stored without the user."""
    with svc.db.session() as session:
        record_feedback(session, entry_id, useful, svc.now())
