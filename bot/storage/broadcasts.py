"""Queries for broadcasts, their deliveries, reminders, and the officers an audience filters."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session

from bot.audience import Recipient
from bot.storage.models import Instancia, Officer, Place, Report
from bot.storage.models_broadcast import Broadcast, Delivery, Reminder
from bot.storage.queries_data import current_reports, place_info
from bot.storage.reports import DRAFT
from bot.storage.reports import SENT as REPORT_SENT

SENDING, DONE, CANCELLED = "sending", "done", "cancelled"
PENDING, SENT, FAILED, LEFT = "pending", "sent", "failed", "left"


# --- audiences -------------------------------------------------------------------------------


def audience_rows(s: Session, period: str, *, answers: bool = True) -> list[Recipient]:
    """Every active officer who has not opposed MIMP's messages, with what the filters look
    at, in a few queries (2,000 officers).

    `answers=False` leaves the sent reports' answers out (reading them is most of the time
    with 10,000 officers): for an audience that filters no milestone, such as the reminders'.
    """
    if answers:
        current = {r.instancia_id: r.answers for r in current_reports(s, period)}
    else:
        sent = select(Report.instancia_id).where(
            Report.period == period, Report.status == REPORT_SENT
        )
        current = {instancia_id: {} for instancia_id in s.scalars(sent.distinct())}
    drafting = set(
        s.scalars(
            select(Report.officer_id).where(Report.period == period, Report.status == DRAFT)
        )
    )
    query = (
        select(Officer.id, Officer.telegram_id, Officer.instancia_id, Place.region, Place.level)
        .join(Instancia, Officer.instancia_id == Instancia.id)
        .join(Place, Instancia.place_id == Place.id)
        .where(Officer.active.is_(True), Officer.messages_opt_out.is_(False))
    )
    rows = []
    for officer_id, telegram_id, instancia_id, region, level in s.execute(query):
        if instancia_id in current:
            status, found = "sent", current[instancia_id]
        else:
            status, found = ("draft" if officer_id in drafting else "none"), {}
        rows.append(
            Recipient(officer_id, telegram_id, region, level, status, found, instancia_id)
        )
    return rows


def set_active(s: Session, telegram_id: int, active: bool) -> bool:
    """Blocked (403, my_chat_member "kicked") or back; False when no such officer."""
    result = s.execute(
        update(Officer).where(Officer.telegram_id == telegram_id).values(active=active)
    )
    return bool(result.rowcount)


# --- broadcasts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    total: int = 0
    sent: int = 0
    failed: int = 0
    left: int = 0

    @property
    def pending(self) -> int:
        return self.total - self.sent - self.failed - self.left


@dataclass(frozen=True)
class PendingDelivery:
    delivery_id: int
    officer_id: int
    telegram_id: int
    active: bool


def create_broadcast(
    s: Session,
    *,
    author_id: int,
    text: str,
    audience_json: str,
    recipients: Iterable[Recipient],
    now: datetime,
    document_file_id: str | None = None,
    document_name: str | None = None,
    reminder_id: int | None = None,
) -> Broadcast:
    """The broadcast and one pending delivery per recipient, in the caller's one transaction."""
    officer_ids = sorted({r.officer_id for r in recipients})
    b = Broadcast(
        author_id=author_id, reminder_id=reminder_id, created_at=now, text=text,
        document_file_id=document_file_id, document_name=document_name,
        audience=audience_json, status=SENDING, total=len(officer_ids),
        sent=0, failed=0, left=0,
    )  # fmt: skip
    s.add(b)
    s.flush()
    s.add_all(Delivery(broadcast_id=b.id, officer_id=o, status=PENDING) for o in officer_ids)
    s.flush()
    return b


def get_broadcast(s: Session, broadcast_id: int) -> Broadcast | None:
    return s.get(Broadcast, broadcast_id)


def set_progress_message(s: Session, broadcast_id: int, chat_id: int, message_id: int) -> None:
    s.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id)
        .values(progress_chat_id=chat_id, progress_message_id=message_id)
    )


def next_sending(s: Session) -> Broadcast | None:
    return s.scalar(select(Broadcast).where(Broadcast.status == SENDING).order_by(Broadcast.id))


def status_of(s: Session, broadcast_id: int) -> str | None:
    return s.scalar(select(Broadcast.status).where(Broadcast.id == broadcast_id))


def pending_deliveries(s: Session, broadcast_id: int, limit: int) -> list[PendingDelivery]:
    query = (
        select(
            Delivery.id,
            Delivery.officer_id,
            Officer.telegram_id,
            # Opposed since the broadcast was confirmed: skipped like one who left.
            and_(Officer.active.is_(True), Officer.messages_opt_out.is_(False)),
        )
        .join(Officer, Delivery.officer_id == Officer.id)
        .where(Delivery.broadcast_id == broadcast_id, Delivery.status == PENDING)
        .order_by(Delivery.id)
        .limit(limit)
    )
    return [PendingDelivery(*row) for row in s.execute(query)]


def mark_delivery(s: Session, delivery_id: int, status: str, reason: str, now: datetime) -> None:
    s.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id)
        .values(status=status, reason=reason[:200] or None, at=now)
    )


def counts(s: Session, broadcast_id: int) -> Counts:
    """Counted from the deliveries (the truth), and written back on the broadcast row."""
    by_status = dict(
        s.execute(
            select(Delivery.status, func.count())
            .where(Delivery.broadcast_id == broadcast_id)
            .group_by(Delivery.status)
        ).all()
    )
    c = Counts(
        total=sum(by_status.values()),
        sent=by_status.get(SENT, 0),
        failed=by_status.get(FAILED, 0),
        left=by_status.get(LEFT, 0),
    )
    s.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id)
        .values(total=c.total, sent=c.sent, failed=c.failed, left=c.left)
    )
    return c


def failure_reasons(s: Session, broadcast_id: int) -> list[tuple[str, int]]:
    """Why deliveries failed, most frequent first (error descriptions, no personal data)."""
    return [
        (reason or "?", n)
        for reason, n in s.execute(
            select(Delivery.reason, func.count())
            .where(Delivery.broadcast_id == broadcast_id, Delivery.status == FAILED)
            .group_by(Delivery.reason)
            .order_by(func.count().desc())
        )
    ]


def finish(s: Session, broadcast_id: int, now: datetime) -> None:
    """Done, unless staff cancelled it; counts written back either way."""
    counts(s, broadcast_id)
    s.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id, Broadcast.status == SENDING)
        .values(status=DONE, finished_at=now)
    )


def cancel(s: Session, broadcast_id: int, now: datetime) -> bool:
    """Stop sending; undelivered rows stay pending. False when it was not being sent."""
    result = s.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id, Broadcast.status == SENDING)
        .values(status=CANCELLED, finished_at=now)
    )
    return bool(result.rowcount)


# --- reminders -------------------------------------------------------------------------------


def add_reminder(s: Session, **values) -> Reminder:
    reminder = Reminder(active=True, **values)
    s.add(reminder)
    s.flush()
    return reminder


def list_reminders(s: Session) -> list[Reminder]:
    return list(s.scalars(select(Reminder).order_by(Reminder.id)))


def get_reminder(s: Session, reminder_id: int) -> Reminder | None:
    return s.get(Reminder, reminder_id)


def delete_reminder(s: Session, reminder_id: int) -> bool:
    reminder = s.get(Reminder, reminder_id)
    if reminder is None:
        return False
    s.delete(reminder)
    return True


def last_firing(s: Session, reminder_id: int) -> Broadcast | None:
    return s.scalar(
        select(Broadcast).where(Broadcast.reminder_id == reminder_id).order_by(Broadcast.id.desc())
    )


# --- history and the pending list (the console's «Difusiones») -------------------------------


def recent(s: Session, limit: int) -> list[Broadcast]:
    """The latest broadcasts and reminder firings, newest first."""
    return list(s.scalars(select(Broadcast).order_by(Broadcast.id.desc()).limit(limit)))


def counts_of(s: Session, broadcast_ids: list[int]) -> dict[int, Counts]:
    """Live figures of several broadcasts, counted from their deliveries, without writing (the
    broadcast row's own figures lag while it is being sent)."""
    tally: dict[int, dict[str, int]] = {b: {} for b in broadcast_ids}
    query = (
        select(Delivery.broadcast_id, Delivery.status, func.count())
        .where(Delivery.broadcast_id.in_(broadcast_ids))
        .group_by(Delivery.broadcast_id, Delivery.status)
    )
    for bid, status, n in s.execute(query):
        tally[bid][status] = n
    return {
        bid: Counts(sum(by.values()), by.get(SENT, 0), by.get(FAILED, 0), by.get(LEFT, 0))
        for bid, by in tally.items()
    }


def similar_recent(
    s: Session, author_id: int, text: str, audience_json: str, since: datetime
) -> int | None:
    """A broadcast the same staff member confirmed with the same text and audience moments
    ago: a second press of the same button, not a second message."""
    return s.scalar(
        select(Broadcast.id)
        .where(
            Broadcast.author_id == author_id,
            Broadcast.text == text,
            Broadcast.audience == audience_json,
            Broadcast.created_at >= since,
            Broadcast.reminder_id.is_(None),
        )
        .order_by(Broadcast.id.desc())
        .limit(1)
    )


def instancia_labels(s: Session, ids: set[int]) -> dict[int, str]:
    """Instancia id -> its place's label ("Ate (Lima, Lima)")."""
    if not ids:
        return {}
    query = (
        select(Instancia.id, Place)
        .join(Place, Instancia.place_id == Place.id)
        .where(Instancia.id.in_(ids))
    )
    return {iid: place_info(place).label for iid, place in s.execute(query)}
