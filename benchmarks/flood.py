"""One chat floods the bot while others write: crisis reply latency and everyone else's.

With the stand-in answering every Bot API call in 100 ms, one chat sends 500 messages at once;
meanwhile someone else writes that they are in danger and ten officers ask a question each.
Targets: the crisis reply within 1 s whatever is queued; the others within 2x their idle
latency; the flooder told once to slow down and the excess dropped without work.

    python benchmarks/flood.py [--flood 500] [--latency 0.1] [--officers 10]
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

from standin.server import BotAPIStandIn  # noqa: E402
from tests.e2e.harness import TOKEN, BotRunner  # noqa: E402

SLOW = ("sendMessage", "editMessageText", "editMessageReplyMarkup", "answerCallbackQuery",
        "setMyCommands", "getMe")
QUESTION = "que es el ruva"
CRISIS = "ayuda por favor mi esposo me esta pegando"
FLOODER, IN_DANGER = 7000, 7001


async def first_reply(api: BotAPIStandIn, uid: int, start: float, before: int) -> float:
    while len(api.messages(uid)) <= before:
        if time.monotonic() - start > 300:
            return float("inf")
        await asyncio.sleep(0.005)
    return time.monotonic() - start


async def ask_all(api: BotAPIStandIn, officers: list[int]) -> list[float]:
    before = {uid: len(api.messages(uid)) for uid in officers}
    start = time.monotonic()
    for uid in officers:
        await api.send_text(uid, QUESTION)
    return list(await asyncio.gather(
        *(first_reply(api, uid, start, before[uid]) for uid in officers)
    ))


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--flood", type=int, default=500, help="messages from the one chat")
    parser.add_argument("--latency", type=float, default=0.1, help="seconds per Bot API call")
    parser.add_argument("--officers", type=int, default=10)
    args = parser.parse_args()
    officers = list(range(7100, 7100 + args.officers))
    with tempfile.TemporaryDirectory() as tmp:
        async with BotAPIStandIn(token=TOKEN) as api:
            runner = BotRunner(
                api, f"sqlite:///{Path(tmp) / 'flood.sqlite3'}", flood_limit=20, flood_window=10.0
            )
            await runner.start()
            try:
                for method in SLOW:
                    api.delay(method, args.latency)
                idle = await ask_all(api, officers)
                await asyncio.sleep(1.0)
                start = time.monotonic()
                for n in range(args.flood):
                    await api.send_text(FLOODER, f"{QUESTION} {n}")
                crisis_task = asyncio.create_task(first_reply(api, IN_DANGER, time.monotonic(), 0))
                await api.send_text(IN_DANGER, CRISIS)
                during = await ask_all(api, officers)
                crisis = await crisis_task
                await asyncio.sleep(2.0)
                flood_replies = len(api.messages(FLOODER))
                slow_down = sum("muchos mensajes" in m.text for m in api.messages(FLOODER))
                took = time.monotonic() - start
            finally:
                await runner.stop()
    idle_median, during_median = statistics.median(idle), statistics.median(during)
    print(f"flood: {args.flood} messages from one chat; Bot API latency "
          f"{args.latency * 1000:.0f} ms per call; {args.officers} other officers")
    print(f"crisis reply during the flood: {crisis:.2f} s (target: within 1 s)")
    print(f"others' first reply: idle median {idle_median:.2f} s, during the flood median "
          f"{during_median:.2f} s, max {max(during):.2f} s; ratio {during_median / idle_median:.2f}"
          " (target: at most 2)")
    print(f"flooder: {flood_replies} replies to {args.flood} messages, told to slow down "
          f"{slow_down} time(s); scenario took {took:.1f} s")


if __name__ == "__main__":
    asyncio.run(main())
