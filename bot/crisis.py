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

# Which help lines each kind of crisis gets: the person in danger, someone helping an adult or
# a child (what to do now, for the helper), and self-harm (Línea 113, opción 5).
MESSAGE_KEYS = {
    "self": "crisis",
    "other": "crisis_tercero",
    "child": "crisis_nino",
    "self_harm": "crisis_autolesion",
}
# What a crisis event records: the kinds stored before issue 11 keep their names.
EVENT_KINDS = {
    "self": "violence",
    "other": "violence_other",
    "child": "violence_child",
    "self_harm": "self_harm",
}


@dataclass(frozen=True)
class CrisisReply:
    text: str  # the help lines, HTML from mensajes.yaml
    entry_id: str | None  # a confidently matched entry to answer right after, or None
    label: str = "self"  # self, other, child or self_harm (bot.safety.Crisis.label)


def check(services: Services, text: str | None, *, answer_too: bool = False) -> CrisisReply | None:
    """The help lines to send for this text, or None. `answer_too` (free questions only): a
    message that is also a confident question gets its answer after the help lines, so a false
    alarm never leaves an officer without a reply, and an officer who tells of a case ("una
    señora dice que su pareja la golpea, ¿a dónde la derivo?") gets what to do now, then the
    answer. A bot command ("/ayuda") is never a crisis (bot.safety)."""
    if not text:
        return None
    crisis = services.answers.crisis(text)
    if crisis is None:
        return None
    label = crisis.label
    with services.db.session() as session:
        record_crisis(session, EVENT_KINDS[label], services.now())
    metrics.inc("concerta_crisis_replies_total")
    entry_id = services.answers.respond(text).entry_id if answer_too else None
    return CrisisReply(text=services.messages(MESSAGE_KEYS[label]), entry_id=entry_id, label=label)
