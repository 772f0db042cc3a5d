"""Broadcast benchmark: 2,000 officers, the stand-in enforcing Telegram's 30 messages/second.

Prints the messages/second the lane achieved, duplicates and lost deliveries, and officers'
question-answer latency (median, p99) while the broadcast runs, beside the same latency with no
broadcast. Targets: ≥ 22 msg/s, 0 lost, 0 duplicates, latency during ≤ 2× latency without.

    .venv/bin/python benchmarks/broadcast.py [--officers 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.audience import Audience  # noqa: E402
from bot.audience import select as choose  # noqa: E402
from bot.storage import broadcasts as store  # noqa: E402
from bot.storage.models import Instancia, Officer, Place  # noqa: E402
from handlers.common import LANE_KEY  # noqa: E402
from standin.server import BotAPIStandIn  # noqa: E402
from tests.e2e.harness import TOKEN, BotRunner  # noqa: E402

TEXT = "📣 <b>Recordatorio</b>: el reporte del semestre vence el 31/12/2026."
QUESTION = "que es el ruva"
ASKERS = (990001, 990002, 990003)  # people asking questions (not broadcast recipients)
PAUSE = 1.05  # seconds between an answer and the next question: 1 message/second per chat


def add_officers(runner: BotRunner, n: int) -> list[int]:
    """n officers of n instancias (districts, then provinces: Peru has 1,891 districts),
    inserted in bulk into the SQLite file."""
    now = datetime.now(UTC)
    db = runner.services.db
    with db.session() as s:
        place_ids = s.scalars(
            select(Place.id).order_by(Place.level == "regional", Place.level, Place.id).limit(n)
        ).all()
        s.execute(insert(Instancia), [{"place_id": p, "created_at": now} for p in place_ids])
        instancias = s.scalars(select(Instancia.id).order_by(Instancia.id)).all()
        uids = [100_000 + i for i in range(len(instancias))]
        s.execute(insert(Officer), [
            {"telegram_id": uid, "name": f"Oficial {uid}", "cargo": "Subgerente",
             "institution": "Municipalidad", "consent_at": now, "consent_version": "1",
             "instancia_id": inst, "active": True, "created_at": now, "updated_at": now}
            for uid, inst in zip(uids, instancias, strict=True)
        ])  # fmt: skip
    for uid in uids:
        runner.api.user(uid, first_name="Oficial")
    return uids


async def ask(api: BotAPIStandIn, uid: int) -> float:
    """Seconds from a question to the first message of its answer."""
    api.drain(uid)
    start = time.perf_counter()
    await api.send_text(uid, QUESTION)
    await api.wait_for_messages(uid, 1, timeout=30)
    return time.perf_counter() - start


async def asker(api: BotAPIStandIn, uid: int, until, out: list[float]) -> None:
    while not until():
        out.append(await ask(api, uid))
        await api.settle(uid, quiet=0.05, timeout=2)  # the rest of the answer, if several
        await asyncio.sleep(PAUSE)


def summary(latencies: list[float]) -> str:
    ms = sorted(x * 1000 for x in latencies)
    p99 = ms[min(len(ms) - 1, round(0.99 * (len(ms) - 1)))]
    return f"median {statistics.median(ms):7.1f} ms   p99 {p99:7.1f} ms   ({len(ms)} questions)"


async def main(n_officers: int, baseline_seconds: float) -> int:
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="concerta-bench-") as tmp:
        async with BotAPIStandIn(token=TOKEN) as api:
            runner = BotRunner(api, f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
            await runner.start()
            try:
                uids = add_officers(runner, n_officers)
                api.rate_limit(30, per_chat_per_second=1)
                for uid in ASKERS:  # warm-up: the first answer loads caches
                    await ask(api, uid)
                await asyncio.sleep(PAUSE)

                quiet: list[float] = []
                stop_at = time.perf_counter() + baseline_seconds
                await asyncio.gather(*(
                    asker(api, uid, lambda: time.perf_counter() > stop_at, quiet)
                    for uid in ASKERS
                ))  # fmt: skip

                services = runner.services
                with services.db.session() as s:
                    rows = choose(store.audience_rows(s, services.period()), Audience())
                    bid = store.create_broadcast(
                        s, author_id=1, text=TEXT, audience_json="{}", recipients=rows,
                        now=services.now(),
                    ).id  # fmt: skip
                calls_before = len(api.calls)
                started = time.perf_counter()
                runner.app.bot_data[LANE_KEY].wake()

                def finished() -> bool:
                    with services.db.session() as s:
                        return store.status_of(s, bid) == store.DONE

                busy: list[float] = []
                askers = asyncio.gather(*(asker(api, uid, finished, busy) for uid in ASKERS))
                while not finished():
                    await asyncio.sleep(0.2)
                elapsed = time.perf_counter() - started
                await askers

                to_officers = set(uids)
                delivered = [
                    c for c in api.calls[calls_before:]
                    if c.method.lower() == "sendmessage" and c.ok
                    and int(c.params.get("chat_id", 0)) in to_officers
                ]  # fmt: skip
                times = sorted(c.time for c in delivered)
                rate = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0
                per_officer = [
                    sum(m.text == TEXT for m in api.messages(uid))
                    for uid in uids
                ]
                lost = sum(1 for n in per_officer if n == 0)
                duplicates = sum(n - 1 for n in per_officer if n > 1)
                too_many = sum(1 for c in api.calls[calls_before:] if c.status == 429)
                with services.db.session() as s:
                    counts = store.counts(s, bid)
            finally:
                await runner.stop()

    ratio = statistics.median(busy) / statistics.median(quiet)
    print(f"officers                 {len(uids)}")
    print(f"broadcast                {len(delivered)} delivered in {elapsed:.1f} s "
          f"(rate setting {runner.settings.broadcast_rate:g}/s)")
    print(f"messages/second          {rate:.1f}   (target ≥ 22)")
    print(f"lost                     {lost}   (target 0)")
    print(f"duplicates               {duplicates}   (target 0)")
    print(f"429 answers              {too_many}")
    print(f"delivery records         sent {counts.sent} · failed {counts.failed} · "
          f"left {counts.left} · pending {counts.pending}")
    print(f"latency, no broadcast    {summary(quiet)}")
    print(f"latency, broadcasting    {summary(busy)}")
    print(f"median ratio             {ratio:.2f}×   (target ≤ 2×)")
    ok = rate >= 22 and lost == 0 and duplicates == 0 and ratio <= 2
    print("result                   " + ("OK" if ok else "BELOW TARGET"))
    return 0 if ok else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=2000)
    parser.add_argument("--baseline-seconds", type=float, default=10.0)
    args = parser.parse_args()
    sys.exit(asyncio.run(main(args.officers, args.baseline_seconds)))
