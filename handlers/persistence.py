"""python-telegram-bot persistence backed by our database, so conversations survive restarts.

Only conversations and user_data are kept; user_data holds a registration draft at most. The
application flushes after every update (see handlers/common.py), not on a timer, so a crash loses
nothing an officer already answered.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from telegram.ext import BasePersistence, PersistenceInput

from bot.storage import state
from bot.storage.db import Database


def _conv_key(key: tuple) -> str:
    return json.dumps(list(key))


class DatabasePersistence(BasePersistence):
    def __init__(self, db: Database) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=False, user_data=True, callback_data=False
            ),
            update_interval=3600,
        )
        self.db = db

    async def get_user_data(self) -> dict[int, dict[Any, Any]]:
        return {int(k): v for k, v in state.load_kind(self.db, "user_data").items()}

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        if data:
            state.put(self.db, "user_data", str(user_id), data)
        else:
            state.remove(self.db, "user_data", str(user_id))

    async def drop_user_data(self, user_id: int) -> None:
        state.remove(self.db, "user_data", str(user_id))

    async def refresh_user_data(self, user_id: int, user_data: dict[Any, Any]) -> None:
        pass

    async def get_conversations(self, name: str) -> dict:
        stored = state.load_kind(self.db, f"conv:{name}")
        return {tuple(json.loads(k)): v for k, v in stored.items()}

    async def update_conversation(self, name: str, key: tuple, new_state: object | None) -> None:
        if new_state is None:
            state.remove(self.db, f"conv:{name}", _conv_key(key))
        else:
            state.put(self.db, f"conv:{name}", _conv_key(key), new_state)

    # Not stored: chat and bot data, callback data.
    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        return defaultdict(dict)

    async def get_bot_data(self) -> dict[Any, Any]:
        return {}

    async def get_callback_data(self):
        return None

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        pass

    async def update_bot_data(self, data: dict[Any, Any]) -> None:
        pass

    async def update_callback_data(self, data) -> None:
        pass

    async def drop_chat_data(self, chat_id: int) -> None:
        pass

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        pass

    async def refresh_bot_data(self, bot_data: dict[Any, Any]) -> None:
        pass

    async def flush(self) -> None:
        pass
