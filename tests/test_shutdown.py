"""SIGTERM in both modes: the real `python -m bot` process finishes the update in hand (its
reply goes out), saves the conversation state and exits 0.

The bot runs as a subprocess; the Bot API stand-in runs here and slows sendMessage down, so the
signal arrives while the bot is in the middle of answering. The restart afterwards proves the
state was saved: the registration goes on at the next step instead of asking the name again.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import aiohttp
import pytest

from standin.server import BotAPIStandIn
from tests.e2e.harness import ROOT, TOKEN, BotRunner, eventually, expect
from tests.test_webhook import SECRET, FakeTelegram

UID = 7501
EXIT_WAIT = 60.0  # bounded waits: a loaded CI machine starts Python slowly
START_WAIT = 90.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_config(tmp_path: Path, api: BotAPIStandIn, extra: str = "") -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(
        f"""telegram:
  token: "{TOKEN}"
  api_base_url: "{api.base_url}"
database:
  url: "sqlite:///{tmp_path / 'concerta.sqlite3'}"
knowledge:
  dir: "{ROOT / 'knowledge'}"
reports:
  files_dir: "{tmp_path / 'documentos'}"
logging:
  format: json
{extra}""",
        encoding="utf-8",
    )
    return path


async def start_bot(tmp_path: Path, command: str, config: Path) -> asyncio.subprocess.Process:
    log = (tmp_path / f"{command}.log").open("wb")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", command, "--config", str(config),
        cwd=ROOT, stdout=log, stderr=log, env=env,
    )


async def stop_mid_reply(api: BotAPIStandIn, proc: asyncio.subprocess.Process, tmp_path: Path):
    """SIGTERM while the bot's reply to the name is in flight; the process must exit 0."""
    in_flight = await eventually(
        lambda: [c for c in api.calls_to("sendMessage") if c.status is None], timeout=EXIT_WAIT
    )
    assert in_flight, "the bot never started answering"
    proc.send_signal(signal.SIGTERM)
    try:
        code = await asyncio.wait_for(proc.wait(), EXIT_WAIT)
    except TimeoutError:
        proc.kill()
        raise
    logs = "".join(p.read_text(errors="replace") for p in tmp_path.glob("*.log"))
    assert code == 0, logs
    return logs


async def registration_resumes_after_restart(api: BotAPIStandIn, tmp_path: Path) -> None:
    api.clear_faults()
    await expect(api, UID, "cargo")  # the reply that was in flight went out
    runner = BotRunner(api, f"sqlite:///{tmp_path / 'concerta.sqlite3'}")
    await runner.start()
    try:
        await api.send_text(UID, "Subgerente de Desarrollo Social")
        await expect(api, UID, "¿De qué nivel")
    finally:
        await runner.stop()


async def to_the_name_step(api: BotAPIStandIn, deliver) -> None:
    await api.send_command(UID, "/start")
    await deliver()
    await expect(api, UID, "Para preguntar", timeout=START_WAIT)
    await api.press_button(UID, "Registrarme")
    await deliver()
    await expect(api, UID, "¿Acepta?")
    await api.press_button(UID, "Acepto")
    await deliver()
    await expect(api, UID, "nombre completo")


async def nothing() -> None:
    """Polling: the bot fetches the updates itself."""


@pytest.fixture
async def api():
    async with BotAPIStandIn(token=TOKEN) as server:
        yield server


async def test_sigterm_while_polling_finishes_the_reply_and_saves_state(api, tmp_path):
    proc = await start_bot(tmp_path, "run", write_config(tmp_path, api))
    try:
        await to_the_name_step(api, nothing)
        api.delay("sendMessage", 1.0)
        await api.send_text(UID, "Lucía Condori")
        await stop_mid_reply(api, proc, tmp_path)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    await registration_resumes_after_restart(api, tmp_path)


async def test_sigterm_in_webhook_mode_finishes_the_reply_and_saves_state(api, tmp_path):
    port = free_port()
    webhook = (
        f"webhook:\n  port: {port}\n  public_url: https://bot.example.invalid/telegram\n"
        f"  secret_token: {SECRET}\n"
    )
    proc = await start_bot(tmp_path, "webhook", write_config(tmp_path, api, webhook))
    try:
        await api.wait_for_call("setWebhook", timeout=START_WAIT)  # after the listener is up
        async with aiohttp.ClientSession() as session:
            telegram = FakeTelegram(api, f"http://127.0.0.1:{port}", session)
            await to_the_name_step(api, telegram.deliver)
            api.delay("sendMessage", 1.0)
            await api.send_text(UID, "Lucía Condori")
            await telegram.deliver()
        logs = await stop_mid_reply(api, proc, tmp_path)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert '"message": "webhook server stopped"' in logs
    # Telegram forgets what it delivered; the stand-in still holds it for a polling bot.
    async with aiohttp.ClientSession() as session:
        drop = f"{api.base_url}{TOKEN}/deleteWebhook"
        async with session.post(drop, data={"drop_pending_updates": "true"}) as response:
            assert response.status == 200
    await registration_resumes_after_restart(api, tmp_path)


@pytest.mark.parametrize("command", ["run", "webhook"])
async def test_a_token_telegram_rejects_exits_2_without_showing_it(api, tmp_path, command):
    wrong = "654321:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
    webhook = (
        f"webhook:\n  port: {free_port()}\n  public_url: https://bot.example.invalid/telegram\n"
        f"  secret_token: {SECRET}\n"
    )
    config = write_config(tmp_path, api, webhook)
    config.write_text(config.read_text(encoding="utf-8").replace(TOKEN, wrong), encoding="utf-8")
    proc = await start_bot(tmp_path, command, config)
    code = await asyncio.wait_for(proc.wait(), START_WAIT)
    output = (tmp_path / f"{command}.log").read_text(errors="replace")
    assert code == 2, output
    assert output.rstrip().splitlines()[-1] == (
        "configuration error: telegram.token: Telegram rejected the token; copy it again from "
        "@BotFather (or TELEGRAM_BOT_TOKEN)."
    )
    assert wrong not in output and "AAHdqTcv" not in output


async def test_a_second_copy_of_the_bot_refuses_to_start_with_one_line(api, tmp_path):
    """Two processes on one token and one database would answer everything twice."""
    config = write_config(tmp_path, api)
    first = await start_bot(tmp_path, "run", config)
    try:
        await api.wait_for_call("getUpdates", timeout=START_WAIT)  # the first one is polling
        second = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--config", str(config),
            cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            env={k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")},
        )
        out, err = await asyncio.wait_for(second.communicate(), EXIT_WAIT)
        lines = [line for line in (out + err).decode().splitlines() if line.strip()]
        assert second.returncode == 2, lines
        assert len(lines) == 1 and "already running on this database" in lines[0], lines
        assert first.returncode is None  # the first one is untouched
    finally:
        first.send_signal(signal.SIGTERM)
        await asyncio.wait_for(first.wait(), EXIT_WAIT)
