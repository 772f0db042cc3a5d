"""The bot's first start on a database with nothing in it, as on a new install: every other test
starts from a copy of the migrated template (tests/conftest.py), so this one is the proof that
the start itself migrates and fills the places table."""

from sqlalchemy import func, select

from bot.storage.models import Officer, Place
from tests.e2e.harness import BotRunner, register_officer


async def test_first_start_on_an_empty_database_migrates_and_registers(api, empty_db_url):
    runner = BotRunner(api, empty_db_url)
    await runner.start()
    try:
        places = runner.services.places
        shipped = len([*places.regions(), *places.provinces(), *places.districts()])
        with runner.services.db.session() as s:
            assert s.scalar(select(func.count()).select_from(Place)) == shipped
        await register_officer(api, 4101, "Ana Torres", "Distrital", "ate", "Ate")
        with runner.services.db.session() as s:
            officer = s.scalar(select(Officer).where(Officer.telegram_id == 4101))
            assert officer is not None and officer.instancia.place.name == "Ate"
    finally:
        await runner.stop()
