"""`python -m bot …`: the one module of bot/ that reaches the Telegram side and the stand-in.

The commands that talk to Telegram start here and live in handlers/app.py (run, webhook) and
standin/demo.py (demo); every other command is plain core and lives in bot/cli.py. The imports
are inside the functions so `kb check` or `ask` never load python-telegram-bot.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot import cli
from bot.logs import setup_logging


def run(args: argparse.Namespace) -> int:
    from handlers.app import run_polling

    return run_polling(cli.settings_for_a_bot(args))


def webhook(args: argparse.Namespace) -> int:
    from handlers.app import run_webhook

    return run_webhook(cli.settings_for_a_bot(args))


def demo(args: argparse.Namespace) -> int:
    try:
        from standin.demo import run_demo
    except ModuleNotFoundError as exc:
        if exc.name != "standin":
            raise
        # The stand-in is not installed with the bot: it lives in the repository.
        print("demo: run it from the repository's root folder (make demo)", file=sys.stderr)
        return cli.EXIT_CONFIG
    setup_logging("WARNING")
    return asyncio.run(
        run_demo(
            Path(args.db),
            with_terminal=not args.no_terminal,
            web_port=None if args.no_web else args.web_port,
            console_port=None if args.no_console else args.console_port,
        )
    )


if __name__ == "__main__":
    raise SystemExit(cli.main(telegram={"run": run, "webhook": webhook, "demo": demo}))
