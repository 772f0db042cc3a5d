"""Nothing taken from Telegram is lost: an update is written here before it is acknowledged
and removed once it has been handled (or refused: flood, error).

Telegram forgets an update once the bot's next getUpdates asks past it, but the bot may still
be working through it (a chat's queue, a slow reply). So every batch getUpdates returns is kept
in `fetched_updates` before the response reaches python-telegram-bot, and at start the ones a
crash left behind are handled first. One handled twice (kept here and also not yet acknowledged)
stops at the whole-update record (bot/updates.py).
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.storage.db import Database
from bot.storage.models import FetchedUpdate


def keep(db: Database, updates: list[dict], now: datetime) -> None:
    """Write the updates of one getUpdates answer in one statement (the known ones are already
    here): this runs before every batch is handled, so it has to be cheap."""
    rows = {u["update_id"]: u for u in updates}
    if not rows:
        return
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    values = [
        {"update_id": uid, "payload": json.dumps(update), "at": now}
        for uid, update in rows.items()
    ]
    statement = insert(FetchedUpdate).values(values).on_conflict_do_nothing(
        index_elements=["update_id"]
    )
    with db.session() as s:
        s.execute(statement)


def left_over(db: Database) -> list[dict]:
    """Updates a previous run took from Telegram and did not finish, oldest first."""
    with db.session() as s:
        rows = s.scalars(select(FetchedUpdate.payload).order_by(FetchedUpdate.update_id)).all()
    return [json.loads(row) for row in rows]


def done(db: Database, update_ids: list[int]) -> None:
    """Forget finished updates, many in one transaction: during a flood one commit per
    update would cost everyone else's replies."""
    if not update_ids:
        return
    with db.session() as s:
        s.execute(delete(FetchedUpdate).where(FetchedUpdate.update_id.in_(update_ids)))
