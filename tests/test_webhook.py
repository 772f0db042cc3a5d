"""The webhook server end to end, in process: Telegram's side is played by posting the updates
the Bot API stand-in makes; the bot's own calls go to the stand-in. Also the webhook settings."""

from __future__ import annotations

import json
import re
from pathlib import Path

import aiohttp
import pytest
from telegram import Update

from bot import metrics
from bot.config import ConfigError, Settings, TelegramSettings, WebhookSettings, load_settings
from bot.services import build_services
from handlers.app import build_application
from handlers.webhook import SECRET_HEADER, WebhookServer
from standin.server import BotAPIStandIn
from tests.e2e.harness import ROOT, TOKEN, expect

SECRET = "s3cret_Webhook-token"
PUBLIC_URL = "https://bot.example.gob.pe/telegram"
UID = 7301


class FakeTelegram:
    """Telegram's side of a webhook: posts the updates the stand-in queued for the bot."""

    def __init__(self, api: BotAPIStandIn, base_url: str, session: aiohttp.ClientSession):
        self.api, self.base_url, self.session = api, base_url, session
        self.posted: set[int] = set()

    async def post(self, body, secret: str | None = SECRET, path: str = "/telegram") -> int:
        headers = {SECRET_HEADER: secret} if secret is not None else {}
        url = self.base_url + path
        async with self.session.post(url, data=json.dumps(body), headers=headers) as response:
            return response.status

    def take(self) -> list[dict]:
        """The updates queued on the stand-in since the last call."""
        fresh = [u for u in self.api.pending_updates if u["update_id"] not in self.posted]
        self.posted.update(u["update_id"] for u in fresh)
        return fresh

    async def deliver(self) -> None:
        for update in self.take():
            assert await self.post(update) == 200

    async def get(self, path: str) -> tuple[int, str, str]:
        async with self.session.get(self.base_url + path) as response:
            return response.status, response.headers["Content-Type"], await response.text()


@pytest.fixture
async def api():
    async with BotAPIStandIn(token=TOKEN) as server:
        yield server


@pytest.fixture
def db_dir(tmp_path) -> Path:
    return tmp_path / "db"


@pytest.fixture
async def server(api, db_dir, tmp_path):
    settings = Settings(
        telegram=TelegramSettings(token=TOKEN, api_base_url=api.base_url),
        database_url=f"sqlite:///{db_dir / 'concerta.sqlite3'}",
        knowledge_dir=ROOT / "knowledge",
        files_dir=tmp_path / "documentos",
        webhook=WebhookSettings(port=0, public_url=PUBLIC_URL, secret_token=SECRET),
        source="<tests>",
    )
    services = build_services(settings)
    web = WebhookServer(build_application(services), services, health_ttl=0)
    await web.start()
    try:
        yield web
    finally:
        await web.stop()


@pytest.fixture
async def telegram(api, server):
    async with aiohttp.ClientSession() as session:
        yield FakeTelegram(api, server.url, session)


async def test_registers_the_webhook_and_answers_through_it(api, server, telegram):
    [call] = api.calls_to("setWebhook")
    assert call.params["url"] == PUBLIC_URL
    assert call.params["secret_token"] == SECRET
    assert sorted(call.params["allowed_updates"]) == sorted(Update.ALL_TYPES)
    assert str(call.params.get("drop_pending_updates", "false")).lower() == "false"

    await api.send_text(UID, "que es el ruva")
    await telegram.deliver()
    answer = await expect(api, UID, "Fuente")
    assert "RUVA" in answer.text


async def test_an_update_posted_again_by_telegram_is_answered_once(api, telegram):
    """Telegram posts an update again when it did not see our 200 in time."""
    await api.send_text(UID, "que es el ruva")
    [update] = telegram.take()
    assert await telegram.post(update) == 200
    await expect(api, UID, "Fuente")
    assert await telegram.post(update) == 200
    await api.send_text(UID, "que es el cem")  # handled in order after the repost
    await telegram.deliver()
    await expect(api, UID, "Fuente")
    ruva = [m for m in api.messages(UID) if "RUVA" in (m.text or "") and "Fuente" in m.text]
    assert len(ruva) == 1, [m.text[:60] for m in api.messages(UID)]


async def test_a_wrong_or_missing_secret_is_refused_and_nothing_is_processed(api, telegram):
    updates = metrics.value("concerta_updates_total")
    await api.send_text(UID, "mi esposo me pega, donde denuncio")  # would get the help lines
    [forged] = telegram.take()
    assert await telegram.post(forged, secret="not-the-secret") == 403
    assert await telegram.post(forged, secret=None) == 403
    assert await telegram.post(forged, secret=SECRET + "x") == 403
    assert await telegram.post({"no": "update"}) == 400
    assert await telegram.post([1, 2]) == 400

    # The bot handles updates in order: once this one is answered, a forged one would be too.
    await api.send_text(UID, "que es el ruva")
    await telegram.deliver()
    await expect(api, UID, "Fuente")
    assert [m.text for m in api.messages(UID) if "Línea 100" in (m.text or "")] == []
    assert metrics.value("concerta_updates_total") == updates + 1


async def test_healthz_reports_each_part(api, server, telegram, db_dir):
    status, kind, body = await telegram.get("/healthz")
    assert (status, json.loads(body)) == (200, {"status": "ok", "database": "ok", "telegram": "ok"})
    assert kind.startswith("application/json")

    api.fail_next("getMe", status=500, count=20)  # more than the bot's retries
    status, _, body = await telegram.get("/healthz")
    assert status == 503
    assert json.loads(body) == {"status": "failing", "database": "ok", "telegram": "error"}
    api.clear_faults()

    server.services.db.dispose()
    gone = db_dir.rename(db_dir.with_name("moved"))  # the file cannot be opened any more
    status, _, body = await telegram.get("/healthz")
    assert status == 503
    assert json.loads(body) == {"status": "failing", "database": "error", "telegram": "ok"}

    server.services.db.dispose()
    gone.rename(db_dir)
    status, _, body = await telegram.get("/healthz")
    assert (status, json.loads(body)["status"]) == (200, "ok")

    # Deleted under a running bot: its open connections still read the old file.
    (db_dir / "concerta.sqlite3").unlink()
    status, _, body = await telegram.get("/healthz")
    assert (status, json.loads(body)["database"]) == (503, "error")


def metric(text: str, series: str) -> int:
    """A series' value; a labelled series appears once it was first counted."""
    found = re.search(rf"^{re.escape(series)} (\d+)$", text, re.MULTILINE)
    return int(found.group(1)) if found else 0


async def test_metrics_count_the_updates(api, telegram):
    _, _, before = await telegram.get("/metrics")
    await api.send_text(UID, "que es el ruva")
    await api.send_text(UID, "hola")
    await telegram.deliver()
    await expect(api, UID, "Fuente")
    await api.wait_for_messages(UID)  # the greeting
    status, kind, after = await telegram.get("/metrics")
    assert status == 200
    assert kind == "text/plain; version=0.0.4; charset=utf-8"
    assert "# TYPE concerta_updates_total counter" in after
    answers = 'concerta_answers_total{band="answer"}'
    assert metric(after, answers) == metric(before, answers) + 1
    assert metric(after, "concerta_updates_total") == metric(before, "concerta_updates_total") + 2


# ---- settings --------------------------------------------------------------------------------


def write(tmp_path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(f'telegram:\n  token: "1:abc"\n{text}', encoding="utf-8")
    return path


def test_webhook_settings_defaults_and_values(tmp_path):
    plain = load_settings(write(tmp_path, ""), env={})
    assert plain.webhook == WebhookSettings()
    assert (plain.webhook.listen, plain.webhook.port, plain.webhook.path) == (
        "127.0.0.1", 8443, "/telegram",
    )
    assert plain.log_format == "text"
    full = load_settings(
        write(
            tmp_path,
            "webhook:\n  listen: 0.0.0.0\n  port: 8080\n  path: /tg\n"
            f"  public_url: {PUBLIC_URL}\n  secret_token: abc_DEF-123\n"
            "logging:\n  format: JSON\n",
        ),
        env={},
    )
    assert full.webhook == WebhookSettings("0.0.0.0", 8080, "/tg", PUBLIC_URL, "abc_DEF-123")
    assert full.log_format == "json"
    full.webhook.require("x")  # nothing missing


def test_the_secret_comes_from_the_environment_first(tmp_path):
    path = write(tmp_path, "webhook:\n  secret_token: from_file\n")
    from_env = load_settings(path, env={"TELEGRAM_WEBHOOK_SECRET": "from_env"})
    assert from_env.webhook.secret_token == "from_env"
    with pytest.raises(ConfigError, match="TELEGRAM_WEBHOOK_SECRET must be 1 to 256"):
        load_settings(path, env={"TELEGRAM_WEBHOOK_SECRET": "has spaces"})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("webhook:\n  secret_token: 'a/b'\n", r"config.yaml:\d+: webhook.secret_token: the value"),
        (f"webhook:\n  secret_token: {'x' * 257}\n", "webhook.secret_token"),
        ("webhook:\n  public_url: http://bot.example/telegram\n", "only calls HTTPS"),
        (
            "webhook:\n  public_url: https://bot.example:8080/telegram\n",
            r"config.yaml:\d+: webhook.public_url: Telegram only calls ports 443, 80, 88 or 8443: ",
        ),
        ("webhook:\n  public_url: https://bot.example:x/telegram\n", "only calls ports"),
        ("webhook:\n  port: 70000\n", "not a TCP port"),
        ("webhook:\n  port: '8443'\n", "webhook.port: must be a whole number"),
        ("webhook:\n  path: telegram\n", "must start with '/'"),
        ("webhook:\n  colour: red\n", "unknown key"),
        ("logging:\n  format: xml\n", "logging.format: must be text or json"),
    ],
)
def test_wrong_webhook_settings_name_the_key(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message):
        load_settings(write(tmp_path, text), env={})


def test_the_webhook_command_needs_the_public_url_and_the_secret(tmp_path):
    settings = load_settings(write(tmp_path, "webhook:\n  secret_token: abc\n"), env={})
    with pytest.raises(ConfigError, match=r"webhook\.public_url: missing\..*HTTPS"):
        settings.webhook.require(settings.source)
    settings = load_settings(write(tmp_path, f"webhook:\n  public_url: {PUBLIC_URL}\n"), env={})
    with pytest.raises(ConfigError, match=r"secret_token: missing\..*TELEGRAM_WEBHOOK_SECRET"):
        settings.webhook.require(settings.source)
