"""Thousands of random updates at the real bot: nothing raises, and it still answers afterwards.

The bot runs once, on its own event loop in a thread, so Hypothesis (synchronous) can throw
batch after batch at it through the Bot API stand-in.
"""

import asyncio
import os
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import metrics
from standin.server import BotAPIStandIn
from tests.e2e.harness import TOKEN, BotRunner, expect

USERS = [6001, 6002, 6003, 9001]
SENTINEL = 6900  # 9001 is staff in the harness settings
_batches = iter(range(10**6))
COMMANDS = [
    "/start", "/temas", "/reporte", "/perfil", "/borrar_mis_datos", "/cancelar", "/ayuda",
    "/especialista", "/recargar", "/staff", "/mi_id", "/atras", "/registro", "/consultas",
    "/cerrar", "/noexiste", "/start@concerta_bot", "/",
]
KNOWN_DATA = [
    "v1:reg:start", "v1:reg:consent:yes", "v1:reg:level:distrital", "v1:reg:place:150103",
    "v1:reg:confirm", "v1:reg:fix", "v1:reg:edit:name", "v1:kb:home", "v1:kb:c:ley",
    "v1:kb:e:ruva", "v1:kb:none", "v1:fb:ruva:up", "v1:del:yes", "v1:del:no",
    "v1:rep:a:creada:si", "v1:rep:send", "v1:staff:rm:6001", "v0:old", "",
]
EXAMPLES = int(os.environ.get("CONCERTA_FUZZ_EXAMPLES", "50"))

# Long texts are built by repetition: generating 5,000 random characters would exhaust the
# entropy Hypothesis allows per example without testing anything more.
long_text = st.builds(lambda s, n: (s or "x") * n, st.text(max_size=20), st.integers(200, 400))
text = st.text(max_size=200) | long_text | st.sampled_from(
    ["", " ", "\u200b", "💥" * 50, "<b>hola</b>", "&amp;", "mi esposo me pega", "15/03/2024",
     "si", "ate", "Ana Pérez", "cancelar", "a" * 4096]
)
command = st.builds(
    lambda c, junk: f"{c} {junk}".strip(), st.sampled_from(COMMANDS), st.text(max_size=40)
)
data = st.sampled_from(KNOWN_DATA) | st.text(max_size=64).filter(lambda d: len(d.encode()) <= 64)
user = st.sampled_from(USERS)
action = st.one_of(
    st.tuples(st.just("text"), user, text),
    st.tuples(st.just("command"), user, command),
    st.tuples(st.just("press"), user, data),
    st.tuples(st.just("sticker"), user, st.none()),
    st.tuples(st.just("photo"), user, st.none() | st.text(max_size=50)),
    st.tuples(st.just("document"), user, st.binary(max_size=200)),
    st.tuples(st.just("voice"), user, st.none()),
    st.tuples(st.just("contact"), user, st.text(alphabet="+0123456789", max_size=15)),
    st.tuples(st.just("location"), user, st.none()),
    st.tuples(st.just("edited"), user, text),
    st.tuples(st.just("group"), user, text | command),
    st.tuples(st.just("channel"), user, text),
    st.tuples(st.just("empty"), user, st.none()),
    st.tuples(st.just("member"), user, st.sampled_from(["kicked", "member"])),
)


async def perform(api: BotAPIStandIn, kind: str, uid: int, value) -> None:
    if kind == "text":
        await api.send_text(uid, value) if value else await api.send_update(_raw(uid, {}))
    elif kind == "command":
        await api.send_command(uid, value)
    elif kind == "press":
        last = api.last(uid)
        await api.press(uid, last.message_id if last else 1, value)
    elif kind == "sticker":
        await api.send_sticker(uid)
    elif kind == "photo":
        await api.send_photo(uid, caption=value)
    elif kind == "document":
        await api.send_document(uid, value or b"x", file_name="x.bin")
    elif kind == "voice":
        await api.send_voice(uid)
    elif kind == "contact":
        await api.send_contact(uid, value or "0", own=False)
    elif kind == "location":
        await api.send_location(uid)
    elif kind == "edited":
        await api.send_update({"edited_message": _msg(uid, value, edit_date=1)})
    elif kind == "group":
        chat = {"id": -100777, "type": "supergroup", "title": "Grupo"}
        await api.send_update({"message": _msg(uid, value, chat=chat)})
    elif kind == "channel":
        chat = {"id": -100888, "type": "channel", "title": "Canal"}
        await api.send_update({"channel_post": {"chat": chat, "text": value or "."}})
    elif kind == "empty":
        await api.send_update(_raw(uid, {}))
    elif kind == "member":
        await api.send_my_chat_member(uid, status=value)


def _msg(uid: int, text: str, chat: dict | None = None, **extra) -> dict:
    msg = {
        "chat": chat or {"id": uid, "type": "private", "first_name": "Fuzz"},
        "from": {"id": uid, "is_bot": False, "first_name": "Fuzz"},
        **extra,
    }
    if text:
        msg["text"] = text
    return msg


def _raw(uid: int, extra: dict) -> dict:
    return {"message": _msg(uid, "", **extra)}


class Live:
    """The stand-in and the bot on a private event loop, for synchronous Hypothesis tests."""

    def __init__(self, db_url: str) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.api = BotAPIStandIn(token=TOKEN)
        self.run(self.api.start())
        self.bot = BotRunner(self.api, db_url)
        self.run(self.bot.start())

    def run(self, coro, timeout: float = 120):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def close(self) -> None:
        self.run(self.bot.stop())
        self.run(self.api.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.sqlite3"
    live = Live(f"sqlite:///{path}")
    yield live
    live.close()


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large,
    ],
)
@given(batch=st.lists(action, min_size=20, max_size=60))
def test_random_updates_never_break_the_bot(live, batch):
    errors = metrics.value("concerta_errors_total")

    async def throw():
        for kind, uid, value in batch:
            await perform(live.api, kind, uid, value)
        # Updates are handled one at a time, in order: once this one is answered, the whole
        # batch has been handled (not merely fetched).
        # A new sentinel each batch: one user writing "gracias" fifty times in a few seconds
        # would rightly be held back by the flood limit.
        sentinel = SENTINEL + 100_000 + next(_batches)
        await live.api.send_text(sentinel, "gracias")
        await expect(live.api, sentinel, "gusto", timeout=120)

    live.run(throw())
    assert metrics.value("concerta_errors_total") == errors


def test_still_answers_a_normal_question_afterwards(live):
    async def ask():
        uid = 6999
        await live.api.send_text(uid, "que es el registro unico de victimas RUVA")
        return await expect(live.api, uid, "Fuente")

    assert "RUVA" in live.run(ask()).text
