"""Database tables. Times are stored in UTC; they are shown in America/Lima."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Place(Base):
    """A region, province or district from the INEI ubigeo list (synced from knowledge/)."""

    __tablename__ = "places"
    __table_args__ = (UniqueConstraint("level", "code", name="uq_places_level_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    level: Mapped[str] = mapped_column(String(12))
    code: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(120))
    provincia: Mapped[str | None] = mapped_column(String(120))
    departamento: Mapped[str] = mapped_column(String(120))
    region: Mapped[str] = mapped_column(String(120))


class Instancia(Base):
    """The instancia de concertación of one place: at most one per region, province or district."""

    __tablename__ = "instancias"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    place: Mapped[Place] = relationship(lazy="joined")


class Officer(Base):
    """A registered punto focal. Personal data: deleted whole on request (Ley 29733)."""

    __tablename__ = "officers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    name: Mapped[str] = mapped_column(String(120))
    cargo: Mapped[str] = mapped_column(String(120))
    institution: Mapped[str] = mapped_column(String(160))
    phone: Mapped[str | None] = mapped_column(String(32))
    consent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    consent_version: Mapped[str] = mapped_column(String(16))
    instancia_id: Mapped[int] = mapped_column(ForeignKey("instancias.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Opposition (Ley 29733): no broadcasts or reminders, whatever `active` says.
    messages_opt_out: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    instancia: Mapped[Instancia] = relationship(lazy="joined")


class BotState(Base):
    """python-telegram-bot's persisted state (conversations, user_data) as JSON rows."""

    __tablename__ = "bot_state"

    kind: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    data: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class UnansweredQuestion(Base):
    """A question the bot could not answer, normalised, with no user id (for staff reports)."""

    __tablename__ = "unanswered_questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text_norm: Mapped[str] = mapped_column(String(300), unique=True)
    count: Mapped[int] = mapped_column(Integer, default=1)
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Proposed to the knowledge base (bot/proposal_actions.py): out of the open list while the
    # proposal waits, resolved when it is approved, back in the list if asked again after that.
    proposal_id: Mapped[int | None] = mapped_column(
        ForeignKey("kb_proposals.id", ondelete="SET NULL"), index=True
    )
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AnswerFeedback(Base):
    """A 👍 or 👎 on an answer; anonymous."""

    __tablename__ = "answer_feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[str] = mapped_column(String(80), index=True)
    useful: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # What was wrong, chosen after a 👎 (bot/storage/questions.py REASONS); None until then.
    reason: Mapped[str | None] = mapped_column(String(20))


class CrisisEvent(Base):
    """That a crisis reply was given, and when: never who, never the message."""

    __tablename__ = "crisis_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Report(Base):
    """One officer's status self-report of their instancia for a period (e.g. 2026-S2).

    Drafts are saved answer by answer. Several sent reports of one instancia and period may
    exist: the latest sent one is current, the earlier ones are its history.
    """

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instancia_id: Mapped[int] = mapped_column(ForeignKey("instancias.id"), index=True)
    period: Mapped[str] = mapped_column(String(8), index=True)
    officer_id: Mapped[int | None] = mapped_column(
        ForeignKey("officers.id", ondelete="SET NULL"), index=True
    )
    survey_version: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), default="draft")
    cursor: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    instancia: Mapped[Instancia] = relationship(lazy="joined")
    answers: Mapped[list[ReportAnswer]] = relationship(
        back_populates="report", cascade="all, delete-orphan", lazy="selectin"
    )


class ReportAnswer(Base):
    """One answer as typed value (JSON), so a later survey version can still read it."""

    __tablename__ = "report_answers"
    __table_args__ = (UniqueConstraint("report_id", "question_id", name="uq_answer_question"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(Text)
    answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    report: Mapped[Report] = relationship(back_populates="answers")


class ReportDocument(Base):
    """A document attached to a report: Telegram's file id plus the downloaded copy."""

    __tablename__ = "report_documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(64))
    file_id: Mapped[str] = mapped_column(String(255))
    file_unique_id: Mapped[str] = mapped_column(String(128))
    file_name: Mapped[str] = mapped_column(String(255))
    file_size: Mapped[int] = mapped_column(BigInteger)
    mime_type: Mapped[str] = mapped_column(String(100))
    path: Mapped[str | None] = mapped_column(String(500))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Handoff(Base):
    """A consulta an officer sent to the staff group (/especialista).

    Holds the officer's own words, so it is deleted with the officer (Ley 29733). Numbers are
    never reused (sqlite_autoincrement), since staff refer to consultas by number.
    """

    __tablename__ = "handoffs"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    officer_id: Mapped[int] = mapped_column(
        ForeignKey("officers.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    officer: Mapped[Officer] = relationship(lazy="joined")


class HandoffMessage(Base):
    """One message of a hand-off thread, and where it lives in the staff group and the officer's
    chat, so that a reply to it in either place finds its thread."""

    __tablename__ = "handoff_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    handoff_id: Mapped[int] = mapped_column(
        ForeignKey("handoffs.id", ondelete="CASCADE"), index=True
    )
    direction: Mapped[str] = mapped_column(String(3))  # "in": officer → staff; "out": back
    text: Mapped[str] = mapped_column(Text)
    # Message ids are per chat: the group's id is kept beside each one.
    group_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    group_message_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    officer_message_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class StaffMember(Base):
    """MIMP staff added in the bot by an admin (admins themselves come from the configuration)."""

    __tablename__ = "staff_members"

    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(120))
    added_by: Mapped[int] = mapped_column(BigInteger)
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuditEntry(Base):
    """Who did what, when: every staff action (Telegram ids, never message texts)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actor_id: Mapped[int] = mapped_column(BigInteger, index=True)
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(String(500), default="")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class HandledStep(Base):
    """That one step of one Telegram update was carried out, written in the step's own
    transaction: a replayed update (database busy, 5xx, restart) finds it and does nothing twice.
    Old rows are pruned; Telegram never replays an update days later."""

    __tablename__ = "handled_steps"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    step: Mapped[str] = mapped_column(String(40), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class FetchedUpdate(Base):
    """An update taken from Telegram and not yet handled to the end, kept before the next
    getUpdates acknowledges it: after a crash the bot handles it from here (bot/inbox.py)."""

    __tablename__ = "fetched_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    payload: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
