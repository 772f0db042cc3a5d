"""Tables of MIMP's follow-up: reviews of sent reports, and the technical-assistance log."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import Base, utcnow


class ReportReview(Base):
    """One step of a sent report's review: «validado» or «observado» by a staff member, or
    «corregido» when an officer sent the correction an observation asked for.

    The review state of a report is its latest row; no row is «sin revisar». Sent reports are
    never changed (a correction is a new report), so the observed report itself keeps the
    answers as they were when it was observed: `observation_id` on a «corregido» row leads to
    it, and the changes are read from the two reports.
    """

    __tablename__ = "report_reviews"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), index=True
    )
    instancia_id: Mapped[int] = mapped_column(ForeignKey("instancias.id"), index=True)
    period: Mapped[str] = mapped_column(String(8))
    state: Mapped[str] = mapped_column(String(12))
    comment: Mapped[str] = mapped_column(Text, default="")  # staff's words, not an officer's
    actor_id: Mapped[int | None] = mapped_column(BigInteger)  # staff; None: the officer sent it
    observation_id: Mapped[int | None] = mapped_column(
        ForeignKey("report_reviews.id", ondelete="SET NULL")
    )
    broadcast_id: Mapped[int | None] = mapped_column(
        ForeignKey("broadcasts.id", ondelete="SET NULL")
    )
    # The console form's one-time key: the same form posted twice is one review.
    request_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AssistanceAction(Base):
    """A technical-assistance action MIMP staff carried out (R.M. 288-2023-MIMP).

    Its target is a place: `scope` "instancia" is the instancia de concertación of that place,
    "gobierno" its government (the district or provincial municipality, the regional
    government). Only what staff typed is kept.
    """

    __tablename__ = "assistance_actions"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)
    scope: Mapped[str] = mapped_column(String(10))
    day: Mapped[date] = mapped_column(Date, index=True)
    modality: Mapped[str] = mapped_column(String(12))
    topic: Mapped[str] = mapped_column(String(300))
    participants: Mapped[str] = mapped_column(String(500), default="")
    next_step: Mapped[str] = mapped_column(String(500), default="")
    author_id: Mapped[int] = mapped_column(BigInteger)
    request_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
