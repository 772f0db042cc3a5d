"""Queries about hand-offs (consultas to a specialist) and the messages of their threads."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, delete, func, or_, select
from sqlalchemy.orm import Session

from bot.handoff import ANSWERED, CLOSED, IN, OPEN, OUT
from bot.storage.models import Handoff, HandoffMessage, Officer


def open_handoff(
    s: Session, officer: Officer, text: str, officer_message_id: int | None, now: datetime
) -> tuple[Handoff, HandoffMessage]:
    """A new consulta with its first message; the group message id is set once it is posted."""
    handoff = Handoff(officer=officer, status=OPEN, created_at=now, updated_at=now)
    s.add(handoff)
    s.flush()
    first = add_message(s, handoff, IN, text, now, officer_message_id=officer_message_id)
    return handoff, first


def add_message(
    s: Session,
    handoff: Handoff,
    direction: str,
    text: str,
    now: datetime,
    *,
    group_chat_id: int | None = None,
    group_message_id: int | None = None,
    officer_message_id: int | None = None,
) -> HandoffMessage:
    row = HandoffMessage(
        handoff_id=handoff.id,
        direction=direction,
        text=text,
        group_chat_id=group_chat_id,
        group_message_id=group_message_id,
        officer_message_id=officer_message_id,
        at=now,
    )
    s.add(row)
    s.flush()
    return row


def set_group_message(s: Session, message_row_id: int, chat_id: int, message_id: int) -> None:
    row = s.get(HandoffMessage, message_row_id)
    if row is not None:
        row.group_chat_id = chat_id
        row.group_message_id = message_id


def discard(s: Session, handoff_id: int) -> None:
    """A consulta that never reached the staff group is not kept."""
    s.execute(delete(HandoffMessage).where(HandoffMessage.handoff_id == handoff_id))
    s.execute(delete(Handoff).where(Handoff.id == handoff_id))


def get_for_officer(s: Session, handoff_id: int, telegram_id: int) -> Handoff | None:
    """The consulta only if it belongs to this Telegram user (a forged number gets None)."""
    return s.scalar(
        select(Handoff)
        .join(Officer, Handoff.officer_id == Officer.id)
        .where(Handoff.id == handoff_id, Officer.telegram_id == telegram_id)
    )


def by_group_message(s: Session, chat_id: int, message_id: int) -> Handoff | None:
    """The consulta a message of the staff group belongs to."""
    return s.scalar(
        select(Handoff)
        .join(HandoffMessage, HandoffMessage.handoff_id == Handoff.id)
        .where(
            HandoffMessage.group_chat_id == chat_id,
            HandoffMessage.group_message_id == message_id,
        )
        .limit(1)
    )


def by_officer_message(s: Session, telegram_id: int, message_id: int) -> Handoff | None:
    """The consulta of a relayed answer in this officer's private chat."""
    return s.scalar(
        select(Handoff)
        .join(HandoffMessage, HandoffMessage.handoff_id == Handoff.id)
        .join(Officer, Handoff.officer_id == Officer.id)
        .where(
            Officer.telegram_id == telegram_id,
            HandoffMessage.direction == OUT,
            HandoffMessage.officer_message_id == message_id,
        )
        .limit(1)
    )


def latest_open_for_officer(s: Session, telegram_id: int) -> Handoff | None:
    """The officer's most recently active consulta that staff have not closed."""
    officer = select(Officer.id).where(Officer.telegram_id == telegram_id).scalar_subquery()
    return s.scalar(  # through the officer's own consultas (indexed), never a scan of them all
        select(Handoff)
        .where(Handoff.officer_id == officer, Handoff.status != CLOSED)
        .order_by(Handoff.updated_at.desc(), Handoff.id.desc())
        .limit(1)
    )


def _own_messages(telegram_id: int):
    """The messages this officer wrote into their consultas."""
    return (
        select(HandoffMessage)
        .join(Handoff, HandoffMessage.handoff_id == Handoff.id)
        .join(Officer, Handoff.officer_id == Officer.id)
        .where(Officer.telegram_id == telegram_id, HandoffMessage.direction == IN)
    )


def officer_row(s: Session, row_id: int, telegram_id: int) -> HandoffMessage | None:
    """One of this officer's own messages in a thread (a forged id gets None)."""
    return s.scalar(_own_messages(telegram_id).where(HandoffMessage.id == row_id))


def unposted(s: Session, telegram_id: int, own_message_id: int | None) -> HandoffMessage | None:
    """The officer's message (by its id in their chat) recorded but not yet in the group."""
    if own_message_id is None:
        return None
    return s.scalar(
        _own_messages(telegram_id).where(
            HandoffMessage.officer_message_id == own_message_id,
            HandoffMessage.group_message_id.is_(None),
        )
    )


def latest_message(s: Session, handoff_id: int) -> HandoffMessage | None:
    return s.scalar(
        select(HandoffMessage)
        .where(HandoffMessage.handoff_id == handoff_id)
        .order_by(HandoffMessage.id.desc())
        .limit(1)
    )


def latest_direction(s: Session, handoff_id: int, withdrawn: str) -> str | None:
    """Who wrote last in the thread, not counting messages taken back."""
    return s.scalar(
        select(HandoffMessage.direction)
        .where(HandoffMessage.handoff_id == handoff_id, HandoffMessage.text != withdrawn)
        .order_by(HandoffMessage.id.desc())
        .limit(1)
    )


def thread_anchor(s: Session, handoff_id: int, chat_id: int) -> int | None:
    """The latest message of the thread in that group: the officer's answer replies to it."""
    return s.scalar(
        select(HandoffMessage.group_message_id)
        .where(
            HandoffMessage.handoff_id == handoff_id,
            HandoffMessage.group_chat_id == chat_id,
            HandoffMessage.group_message_id.is_not(None),
        )
        .order_by(HandoffMessage.id.desc())
        .limit(1)
    )


def set_status(handoff: Handoff, status: str, now: datetime) -> None:
    handoff.status = status
    handoff.updated_at = now


def for_staff(s: Session, answered_since: datetime, limit: int) -> tuple[list[Handoff], int]:
    """Open consultas (oldest first: they waited longest), then the recently answered ones
    (newest first); and how many there are in all."""
    wanted = or_(
        Handoff.status == OPEN,
        (Handoff.status == ANSWERED) & (Handoff.updated_at >= answered_since),
    )
    total = s.scalar(select(func.count()).select_from(Handoff).where(wanted)) or 0
    rows = s.scalars(
        select(Handoff)
        .where(wanted)
        .order_by(
            case((Handoff.status == OPEN, 0), else_=1),
            case((Handoff.status == OPEN, Handoff.id), else_=-Handoff.id),
        )
        .limit(limit)
    )
    return list(rows), total


def close(s: Session, handoff_id: int, now: datetime) -> str | None:
    """Close a consulta: "closed", "already" (it was), or None (no such consulta)."""
    handoff = s.get(Handoff, handoff_id)
    if handoff is None:
        return None
    if handoff.status == CLOSED:
        return "already"
    set_status(handoff, CLOSED, now)
    return "closed"


def group_copies_of(s: Session, telegram_id: int) -> list[tuple[int, int, int]]:
    """(handoff id, group chat id, message id) of what the bot posted in the staff group for this
    officer: the messages that carry their name and words."""
    rows = s.execute(
        select(
            HandoffMessage.handoff_id, HandoffMessage.group_chat_id, HandoffMessage.group_message_id
        )
        .join(Handoff, HandoffMessage.handoff_id == Handoff.id)
        .join(Officer, Handoff.officer_id == Officer.id)
        .where(
            Officer.telegram_id == telegram_id,
            HandoffMessage.direction == IN,
            HandoffMessage.group_message_id.is_not(None),
        )
        .order_by(HandoffMessage.id)
    )
    return [(h, c, m) for h, c, m in rows]


def delete_for_officer(s: Session, officer_id: int) -> int:
    """Erase an officer's consultas and their threads (their words are personal data)."""
    ids = select(Handoff.id).where(Handoff.officer_id == officer_id)
    s.execute(delete(HandoffMessage).where(HandoffMessage.handoff_id.in_(ids)))
    return s.execute(delete(Handoff).where(Handoff.officer_id == officer_id)).rowcount or 0


def count_for_officer(s: Session, officer_id: int) -> int:
    """How many consultas hold this officer's words (shown in /perfil: the right of access)."""
    query = select(func.count()).select_from(Handoff).where(Handoff.officer_id == officer_id)
    return s.scalar(query) or 0
