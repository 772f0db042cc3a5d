"""First-reply latency while one officer opens /reporte and 20 others write at the same moment
(each answers a question of their own report, so every one of them writes to the database),
with Telegram answering every request slowly (150 ms is a normal figure from Peru).

Before the core owned its transactions, a handler held SQLite's write lock across the network
round trip: this scenario gave a median first reply of 50 s and nine «demora momentánea»
notices. Target: every first reply within 3 s, no such notice.

    python benchmarks/concurrency.py [--officers 20] [--latency 0.15] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot import registration_actions, report_actions  # noqa: E402
from bot.registration import Draft  # noqa: E402
from standin.server import BotAPIStandIn  # noqa: E402
from tests.e2e.harness import TOKEN, BotRunner  # noqa: E402

SLOW = ("sendMessage", "editMessageText", "editMessageReplyMarkup", "answerCallbackQuery",
        "sendDocument", "sendPhoto", "setMyCommands", "getMe")
# What the writers type in each round: the answers to the first questions of the report.
ANSWERS = ("sí", "Ordenanza Municipal N° 012-2024-MDA", "15/03/2024", "sí", "2/5/2024")
BUSY_NOTICE = "demora"


async def run_round(
    api: BotAPIStandIn, reporter: int, writers: list[int], answer: str
) -> list[float]:
    """The reporter's first reply comes first in the list."""
    officers = [reporter, *writers]
    before = {uid: len(api.messages(uid)) for uid in officers}
    start = time.monotonic()
    await api.send_command(reporter, "/reporte")
    for uid in writers:
        await api.send_text(uid, answer)

    async def first_reply(uid: int) -> float:
        while len(api.messages(uid)) <= before[uid]:
            if time.monotonic() - start > 120:
                return float("inf")
            await asyncio.sleep(0.005)
        return time.monotonic() - start

    latencies = await asyncio.gather(*(first_reply(uid) for uid in officers))
    await asyncio.sleep(2.0)  # let the rest of each answer go out before the next round
    return list(latencies)


def time_core_actions(services, first_uid: int, n: int = 200) -> tuple[float, float]:
    """How long the event loop is held by one synchronous core call: the figure that decides
    whether asyncio database drivers would be worth their thread hops."""
    draft = Draft(name="Luis Quispe", cargo="Gerente", level="distrital", place_code="150101",
                  institution="Municipalidad de Lima", phone_done=True, consent=True)
    took = []
    for i in range(n):
        uid = first_uid + i
        registration_actions.confirm(services, uid, draft)
        report_actions.start(services, uid, update_id=None)
        t0 = time.perf_counter()
        report_actions.typed(services, uid, "sí", update_id=10**8 + i)
        took.append((time.perf_counter() - t0) * 1000)
    return statistics.median(took), max(took)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--officers", type=int, default=20, help="officers writing at once")
    parser.add_argument("--latency", type=float, default=0.15, help="seconds per Bot API call")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        async with BotAPIStandIn(token=TOKEN) as api:
            runner = BotRunner(api, f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
            await runner.start()
            try:
                writers = list(range(5001, 5001 + args.officers))
                reporters = list(range(6001, 6001 + args.rounds))
                officers = writers + reporters
                draft = Draft(name="Ana Torres", cargo="Subgerente", level="distrital",
                              place_code="150103", institution="Municipalidad Distrital de Ate",
                              phone_done=True, consent=True)
                for uid in officers:
                    registration_actions.confirm(runner.services, uid, draft)
                for uid in writers:  # each writer has a report open at its first question
                    await api.send_command(uid, "/reporte")
                    await api.wait_for_messages(uid, count=2, timeout=30)
                for method in SLOW:
                    api.delay(method, args.latency)
                all_latencies: list[float] = []
                for n in range(args.rounds):
                    answer = ANSWERS[n % len(ANSWERS)]
                    latencies = await run_round(api, reporters[n], writers, answer)
                    all_latencies += latencies
                    print(f"round {n + 1}: median {statistics.median(latencies):.2f} s, "
                          f"max {max(latencies):.2f} s, /reporte {latencies[0]:.2f} s")
                notices = sum(
                    BUSY_NOTICE in m.text for uid in officers for m in api.messages(uid)
                )
                core_ms = time_core_actions(runner.services, reporters[-1] + 1)
            finally:
                await runner.stop()
    print(f"officers writing at once: {args.officers} + 1 opening /reporte; Bot API latency "
          f"{args.latency * 1000:.0f} ms per call")
    print(f"first reply: median {statistics.median(all_latencies):.2f} s, "
          f"p95 {sorted(all_latencies)[int(len(all_latencies) * 0.95) - 1]:.2f} s, "
          f"max {max(all_latencies):.2f} s (target: all within 3 s)")
    print(f"'demora momentánea' notices: {notices} (target: 0)")
    print(f"one core action (a report answer, its own SQLite transaction, run on the event "
          f"loop): median {core_ms[0]:.2f} ms, max {core_ms[1]:.2f} ms")


if __name__ == "__main__":
    asyncio.run(main())
