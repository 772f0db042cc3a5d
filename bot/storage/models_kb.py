"""Proposals to the knowledge base made from «Preguntas sin respuesta»: reviewed, then written.

They hold what staff wrote (a new way to ask, or a whole entry), never who asked the question:
the unanswered questions they come from are already anonymous and without personal data.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import Base, utcnow


class KbProposal(Base):
    """A new question for an existing entry ("question") or a new entry ("entry").

    pending → approved (written into knowledge/faq/ and reloaded) or rejected. Who proposed and
    who decided are Telegram ids of staff, as in the audit log. Numbers are never reused, since
    staff refer to proposals by number.
    """

    __tablename__ = "kb_proposals"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    entry_id: Mapped[str] = mapped_column(String(80))  # the entry asked for, or the new one
    question: Mapped[str] = mapped_column(String(300))  # "question": the way to ask added
    category: Mapped[str | None] = mapped_column(String(80))  # "entry" only, from here on
    titulo: Mapped[str | None] = mapped_column(String(200))
    preguntas: Mapped[str | None] = mapped_column(Text)  # JSON list of strings
    respuesta: Mapped[str | None] = mapped_column(Text)
    fuente_norma: Mapped[str | None] = mapped_column(String(200))
    fuente_articulo: Mapped[str | None] = mapped_column(String(100))
    fuente_numeracion: Mapped[str | None] = mapped_column(String(12))
    fuente_url: Mapped[str | None] = mapped_column(String(500))
    proposed_by: Mapped[int] = mapped_column(BigInteger)
    proposed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_by: Mapped[int | None] = mapped_column(BigInteger)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Why the last approval was refused (the kb check's problems), shown beside the proposal.
    problems: Mapped[str | None] = mapped_column(Text)
