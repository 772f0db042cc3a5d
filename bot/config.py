"""Settings from a YAML file, validated before anything runs.

Every problem becomes one `ConfigError` line that names the file, the key and the fix, so an
operator never has to read a traceback to start the bot.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.schemas.config import SECRET_RE, ConfigFile, ConsoleSection, WebhookSection, english
from bot.yamlschema import YamlFile, line_at, validate

TOKEN_ENV = "TELEGRAM_BOT_TOKEN"
WEBHOOK_SECRET_ENV = "TELEGRAM_WEBHOOK_SECRET"
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
class ConsoleSettings:
    """The web console (console/): served by the bot's own process when enabled."""

    enabled: bool = False
    listen: str = "127.0.0.1"
    port: int = 8092
    public_url: str | None = None  # what the /panel link starts with
    session_idle_minutes: int = 30
    cookie_secure: bool | None = None  # None: when public_url is https

    @property
    def base_url(self) -> str:
        return self.public_url or f"http://{self.listen}:{self.port}"

    @property
    def secure_cookie(self) -> bool:
        if self.cookie_secure is not None:
            return self.cookie_secure
        return self.base_url.startswith("https://")


@dataclass(frozen=True)
class Settings:
    telegram: TelegramSettings
    database_url: str = DEFAULT_DB_URL
    admins: frozenset[int] = frozenset()
    staff_group_chat_id: int | None = None  # where hand-offs go; staff reply there
    timezone: str = "America/Lima"
    knowledge_dir: Path = Path("knowledge")
    log_level: str = "INFO"
    log_format: str = "text"  # or "json": one object per line
    webhook: WebhookSettings = field(default_factory=WebhookSettings)
    console: ConsoleSettings = field(default_factory=ConsoleSettings)
    files_dir: Path = Path("data/documentos")
    # The last day to send each period's report ("2026-S2" -> date), set by staff.
    closing_dates: dict[str, date] = field(default_factory=dict)
    broadcast_rate: float = 25.0  # messages per second for broadcasts and reminders
    flood_limit: int = 20  # messages one user may send in `flood_window` seconds
    flood_window: float = 10.0
    source: str = "<defaults>"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def load_settings(path: str | Path, env: dict[str, str] | None = None) -> Settings:
    """Read and validate a configuration file (bot/schemas/config.py); raise ConfigError with
    one clear line."""
    env = os.environ if env is None else env
    path = Path(path)
    if not path.exists():
        raise ConfigError(
            f"{path}: file not found. Copy config.example.yaml to {path} and edit it."
        )
    found = YamlFile.read(path)
    if found.error is not None:
        mark = getattr(found.error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        problem = getattr(found.error, "problem", None) or str(found.error)
        raise ConfigError(f"{where}: not valid YAML ({problem}). Check indentation and quotes.")
    if found.data is None:
        found.data = {}
    if not isinstance(found.data, dict):
        raise ConfigError(f"{path}:1: the file must be a mapping of sections (telegram:, …).")
    found.file = str(path)
    parsed = validate(found, ConfigFile, say=english) if not found.problems else None
    if found.problems or parsed is None:
        raise ConfigError(str(found.problems[0]))

    def fail(keys: list[str], message: str) -> ConfigError:
        line = line_at(found.root, tuple(keys))
        return ConfigError(f"{path}:{line}: {'.'.join(keys)}: {message}")

    tg = parsed.telegram
    token = env.get(TOKEN_ENV) or tg.token or ""
    if not token.strip():
        raise fail(
            ["telegram", "token"],
            f"missing. Put the token from @BotFather here or set {TOKEN_ENV}.",
        )
    knowledge = parsed.knowledge.dir or "knowledge"
    knowledge_dir = Path(knowledge)
    if not knowledge_dir.is_absolute():
        knowledge_dir = (path.parent / knowledge_dir).resolve()
        if not knowledge_dir.exists():
            knowledge_dir = Path(knowledge).resolve()

    return Settings(
        telegram=TelegramSettings(token=token.strip(), api_base_url=tg.api_base_url),
        database_url=parsed.database.url or DEFAULT_DB_URL,
        admins=frozenset(parsed.staff.admins),
        staff_group_chat_id=parsed.staff.group_chat_id,
        timezone=parsed.timezone,
        knowledge_dir=knowledge_dir,
        log_level=parsed.logging.level,
        log_format=parsed.logging.format,
        webhook=_webhook_settings(parsed.webhook, env, fail),
        console=_console_settings(parsed.console),
        files_dir=Path(parsed.reports.files_dir or "data/documentos"),
        closing_dates={
            p: date.fromisoformat(d) for p, d in parsed.reports.closing_dates.items()
        },
        flood_limit=parsed.limits.messages_per_user,
        flood_window=parsed.limits.per_seconds,
        broadcast_rate=float(parsed.broadcast.rate_per_second),
        source=str(path),
    )


def _console_settings(raw: ConsoleSection) -> ConsoleSettings:
    return ConsoleSettings(
        enabled=raw.enabled,
        listen=raw.listen or ConsoleSettings.listen,
        port=raw.port,
        public_url=raw.public_url or None,
        session_idle_minutes=raw.session_idle_minutes,
        cookie_secure=raw.cookie_secure,
    )


def _webhook_settings(raw: WebhookSection, env, fail) -> WebhookSettings:
    """The secret may come from the environment; public_url and the secret are required only
    by the webhook command (WebhookSettings.require), so a polling bot needs neither."""
    defaults = WebhookSettings()
    secret = env.get(WEBHOOK_SECRET_ENV) or raw.secret_token or None
    if secret is not None and not SECRET_RE.fullmatch(secret):
        origin = WEBHOOK_SECRET_ENV if env.get(WEBHOOK_SECRET_ENV) else "the value"
        raise fail(
            ["webhook", "secret_token"],
            f"{origin} must be 1 to 256 letters, digits, _ or - (Telegram's rule); generate one "
            "with: python -c 'import secrets; print(secrets.token_urlsafe(32))'.",
        )
    return WebhookSettings(
        listen=raw.listen or defaults.listen,
        port=raw.port,
        path=raw.path or defaults.path,
        public_url=raw.public_url or None,
        secret_token=secret,
    )
