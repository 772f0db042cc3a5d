"""Tables of broadcasts (/difundir), their deliveries, and scheduled reminders (/recordatorios)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import Base, utcnow


class Broadcast(Base):
    """A message sent to an audience of officers: by a staff member, or by a reminder firing.

    The text is kept until the end because a restart resumes sending it; it is staff content,
    not personal data. Counts are refreshed as deliveries go out.
    """

    __tablename__ = "broadcasts"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    author_id: Mapped[int] = mapped_column(BigInteger)
    reminder_id: Mapped[int | None] = mapped_column(
        ForeignKey("reminders.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    text: Mapped[str] = mapped_column(Text)
    document_file_id: Mapped[str | None] = mapped_column(String(255))
    document_name: Mapped[str | None] = mapped_column(String(255))
    audience: Mapped[str] = mapped_column(String(2000))  # bot.audience.Audience as JSON
    status: Mapped[str] = mapped_column(String(10), default="sending", index=True)
    total: Mapped[int] = mapped_column(Integer, default=0)
    sent: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    left: Mapped[int] = mapped_column(Integer, default=0)
    progress_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    progress_message_id: Mapped[int | None] = mapped_column(BigInteger)


class Delivery(Base):
    """One recipient of a broadcast: pending → sent, failed (with a reason) or left (blocked).

    Deleted with the officer (Ley 29733): who received what is about a person.
    """

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("broadcast_id", "officer_id", name="uq_delivery_officer"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    broadcast_id: Mapped[int] = mapped_column(
        ForeignKey("broadcasts.id", ondelete="CASCADE"), index=True
    )
    officer_id: Mapped[int] = mapped_column(
        ForeignKey("officers.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(10), default="pending")
    reason: Mapped[str | None] = mapped_column(String(200))
    at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Reminder(Base):
    """A scheduled broadcast: days of the month, months (empty = every month), a local time.

    `last_fired_at` is the scheduled moment (UTC) last sent or deliberately skipped, so a slot is
    never sent twice, across restarts too.
    """

    __tablename__ = "reminders"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    author_id: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    days: Mapped[str] = mapped_column(String(100))  # "1,15"
    months: Mapped[str] = mapped_column(String(40))  # "5,6,11,12"; "" = every month
    at_time: Mapped[str] = mapped_column(String(5))  # "09:00", in the configured time zone
    audience: Mapped[str] = mapped_column(String(2000))
    text: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_fired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
