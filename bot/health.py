"""Is this bot process able to work? The database file is there, answers a query and took the
last write; Telegram answered lately.

Served as GET /healthz by the webhook server, for load balancers and monitoring. Telegram is
asked at most once per `ttl` seconds, so a probe every few seconds costs nothing upstream.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.storage import faults
from bot.storage.db import Database

log = logging.getLogger(__name__)

TTL = 30.0  # seconds a successful Telegram answer counts as recent
TIMEOUT = 10.0  # seconds either check may take before it counts as failed


class HealthCheck:
    def __init__(
        self,
        db: Database,
        ping: Callable[[], Awaitable[object]],
        *,
        ttl: float = TTL,
        timeout: float = TIMEOUT,
    ) -> None:
        self.db = db
        self.ping = ping
        self.ttl = ttl
        self.timeout = timeout
        self._telegram_ok_at: float | None = None

    async def check(self) -> dict[str, str]:
        """{"status": "ok" | "failing", "database": "ok" | "error", "telegram": "ok" | "error"}"""
        database = await self._run("database", asyncio.to_thread(self._query))
        if self._recent():
            telegram = "ok"
        else:
            telegram = await self._run("telegram", self.ping())
            if telegram == "ok":
                self._telegram_ok_at = time.monotonic()
        status = "ok" if database == telegram == "ok" else "failing"
        return {"status": status, "database": database, "telegram": telegram}

    def _query(self) -> None:
        if faults.writes_failing():  # read-only or full: reads alone would still answer
            raise RuntimeError("the database refused the last write")
        url = make_url(self.db.url)
        on_file = url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")
        # Open connections keep reading a deleted file; nothing written now would last.
        if on_file and not Path(url.database).is_file():
            raise FileNotFoundError("the database file is gone")
        # A real table, not just SELECT 1: SQLite answers that without reading the file.
        with self.db.engine.connect() as conn:
            conn.execute(text("SELECT 1 FROM alembic_version LIMIT 1")).all()

    def _recent(self) -> bool:
        at = self._telegram_ok_at
        return at is not None and time.monotonic() - at < self.ttl

    async def _run(self, part: str, work: Awaitable[object]) -> str:
        try:
            await asyncio.wait_for(work, self.timeout)
        except Exception as exc:
            log.warning("health check: %s failed (%s)", part, type(exc).__name__)
            return "error"
        return "ok"
