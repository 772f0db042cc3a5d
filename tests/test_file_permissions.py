"""The database and the documents folder hold officers' personal data: readable by the bot's
user only, even under a permissive umask."""

import os
import stat
from pathlib import Path

import pytest

from bot.config import Settings, TelegramSettings
from bot.services import build_services
from tests.e2e.harness import ROOT, TOKEN


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask():
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def start(tmp_path: Path, single_instance=False):
    settings = Settings(
        telegram=TelegramSettings(token=TOKEN),
        database_url=f"sqlite:///{tmp_path / 'data' / 'concerta.sqlite3'}",
        knowledge_dir=ROOT / "knowledge",
        files_dir=tmp_path / "data" / "documentos",
        source="<tests>",
    )
    return build_services(settings, single_instance=single_instance)


def test_a_new_database_and_documents_folder_are_private(tmp_path, loose_umask):
    services = start(tmp_path, single_instance=True)
    services.db.dispose()
    data = tmp_path / "data"
    assert mode(data / "concerta.sqlite3") == 0o600
    assert mode(data / "concerta.sqlite3.lock") == 0o600
    assert mode(data / "documentos") == 0o700
    for copy in data.glob("concerta.sqlite3-*"):  # SQLite's -wal and -shm take the file's mode
        assert mode(copy) == 0o600, copy


def test_an_older_readable_database_is_made_private(tmp_path, loose_umask):
    start(tmp_path).db.dispose()
    db_file = tmp_path / "data" / "concerta.sqlite3"
    db_file.chmod(0o644)
    (tmp_path / "data" / "documentos").chmod(0o755)
    start(tmp_path).db.dispose()
    assert mode(db_file) == 0o600
    assert mode(tmp_path / "data" / "documentos") == 0o700


def test_the_service_unit_sets_a_private_umask():
    unit = (ROOT / "deploy" / "concerta.service").read_text(encoding="utf-8")
    assert "\nUMask=0077\n" in unit
