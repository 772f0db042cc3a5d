"""Hand-off to a human specialist: the rules, with no Telegram and no database.

An officer's consulta becomes a thread in the staff group. Its status moves
open → answered (a staff reply reached the officer) → open (the officer wrote again) → …; only
staff close it, and any later message in the thread revives it, so nothing said is lost.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

OPEN, ANSWERED, CLOSED = "open", "answered", "closed"
IN, OUT = "in", "out"  # officer → staff, staff → officer

MIN_TEXT = 3
MAX_TEXT = 3000  # leaves room for the header within Telegram's 4,096 characters
PREFILL_TTL = timedelta(minutes=30)  # an unanswered question is offered for this long
ANSWERED_LISTED = timedelta(days=14)  # /consultas shows answered consultas this recent
MAX_LISTED = 40
# A plain message from the officer goes to their consulta (not to the bot as a question) while
# the consulta waits for them: a specialist's reply reached them this recently, or they wrote in
# it this recently (a second line right after the first).
WAITING = timedelta(days=7)
FOLLOW_UP = timedelta(minutes=10)
WITHDRAWN = ""  # the text of an officer's message taken back from the thread


def text_problem(text: str | None, minimum: int = MIN_TEXT) -> str | None:
    """Why a consulta cannot be sent as typed: "short", "long", or None if fine.

    Answers pass minimum=1: "Sí" is a fine answer to a specialist, not a fine consulta.
    """
    text = (text or "").strip()
    if len(text) < minimum:
        return "short"
    if len(text) > MAX_TEXT:
        return "long"
    return None


def after_staff_reply(status: str) -> str:
    """A staff reply that reached the officer answers the consulta (even a closed one)."""
    return ANSWERED


def after_officer_message(status: str) -> str:
    """The officer wrote: staff have something to read again."""
    return OPEN


def takes_plain_message(
    status: str, last_direction: str | None, last_withdrawn: bool, last_at: datetime,
    now: datetime,
) -> bool:
    """Whether an officer's plain message belongs to this consulta rather than to the bot,
    judged by the thread's latest message.

    Officers answer a specialist as they answer anyone in Telegram, by typing; they are not
    expected to know about "Responder". The reply they get says where it went and lets them
    take it back or ask the bot instead, so a wrong guess costs one tap; once they took a
    message back, what they type goes to the bot again until the specialist writes.
    """
    if status == CLOSED or last_withdrawn or last_direction is None:
        return False
    if last_direction == OUT:
        return now - last_at <= WAITING
    return now - last_at <= FOLLOW_UP


def after_withdrawal(status: str, latest_direction: str | None) -> str:
    """The officer took back their last message: the consulta waits for whoever it waited
    for before (the status follows the latest message left in the thread)."""
    if status == OPEN and latest_direction == OUT:
        return ANSWERED
    return status


def reopens(status: str) -> bool:
    return status == CLOSED


def answered_since(now: datetime) -> datetime:
    """/consultas shows every open consulta and those answered after this moment."""
    return now - ANSWERED_LISTED


def remember(token: str, text: str, now: datetime) -> dict:
    """What the "no lo sé" reply keeps so its specialist button can offer the question."""
    return {"token": token, "text": text, "at": now.isoformat()}


def recall(stored: object, token: str | None, now: datetime) -> str | None:
    """The remembered question, if this button is the one that offered it and it is fresh."""
    if not token or not isinstance(stored, dict) or stored.get("token") != token:
        return None
    try:
        at = datetime.fromisoformat(stored["at"])
    except (KeyError, TypeError, ValueError):
        return None
    text = stored.get("text")
    if not isinstance(text, str) or now - at > PREFILL_TTL or text_problem(text):
        return None
    return text


_NUMBER = re.compile(r"^#?\s*(\d{1,9})$")


def parse_number(arg: str | None) -> int | None:
    """ "12" or "#12" → 12; anything else → None."""
    match = _NUMBER.match((arg or "").strip())
    return int(match.group(1)) if match and int(match.group(1)) > 0 else None
