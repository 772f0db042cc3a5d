"""Updates per second through long polling, end to end: Concerta against a bare echo bot.

Both bots run as separate processes against the local Bot API stand-in, one after the other,
and answer the same burst of private messages from many users. The ratio between them is the
figure that travels between machines; questions/second and the bot's memory (RSS, with the full
knowledge base and 10,000 registered officers) are the absolute ones.

    python benchmarks/throughput.py [--updates 1500] [--users 100] [--officers 10000]

Targets: at least 100 questions/second, at least half the echo bot's rate, RSS under 150 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from standin.server import BotAPIStandIn  # noqa: E402

TOKEN = "123456:BENCH-TOKEN"
PROFILE = os.environ.get("CONCERTA_PROFILE", "").split()  # e.g. "-m cProfile -o bot.prof"
QUESTIONS = [
    "que es la ley 30364",
    "quienes integran la instancia distrital",
    "q es el ruva",
    "como se crea la instancia de concertacion",
    "que es la linea 100",
    "cada cuanto sesiona la instancia",
    "que funciones tiene la instancia provincial",
    "que es el protocolo base de actuacion conjunta",
]


def echo_main(base_url: str) -> None:
    """The reference: python-telegram-bot with one handler that echoes the text."""
    from telegram import Update
    from telegram.ext import ApplicationBuilder, MessageHandler, filters

    async def echo(update: Update, context) -> None:
        await context.bot.send_message(update.effective_chat.id, update.message.text)

    app = ApplicationBuilder().token(TOKEN).base_url(base_url).build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.run_polling(poll_interval=0.0, timeout=10)


def prepare_database(path: Path, officers: int) -> None:
    """A migrated database with the places and `officers` registered officers."""
    from sqlalchemy import insert, select

    from bot.places import PlaceIndex
    from bot.storage.db import Database
    from bot.storage.models import Instancia, Officer, Place
    from bot.storage.officers import sync_places

    db = Database(f"sqlite:///{path}")
    db.upgrade()
    sync_places(db, PlaceIndex.load(ROOT / "knowledge" / "ubigeo.csv"))
    now = datetime.now(UTC)
    with db.session() as s:
        places = list(s.scalars(select(Place.id).where(Place.level == "distrital")))
        s.execute(insert(Instancia), [{"place_id": p, "created_at": now} for p in places])
        instancias = list(s.scalars(select(Instancia.id)))
        s.execute(insert(Officer), [
            {
                "telegram_id": 10_000_000 + i, "name": f"Officer {i}", "cargo": "Gerente",
                "institution": "Municipalidad", "phone": None, "consent_at": now,
                "consent_version": "2026-11", "instancia_id": instancias[i % len(instancias)],
                "active": True, "created_at": now, "updated_at": now,
            }
            for i in range(officers)
        ])
    db.dispose()


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def burst(api: BotAPIStandIn, updates: int, users: int, texts: list[str]) -> float:
    """Send `updates` messages spread over `users`; seconds until every one got its reply."""
    uids = [700_000 + u for u in range(users)]
    for uid in uids:
        api.drain(uid)
    per_user = {uid: 0 for uid in uids}
    start = time.perf_counter()
    for n in range(updates):
        uid = uids[n % users]
        per_user[uid] += 1
        await api.send_text(uid, texts[n % len(texts)])
    await asyncio.gather(*(
        api.wait_for_messages(uid, count=k, timeout=300) for uid, k in per_user.items()
    ))
    return time.perf_counter() - start


async def run_bot(cmd: list[str], env: dict, api: BotAPIStandIn, args, texts) -> tuple:
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    try:
        await api.send_text(1, texts[0])  # warm up: the bot is up once it answers
        await api.wait_for_messages(1, count=1, timeout=120)
        await burst(api, min(200, args.updates), args.users, texts)  # warm caches
        seconds = await burst(api, args.updates, args.users, texts)
        return args.updates / seconds, rss_mb(proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()


async def main(args) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    async with BotAPIStandIn(token=TOKEN) as api:
        echo_rate, echo_rss = await run_bot(
            [sys.executable, __file__, "--echo", api.base_url], env, api, args, ["hola"]
        )
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite3"
        t0 = time.perf_counter()
        prepare_database(db, args.officers)
        prep = time.perf_counter() - t0
        async with BotAPIStandIn(token=TOKEN) as api:
            config = Path(tmp) / "config.yaml"
            config.write_text(
                f"telegram:\n  token: '{TOKEN}'\n  api_base_url: '{api.base_url}'\n"
                f"database:\n  url: 'sqlite:///{db}'\nlogging:\n  level: WARNING\n",
                encoding="utf-8",
            )
            ours_rate, ours_rss = await run_bot(
                [sys.executable, *PROFILE, "-m", "bot", "run", "--config", str(config)],
                env, api, args, QUESTIONS,
            )
    print(f"updates per run: {args.updates} from {args.users} users (after a warm-up)")
    print(f"echo bot (bare python-telegram-bot): {echo_rate:7.1f} updates/s  RSS {echo_rss:.0f} MB")
    print(f"concerta (questions answered):       {ours_rate:7.1f} updates/s  RSS {ours_rss:.0f} MB")
    print(f"ratio concerta/echo:                 {ours_rate / echo_rate:7.2f}   (aim >= 0.5)")
    print(f"officers in the database:            {args.officers}  (prepared in {prep:.1f} s)")
    print(f"targets: >= 100 questions/s -> {'ok' if ours_rate >= 100 else 'MISSED'}; "
          f"RSS < 150 MB -> {'ok' if ours_rss < 150 else 'MISSED'}; "
          f"ratio >= 0.5 -> {'ok' if ours_rate / echo_rate >= 0.5 else 'MISSED'}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--echo":
        echo_main(sys.argv[2])
        raise SystemExit(0)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=1500)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--officers", type=int, default=10_000)
    asyncio.run(main(parser.parse_args()))
