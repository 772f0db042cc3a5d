"""Plain-message check benchmark: what every officer's free text now costs before it is taken
as a question, the look-up of a consulta that waits for them (bot/handoff_actions.py
waiting_consulta, run by the handler's filter and again by the handler).

Prints milliseconds per check on SQLite with N officers, each with a consulta a specialist
answered, for an officer who has one and for someone not registered. Target: well under the
matcher's own time per question (benchmarks/faq.py), i.e. below 1 ms.

    .venv/bin/python benchmarks/plain_message.py [--officers 2000] [--checks 2000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot import handoff_actions  # noqa: E402
from bot.config import Settings, TelegramSettings  # noqa: E402
from bot.handoff import OUT  # noqa: E402
from bot.places import PlaceIndex  # noqa: E402
from bot.registration import Draft  # noqa: E402
from bot.services import build_services  # noqa: E402
from bot.storage import handoffs as store  # noqa: E402
from bot.storage.db import Database  # noqa: E402
from bot.storage.officers import save_officer, sync_places  # noqa: E402

FIRST = 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=2000)
    parser.add_argument("--checks", type=int, default=2000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="concerta-bench-"))
    url = f"sqlite:///{folder}/bench.sqlite3"
    db = Database(url)
    db.upgrade()
    sync_places(db, PlaceIndex.load(ROOT / "knowledge" / "ubigeo.csv"))
    db.dispose()
    s = build_services(Settings(
        telegram=TelegramSettings(token="1:bench"), database_url=url, admins=frozenset({1}),
        knowledge_dir=ROOT / "knowledge", files_dir=folder, source="<benchmark>",
        staff_group_chat_id=-100,
    ))  # fmt: skip
    draft = Draft(name="Punto Focal", cargo="Gerente", level="distrital", place_code="150103",
                  institution="Municipalidad", phone_done=True, consent=True)  # fmt: skip
    with s.db.session() as session:
        for uid in range(FIRST, FIRST + args.officers):
            officer = save_officer(session, uid, draft, "v1", s.now())
            handoff, _ = store.open_handoff(session, officer, "consulta", None, s.now())
            store.add_message(session, handoff, OUT, "respuesta", s.now())
    for label, uid in (("officer with a waiting consulta", FIRST + args.officers // 2),
                       ("someone not registered", 1)):  # fmt: skip
        start = time.perf_counter()
        for _ in range(args.checks):
            handoff_actions.waiting_consulta(s, uid)
        ms = (time.perf_counter() - start) / args.checks * 1000
        print(f"{label}: {ms:.3f} ms per check ({args.officers} officers, SQLite)")
    s.db.dispose()


if __name__ == "__main__":
    main()
