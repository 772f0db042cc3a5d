"""Bot API requests that ride out a flaky Telegram: 5xx answers and failed connections are
retried with exponential backoff.

A read timeout on a sending method is not retried: Telegram may have delivered the message,
and a second copy is worse than a late error. 429 is left to the caller (it carries its own
retry_after).
"""

from __future__ import annotations

import asyncio
import logging

import httpx
from telegram.error import NetworkError, TimedOut
from telegram.request import HTTPXRequest

log = logging.getLogger(__name__)

SAFE_TO_REPEAT = ("/get", "/answerCallbackQuery", "/setMyCommands", "/deleteWebhook")


class RetryingRequest(HTTPXRequest):
    def __init__(self, *args, attempts: int = 4, first_delay: float = 0.5, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.attempts = attempts
        self.first_delay = first_delay

    async def do_request(self, url: str, method: str, *args, **kwargs) -> tuple[int, bytes]:
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


def _method(url: str) -> str:
    """The Bot API method, never the URL: it carries the token."""
    return url.rsplit("/", 1)[-1]


def _repeatable(url: str) -> bool:
    method = "/" + _method(url)
    return method.startswith(SAFE_TO_REPEAT)
