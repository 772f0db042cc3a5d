"""Settings from a YAML file, validated before anything runs.

Every problem becomes one `ConfigError` line that names the file, the key and the fix, so an
operator never has to read a traceback to start the bot.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from bot.yamlcheck import Loader, compose

TOKEN_ENV = "TELEGRAM_BOT_TOKEN"
WEBHOOK_SECRET_ENV = "TELEGRAM_WEBHOOK_SECRET"
# Telegram's rule for setWebhook's secret_token: 1-256 of A-Z a-z 0-9 _ -
_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
DEFAULT_DB_URL = "sqlite:///data/concerta.sqlite3"


class ConfigError(Exception):
    """A configuration problem, already phrased for the person who runs the bot."""


@dataclass(frozen=True)
class TelegramSettings:
    token: str
    api_base_url: str | None = None

    @property
    def file_base_url(self) -> str | None:
        """Where files are downloaded from: Telegram's convention is /file/bot beside /bot."""
        if not self.api_base_url:
            return None
        base = self.api_base_url.rstrip("/")
        if base.endswith("/bot"):
            return base[: -len("/bot")] + "/file/bot"
        return base + "/file/bot"


@dataclass(frozen=True)
class WebhookSettings:
    """`python -m bot webhook`: where the server listens and what Telegram is told to call."""

    listen: str = "127.0.0.1"
    port: int = 8443
    path: str = "/telegram"
    public_url: str | None = None
    secret_token: str | None = None

    def require(self, source: str) -> None:
        """The webhook command cannot start without these two; polling does not need them."""
        if not self.public_url:
            raise ConfigError(
                f"{source}: webhook.public_url: missing. The webhook command needs the HTTPS "
                "address Telegram calls, e.g. 'https://bot.example.gob.pe/telegram'."
            )
        if not self.secret_token:
            raise ConfigError(
                f"{source}: webhook.secret_token: missing. The webhook command needs a secret "
                f"(letters, digits, _ and -): put it here or set {WEBHOOK_SECRET_ENV}."
            )


@dataclass(frozen=True)
class Settings:
    telegram: TelegramSettings
    database_url: str = DEFAULT_DB_URL
    admins: frozenset[int] = frozenset()
    staff_group_chat_id: int | None = None  # where hand-offs go; its members are MIMP staff
    timezone: str = "America/Lima"
    knowledge_dir: Path = Path("knowledge")
    log_level: str = "INFO"
    log_format: str = "text"  # or "json": one object per line
    webhook: WebhookSettings = field(default_factory=WebhookSettings)
    files_dir: Path = Path("data/documentos")
    broadcast_rate: float = 25.0  # messages per second for broadcasts and reminders
    source: str = "<defaults>"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


# key -> (type(s), required, help shown when the value is wrong)
_SCHEMA: dict[str, dict[str, tuple[tuple[type, ...], str]]] = {
    "telegram": {
        "token": ((str,), "the bot token from @BotFather, e.g. '123456:ABC-…'"),
        "api_base_url": ((str, type(None)), "a URL such as 'http://127.0.0.1:8081/bot', or null"),
    },
    "database": {
        "url": ((str,), "a SQLAlchemy URL such as 'sqlite:///data/concerta.sqlite3'"),
    },
    "staff": {
        "admins": ((list,), "a list of Telegram user ids, e.g. [123456789]"),
        "group_chat_id": (
            (int, type(None)),
            "the staff group's chat id, a negative number such as -1001234567890, or null",
        ),
    },
    "knowledge": {
        "dir": ((str,), "the folder holding the knowledge base, e.g. 'knowledge'"),
    },
    "reports": {
        "files_dir": ((str,), "the folder for report attachments, e.g. 'data/documentos'"),
    },
    "broadcast": {
        "rate_per_second": (
            (int, float),
            "messages per second for broadcasts, e.g. 25 (Telegram allows about 30)",
        ),
    },
    "logging": {
        "level": ((str,), "one of DEBUG, INFO, WARNING, ERROR"),
        "format": ((str,), "text or json"),
    },
    "webhook": {
        "listen": ((str,), "the address to listen on, e.g. '127.0.0.1' behind a reverse proxy"),
        "port": ((int,), "a TCP port such as 8443"),
        "path": ((str,), "the URL path Telegram posts to, e.g. '/telegram'"),
        "public_url": (
            (str, type(None)),
            "the HTTPS address Telegram calls, e.g. 'https://bot.example.gob.pe/telegram'",
        ),
        "secret_token": (
            (str, type(None)),
            "1 to 256 letters, digits, _ or -, or null (then set TELEGRAM_WEBHOOK_SECRET)",
        ),
    },
}
_TOP_SCALARS: dict[str, tuple[tuple[type, ...], str]] = {
    "timezone": ((str,), "an IANA time zone such as 'America/Lima'"),
}


def _type_name(types: tuple[type, ...]) -> str:
    names = {str: "text", list: "a list", int: "a whole number", float: "a number",
             type(None): "null"}
    return " or ".join(names.get(t, t.__name__) for t in types)


def _line_of(node: yaml.Node | None, path: list[str]) -> int | None:
    """Line (1-based) of a key in the composed YAML tree, or of its closest parent that exists."""
    line = None
    for key in path:
        if not isinstance(node, yaml.MappingNode):
            break
        for k, v in node.value:
            if k.value == key:
                line = k.start_mark.line + 1
                node = v
                break
        else:
            break
    return line


def load_settings(path: str | Path, env: dict[str, str] | None = None) -> Settings:
    """Read and validate a configuration file; raise ConfigError with one clear line."""
    env = os.environ if env is None else env
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: file not found. Copy config.example.yaml to {path} and edit it."
        ) from None
    try:
        tree = compose(text)
        data = yaml.load(text, Loader=Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(
            f"{where}: not valid YAML ({problem}). Check indentation and quotes."
        ) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1: the file must be a mapping of sections (telegram:, …).")

    def fail(keys: list[str], message: str) -> ConfigError:
        line = _line_of(tree, keys)
        where = f"{path}:{line}" if line else str(path)
        return ConfigError(f"{where}: {'.'.join(keys)}: {message}")

    for key, value in data.items():
        if key in _TOP_SCALARS:
            types, hint = _TOP_SCALARS[key]
            if not isinstance(value, types):
                raise fail([key], f"must be {_type_name(types)}: {hint}.")
            continue
        if key not in _SCHEMA:
            known = ", ".join(sorted([*_SCHEMA, *_TOP_SCALARS]))
            raise fail([key], f"unknown key. Remove it or use one of: {known}.")
        if value is None:
            continue
        if not isinstance(value, dict):
            raise fail([key], "must be a section (a mapping of keys).")
        for sub, subval in value.items():
            if sub not in _SCHEMA[key]:
                known = ", ".join(sorted(_SCHEMA[key]))
                raise fail([key, sub], f"unknown key. Remove it or use one of: {known}.")
            types, hint = _SCHEMA[key][sub]
            if not isinstance(subval, types) or isinstance(subval, bool):
                raise fail([key, sub], f"must be {_type_name(types)}: {hint}.")

    section = lambda name: data.get(name) or {}  # noqa: E731
    tg = section("telegram")
    token = env.get(TOKEN_ENV) or tg.get("token") or ""
    if not token.strip():
        raise fail(
            ["telegram", "token"],
            f"missing. Put the token from @BotFather here or set {TOKEN_ENV}.",
        )
    admins_raw = section("staff").get("admins") or []
    for item in admins_raw:
        if not isinstance(item, int) or isinstance(item, bool):
            raise fail(["staff", "admins"], f"{item!r} is not a Telegram user id (a number).")
    group_chat_id = section("staff").get("group_chat_id")
    if group_chat_id is not None and group_chat_id >= 0:
        raise fail(
            ["staff", "group_chat_id"],
            f"{group_chat_id} is not a group: group chat ids are negative, e.g. -1001234567890.",
        )
    tz = data.get("timezone", "America/Lima")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        hint = f"{tz!r} is not a known time zone; use e.g. 'America/Lima'."
        raise fail(["timezone"], hint) from None
    level = str(section("logging").get("level", "INFO")).upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise fail(["logging", "level"], "must be one of DEBUG, INFO, WARNING, ERROR.")
    log_format = str(section("logging").get("format", "text")).lower()
    if log_format not in {"text", "json"}:
        raise fail(["logging", "format"], "must be text or json.")
    webhook = _webhook_settings(section("webhook"), env, fail)
    rate = section("broadcast").get("rate_per_second", 25)
    if not 0 < rate <= 30:
        raise fail(
            ["broadcast", "rate_per_second"],
            f"{rate} is out of range: use more than 0 and at most 30 (Telegram's limit), e.g. 25.",
        )
    db_url = section("database").get("url") or DEFAULT_DB_URL
    knowledge_dir = Path(section("knowledge").get("dir") or "knowledge")
    if not knowledge_dir.is_absolute():
        knowledge_dir = (path.parent / knowledge_dir).resolve()
        if not knowledge_dir.exists():
            knowledge_dir = Path(section("knowledge").get("dir") or "knowledge").resolve()

    return Settings(
        telegram=TelegramSettings(token=token.strip(), api_base_url=tg.get("api_base_url")),
        database_url=db_url,
        admins=frozenset(admins_raw),
        staff_group_chat_id=group_chat_id,
        timezone=tz,
        knowledge_dir=knowledge_dir,
        log_level=level,
        log_format=log_format,
        webhook=webhook,
        files_dir=Path(section("reports").get("files_dir") or "data/documentos"),
        broadcast_rate=float(rate),
        source=str(path),
    )


def _webhook_settings(raw: dict, env, fail) -> WebhookSettings:
    """Check the webhook keys' values; public_url and the secret are required only by the
    webhook command (WebhookSettings.require), so a polling bot needs neither."""
    defaults = WebhookSettings()
    port = raw.get("port", defaults.port)
    if not 1 <= port <= 65535:
        raise fail(["webhook", "port"], f"{port} is not a TCP port: use 1-65535, e.g. 8443.")
    path = raw.get("path") or defaults.path
    if not path.startswith("/"):
        raise fail(["webhook", "path"], f"{path!r} must start with '/', e.g. '/telegram'.")
    public_url = raw.get("public_url") or None
    if public_url and not public_url.startswith("https://"):
        raise fail(
            ["webhook", "public_url"],
            "Telegram only calls HTTPS addresses: use e.g. 'https://bot.example.gob.pe/telegram'.",
        )
    secret = env.get(WEBHOOK_SECRET_ENV) or raw.get("secret_token") or None
    if secret is not None and not _SECRET_RE.fullmatch(secret):
        origin = WEBHOOK_SECRET_ENV if env.get(WEBHOOK_SECRET_ENV) else "the value"
        raise fail(
            ["webhook", "secret_token"],
            f"{origin} must be 1 to 256 letters, digits, _ or - (Telegram's rule); generate one "
            "with: python -c 'import secrets; print(secrets.token_urlsafe(32))'.",
        )
    return WebhookSettings(
        listen=raw.get("listen") or defaults.listen,
        port=port,
        path=path,
        public_url=public_url,
        secret_token=secret,
    )
