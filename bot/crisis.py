"""The crisis step: every step that takes text from a person calls it first, explicitly.

It is not an interceptor. A consulta, a reply to a specialist, a broadcast text or a report answer
that quotes crisis words still goes where it was going; the writer also gets the help lines. Only
the fact that a crisis reply was given, and its kind and time, is stored: never the text.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot import metrics
from bot.services import Services
from bot.storage.questions import record_crisis


@dataclass(frozen=True)
class CrisisReply:
    text: str  # the help lines, HTML from mensajes.yaml
    entry_id: str | None  # a confidently matched entry to answer right after, or None


def check(services: Services, text: str | None, *, answer_too: bool = False) -> CrisisReply | None:
    """The help lines to send for this text, or None. `answer_too` (free questions only): a
    message that is also a confident question gets its answer after the help lines, so a false
    alarm never leaves an officer without a reply."""
    if not text:
        return None
    crisis = services.answers.crisis(text)
    if crisis is None:
        return None
    with services.db.session() as session:
        record_crisis(session, crisis.kind, services.now())
    metrics.inc("concerta_crisis_replies_total")
    key = "crisis_autolesion" if crisis.kind == "self_harm" else "crisis"
    entry_id = services.answers.respond(text).entry_id if answer_too else None
    return CrisisReply(text=services.messages(key), entry_id=entry_id)
