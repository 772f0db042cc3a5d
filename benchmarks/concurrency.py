"""First-reply latency while one officer opens /reporte and others ask at the same moment,
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

from bot import enrolment  # noqa: E402
from bot.registration import Draft  # noqa: E402
from tests.e2e.harness import TOKEN, BotRunner  # noqa: E402

try:
    from standin.server import BotAPIStandIn
except ImportError:  # before the stand-in left the product package
    from bot.localapi.server import BotAPIStandIn

SLOW = ("sendMessage", "editMessageText", "editMessageReplyMarkup", "answerCallbackQuery",
        "sendDocument", "sendPhoto", "setMyCommands", "getMe")
QUESTION = "que es la instancia distrital de concertacion"
BUSY_NOTICE = "demora"


async def run_round(api: BotAPIStandIn, runner: BotRunner, officers: list[int]) -> list[float]:
    reporter, askers = officers[0], officers[1:]
    before = {uid: len(api.messages(uid)) for uid in officers}
    start = time.monotonic()
    await api.send_command(reporter, "/reporte")
    for uid in askers:
        await api.send_text(uid, QUESTION)

    async def first_reply(uid: int) -> float:
        while len(api.messages(uid)) <= before[uid]:
            if time.monotonic() - start > 120:
                return float("inf")
            await asyncio.sleep(0.005)
        return time.monotonic() - start

    latencies = await asyncio.gather(*(first_reply(uid) for uid in officers))
    await asyncio.sleep(1.5)  # let the rest of each answer go out before the next round
    await api.send_command(reporter, "/cancelar")
    await asyncio.sleep(0.5)
    return list(latencies)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--officers", type=int, default=20, help="officers asking at once")
    parser.add_argument("--latency", type=float, default=0.15, help="seconds per Bot API call")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        async with BotAPIStandIn(token=TOKEN) as api:
            runner = BotRunner(api, f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
            await runner.start()
            try:
                officers = list(range(5001, 5002 + args.officers))
                draft = Draft(name="Ana Torres", cargo="Subgerente", level="distrital",
                              place_code="150103", institution="Municipalidad Distrital de Ate",
                              phone_done=True, consent=True)
                for uid in officers:
                    enrolment.confirm(runner.services, uid, draft)
                for method in SLOW:
                    api.delay(method, args.latency)
                all_latencies: list[float] = []
                for n in range(args.rounds):
                    latencies = await run_round(api, runner, officers)
                    all_latencies += latencies
                    print(f"round {n + 1}: median {statistics.median(latencies):.2f} s, "
                          f"max {max(latencies):.2f} s, /reporte {latencies[0]:.2f} s")
                notices = sum(
                    BUSY_NOTICE in m.text for uid in officers for m in api.messages(uid)
                )
            finally:
                await runner.stop()
    print(f"officers at once: {args.officers} + 1 opening /reporte; Bot API latency "
          f"{args.latency * 1000:.0f} ms per call")
    print(f"first reply: median {statistics.median(all_latencies):.2f} s, "
          f"p95 {sorted(all_latencies)[int(len(all_latencies) * 0.95) - 1]:.2f} s, "
          f"max {max(all_latencies):.2f} s (target: all within 3 s)")
    print(f"'demora momentánea' notices: {notices} (target: 0)")


if __name__ == "__main__":
    asyncio.run(main())
