"""Command line: `python -m bot …`. Errors an operator can fix print one line and exit 2.

Every command is declared here, so `--help` lists them all, but the ones that talk to Telegram
(run, webhook, demo) are given by bot/__main__.py: the core stays free of Telegram.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from bot.answer_examples import ExamplesError
from bot.config import ConfigError, Settings, load_settings
from bot.crisis_model import CrisisModelError
from bot.knowledge import KnowledgeError
from bot.logs import setup_logging
from bot.messages import MessagesError
from bot.places import PlaceDataError
from bot.priority import PriorityError
from bot.survey import SurveyError
from bot.textnorm import LanguageError

EXIT_CONFIG = 2
Command = Callable[[argparse.Namespace], int]
KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"


def _settings(args) -> Settings:
    return load_settings(args.config)


def settings_for_a_bot(args) -> Settings:
    """The settings of a bot process (run, webhook), with its logging set up."""
    settings = _settings(args)
    secrets = (settings.telegram.token, settings.webhook.secret_token)
    setup_logging(settings.log_level, settings.log_format, secrets=secrets)
    return settings


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
    return _checked(directory, problems, lambda: (
        f"{len(kb.entries)} entries in {len(kb.categories)} categories"))


def cmd_survey_check(args) -> int:
    from bot.knowledge import check_knowledge
    from bot.survey import check_survey

    kb, _ = check_knowledge(Path(args.knowledge) / "faq")
    kb_ids = set(kb.entries) if kb else None
    path = Path(args.file)
    survey, problems = check_survey(path, kb_ids=kb_ids)
    return _checked(path, problems, lambda: (
        f"survey version {survey.version}, {len(survey.questions)} questions"))


def cmd_priority_check(args) -> int:
    from bot.priority import check_priority

    path = Path(args.file)
    rules, problems = check_priority(path)
    return _checked(path, problems, lambda: (
        f"{sum(1 for _, c in rules.criterios if c.activo)} active criteria"))


def _checked(path: Path, problems: list, summary) -> int:
    """A check's exit: every problem on its own line (file:line: what and the fix) and 1, or
    one line saying what was checked and 0."""
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {path}", file=sys.stderr)
        return 1
    print(f"{path}: {summary()}, all valid")
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


def cmd_export(args) -> int:
    """The current reports of a period as XLSX or CSV: the same file /exportar sends."""
    from bot import exports
    from bot.services import build_services
    from bot.storage.queries_data import sent_reports

    services = build_services(_settings(args), migrate=False)
    with services.db.session() as s:
        rows = sent_reports(s, args.period)
    services.db.dispose()
    if not rows:
        print(f"export: no reports were sent in {args.period}; nothing written", file=sys.stderr)
        return 1
    tables = exports.report_tables(rows, services.survey, services.settings.tz, services.messages)
    data = exports.to_xlsx(tables) if args.format == "xlsx" else exports.to_csv(tables[0])
    Path(args.output).write_bytes(data)
    print(f"{args.output}: {len(tables[0].rows)} instancias, {len(rows)} reports sent")
    return 0


def _period(text: str) -> str:
    from bot.periods import parse_period

    period = text.strip().upper()
    try:
        parse_period(period)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return period


def _elsewhere(args) -> int:
    print(f"{args.command}: start it with `python -m bot {args.command}`", file=sys.stderr)
    return EXIT_CONFIG


def build_parser(telegram: Mapping[str, Command] | None = None) -> argparse.ArgumentParser:
    """`telegram` maps run, webhook and demo to their functions (see bot/__main__.py)."""
    telegram = telegram or {}
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
    run.set_defaults(func=telegram.get("run", _elsewhere))

    webhook = with_config(
        sub.add_parser("webhook", help="run the bot behind an HTTPS webhook, with /healthz")
    )
    webhook.set_defaults(func=telegram.get("webhook", _elsewhere))

    demo = sub.add_parser(
        "demo", help="run locally with a Bot API stand-in, a terminal chat and a browser chat"
    )
    demo.add_argument(
        "--db", default="data/demo.sqlite3", help="SQLite file (default: %(default)s)"
    )
    demo.add_argument("--no-terminal", action="store_true", help="serve only, no terminal chat")
    demo.add_argument(
        "--web-port", type=int, default=8080, help="browser chat port (default: %(default)s)"
    )
    demo.add_argument("--no-web", action="store_true", help="no browser chat")
    demo.add_argument(
        "--console-port", type=int, default=int(os.environ.get("CONSOLE_PORT") or 8092),
        help="web console port (default: $CONSOLE_PORT or 8092)",
    )  # fmt: skip
    demo.add_argument("--no-console", action="store_true", help="no web console")
    demo.set_defaults(func=telegram.get("demo", _elsewhere))

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

    priority = sub.add_parser("priority", help="priority list for technical assistance")
    priority_sub = priority.add_subparsers(dest="priority_command", metavar="ACTION",
                                           required=True)
    pcheck = priority_sub.add_parser("check", help="validate knowledge/prioridad.yaml")
    pcheck.add_argument("--file", default=str(KNOWLEDGE / "prioridad.yaml"), help="%(default)s")
    pcheck.set_defaults(func=cmd_priority_check)

    ask = sub.add_parser("ask", help="answer a question as the bot would")
    ask.add_argument("question", nargs="*", help="the question")
    ask.add_argument(
        "--json",
        action="store_true",
        help="read one question per line on stdin; print one JSON object per line",
    )
    ask.add_argument("--knowledge", default=str(KNOWLEDGE), help="default: %(default)s")
    ask.set_defaults(func=cmd_ask)

    export = with_config(sub.add_parser("export", help="the reports of a period as XLSX or CSV"))
    export.add_argument("--period", required=True, type=_period, help="e.g. 2026-S2")
    export.add_argument("--format", choices=("xlsx", "csv"), default="xlsx", help="%(default)s")
    export.add_argument("-o", "--output", required=True, help="the file to write")
    export.set_defaults(func=cmd_export)
    return parser


def main(argv: list[str] | None = None, telegram: Mapping[str, Command] | None = None) -> int:
    args = build_parser(telegram).parse_args(argv)
    try:
        return args.func(args)
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except (MessagesError, PlaceDataError, SurveyError, KnowledgeError, LanguageError,
            PriorityError, CrisisModelError, ExamplesError) as exc:
        print(f"data error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 130
