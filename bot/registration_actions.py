"""Registration, profile and deletion of an officer as user actions, each in its own transaction.

The draft itself (bot/registration.py) lives in the conversation's state until the officer
confirms: only then does personal data reach the database (consent first, Ley 29733).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from bot.messages import Messages
from bot.places import Place, PlaceIndex
from bot.registration import Draft
from bot.services import Services
from bot.storage import files
from bot.storage.handoffs import count_for_officer
from bot.storage.officers import delete_officer, draft_from_officer, get_officer, save_officer
from bot.storage.replay import first_time

PLACE_CHOICES = 8  # buttons under a place search; more do not fit a phone's screen
_ALL_MATCHES = 10_000


@dataclass(frozen=True)
class PlaceChoices:
    shown: list[Place]
    text: str  # the question, with how many more there are and how to narrow it down


def place_choices(
    places: PlaceIndex, query: str, level: str | None, messages: Messages
) -> PlaceChoices | None:
    """The places an officer's typed name matches, as buttons; None when nothing does.

    When they do not all fit, the officer is told how many are left out and shown how to
    add the province (or department) with one of those left out as the example, so the
    example is never a place already on a button."""
    found = places.search(query, level=level, limit=_ALL_MATCHES)
    if not found:
        return None
    shown, hidden = found[:PLACE_CHOICES], found[PLACE_CHOICES:]
    text = messages("lugar_opciones")
    if hidden:
        names = {p.name for p in shown}
        example = next((p for p in hidden if p.name in names), hidden[0])
        if example.level == "distrital":
            sample = f"{example.name}, {example.provincia}"
        elif example.level == "provincial":
            sample = f"{example.name}, {example.departamento}"
        else:
            sample = example.name
        text += "\n" + messages(
            f"lugar_hay_mas_{level or example.level}", n=len(hidden), ejemplo=escape(sample)
        )
    return PlaceChoices(shown, text)


@dataclass(frozen=True)
class Registered:
    """A registered officer as the greeting and /perfil show them."""

    draft: Draft
    consent_date: str  # dd/mm/aaaa in Lima
    messages_opt_out: bool = False  # opposed to broadcasts and reminders (Ley 29733)
    consultas: int = 0  # their consultas to staff, kept with their name


def registered(svc: Services, user_id: int) -> Registered | None:
    """The officer's stored data as a draft (for /start, /perfil, editing), or None."""
    with svc.db.session() as session:
        officer = get_officer(session, user_id)
        if officer is None:
            return None
        return Registered(
            draft_from_officer(officer),
            svc.local_date(officer.consent_at),
            officer.messages_opt_out,
            count_for_officer(session, officer.id),
        )


def set_messages(
    svc: Services, user_id: int, *, wanted: bool, update_id: int | None = None
) -> bool | None:
    """The right of opposition from /perfil: no more broadcasts or reminders (or again).
    True when done, False on a replay of the same press (done and said already), None when
    the user is not registered."""
    with svc.db.session() as session:
        officer = get_officer(session, user_id)
        if officer is None:
            return None
        if not first_time(session, update_id, "reg.messages", svc.now()):
            return False
        officer.messages_opt_out = not wanted
        return True


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
