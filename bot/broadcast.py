"""The broadcast lane: one background task that sends confirmed broadcasts, paced and resumable.

Officers' questions are answered by the update handlers; broadcasts go out here, on their own
asyncio task, so an answer is never queued behind 2,000 deliveries. The lane:

- keeps under a global rate (a token bucket) and at most one message per second to a chat;
- waits out a 429's retry_after and retries that recipient; treats 403 as the officer having left
  (marked inactive, skipped from then on); retries other errors a few times with backoff;
- marks each delivery sent right after its send, in its own commit, so a crash or restart resumes
  where it stopped: nobody is skipped, and only the one recipient in flight may get it twice.
  That is also why it sends one message at a time.

It knows nothing about Telegram: the shell passes a `send(chat_id, content) -> Outcome` function
(handlers/broadcast.py) and a `progress` callback.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from bot import metrics
from bot.storage import broadcasts as store
from bot.storage.db import Database

log = logging.getLogger(__name__)

SENT, RETRY_AFTER, GONE, ERROR = "sent", "retry_after", "gone", "error"
MAX_ATTEMPTS = 3  # other errors: tries before a delivery is marked failed
MAX_FLOODS = 20  # 429s in a row for one recipient before giving up on it
BACKOFF = 0.5  # seconds before the 2nd try; doubles after
PROGRESS_EVERY = 3.0  # seconds between edits of the staff member's progress message
BATCH = 20  # deliveries read at a time; the broadcast's status is re-read between batches
IDLE_CHECK = 0.25  # seconds between checks for work (and for the application stopping)


def as_seconds(value) -> float:
    """A retry_after as seconds: PTB gives an int, a float or a timedelta depending on settings."""
    if hasattr(value, "total_seconds"):
        return max(0.0, value.total_seconds())
    return max(0.0, float(value or 0))


@dataclass(frozen=True)
class Outcome:
    kind: str  # SENT, RETRY_AFTER, GONE or ERROR
    seconds: float = 0.0  # RETRY_AFTER: how long Telegram asks us to wait
    reason: str = ""  # ERROR: a short description, shown to staff (no personal data)
    retryable: bool = False  # ERROR: a network hiccup or a server error


@dataclass(frozen=True)
class Content:
    text: str  # Telegram HTML
    document_file_id: str | None = None
    document_name: str | None = None


@dataclass(frozen=True)
class Progress:
    broadcast_id: int
    chat_id: int | None  # the staff member's progress message, if any
    message_id: int | None
    counts: store.Counts
    done: bool
    status: str


class Pacer:
    """A token bucket for the global rate plus a minimum gap per chat. Pure: the clock is given.

    The bucket holds at most `burst` tokens, so even after a pause no second-long window sees
    more than rate + burst messages (Telegram counts about 30 per second per bot).
    """

    def __init__(self, rate: float, *, per_chat_gap: float = 1.0, burst: float = 2.0) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.burst = burst
        self.per_chat_gap = per_chat_gap
        self.tokens = burst
        self.updated: float | None = None
        self.paused_until = 0.0
        self.last_sent: dict[int, float] = {}

    def _refill(self, now: float) -> None:
        if self.updated is not None:
            self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now

    def reserve(self, chat_id: int, now: float) -> float:
        """0.0: send now (the token is taken); otherwise the seconds to wait before asking again."""
        self._refill(now)
        waits = [self.paused_until - now, (1 - self.tokens) / self.rate]
        last = self.last_sent.get(chat_id)
        if last is not None:
            waits.append(last + self.per_chat_gap - now)
        wait = max(waits)
        if wait > 1e-9:
            return wait
        self.tokens -= 1
        self.last_sent[chat_id] = now
        if len(self.last_sent) > 10_000:  # forget chats whose gap is long over
            self.last_sent = {
                c: t for c, t in self.last_sent.items() if now - t < self.per_chat_gap
            }
        return 0.0

    def pause(self, seconds: float, now: float) -> None:
        """After a 429: nothing goes out until Telegram's retry_after has passed."""
        self.paused_until = max(self.paused_until, now + seconds)
        self.tokens = min(self.tokens, 0.0)


def backoff(attempt: int) -> float:
    """Seconds to wait after the `attempt`-th failed try (1-based)."""
    return BACKOFF * 2 ** (attempt - 1)


Send = Callable[[int, Content], Awaitable[Outcome]]
OnProgress = Callable[[Progress], Awaitable[None]]


class Lane:
    """Sends every broadcast in status "sending", oldest first, one delivery at a time."""

    def __init__(
        self,
        db: Database,
        send: Send,
        *,
        rate: float,
        progress: OnProgress | None = None,
        should_run: Callable[[], bool] = lambda: True,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.db = db
        self.send = send
        self.pacer = Pacer(rate)
        self.progress = progress
        self.should_run = should_run
        self.clock = clock
        self.now = now
        self.sleep = sleep
        self._wake = asyncio.Event()
        self.task: asyncio.Task | None = None

    def wake(self) -> None:
        """A broadcast was confirmed: start now rather than at the next idle check."""
        self._wake.set()

    async def run(self) -> None:
        """Until the application stops; resumes whatever was left in status "sending"."""
        while self.should_run():
            try:
                worked = await self.run_once()
            except Exception:  # a bug or the database: log, wait, try again; never die silently
                log.exception("broadcast lane error")
                worked = False
                await self.sleep(1.0)
            if not worked:
                self._wake.clear()
                try:
                    await asyncio.wait_for(self._wake.wait(), timeout=IDLE_CHECK)
                except TimeoutError:
                    pass

    async def run_once(self) -> bool:
        """Send (the rest of) the oldest broadcast in status "sending"; False when there is none."""
        with self.db.session() as s:
            b = store.next_sending(s)
            if b is None:
                return False
            bid = b.id
            content = Content(b.text, b.document_file_id, b.document_name)
            target = (b.progress_chat_id, b.progress_message_id)
        log.info("broadcast %s: sending", bid)
        last_report = self.clock()
        while self.should_run():
            with self.db.session() as s:
                status = store.status_of(s, bid)
                batch = store.pending_deliveries(s, bid, BATCH) if status == store.SENDING else []
            if not batch:
                break
            for delivery in batch:
                if not self.should_run():
                    return True
                await self._deliver(delivery, content)
                if self.progress and target[0] and self.clock() - last_report >= PROGRESS_EVERY:
                    last_report = self.clock()
                    await self._report(bid, target, done=False)
        if not self.should_run():
            return True
        with self.db.session() as s:
            store.finish(s, bid, self.now())
        log.info("broadcast %s: finished", bid)
        if self.progress and target[0]:
            await self._report(bid, target, done=True)
        return True

    async def _report(self, bid: int, target: tuple, *, done: bool) -> None:
        with self.db.session() as s:
            counts = store.counts(s, bid)
            status = store.status_of(s, bid)
        try:
            await self.progress(Progress(bid, target[0], target[1], counts, done, status))
        except Exception:  # progress is a courtesy: never stop the deliveries for it
            log.exception("broadcast %s: progress report failed", bid)

    async def _deliver(self, d: store.PendingDelivery, content: Content) -> None:
        if not d.active:  # left since the broadcast was confirmed: skipped from then on
            self._mark(d, store.LEFT, "")
            return
        attempts = floods = 0
        while True:
            while (wait := self.pacer.reserve(d.telegram_id, self.clock())) > 0:
                await self.sleep(wait)
            try:
                outcome = await self.send(d.telegram_id, content)
            except Exception as exc:  # a bug in the adapter, or the application shutting down
                if not self.should_run():
                    return  # stays pending: resumed at the next start
                outcome = Outcome(ERROR, reason=type(exc).__name__)
            if outcome.kind == SENT:
                self._mark(d, store.SENT, "")
                return
            if outcome.kind == GONE:
                self._mark(d, store.LEFT, outcome.reason, deactivate=True)
                return
            if outcome.kind == RETRY_AFTER:
                floods += 1
                log.info("broadcast: 429, waiting %.1fs", outcome.seconds)
                self.pacer.pause(outcome.seconds, self.clock())
                if floods < MAX_FLOODS:
                    continue
                outcome = Outcome(ERROR, reason="Too Many Requests")
            attempts += 1
            if not outcome.retryable or attempts >= MAX_ATTEMPTS:
                self._mark(d, store.FAILED, outcome.reason)
                return
            await self.sleep(backoff(attempts))

    def _mark(self, d: store.PendingDelivery, status: str, reason: str, *, deactivate=False):
        """Its own commit, right after the send: the resume point after a crash."""
        with self.db.session() as s:
            store.mark_delivery(s, d.delivery_id, status, reason, self.now())
            if deactivate:
                store.set_active(s, d.telegram_id, False)
        metrics.inc("concerta_broadcast_deliveries_total", result=status)
