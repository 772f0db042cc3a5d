"""Logging: plain text or one JSON object per line, and no personal data or secrets.

Our own log calls carry ids, counts and exception types only. What could still leak is held
back here: libraries that print message texts or SQL parameters at DEBUG are kept at a higher
level, SQL parameters are hidden in exception texts, and the bot token and webhook secret are
blanked wherever they appear (python-telegram-bot puts a rejected token in its error).
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TextIO

from sqlalchemy.exc import StatementError

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
REDACTED = "[redacted]"

# logger -> the most talkative level it may have, whatever logging.level says
QUIET = {
    "httpx": logging.WARNING,  # every request URL, and URLs carry the bot token
    "httpcore": logging.WARNING,
    "telegram": logging.INFO,  # at DEBUG: every update and every API call's parameters
    "sqlalchemy": logging.WARNING,  # at INFO: every statement with its parameters
    "aiohttp.access": logging.WARNING,  # one line per webhook request: noise
}

# Attributes every LogRecord has; anything else came in through `extra=`.
_STANDARD = {*vars(logging.makeLogRecord({})), "message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """time (ISO 8601, UTC), level, logger, message, the `extra=` fields, exc if any."""

    def format(self, record: logging.LogRecord) -> str:
        moment = datetime.fromtimestamp(record.created, UTC)
        entry = {
            "time": moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update((k, v) for k, v in vars(record).items() if k not in _STANDARD)
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class SafeFormatter(logging.Formatter):
    """Wraps a formatter: SQL parameters hidden in exceptions, secrets blanked in the output."""

    def __init__(self, inner: logging.Formatter, secrets: Iterable[str | None] = ()) -> None:
        super().__init__()
        self.inner = inner
        # very short strings would blank ordinary words; real tokens and secrets are long
        self.secrets = sorted({s for s in secrets if s and len(s) >= 8}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        if record.exc_info and _hide_sql_parameters(record.exc_info[1]):
            record.exc_text = None  # another handler may have cached the text with parameters
        text = self.inner.format(record)
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text


def _hide_sql_parameters(exc: BaseException | None) -> bool:
    """SQLAlchemy prints a failed statement's parameters (names, phones) in its message."""
    found, seen = False, set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, StatementError):
            exc.hide_parameters = True
            found = True
        exc = exc.__cause__ or exc.__context__
    return found


_installed: logging.Handler | None = None


def setup_logging(
    level: str = "INFO",
    fmt: str = "text",
    *,
    secrets: Iterable[str | None] = (),
    stream: TextIO | None = None,
) -> logging.Handler:
    """Configure the root logger once per process (a second call replaces the first)."""
    global _installed
    inner = JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(SafeFormatter(inner, secrets))
    root = logging.getLogger()
    if _installed is not None:
        root.removeHandler(_installed)
    root.addHandler(handler)
    _installed = handler
    numeric = logging.getLevelName(level.upper())
    root.setLevel(numeric)
    for name, floor in QUIET.items():
        logging.getLogger(name).setLevel(max(floor, numeric))
    return handler
