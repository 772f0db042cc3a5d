"""Command line: `python -m bot …`. Errors an operator can fix print one line and exit 2."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from bot.config import ConfigError, Settings, load_settings
from bot.messages import MessagesError
from bot.places import PlaceDataError

EXIT_CONFIG = 2


def _settings(args) -> Settings:
    return load_settings(args.config)


def cmd_run(args) -> int:
    from telegram import Update

    from bot.app import build_application
    from bot.services import build_services

    settings = _settings(args)
    setup_logging(settings.log_level)
    app = build_application(build_services(settings))
    app.run_polling(allowed_updates=Update.ALL_TYPES)
    return 0


def cmd_demo(args) -> int:
    from bot.demo import run_demo

    setup_logging("WARNING")
    return asyncio.run(run_demo(Path(args.db), with_terminal=not args.no_terminal))


def cmd_db_upgrade(args) -> int:
    from bot.storage.db import Database

    settings = _settings(args)
    db = Database(settings.database_url)
    db.upgrade()
    db.dispose()
    print("database is up to date")
    return 0


def setup_logging(level: str) -> None:
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    # httpx logs every request URL, and URLs carry the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Concerta: Telegram assistant for the instancias de concertación (Ley 30364).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def with_config(p):
        p.add_argument(
            "--config", default="config.yaml", help="YAML settings (default: %(default)s)"
        )
        return p

    run = with_config(sub.add_parser("run", help="run the bot with long polling"))
    run.set_defaults(func=cmd_run)

    demo = sub.add_parser("demo", help="run locally with a Bot API stand-in and a terminal chat")
    demo.add_argument(
        "--db", default="data/demo.sqlite3", help="SQLite file (default: %(default)s)"
    )
    demo.add_argument("--no-terminal", action="store_true", help="serve only, no terminal chat")
    demo.set_defaults(func=cmd_demo)

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    up = with_config(db_sub.add_parser("upgrade", help="apply pending migrations"))
    up.set_defaults(func=cmd_db_upgrade)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except (MessagesError, PlaceDataError) as exc:
        print(f"data error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 130
