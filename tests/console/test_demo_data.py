"""The demo's seeded reports are answered as an officer would: sessions one by one too."""

from sqlalchemy import select

from bot.storage.models import Report
from bot.storage.reports import SENT, answers_of


def test_seeded_reports_list_their_sessions(console):
    with console.services.db.session() as session:
        sent = [answers_of(r) for r in session.scalars(select(Report).where(Report.status == SENT))]
    with_sessions = [a for a in sent if (a.get("sesiones_semestre") or 0) > 0]
    assert with_sessions
    for answers in with_sessions:
        listed = answers.get("sesiones")
        assert isinstance(listed, list)
        assert len(listed) == min(answers["sesiones_semestre"], 12)
        assert all(item.get("sesion_fecha") for item in listed)
