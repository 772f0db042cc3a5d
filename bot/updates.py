"""Whole updates are handled once: a replay of one already handled to the end does nothing.

Telegram hands an update again after a restart that came before it was acknowledged, and the
bot itself after a busy database. Steps inside an update guard themselves too
(bot/storage/replay.py `first_time`), for an update that stopped half-way.
"""

from __future__ import annotations

from bot.services import Services
from bot.storage import faults
from bot.storage.replay import first_time, seen

WHOLE = "update"


def already_handled(svc: Services, update_id: int | None) -> bool:
    with svc.db.session() as session:
        return seen(session, update_id, WHOLE)


def mark_handled(svc: Services, update_id: int | None) -> None:
    with svc.db.session() as session:
        first_time(session, update_id, WHOLE, svc.now())
    faults.write_succeeded()  # the database takes writes again
