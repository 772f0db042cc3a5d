"""Queries about the technical-assistance log: add, list with filters, last contact per place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.storage.models import Place
from bot.storage.models_review import AssistanceAction


@dataclass(frozen=True)
class Filters:
    """Every field optional; set ones combine with AND."""

    place_id: int | None = None
    departamento: str | None = None
    level: str | None = None
    modality: str | None = None
    scope: str | None = None
    since: date | None = None
    until: date | None = None


def add(s: Session, **values) -> AssistanceAction:
    row = AssistanceAction(**values)
    s.add(row)
    s.flush()
    return row


def by_request_key(s: Session, key: str | None) -> AssistanceAction | None:
    if not key:
        return None
    return s.scalar(select(AssistanceAction).where(AssistanceAction.request_key == key))


def listing(s: Session, f: Filters, limit: int | None = None) -> list[tuple[AssistanceAction,
                                                                              Place]]:
    """Newest first (by date, then by when it was recorded)."""
    query = select(AssistanceAction, Place).join(Place, AssistanceAction.place_id == Place.id)
    if f.place_id is not None:
        query = query.where(AssistanceAction.place_id == f.place_id)
    if f.departamento:
        query = query.where(Place.departamento == f.departamento)
    if f.level:
        query = query.where(Place.level == f.level)
    if f.modality:
        query = query.where(AssistanceAction.modality == f.modality)
    if f.scope:
        query = query.where(AssistanceAction.scope == f.scope)
    if f.since:
        query = query.where(AssistanceAction.day >= f.since)
    if f.until:
        query = query.where(AssistanceAction.day <= f.until)
    query = query.order_by(AssistanceAction.day.desc(), AssistanceAction.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return [(a, p) for a, p in s.execute(query)]


def last_contact(s: Session) -> dict[int, date]:
    """Place id -> the date of its latest assistance action (to the instancia or its
    government), in one query."""
    return dict(
        s.execute(
            select(AssistanceAction.place_id, func.max(AssistanceAction.day))
            .group_by(AssistanceAction.place_id)
        ).all()
    )
