"""Review, assistance and priority benchmark: 2,100 instancias (every place), officers and a
year of reports (demo data: this period and the last), half the current reports reviewed,
3,000 assistance actions. Prints each core call behind the Revisión, Asistencia técnica and
Prioridad pages (median and p95, ms). Target: each under 300 ms on this machine.

    .venv/bin/python benchmarks/review.py [--officers 10000] [--runs 20]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot import assistance_actions, review_actions  # noqa: E402
from bot.config import Settings, TelegramSettings  # noqa: E402
from bot.services import build_services  # noqa: E402
from bot.storage.assistance import Filters  # noqa: E402
from bot.storage.models import Place  # noqa: E402
from bot.storage.models_review import AssistanceAction  # noqa: E402
from bot.storage.reviews import current_in_period  # noqa: E402
from standin import demo_data  # noqa: E402

STAFF = 9001


def timed(fn, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--officers", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            telegram=TelegramSettings(token="1:x"), database_url=f"sqlite:///{tmp}/b.sqlite3",
            admins=frozenset({STAFF}), knowledge_dir=ROOT / "knowledge",
            files_dir=Path(tmp) / "docs", source="<benchmark>",
        )  # fmt: skip
        s = build_services(settings)
        t0 = time.perf_counter()
        seeded = demo_data.seed(s, instancias=2_100, officers=args.officers, documents=False,
                                sent_share=0.6, previous_share=0.5)  # fmt: skip
        rng = random.Random(288)
        with s.db.session() as session:
            current = current_in_period(session, s.period())
            places = list(session.scalars(select(Place.id)))
        for r in current[: len(current) // 2]:
            review_actions.review(s, STAFF, r.report_id, rng.choice(["validado", "observado"]),
                                  "Revise la fecha de instalación")  # fmt: skip
        today = s.today()
        with s.db.session() as session:
            session.execute(insert(AssistanceAction), [
                {"place_id": rng.choice(places), "scope": rng.choice(["instancia", "gobierno"]),
                 "day": today - timedelta(days=rng.randrange(0, 700)),
                 "modality": rng.choice(assistance_actions.MODALITIES),
                 "topic": "Plan de trabajo", "participants": "Gerencia de Desarrollo Social",
                 "next_step": "Enviar modelo", "author_id": STAFF, "created_at": s.now()}
                for _ in range(3_000)
            ])  # fmt: skip
        print(f"seeded in {time.perf_counter() - t0:.0f} s: {len(places)} places, "
              f"{seeded.officers} officers, {seeded.sent} sent reports, "
              f"{len(current)} current this period, {len(current) // 2} reviewed, "
              "3000 assistance actions")
        period = s.period()
        some = current[len(current) // 4].instancia_id
        calls = {
            "Revisión: queue (first 50)": lambda: review_actions.queue(s, period, 0, 50),
            "Revisión: panel of one instancia": lambda: review_actions.panel(s, some, period),
            "Instancias filter: review_states": lambda: review_actions.review_states(s, period),
            "Asistencia: list (201 rows)": lambda: assistance_actions.listing(s, Filters(), 201),
            "Asistencia: list, one department": lambda: assistance_actions.listing(
                s, Filters(departamento="Cusco"), 201),
            "Asistencia: export XLSX (all)": lambda: assistance_actions.export(
                s, STAFF, Filters(), "xlsx"),
            "Prioridad: all 2,100 ranked": lambda: assistance_actions.priority_list(s),
            "Prioridad: one department": lambda: assistance_actions.priority_list(s, "Puno"),
        }
        print(f"{'call':40} {'median ms':>10} {'p95 ms':>8}")
        for name, fn in calls.items():
            median, p95 = timed(fn, args.runs)
            print(f"{name:40} {median:10.1f} {p95:8.1f}")
        s.db.dispose()


if __name__ == "__main__":
    main()
