"""Reminder schedules: when a reminder is due, and whether a missed one is still worth sending.

A schedule is days of the month, months (none = every month) and a local time, e.g. the 1st and
15th of May, June, November and December (the last two months of each semester) at 09:00
America/Lima. The schedule logic is pure (the moment "now" and the time zone are given; times
out are UTC); `fire_due` applies it to the stored reminders.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.audience import NOT_SENT, Audience, parse_words, select
from bot.storage import broadcasts as store
from bot.storage.db import Database
from bot.textnorm import normalize

SEMESTER_END = (5, 6, 11, 12)  # the last two months of each semester
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.h]([0-5]\d)$")


class ScheduleError(ValueError):
    """Bad days, months or time; the message names which (shown to staff in Spanish by keys)."""

    def __init__(self, key: str, word: str = "") -> None:
        super().__init__(key)
        self.key = key
        self.word = word


@dataclass(frozen=True)
class Schedule:
    days: tuple[int, ...]
    months: tuple[int, ...]  # empty: every month
    hour: int
    minute: int

    @property
    def at_time(self) -> str:
        return f"{self.hour:02d}:{self.minute:02d}"

    def days_text(self) -> str:
        return ",".join(map(str, self.days))

    def months_text(self) -> str:
        return ",".join(map(str, self.months))

    @classmethod
    def parse(cls, days: str, months: str, at_time: str) -> Schedule:
        """From the stored (or typed) texts: "1,15", "5,6,11,12" or "", "09:00"."""
        try:
            day_list = tuple(sorted({int(d) for d in days.split(",") if d.strip()}))
            month_list = tuple(sorted({int(m) for m in months.split(",") if m.strip()}))
        except ValueError:
            raise ScheduleError("dias") from None
        if not day_list or any(not 1 <= d <= 31 for d in day_list):
            raise ScheduleError("dias")
        if any(not 1 <= m <= 12 for m in month_list):
            raise ScheduleError("meses")
        match = _TIME.match(at_time.strip())
        if not match:
            raise ScheduleError("hora")
        return cls(day_list, month_list, int(match.group(1)), int(match.group(2)))

    def _local_slots(self, day: date, tz: ZoneInfo) -> list[datetime]:
        if (self.months and day.month not in self.months) or day.day not in self.days:
            return []
        return [datetime.combine(day, time(self.hour, self.minute), tzinfo=tz)]

    def latest_slot(self, now: datetime, tz: ZoneInfo, lookback_days: int = 366) -> datetime | None:
        """The last scheduled moment at or before `now` (UTC), within a year."""
        local_now = now.astimezone(tz)
        day = local_now.date()
        for _ in range(lookback_days + 1):
            for slot in self._local_slots(day, tz):
                if slot <= local_now:
                    return slot.astimezone(UTC)
            day -= timedelta(days=1)
        return None

    def next_slot(self, now: datetime, tz: ZoneInfo) -> datetime | None:
        """The next scheduled moment after `now` (UTC), within a year; None if never (31 Feb)."""
        local_now = now.astimezone(tz)
        day = local_now.date()
        for _ in range(367):
            for slot in self._local_slots(day, tz):
                if slot > local_now:
                    return slot.astimezone(UTC)
            day += timedelta(days=1)
        return None


def due_slot(
    schedule: Schedule,
    *,
    now: datetime,
    tz: ZoneInfo,
    created_at: datetime,
    last_fired_at: datetime | None,
) -> tuple[datetime, bool] | None:
    """The slot to act on now, and whether it is still relevant to send, or None.

    A slot is acted on once: newer than the reminder itself and than the last slot acted on.
    A slot missed while the bot was down is still sent on the same local day; an older one is
    only recorded as passed (False), so it is never sent late or twice.
    """
    slot = schedule.latest_slot(now, tz)
    if slot is None:
        return None
    floor = max(_utc(created_at), _utc(last_fired_at)) if last_fired_at else _utc(created_at)
    if slot <= floor:
        return None
    same_day = slot.astimezone(tz).date() == now.astimezone(tz).date()
    return slot, same_day


def _utc(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes; they were stored in UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _join(items: list[str], word: str = "y") -> str:
    """Spanish enumeration: "a", "a y b", "a, b y c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def in_words(schedule: Schedule, month_names: dict[int, str]) -> str:
    """The schedule as staff read it: «el 1 y el 15 de noviembre y diciembre a las 09:00»
    (every month: «el 1 de cada mes a las 09:00»); times are Lima's, as stored."""
    days = _join([f"el {d}" for d in schedule.days])
    months = (
        _join([month_names[m] for m in schedule.months]) if schedule.months else "cada mes"
    )
    article = "a la" if schedule.hour == 1 else "a las"  # a la 01:00, a las 09:00
    return f"{days} de {months} {article} {schedule.at_time}"


# --- what staff type -------------------------------------------------------------------------

MONTH_WORDS = {"fin-de-semestre": SEMESTER_END, "todos": ()}


@dataclass(frozen=True)
class NewReminder:
    schedule: Schedule
    audience: Audience
    text: str  # Telegram HTML


def parse_new(args: list[str], text: str, regions: list[str]) -> NewReminder:
    """`DÍAS MESES HORA [PÚBLICO…]` plus the message; raises ScheduleError(key[, word])."""
    if len(args) < 3:
        raise ScheduleError("dias" if not args else "meses" if len(args) == 1 else "hora")
    days, months, at_time, *words = args
    months_key = normalize(months).replace(" ", "-")
    month_list = MONTH_WORDS.get(months_key)
    months_text = ",".join(map(str, month_list)) if month_list is not None else months
    schedule = Schedule.parse(days, months_text, at_time)
    try:
        audience = parse_words(words, regions) if words else NOT_SENT
    except ValueError as exc:
        raise ScheduleError("publico", str(exc)) from None
    if not text.strip():
        raise ScheduleError("texto")
    return NewReminder(schedule, audience, text.strip())


# --- firing ----------------------------------------------------------------------------------


def fire_due(
    db: Database, *, now: datetime, tz: ZoneInfo, period: str, deadline: str | None = None
) -> list[int]:
    """Turn every due reminder into a broadcast (deliveries recorded like any broadcast).

    The broadcast and the reminder's last_fired_at are written in one transaction, so a slot is
    sent once even if the bot stops right after. Returns the new broadcasts' ids. `deadline`
    (Telegram HTML: until when the period's report can be sent, when staff set it) ends
    each reminder's text.
    """
    created = []
    with db.session() as s:
        reminders = [r for r in store.list_reminders(s) if r.active]
        rows = None  # read only when some reminder is due (this runs every minute)
        for r in reminders:
            try:
                schedule = Schedule.parse(r.days, r.months, r.at_time)
            except ScheduleError:
                continue
            due = due_slot(
                schedule, now=now, tz=tz, created_at=r.created_at, last_fired_at=r.last_fired_at
            )
            if due is None:
                continue
            slot, relevant = due
            r.last_fired_at = slot
            if relevant and rows is None:
                rows = store.audience_rows(s, period)
            chosen = select(rows, Audience.from_json(r.audience)) if relevant else []
            if not chosen:  # passed long ago, or nobody left to remind: recorded, not sent
                continue
            b = store.create_broadcast(
                s, author_id=r.author_id,
                text=f"{r.text}\n\n{deadline}" if deadline else r.text, audience_json=r.audience,
                recipients=chosen, now=now, reminder_id=r.id,
            )  # fmt: skip
            created.append(b.id)
    return created
