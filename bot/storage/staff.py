"""Who is MIMP staff, and the audit log of what staff do."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.storage.models import AuditEntry, StaffMember


def is_staff_member(s: Session, telegram_id: int) -> bool:
    return s.get(StaffMember, telegram_id) is not None


def list_staff(s: Session) -> list[StaffMember]:
    return list(s.scalars(select(StaffMember).order_by(StaffMember.added_at)))


def names_of(s: Session, ids) -> dict[int, str]:
    """How the console names staff: their name from /staff, else the configuration's admin
    (who has none stored), never a bare Telegram id."""
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    query = select(StaffMember.telegram_id, StaffMember.name)
    found = dict(s.execute(query.where(StaffMember.telegram_id.in_(ids))).all())
    return {i: found.get(i) or f"Administración del bot (id {i})" for i in ids}


def add_staff(s: Session, telegram_id: int, name: str, added_by: int, now: datetime) -> bool:
    """False when already staff."""
    if s.get(StaffMember, telegram_id) is not None:
        return False
    s.add(StaffMember(telegram_id=telegram_id, name=name, added_by=added_by, added_at=now))
    return True


def remove_staff(s: Session, telegram_id: int) -> bool:
    member = s.get(StaffMember, telegram_id)
    if member is None:
        return False
    s.delete(member)
    return True


def audit(s: Session, actor_id: int, action: str, detail: str, now: datetime) -> None:
    """Record a staff action. `detail` holds ids and counts, never personal data or texts."""
    s.add(AuditEntry(actor_id=actor_id, action=action, detail=detail[:500], at=now))


def recent_audit(s: Session, limit: int = 20) -> list[AuditEntry]:
    return list(s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)))


def audit_details(s: Session, action: str, limit: int = 1000) -> list[str]:
    """The details of the latest entries of one action (ids and counts), newest first."""
    query = (
        select(AuditEntry.detail)
        .where(AuditEntry.action == action)
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    )
    return list(s.scalars(query))
