"""Key-value JSON rows for the framework's persisted state (see handlers/persistence.py)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete, select

from bot.storage.db import Database
from bot.storage.models import BotState


def load_kind(db: Database, kind: str) -> dict[str, Any]:
    with db.session() as s:
        rows = s.execute(select(BotState.key, BotState.data).where(BotState.kind == kind))
        return {key: json.loads(data) for key, data in rows}


def put(db: Database, kind: str, key: str, value: Any) -> None:
    data = json.dumps(value, ensure_ascii=False, sort_keys=True)
    with db.session() as s:
        row = s.get(BotState, (kind, key))
        if row is None:
            s.add(BotState(kind=kind, key=key, data=data))
        elif row.data != data:
            row.data = data


def remove(db: Database, kind: str, key: str) -> None:
    with db.session() as s:
        s.execute(delete(BotState).where(BotState.kind == kind, BotState.key == key))
