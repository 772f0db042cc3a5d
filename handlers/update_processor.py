"""Updates from different chats run side by side; updates from one chat keep their order; one
chat cannot hold up the others.

python-telegram-bot either handles updates one at a time or all concurrently. One at a time
makes every officer wait for everyone else's network round trips; fully concurrent would let
two messages of the same officer race through a conversation. Ordering per chat gives both.

PTB's own slot is taken before `do_process_update` runs, so waiting for a chat's turn there
would let one flooding chat's backlog hold every slot. Its limit is set out of reach and the
real one (`workers`) is taken only once a chat's turn has come. A user past `FLOOD_LIMIT`
messages in `FLOOD_WINDOW` seconds is told once to slow down and the excess is dropped unread,
except a message that discloses danger: that one skips the limit and the queue for a slot.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

log = logging.getLogger(__name__)

FLOOD_LIMIT = 20
FLOOD_WINDOW = 10.0  # seconds
UNBOUNDED = 1_000_000


class PerChatUpdateProcessor(BaseUpdateProcessor):
    def __init__(
        self,
        workers: int = 32,
        *,
        urgent: Callable[[str], bool] | None = None,
        on_flood: Callable[[int], Awaitable[None]] | None = None,
        limit: int = FLOOD_LIMIT,
        window: float = FLOOD_WINDOW,
        on_done: Callable[[object], None] | None = None,
    ) -> None:
        super().__init__(UNBOUNDED)
        self._workers = asyncio.BoundedSemaphore(workers)
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}
        self._urgent = urgent
        self.on_flood = on_flood
        self._limit = limit
        self._window = window
        self._recent: dict[int, deque[float]] = {}
        self._told: dict[int, float] = {}
        self.on_done = on_done

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Whatever became of the update (handled, failed, dropped), it is finished here."""
        try:
            await self._process(update, coroutine)
        finally:
            if self.on_done is not None:
                try:
                    self.on_done(update)
                except Exception as exc:  # it is handled again after a restart: no harm
                    log.warning("could not note an update as finished: %s", type(exc).__name__)

    async def _process(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = _chat_key(update)
        if key is None:
            async with self._workers:
                await coroutine
            return
        urgent = self._is_urgent(update)
        if not urgent and self._flooding(update, key):
            _discard(coroutine)
            await self._tell_flooder(key)
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:
                if urgent:  # the help lines do not wait for a free slot
                    await coroutine
                else:
                    async with self._workers:
                        await coroutine
        finally:
            self._users[key] -= 1
            if not self._users[key]:  # nobody else waiting: forget the lock
                del self._users[key]
                self._locks.pop(key, None)

    def _is_urgent(self, update: object) -> bool:
        if self._urgent is None or not isinstance(update, Update):
            return False
        message = update.message
        text = (message.text or message.caption) if message is not None else None
        if not text:
            return False
        try:
            return self._urgent(text)
        except Exception:  # never let the check itself lose an update
            log.exception("crisis pre-check failed")
            return False

    def _flooding(self, update: object, key: int) -> bool:
        """Messages only: a button press or a membership change is never dropped."""
        if not isinstance(update, Update) or update.message is None:
            return False
        if update.effective_chat is None or update.effective_chat.type != "private":
            return False  # the staff group is many people, not one noisy user
        now = time.monotonic()
        recent = self._recent.setdefault(key, deque())
        while recent and now - recent[0] > self._window:
            recent.popleft()
        if len(recent) >= self._limit:
            return True
        recent.append(now)
        if len(self._recent) > 10_000:  # forget chats that went quiet
            for chat, times in list(self._recent.items()):
                if not times or now - times[-1] > self._window:
                    del self._recent[chat]
        return False

    async def _tell_flooder(self, key: int) -> None:
        now = time.monotonic()
        if now - self._told.get(key, -1e9) < self._window:
            return
        self._told[key] = now
        log.info("a chat is over the message rate; the excess is dropped")
        if self.on_flood is not None:
            try:
                await self.on_flood(key)
            except Exception as exc:  # the notice is a courtesy: never fail an update for it
                log.info("flood notice not delivered: %s", type(exc).__name__)

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass


def _discard(coroutine: Awaitable[Any]) -> None:
    close = getattr(coroutine, "close", None)
    if close is not None:
        close()


def _chat_key(update: object) -> int | None:
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None
