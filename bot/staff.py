"""/staff's user actions (admins): who is MIMP staff, added and removed in the bot.

Who counts as staff is `Services.is_staff` (the admins of the configuration plus these); each
change and its audit entry are one transaction, done once per update.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from bot.services import Services
from bot.storage import staff as store
from bot.storage.console import end_sessions_of
from bot.storage.replay import first_time

MAX_NAME = 120


@dataclass(frozen=True)
class Listing:
    text: str
    buttons: list[list[tuple[str, tuple[str, ...]]]]  # one "Quitar a …" per member


def user_id(text: str) -> int | None:
    """A Telegram user id: a positive number below 2**52 (what Telegram promises to fit)."""
    if not text.isdigit() or not 0 < int(text) < 2**52:
        return None
    return int(text)


def add(s: Services, actor: int, member_id: int, name: str, update_id: int | None) -> str | None:
    """What to tell the admin; None on a replay."""
    with s.db.session() as session:
        if not first_time(session, update_id, "staff_add", s.now()):
            return None
        added = store.add_staff(session, member_id, name[:MAX_NAME], actor, s.now())
        if added:
            store.audit(session, actor, "staff_add", f"telegram_id={member_id}", s.now())
    return s.messages("staff_agregado" if added else "staff_ya", id=member_id)


def remove(s: Services, actor: int, member_id: int, update_id: int | None) -> str | None:
    """What to tell the admin; None on a replay."""
    with s.db.session() as session:
        if not first_time(session, update_id, "staff_remove", s.now()):
            return None
        removed = store.remove_staff(session, member_id)
        if removed:
            end_sessions_of(session, member_id)  # signed out of the web console too
            store.audit(session, actor, "staff_remove", f"telegram_id={member_id}", s.now())
    return s.messages("staff_quitado" if removed else "staff_no_esta", id=member_id)


def listing(s: Services) -> Listing:
    m = s.messages
    with s.db.session() as session:
        members = [(x.name, x.telegram_id) for x in store.list_staff(session)]
    lines = [m("staff_lista")]
    lines += [m("staff_item_admin", id=admin) for admin in sorted(s.settings.admins)]
    lines += [m("staff_item", nombre=escape(name), id=tid) for name, tid in members]
    rows = [
        [(m("boton_quitar_staff", nombre=name[:40]), ("staff", "rm", str(tid)))]
        for name, tid in members
    ]
    return Listing("\n".join(lines) + "\n\n" + m("staff_uso"), rows)
