"""config.yaml: what the person who runs the bot writes. Messages here stay in English.

Each field's `description` is the fix shown when its value is wrong. Checks that depend on the
environment (the token and webhook secret may come from variables) run in bot.config.
"""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
)

# Telegram's rule for setWebhook's secret_token: 1-256 of A-Z a-z 0-9 _ -
SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
# The only ports Telegram posts a webhook to (setWebhook refuses the others).
WEBHOOK_PORTS = (443, 80, 88, 8443)


def _section(value: Any) -> Any:
    return {} if value is None else value  # `webhook:` with nothing under it


def _admins(value: list[Any]) -> list[int]:
    for item in value:
        if not isinstance(item, int) or isinstance(item, bool):
            raise ValueError(f"{item!r} is not a Telegram user id (a number).")
    return value


def _group(value: int | None) -> int | None:
    if value is not None and value >= 0:
        raise ValueError(
            f"{value} is not a group: group chat ids are negative, e.g. -1001234567890."
        )
    return value


def _timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{value!r} is not a known time zone; use e.g. 'America/Lima'.") from None
    return value


def _level(value: str) -> str:
    if value.upper() not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR.")
    return value.upper()


def _format(value: str) -> str:
    if value.lower() not in {"text", "json"}:
        raise ValueError("must be text or json.")
    return value.lower()


def _rate(value: float) -> float:
    if not 0 < value <= 30:
        raise ValueError(
            f"{value:g} is out of range: use more than 0 and at most 30 (Telegram's limit), "
            "e.g. 25."
        )
    return value


def _port(value: int) -> int:
    if not 1 <= value <= 65535:
        raise ValueError(f"{value} is not a TCP port: use 1-65535, e.g. 8443.")
    return value


def _path(value: str | None) -> str | None:
    if value and not value.startswith("/"):
        raise ValueError(f"{value!r} must start with '/', e.g. '/telegram'.")
    return value


def _https(value: str | None) -> str | None:
    if value and not value.startswith("https://"):
        raise ValueError(
            "Telegram only calls HTTPS addresses: use e.g. 'https://bot.example.gob.pe/telegram'."
        )
    if value:
        try:
            port = urlsplit(value).port
        except ValueError:
            port = -1
        if port not in (None, *WEBHOOK_PORTS):
            raise ValueError(
                "Telegram only calls ports 443, 80, 88 or 8443: leave the port out (443) or use "
                "e.g. 'https://bot.example.gob.pe:8443/telegram'."
            )
    return value


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TelegramSection(_Section):
    token: StrictStr | None = Field(
        None, description="the bot token from @BotFather, e.g. '123456:ABC-…'"
    )
    api_base_url: StrictStr | None = Field(
        None, description="a URL such as 'http://127.0.0.1:8081/bot', or null"
    )


class DatabaseSection(_Section):
    url: StrictStr | None = Field(
        None, description="a SQLAlchemy URL such as 'sqlite:///data/concerta.sqlite3'"
    )


class StaffSection(_Section):
    admins: Annotated[list[Any], AfterValidator(_admins)] = Field(
        [], description="a list of Telegram user ids, e.g. [123456789]"
    )
    group_chat_id: Annotated[StrictInt | None, AfterValidator(_group)] = Field(
        None, description="the staff group's chat id, a negative number such as "
        "-1001234567890, or null"
    )


class KnowledgeSection(_Section):
    dir: StrictStr | None = Field(
        None, description="the folder holding the knowledge base, e.g. 'knowledge'"
    )


def _closing(value: dict[str, str]) -> dict[str, str]:
    from datetime import date

    from bot.periods import parse_period

    for period, day in value.items():
        try:
            parse_period(period)
        except ValueError:
            raise ValueError(f"{period!r} is not a period: use e.g. '2026-S2'.") from None
        try:
            date.fromisoformat(day)
        except ValueError:
            raise ValueError(
                f"{day!r} (for {period}) is not a date: use year-month-day, e.g. '2027-01-15'."
            ) from None
    return value


class ReportsSection(_Section):
    files_dir: StrictStr | None = Field(
        None, description="the folder for report attachments, e.g. 'data/documentos'"
    )
    closing_dates: Annotated[dict[StrictStr, StrictStr], AfterValidator(_closing)] = Field(
        default_factory=dict,
        description="the last day to send each period's report, e.g. {'2026-S2': '2027-01-15'}",
    )


class BroadcastSection(_Section):
    rate_per_second: Annotated[StrictFloat, AfterValidator(_rate)] = Field(
        25, description="messages per second for broadcasts, e.g. 25 (Telegram allows about 30)"
    )


def _per_user(value: int) -> int:
    if not 5 <= value <= 1000:
        raise ValueError(f"{value} is out of range: use 5 to 1000, e.g. 20.")
    return value


def _window(value: float) -> float:
    if not 1 <= value <= 600:
        raise ValueError(f"{value:g} is out of range: use 1 to 600 seconds, e.g. 10.")
    return value


class LimitsSection(_Section):
    messages_per_user: Annotated[StrictInt, AfterValidator(_per_user)] = Field(
        20, description="messages one user may send in `per_seconds` before the excess is "
        "dropped, e.g. 20",
    )
    per_seconds: Annotated[StrictFloat, AfterValidator(_window)] = Field(
        10, description="the window of `messages_per_user`, in seconds, e.g. 10"
    )


class LoggingSection(_Section):
    level: Annotated[StrictStr, AfterValidator(_level)] = Field(
        "INFO", description="one of DEBUG, INFO, WARNING, ERROR"
    )
    format: Annotated[StrictStr, AfterValidator(_format)] = Field(
        "text", description="text or json"
    )


class WebhookSection(_Section):
    listen: StrictStr | None = Field(
        None, description="the address to listen on, e.g. '127.0.0.1' behind a reverse proxy"
    )
    port: Annotated[StrictInt, AfterValidator(_port)] = Field(
        8443, description="a TCP port such as 8443"
    )
    path: Annotated[StrictStr | None, AfterValidator(_path)] = Field(
        None, description="the URL path Telegram posts to, e.g. '/telegram'"
    )
    public_url: Annotated[StrictStr | None, AfterValidator(_https)] = Field(
        None, description="the HTTPS address Telegram calls (port 443, 80, 88 or 8443), e.g. "
        "'https://bot.example.gob.pe/telegram'"
    )
    secret_token: StrictStr | None = Field(
        None,
        description="1 to 256 letters, digits, _ or -, or null (then set TELEGRAM_WEBHOOK_SECRET)",
    )


def _http_url(value: str | None) -> str | None:
    if value and not value.startswith(("https://", "http://")):
        raise ValueError(
            f"{value!r} must be the address staff open, e.g. 'https://consola.mimp.gob.pe'."
        )
    return value.rstrip("/") if value else value


def _idle(value: int) -> int:
    if not 5 <= value <= 24 * 60:
        raise ValueError(f"{value} is out of range: use 5 to 1440 minutes, e.g. 30.")
    return value


class ConsoleSection(_Section):
    enabled: StrictBool = Field(False, description="true to serve the web console, false (default)")
    listen: StrictStr | None = Field(
        None, description="the address to listen on, e.g. '127.0.0.1' behind a reverse proxy"
    )
    port: Annotated[StrictInt, AfterValidator(_port)] = Field(
        8092, description="a TCP port such as 8092"
    )
    public_url: Annotated[StrictStr | None, AfterValidator(_http_url)] = Field(
        None, description="the address staff open, put in the /panel sign-in link, e.g. "
        "'https://consola.mimp.gob.pe', or null (then http://listen:port)"
    )
    session_idle_minutes: Annotated[StrictInt, AfterValidator(_idle)] = Field(
        30, description="minutes without a request after which a session ends, e.g. 30"
    )
    cookie_secure: StrictBool | None = Field(
        None, description="true to send the session cookie over HTTPS only, false, or null "
        "(then: when public_url starts with https://)"
    )


def _in(section: type[_Section]) -> Any:
    return Annotated[section, BeforeValidator(_section)]


class ConfigFile(_Section):
    telegram: _in(TelegramSection) = TelegramSection()
    database: _in(DatabaseSection) = DatabaseSection()
    staff: _in(StaffSection) = StaffSection()
    knowledge: _in(KnowledgeSection) = KnowledgeSection()
    reports: _in(ReportsSection) = ReportsSection()
    broadcast: _in(BroadcastSection) = BroadcastSection()
    limits: _in(LimitsSection) = LimitsSection()
    logging: _in(LoggingSection) = LoggingSection()
    webhook: _in(WebhookSection) = WebhookSection()
    console: _in(ConsoleSection) = ConsoleSection()
    timezone: Annotated[StrictStr, AfterValidator(_timezone)] = Field(
        "America/Lima", description="an IANA time zone such as 'America/Lima'"
    )


def english(error: Any, holder: Any, info: Any) -> str:
    """The configuration's wording: what is wrong, then the fix (the field's description)."""
    kind, ctx = error["type"], error.get("ctx") or {}
    hint = info.description if info is not None else None
    if kind == "extra_forbidden":
        known = ", ".join(sorted(holder.model_fields)) if holder else ""
        return f"unknown key. Remove it or use one of: {known}."
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "must be a section (a mapping of keys)."
    wanted = {
        "string_type": "text", "list_type": "a list", "int_type": "a whole number",
        "float_type": "a number", "int_from_float": "a whole number",
    }.get(kind, "something else")  # fmt: skip
    if info is not None and "null" in (hint or ""):
        wanted += " or null"
    return f"must be {wanted}: {hint}." if hint else f"must be {wanted}."
