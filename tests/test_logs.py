"""Structured logs, and no personal data or secrets in them even at DEBUG."""

from __future__ import annotations

import io
import json
import logging

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine
from sqlalchemy.exc import IntegrityError

from bot import logs
from standin.server import BotAPIStandIn
from tests.e2e.harness import TOKEN, BotRunner, expect

NAME = "Zoraida Huamancháqui Quispe"
PHONE = "987654321"
QUESTION = "cuantas veces al año se reune la instancia provincial de Chachapoyas"


@pytest.fixture
def restore_logging():
    """setup_logging changes process-wide state; put pytest's back afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    quiet = {name: logging.getLogger(name).level for name in logs.QUIET}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, old in quiet.items():
        logging.getLogger(name).setLevel(old)
    logs._installed = None


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def texts(self) -> list[str]:
        plain = logging.Formatter()
        out = []
        for r in self.records:
            extra = " ".join(f"{k}={v}" for k, v in vars(r).items() if k not in logs._STANDARD)
            exc = plain.formatException(r.exc_info) if r.exc_info else ""
            out.append(f"{r.name} {r.getMessage()} {extra} {exc}")
        return out


def json_lines(buffer: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


def test_json_lines_carry_time_level_logger_message_and_extras(restore_logging):
    buffer = io.StringIO()
    logs.setup_logging("INFO", "json", stream=buffer)
    log = logging.getLogger("concerta.test")
    log.info("handled update %s", 42, extra={"update_id": 42, "took_ms": 3.5})
    log.debug("not shown at INFO")
    try:
        raise ValueError("boom")
    except ValueError:
        log.exception("failed")
    first, second = json_lines(buffer)
    assert first["message"] == "handled update 42"
    assert (first["level"], first["logger"]) == ("INFO", "concerta.test")
    assert first["time"].endswith("Z") and first["time"][10] == "T"
    assert (first["update_id"], first["took_ms"]) == (42, 3.5)
    assert "exc" not in first
    assert second["level"] == "ERROR" and "ValueError: boom" in second["exc"]


def test_text_format_stays_one_readable_line(restore_logging):
    buffer = io.StringIO()
    logs.setup_logging("INFO", "text", stream=buffer)
    logging.getLogger("concerta.test").warning("careful")
    assert buffer.getvalue().rstrip().endswith("WARNING concerta.test: careful")


def test_the_token_and_the_secret_are_blanked(restore_logging):
    buffer = io.StringIO()
    logs.setup_logging("INFO", "json", stream=buffer, secrets=[TOKEN, "webhook_SECRET_1", None])
    log = logging.getLogger("concerta.test")
    # What python-telegram-bot raises for a wrong token, and a header echoed by mistake.
    try:
        raise RuntimeError(f"The token `{TOKEN}` was rejected by the server.")
    except RuntimeError:
        log.exception("start failed")
    log.warning("header was %s", "webhook_SECRET_1")
    output = buffer.getvalue()
    assert TOKEN not in output and "webhook_SECRET_1" not in output
    assert output.count(logs.REDACTED) == 2
    assert all(json_lines(buffer))


def test_sql_parameters_never_reach_the_logs(restore_logging):
    engine = create_engine("sqlite://")
    people = Table(
        "people", MetaData(), Column("id", Integer, primary_key=True), Column("phone", String)
    )
    people.metadata.create_all(engine)
    buffer = io.StringIO()
    logs.setup_logging("INFO", "text", stream=buffer)
    with engine.begin() as conn:
        conn.execute(people.insert(), {"id": 1, "phone": PHONE})
    try:
        with engine.begin() as conn:
            conn.execute(people.insert(), {"id": 1, "phone": PHONE})
    except IntegrityError:
        logging.getLogger("concerta.test").exception("could not save")
    output = buffer.getvalue()
    assert "IntegrityError" in output and "UNIQUE constraint failed" in output
    assert PHONE not in output


async def test_a_whole_conversation_at_debug_logs_no_personal_data(restore_logging, tmp_path):
    buffer = io.StringIO()
    logs.setup_logging("DEBUG", "json", stream=buffer, secrets=[TOKEN])
    records = Records()
    logging.getLogger().addHandler(records)
    async with BotAPIStandIn(token=TOKEN) as api:
        uid = 7401
        api.user(uid, first_name="Zoraida", last_name="Huamancháqui", username="zhuaman")
        runner = BotRunner(api, f"sqlite:///{tmp_path / 'concerta.sqlite3'}")
        await runner.start()
        try:
            await api.send_command(uid, "/start")
            await expect(api, uid, "Para preguntar")
            await api.press_button(uid, "Registrarme")
            await expect(api, uid, "¿Acepta?")
            await api.press_button(uid, "Acepto")
            await expect(api, uid, "nombre completo")
            await api.send_text(uid, NAME)
            await expect(api, uid, "cargo")
            await api.send_text(uid, "Subgerente de Desarrollo Social")
            await expect(api, uid, "¿De qué nivel")
            await api.press_button(uid, "Provincial")
            await expect(api, uid, "Escriba el nombre")
            await api.send_text(uid, "chachapoyas")
            await expect(api, uid, "Toque el suyo")
            await api.press_button(uid, 0)
            await expect(api, uid, "institución")
            await api.press_button(uid, 0)
            await expect(api, uid, "teléfono")
            await api.send_contact(uid, PHONE)
            await expect(api, uid, "Revise sus datos")
            await api.press_button(uid, "Confirmar")
            await expect(api, uid, "Registro completo")
            await api.send_text(uid, QUESTION)
            await api.wait_for_messages(uid)
            await api.send_text(uid, "mi esposo me pega")  # a crisis text
            await expect(api, uid, "Línea 100")
        finally:
            await runner.stop()
    texts = records.texts()
    assert logging.getLogger("handlers.questions").isEnabledFor(logging.DEBUG)
    assert any("bot started" in t for t in texts)
    for secret in (NAME, "Zoraida", "Huamancháqui", "zhuaman", PHONE, QUESTION, "me pega", TOKEN):
        leaks = [t for t in texts if secret in t]
        assert leaks == [], f"{secret!r} in the log records: {leaks[:2]}"
        assert secret not in buffer.getvalue()
    assert all(json_lines(buffer))
