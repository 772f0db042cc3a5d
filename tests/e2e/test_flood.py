"""One noisy user: told once to slow down, the excess dropped unread, and nobody else held up
(the flood figures themselves are in benchmarks/flood.py)."""

import asyncio
import gc

import pytest

from tests.e2e.harness import BotRunner, eventually, expect

FLOODER, OTHER = 7000, 7001


@pytest.fixture
async def bot(api, db_url):
    """The bot with the configuration's default limit: 20 messages in 10 seconds."""
    runner = BotRunner(api, db_url, flood_limit=20, flood_window=10.0)
    await runner.start()
    try:
        yield runner
    finally:
        await runner.stop()


async def test_a_flooding_user_is_told_once_and_the_excess_is_dropped(api, bot):
    for n in range(30):
        await api.send_text(FLOODER, f"hola {n}")
    await expect(api, FLOODER, "muchos mensajes")
    await asyncio.sleep(1.0)
    texts = [m.text for m in api.messages(FLOODER)]
    assert sum("muchos mensajes" in t for t in texts) == 1
    assert len(texts) <= 21, texts  # 20 answered, one notice, 10 never read


async def test_a_crisis_message_passes_the_flood_limit(api, bot):
    for n in range(25):
        await api.send_text(FLOODER, f"hola {n}")
    await api.send_text(FLOODER, "mi esposo me pega")
    await expect(api, FLOODER, "Línea 100", timeout=30)


async def test_another_user_is_not_queued_behind_a_flood(api, bot):
    api.delay("sendMessage", 0.3)  # every reply to the flooder takes a round trip
    for n in range(20):
        await api.send_text(FLOODER, f"que es el ruva {n}")
    await api.send_text(OTHER, "mi esposo me pega")
    await expect(api, OTHER, "Línea 100", timeout=30)
    # The flooder's twenty answers go out one after another; the help lines did not wait for them.
    assert len(api.messages(FLOODER)) < 10
    api.delay("sendMessage", None)
    assert await eventually(lambda: len(api.messages(FLOODER)) >= 20, timeout=60)


async def test_a_429_on_an_answer_is_waited_out_and_the_answer_arrives_once(api, bot):
    api.fail_next("sendMessage", status=429, retry_after=1)
    await api.send_text(OTHER, "que es el registro unico de victimas RUVA")
    await expect(api, OTHER, "Fuente", timeout=30)
    await asyncio.sleep(0.5)
    texts = [m.text for m in api.messages(OTHER)]
    assert sum("Fuente" in t for t in texts) == 1, texts
    assert not any("algo falló" in t.lower() for t in texts), texts


async def test_what_start_up_built_is_out_of_the_collectors_way(api, db_url):
    """A full collection that walks the knowledge base and the places stalls every chat for
    50-70 ms; once started, they sit in the permanent generation."""
    gc.unfreeze()  # whatever an earlier test in this process froze
    assert gc.get_freeze_count() == 0
    runner = BotRunner(api, db_url)
    await runner.start()
    try:
        assert gc.get_freeze_count() > 10_000
    finally:
        await runner.stop()
