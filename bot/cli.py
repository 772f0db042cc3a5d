"""Command line: `python -m bot …`. Errors an operator can fix print one line and exit 2."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from bot.config import ConfigError, Settings, load_settings
from bot.knowledge import KnowledgeError
from bot.messages import MessagesError
from bot.places import PlaceDataError
from bot.survey import SurveyError

EXIT_CONFIG = 2
KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"


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


def cmd_kb_check(args) -> int:
    from bot.knowledge import check_knowledge

    directory = Path(args.dir)
    kb, problems = check_knowledge(directory)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {directory}", file=sys.stderr)
        return 1
    print(f"{directory}: {len(kb.entries)} entries in {len(kb.categories)} categories, all valid")
    return 0


def cmd_survey_check(args) -> int:
    from bot.knowledge import check_knowledge
    from bot.survey import check_survey

    kb, _ = check_knowledge(Path(args.knowledge) / "faq")
    kb_ids = set(kb.entries) if kb else None
    path = Path(args.file)
    survey, problems = check_survey(path, kb_ids=kb_ids)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {path}", file=sys.stderr)
        return 1
    print(f"{path}: survey version {survey.version}, {len(survey.questions)} questions, all valid")
    return 0


def cmd_ask(args) -> int:
    import json

    from bot.answers import Answerer
    from bot.knowledge import format_answer
    from bot.telegram_html import plain_text

    answerer = Answerer(Path(args.knowledge))
    if args.json:
        for line in sys.stdin:
            question = line.rstrip("\n")
            if question.strip():
                print(json.dumps(answerer.as_json(question), ensure_ascii=False), flush=True)
        return 0
    if not args.question:
        print("ask: give a question, or --json to read them from standard input", file=sys.stderr)
        return EXIT_CONFIG
    question = " ".join(args.question)
    reply = answerer.respond(question)
    kb = answerer.kb
    if reply.crisis:
        print(f"[crisis: {reply.crisis.kind}] the help lines are sent (knowledge/mensajes.yaml)")
    elif reply.entry_id:
        text = format_answer(kb.entries[reply.entry_id])
        print(f"[{reply.entry_id} · {reply.match.score:.2f}]")
        print(plain_text(text))
    elif reply.match.band == "smalltalk":
        print(f"[small talk: {reply.match.smalltalk}]")
    else:
        label = "did you mean" if reply.match.band == "suggest" else "not known"
        print(f"[{label} · {reply.match.score:.2f}]")
        for entry_id in reply.match.suggestions:
            print(f"  - {entry_id}: {kb.entries[entry_id].titulo}")
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

    kb = sub.add_parser("kb", help="knowledge base tools")
    kb_sub = kb.add_subparsers(dest="kb_command", metavar="ACTION", required=True)
    check = kb_sub.add_parser("check", help="validate every knowledge-base file")
    check.add_argument("--dir", default=str(KNOWLEDGE / "faq"), help="default: %(default)s")
    check.set_defaults(func=cmd_kb_check)

    survey = sub.add_parser("survey", help="status-report survey tools")
    survey_sub = survey.add_subparsers(dest="survey_command", metavar="ACTION", required=True)
    scheck = survey_sub.add_parser("check", help="validate knowledge/encuesta.yaml")
    scheck.add_argument("--file", default=str(KNOWLEDGE / "encuesta.yaml"), help="%(default)s")
    scheck.add_argument("--knowledge", default=str(KNOWLEDGE), help="%(default)s")
    scheck.set_defaults(func=cmd_survey_check)

    ask = sub.add_parser("ask", help="answer a question as the bot would")
    ask.add_argument("question", nargs="*", help="the question")
    ask.add_argument(
        "--json",
        action="store_true",
        help="read one question per line on stdin; print one JSON object per line",
    )
    ask.add_argument("--knowledge", default=str(KNOWLEDGE), help="default: %(default)s")
    ask.set_defaults(func=cmd_ask)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except (MessagesError, PlaceDataError, SurveyError, KnowledgeError) as exc:
        print(f"data error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 130
