"""Bot API requests that ride out a flaky Telegram: 5xx answers and failed connections are
retried with exponential backoff.

A read timeout on a sending method is not retried: Telegram may have delivered the message,
and a second copy is worse than a late error. A 429 (Telegram refused it, so nothing was
delivered) is waited out and sent again, so an officer's reply is late rather than lost; the
broadcast lane paces everyone after a 429 itself and says so with `pacing_429_myself()`.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable

import httpx
from telegram.error import NetworkError, TimedOut
from telegram.request import HTTPXRequest

from bot import metrics
from handlers.common import paces_its_own_429s

log = logging.getLogger(__name__)

SAFE_TO_REPEAT = ("/get", "/answerCallbackQuery", "/setMyCommands", "/deleteWebhook")
MAX_429_WAIT = 60.0  # seconds: a longer retry_after goes back to the caller as an error
MAX_429_TRIES = 3


class RetryingRequest(HTTPXRequest):
    def __init__(self, *args, attempts: int = 4, first_delay: float = 0.5, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.attempts = attempts
        self.first_delay = first_delay

    async def do_request(self, url: str, method: str, *args, **kwargs) -> tuple[int, bytes]:
        for _ in range(MAX_429_TRIES):
            code, payload = await self._with_retries(url, method, *args, **kwargs)
            wait = None if code != 429 or paces_its_own_429s() else _retry_after(payload)
            if wait is None or wait > MAX_429_WAIT:
                return code, payload
            log.warning("Bot API %s: 429, waiting %.1fs", _method(url), wait)
            await asyncio.sleep(wait)
        return code, payload

    async def _with_retries(self, url: str, method: str, *args, **kwargs) -> tuple[int, bytes]:
        delay = self.first_delay
        for attempt in range(1, self.attempts + 1):
            last = attempt == self.attempts
            try:
                code, payload = await super().do_request(url, method, *args, **kwargs)
            except TimedOut as err:
                not_sent = isinstance(err.__cause__, httpx.ConnectTimeout)
                if last or not (not_sent or _repeatable(url)):
                    raise
                reason = "timeout"
            except NetworkError as err:
                # A refused connection never reached Telegram; a dropped one may have, after
                # Telegram acted on it: only requests that can safely happen twice are repeated.
                unsent = isinstance(err.__cause__, httpx.ConnectError)
                dropped = isinstance(err.__cause__, httpx.RemoteProtocolError)
                if last or not (unsent or (dropped and _repeatable(url))):
                    raise
                reason = "connection"
            else:
                if code < 500 or last:
                    return code, payload
                reason = f"http {code}"
            log.warning("Bot API %s (%s); retry %d in %.1fs", _method(url), reason, attempt, delay)
            await asyncio.sleep(delay)
            delay *= 2
        raise AssertionError("unreachable")


class DurableUpdatesRequest(RetryingRequest):
    """The getUpdates lane: each batch is handed to `keep` (bot/inbox.py) before
    python-telegram-bot sees it, so it is durable before the next getUpdates acknowledges it.

    A database that cannot write (locked, read-only, full) cannot keep it: the batch is then
    handled from memory as it comes, so the officer still hears what is wrong (handlers/common.py
    on_error); only a crash during that outage could lose it."""

    def __init__(self, *args, keep: Callable[[list[dict]], None], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.keep = keep

    async def do_request(self, url: str, method: str, *args, **kwargs) -> tuple[int, bytes]:
        code, payload = await super().do_request(url, method, *args, **kwargs)
        if code == 200 and _method(url) == "getUpdates":
            try:
                self.keep(json.loads(payload).get("result") or [])
            except Exception as exc:
                metrics.inc("concerta_updates_not_kept_total")
                log.error("fetched updates could not be kept: %s", type(exc).__name__)
        return code, payload


def _retry_after(payload: bytes) -> float | None:
    try:
        return float(json.loads(payload)["parameters"]["retry_after"])
    except (ValueError, KeyError, TypeError):
        return None


def _method(url: str) -> str:
    """The Bot API method, never the URL: it carries the token."""
    return url.rsplit("/", 1)[-1]


def _repeatable(url: str) -> bool:
    method = "/" + _method(url)
    return method.startswith(SAFE_TO_REPEAT)
