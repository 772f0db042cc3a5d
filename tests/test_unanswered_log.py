"""The unanswered-questions log that staff read and export: no personal data, counted once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.personal_data import redact_personal_data
from bot.storage.db import Database
from bot.storage.models import UnansweredQuestion
from bot.storage.questions import log_unanswered


@pytest.mark.parametrize(
    ("text", "gone", "kept"),
    [
        ("mi correo es ana.torres@gmail.com, como me registro", ["ana", "gmail"], ["registro"]),
        ("mi cel 987 654 321 para que me llamen", ["987", "654"], ["llamen"]),
        ("whatsapp +51 912345678", ["912345678"], ["whatsapp"]),
        ("mi telefono: (064) 21-3456", ["064", "3456"], ["telefono"]),
        ("mi DNI 45678912 no aparece", ["45678912"], ["aparece"]),
        ("Me llamo Ana Maria Torres y trabajo en la muni", ["Ana", "Torres"], ["trabajo"]),
        ("mi nombre es rosa quispe de la demuna", ["rosa", "quispe"], ["demuna"]),
        ("Buenos dias, le saluda Rosa Quispe de la DEMUNA", ["Rosa", "Quispe"], ["DEMUNA"]),
        ("soy Carlos Huamán del área de la mujer", ["Carlos", "Huamán"], ["mujer"]),
        ("Atte. Lic. Juana Perez", ["Juana", "Perez"], []),
    ],
)
def test_personal_data_is_removed(text: str, gone: list[str], kept: list[str]) -> None:
    clean = redact_personal_data(text)
    for word in gone:
        assert word not in clean, clean
    for word in kept:
        assert word in clean, clean


@pytest.mark.parametrize(
    "text",
    [
        "que dice la rm 288-2023-mimp",
        "la ley 30364 y el ds 009-2016-mimp",
        "llamar al 105 o a la linea 100",
        "soy la encargada del area de la mujer",
        "cuantas instancias hay en 2023",
    ],
)
def test_norms_numbers_and_roles_stay(text: str) -> None:
    assert redact_personal_data(text) == text


def test_logged_text_has_no_personal_data_and_counts_once(tmp_path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'log.sqlite3'}")
    db.upgrade()
    now = datetime(2026, 12, 1, tzinfo=UTC)
    try:
        with db.session() as s:
            log_unanswered(s, "Soy Ana Torres (ana@muni.gob.pe): ¿cuándo pagan la CTS?", now)
            log_unanswered(s, "soy Rosa Quispe, rosa@gmail.com: cuando pagan la cts", now)
        with db.session() as s:
            [row] = s.scalars(select(UnansweredQuestion)).all()
        assert row.count == 2
        assert "cts" in row.text_norm
        for personal in ("ana", "torres", "rosa", "quispe", "gob", "gmail"):
            assert personal not in row.text_norm.split(), row.text_norm
    finally:
        db.dispose()


def test_the_senders_own_name_goes_however_it_is_typed() -> None:
    """Someone not registered may type just their name; their Telegram name says it is theirs."""
    clean = redact_personal_data("ANA quispe Mamani", ("Ána", "Quispe", None))
    assert clean == "[nombre] [nombre] Mamani"
    assert redact_personal_data("que es la instancia", ("Ana", "Quispe")) == "que es la instancia"
    assert redact_personal_data("el pp de la ana", ("Al", "", None)) == "el pp de la ana"
