"""Queries about officers, their instancias and the places table."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.places import PlaceIndex
from bot.registration import Draft
from bot.storage.db import Database
from bot.storage.handoffs import delete_for_officer as delete_handoffs
from bot.storage.models import BotState, Instancia, Officer, Place
from bot.storage.reports import forget_officer


def sync_places(db: Database, index: PlaceIndex) -> int:
    """Make the places table match the shipped ubigeo list; returns how many rows changed."""
    places = [*index.regions(), *index.provinces(), *index.districts()]
    wanted = {(p.level, p.code): p for p in places}
    changed = 0
    with db.session() as s:
        existing = {(row.level, row.code): row for row in s.scalars(select(Place))}
        for key, p in wanted.items():
            values = dict(
                name=p.name, provincia=p.provincia, departamento=p.departamento, region=p.region
            )
            row = existing.get(key)
            if row is None:
                s.add(Place(level=p.level, code=p.code, **values))
                changed += 1
            elif any(getattr(row, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(row, k, v)
                changed += 1
    return changed


def get_officer(s: Session, telegram_id: int) -> Officer | None:
    return s.scalar(select(Officer).where(Officer.telegram_id == telegram_id))


def instancia_for(s: Session, level: str, code: str) -> Instancia:
    """The instancia of a place, created on first use."""
    place = s.scalar(select(Place).where(Place.level == level, Place.code == code))
    if place is None:
        raise LookupError(f"unknown place {level}:{code}; is the places table synced?")
    inst = s.scalar(select(Instancia).where(Instancia.place_id == place.id))
    if inst is None:
        inst = Instancia(place=place)
        s.add(inst)
        s.flush()
    return inst


def save_officer(
    s: Session, telegram_id: int, draft: Draft, consent_version: str, now: datetime
) -> Officer:
    """Create or update the officer from a complete draft."""
    officer = get_officer(s, telegram_id)
    inst = instancia_for(s, draft.level, draft.place_code)
    if officer is None:
        officer = Officer(telegram_id=telegram_id, consent_at=now, consent_version=consent_version)
        s.add(officer)
    officer.name = draft.name
    officer.cargo = draft.cargo
    officer.institution = draft.institution
    officer.phone = draft.phone
    officer.instancia = inst
    officer.active = True
    s.flush()
    return officer


def draft_from_officer(officer: Officer) -> Draft:
    place = officer.instancia.place
    return Draft(
        name=officer.name,
        cargo=officer.cargo,
        level=place.level,
        place_code=place.code,
        institution=officer.institution,
        phone=officer.phone,
        phone_done=True,
        consent=True,
        editing=True,
    )


def delete_officer(s: Session, telegram_id: int) -> tuple[bool, list[str]]:
    """Erase the officer's personal data (the policy is in README, "What deletion removes"),
    including any conversation state; whether there was an officer, and the document files the
    caller removes from disk once this commits."""
    officer = s.scalar(select(Officer).where(Officer.telegram_id == telegram_id))
    paths: list[str] = []
    if officer is not None:
        delete_handoffs(s, officer.id)  # consultas hold the officer's own words
        paths = forget_officer(s, officer.id, officer.name, officer.phone)
    result = s.execute(delete(Officer).where(Officer.telegram_id == telegram_id))
    s.execute(
        delete(BotState).where(BotState.kind == "user_data", BotState.key == str(telegram_id))
    )
    for row in s.scalars(select(BotState).where(BotState.kind.like("conv:%"))).all():
        if telegram_id in json.loads(row.key):  # [chat id, user id] of any conversation
            s.delete(row)
    return bool(result.rowcount), paths
