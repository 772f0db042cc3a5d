"""SIGKILL of the real bot process in the middle of a report and of a broadcast: after a restart
no answer is lost, and every officer gets the broadcast exactly once (at most one twice: the
message in flight at the kill)."""

import asyncio
import json
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime

from sqlalchemy import create_engine, select, text

from bot.places import PlaceIndex
from bot.storage.db import Database
from bot.storage.models import Instancia, Officer, Place
from bot.storage.officers import sync_places
from tests.e2e.harness import ROOT, STAFF_ID, TOKEN, closed_before, expect, register_officer
from tests.e2e.test_broadcast import MESSAGE, broadcast_to_everyone

UID = 8001


class BotProcess:
    """`python -m bot run` against the stand-in, as an operator would start it."""

    def __init__(self, api, db_url: str, tmp_path) -> None:
        self.config = tmp_path / "config.yaml"
        closing = json.dumps({p: d.isoformat() for p, d in closed_before().items()})
        self.config.write_text(
            f"telegram:\n  token: '{TOKEN}'\n  api_base_url: '{api.base_url}'\n"
            f"database:\n  url: '{db_url}'\n"
            f"reports:\n  files_dir: '{tmp_path / 'documentos'}'\n"
            # The semester before closed: /reporte opens the current one on any date.
            f"  closing_dates: {closing}\n"
            f"staff:\n  admins: [{STAFF_ID}]\n"
            "logging:\n  level: WARNING\n",
            encoding="utf-8",
        )
        self.log = tmp_path / "bot.log"  # a pipe nobody reads would block the bot once full
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "bot", "run", "--config", str(self.config)],
                cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                stdout=subprocess.DEVNULL, stderr=log,
            )

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    async def stop(self) -> None:
        """SIGTERM, waited for without blocking the event loop: the stand-in runs on it, and the
        bot's last getUpdates (confirming what it handled) needs an answer before it exits."""
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                await asyncio.wait_for(_until(lambda: self.proc.poll() is not None), 20)
            except TimeoutError:
                self.proc.kill()
                self.proc.wait()


def answers_in_db(db_url: str) -> dict[str, str]:
    engine = create_engine(db_url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT question_id, value FROM report_answers")).all()
    engine.dispose()
    return dict(rows)


async def test_sigkill_mid_report_loses_no_answer(api, db_url, tmp_path):
    bot = BotProcess(api, db_url, tmp_path)
    bot.start()
    try:
        await register_officer(api, UID, "Ana Torres", "Distrital", "ate", "Ate")
        await api.send_command(UID, "/reporte")
        await expect(api, UID, "Pregunta 1 de")
        await api.press_button(UID, "Sí")
        await expect(api, UID, "Pregunta 2 de")
        # Slow Telegram down, answer, and kill the bot while it is sending the next question.
        api.delay("sendMessage", 2.0)
        await api.send_text(UID, "OM 012-2024-MDA")
        await asyncio.wait_for(_until(lambda: "ordenanza_numero" in answers_in_db(db_url)), 30)
        bot.kill()
        api.clear_faults()
        assert answers_in_db(db_url)["ordenanza_numero"] == '"OM 012-2024-MDA"'

        bot.start()
        await api.send_command(UID, "/reporte")
        await expect(api, UID, "Seguimos donde se quedó", timeout=60)
        resumed = await expect(api, UID, "Pregunta 3 de")
        assert "fecha" in resumed.text
        await api.send_text(UID, "15/03/2024")
        await expect(api, UID, "Pregunta 4 de")
        assert set(answers_in_db(db_url)) == {"creada", "ordenanza_numero", "ordenanza_fecha"}
    finally:
        await bot.stop()


async def _until(check) -> None:
    while not check():
        await asyncio.sleep(0.05)


def add_officers(db_url: str, uids: list[int]) -> None:
    db = Database(db_url)
    db.upgrade()
    sync_places(db, PlaceIndex.load(ROOT / "knowledge" / "ubigeo.csv"))
    now = datetime.now(UTC)
    with db.session() as s:
        places = s.scalars(select(Place).where(Place.level == "distrital").limit(len(uids)))
        for uid, place in zip(uids, places, strict=True):
            s.add(Officer(
                telegram_id=uid, name=f"Oficial {uid}", cargo="Subgerente", institution="Muni",
                consent_at=now, consent_version="2026-11", instancia=Instancia(place=place),
            ))
    db.dispose()


async def test_sigkill_mid_broadcast_resumes_without_losing_anyone(api, db_url, tmp_path):
    officers = list(range(8100, 8140))
    for uid in officers:
        api.user(uid, first_name=f"Oficial {uid}")
    add_officers(db_url, officers)
    bot = BotProcess(api, db_url, tmp_path)
    bot.start()
    try:
        total = await broadcast_to_everyone(
            api, before_send=lambda: api.delay("sendMessage", 0.15)
        )
        assert total == len(officers)

        def reached() -> int:
            return sum(1 for uid in officers if copies(api, uid))

        await asyncio.wait_for(_until(lambda: reached() >= 10), 60)
        bot.kill()
        api.clear_faults()
        assert reached() < len(officers), "the broadcast finished before the kill"

        bot.start()
        await asyncio.wait_for(_until(lambda: reached() == len(officers)), 120)
        await expect(api, STAFF_ID, "terminada", timeout=60)
        counts = [copies(api, uid) for uid in officers]
        assert all(n >= 1 for n in counts)
        assert sum(n - 1 for n in counts) <= 1, counts  # at most the one in flight
    finally:
        await bot.stop()


def copies(api, uid: int) -> int:
    return sum(1 for m in api.messages(uid) if MESSAGE in (m.plain_text or m.text or ""))


QUESTIONS = 5


def answered(api, uid: int) -> int:
    return sum(1 for m in api.messages(uid) if "Fuente" in (m.text or ""))


async def test_sigkill_loses_no_update_already_fetched(api, db_url, tmp_path):
    """Updates the bot took with getUpdates, and Telegram forgot at the next getUpdates, but
    that were still waiting their turn behind a slow reply: after a SIGKILL and a restart each
    one is answered (at most one twice: the reply in flight at the kill)."""
    uid = 8002
    bot = BotProcess(api, db_url, tmp_path)
    bot.start()
    try:
        await api.send_command(uid, "/start")
        await expect(api, uid, "Concerta", timeout=60)
        api.delay("sendMessage", 1.5)
        for _ in range(QUESTIONS):
            await api.send_text(uid, "que es el ruva")
        await api.wait_until_consumed(timeout=30)  # Telegram holds none of them any more
        assert answered(api, uid) < QUESTIONS - 1
        bot.kill()
        api.clear_faults()
        assert answered(api, uid) < QUESTIONS, "all answered before the kill"

        bot.start()
        await asyncio.wait_for(_until(lambda: answered(api, uid) >= QUESTIONS), 60)
        await asyncio.sleep(1.0)  # a duplicate would arrive about now
        assert answered(api, uid) <= QUESTIONS + 1
    finally:
        await bot.stop()
