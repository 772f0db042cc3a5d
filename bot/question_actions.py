"""A free question from an officer: the matcher's decision, and what is logged about it.

One call per question (`ask`), one when the officer says none of the suggestions fits
(`none_fits`), one per rating (`rate`) and one for why a 👎 (`give_reason`). The
unanswered-questions list keeps only the normalised text without personal data, never who
asked (Ley 29733); a rating and its reason never say who gave them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from bot import metrics
from bot.answers import MAX_QUESTION
from bot.matching import Match
from bot.personal_data import redact_personal_data
from bot.services import Services
from bot.storage.questions import (
    REASONS,
    log_unanswered,
    record_feedback,
    set_reason,
)
from bot.storage.replay import first_time


@dataclass(frozen=True)
class Asked:
    band: str  # "too_long", "answer", "smalltalk", "suggest", "elsewhere" or "unknown"
    entry_id: str | None = None
    message_key: str | None = None  # smalltalk's reply; for "unknown", whether it was noted
    suggestions: tuple[str, ...] = ()
    also: tuple[str, ...] = ()  # a second question in the message: entries to offer
    # For "suggest": the question without personal data, to log if none of the suggestions
    # fits (`none_fits`); the caller keeps it only until the officer chooses.
    question: str = ""
    # The short help lines go after the reply: the text came close to danger though the crisis
    # step found none (bot/crisis_model.py `soft_threshold`).
    help_lines: bool = False


def ask(svc: Services, text: str, names: Sequence[str | None] = ()) -> Asked:
    """What to answer to a question; an unknown one is logged anonymously for staff
    (`names`: the sender's own, scrubbed from what is logged)."""
    if len(text) > MAX_QUESTION:
        return Asked("too_long")
    reply = svc.answers.respond(text)
    match = reply.match
    metrics.inc("concerta_answers_total", band=match.band)
    if not reply.worrying:
        return _asked(svc, text, names, match, reply.entry_id)
    # Close to danger: the text may tell of a person at risk, so, like a crisis text, it is
    # not kept for the unanswered list either.
    metrics.inc("concerta_help_lines_after_reply_total")
    asked = _asked(svc, text, names, match, reply.entry_id, keep=False)
    return dataclasses.replace(asked, help_lines=True)


def _asked(
    svc: Services,
    text: str,
    names: Sequence[str | None],
    match: Match,
    entry_id: str | None,
    keep: bool = True,
) -> Asked:
    if entry_id:
        return Asked("answer", entry_id=entry_id, also=tuple(match.also))
    if match.band == "smalltalk":
        key = f"charla_{match.smalltalk}"
        return Asked("smalltalk", message_key=key if svc.messages.has(key) else "charla_otro")
    if match.band == "suggest" and match.suggestions:
        question = redact_personal_data(text, names) if keep else ""
        return Asked("suggest", suggestions=tuple(match.suggestions), question=question)
    if match.elsewhere:
        # Another matter (SIAF, a norm the bot does not hold): no entry to offer, and not a gap
        # of the knowledge base for staff to fill.
        return Asked("elsewhere")
    if not keep:
        vague = tuple(match.suggestions)
        return Asked("unknown", message_key="no_se_sin_anotar", suggestions=vague)
    with svc.db.session() as session:
        log_unanswered(session, redact_personal_data(text, names), svc.now())
    return Asked("unknown", message_key="no_se", suggestions=tuple(match.suggestions))


def none_fits(svc: Services, question: str) -> None:
    """«Ninguna de estas» after suggestions: the question goes to the unanswered list (those
    are the questions staff most need to see)."""
    with svc.db.session() as session:
        log_unanswered(session, question, svc.now())


def rate(svc: Services, entry_id: str, useful: bool, update_id: int | None = None) -> int | None:
    """👍 / 👎 on an answer: stored without the user. The rating's id (a 👎 then asks why),
    or None on a replay of the same press (counted already)."""
    with svc.db.session() as session:
        if not first_time(session, update_id, "fb.rate", svc.now()):
            return None
        return record_feedback(session, entry_id, useful, svc.now())


def give_reason(
    svc: Services, feedback_id: int, reason: str, update_id: int | None = None
) -> str:
    """The reason chosen after a 👎: "saved"; "already" when that 👎 has its reason (a second
    press, or the same press handed again); "unknown" for a rating that is not a 👎 waiting
    for one (a forged or mangled button)."""
    if reason not in REASONS:
        return "unknown"
    with svc.db.session() as session:
        if not first_time(session, update_id, "fb.reason", svc.now()):
            return "already"
        return set_reason(session, feedback_id, reason)
