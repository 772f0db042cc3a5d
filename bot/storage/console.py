"""Queries of the web console's sign-in: links and sessions, looked up by hash only."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.storage.models_console import ConsoleLink, ConsoleSession


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive UTC; PostgreSQL aware: compare them as aware."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def add_link(s: Session, token_hash: str, staff_id: int, now: datetime, expires: datetime) -> None:
    s.add(ConsoleLink(token_hash=token_hash, staff_id=staff_id, created_at=now,
                      expires_at=expires))  # fmt: skip


def use_link(s: Session, token_hash: str, now: datetime) -> ConsoleLink | None:
    """The link, marked used, if this is its first use; None when unknown or used before.
    One UPDATE decides, so two tabs opening the same link cannot both win."""
    won = s.execute(
        update(ConsoleLink)
        .where(ConsoleLink.token_hash == token_hash, ConsoleLink.used_at.is_(None))
        .values(used_at=now)
    ).rowcount
    if won != 1:
        return None
    return s.get(ConsoleLink, token_hash)


def forget_links(s: Session, before: datetime) -> None:
    s.execute(delete(ConsoleLink).where(ConsoleLink.expires_at < before))


def add_session(
    s: Session, id_hash: str, staff_id: int, csrf: str, now: datetime
) -> None:
    s.add(ConsoleSession(id_hash=id_hash, staff_id=staff_id, csrf=csrf, created_at=now,
                         last_seen=now))  # fmt: skip


def get_session(s: Session, id_hash: str) -> ConsoleSession | None:
    return s.get(ConsoleSession, id_hash)


def end_session(s: Session, id_hash: str) -> bool:
    return bool(s.execute(delete(ConsoleSession).where(ConsoleSession.id_hash == id_hash)).rowcount)


def end_sessions_of(s: Session, staff_id: int) -> int:
    """Every session of a staff member: removed with /staff, they are signed out everywhere."""
    ended = s.execute(delete(ConsoleSession).where(ConsoleSession.staff_id == staff_id))
    return ended.rowcount or 0


def sessions_of(s: Session, staff_id: int) -> list[ConsoleSession]:
    return list(s.scalars(select(ConsoleSession).where(ConsoleSession.staff_id == staff_id)))
