"""Replay safety: a step of an update happens once, however often the update is handled.

python-telegram-bot hands the same update again after a busy database (handlers/common.py), and
Telegram does after a restart. A core action calls `first_time` inside its own transaction,
before it writes: the record and the action's writes commit together or not at all.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.storage.models import HandledStep

KEEP = timedelta(days=3)


def first_time(s: Session, update_id: int | None, step: str, now: datetime) -> bool:
    """True (and recorded) the first time this update reaches this step; False on a replay.
    Without an update id (a job, a command line) every call is a first time."""
    if update_id is None:
        return True
    if seen(s, update_id, step):
        return False
    s.add(HandledStep(update_id=update_id, step=step, at=now))
    s.flush()
    return True


def prune(s: Session, now: datetime) -> int:
    return s.execute(delete(HandledStep).where(HandledStep.at < now - KEEP)).rowcount or 0


def seen(s: Session, update_id: int | None, step: str) -> bool:
    """Whether this update already passed this step, without recording anything: for a step
    whose visible part must come before its transaction (a message edited first)."""
    if update_id is None:
        return False
    found = s.scalar(
        select(HandledStep.update_id).where(
            HandledStep.update_id == update_id, HandledStep.step == step
        )
    )
    return found is not None
