"""Registration, profile and deletion of an officer as user actions, each in its own transaction.

The draft itself (bot/registration.py) lives in the conversation's state until the officer
confirms: only then does personal data reach the database (consent first, Ley 29733).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.registration import Draft
from bot.services import Services
from bot.storage import files
from bot.storage.officers import delete_officer, draft_from_officer, get_officer, save_officer
from bot.storage.replay import first_time


@dataclass(frozen=True)
class Registered:
    """A registered officer as the greeting and /perfil show them."""

    draft: Draft
    consent_date: str  # dd/mm/aaaa in Lima


def registered(svc: Services, user_id: int) -> Registered | None:
    """The officer's stored data as a draft (for /start, /perfil, editing), or None."""
    with svc.db.session() as session:
        officer = get_officer(session, user_id)
        if officer is None:
            return None
        return Registered(draft_from_officer(officer), svc.local_date(officer.consent_at))


def confirm(svc: Services, user_id: int, draft: Draft, *, update_id: int | None = None) -> bool:
    """"Confirmar": store the officer. False on a replay of the same update (already stored)."""
    with svc.db.session() as session:
        if not first_time(session, update_id, "reg.confirm", svc.now()):
            return False
        save_officer(session, user_id, draft, svc.messages("version_consentimiento"), svc.now())
        return True


def delete_personal_data(svc: Services, user_id: int) -> bool:
    """Erase the officer, their consultas, drafts and their documents (on disk too), their name
    and phone in sent reports, and any stored conversation state (idempotent). True when there
    was an officer to delete."""
    with svc.db.session() as session:
        deleted, paths = delete_officer(session, user_id)
    files.remove(paths)  # after the commit: a rolled-back deletion keeps its files
    return deleted
