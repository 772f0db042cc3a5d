"""The Bot API stand-in, driven by the real python-telegram-bot and by the control API."""

from __future__ import annotations

import asyncio
import io
import queue
import time

import aiohttp
import pytest
from telegram import (
    Bot,
    BotCommandScopeAllGroupChats,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from standin.samples import sample_pdf, sample_photo
from standin.server import TINY_PNG, BotAPIStandIn, parse_html
from standin.terminal import render_entities, run_terminal_chat

USER = 4242
KEYBOARD = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("Acepto", callback_data="consent:yes"),
            InlineKeyboardButton("No acepto", callback_data="consent:no"),
        ],
        [InlineKeyboardButton("Más información", url="https://example.org/info")],
    ]
)


async def _start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    args = " ".join(context.args or [])
    await update.message.reply_html(f"<b>Hola</b>, {update.effective_user.first_name} {args}")


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.message.reply_html(f"<b>Dijiste:</b> {update.message.text}", reply_markup=KEYBOARD)


async def _document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    tg_file = await update.message.document.get_file()
    data = bytes(await tg_file.download_as_bytearray())
    await update.message.reply_document(
        document=data[::-1], filename="al_reves.txt", caption=f"{len(data)} bytes"
    )


async def _button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer("Anotado")
    await query.edit_message_text(f"Elegiste <i>{query.data}</i>", parse_mode=ParseMode.HTML)


@pytest.fixture
async def standin():
    async with BotAPIStandIn() as api:
        api.user(USER, first_name="Rosa", username="rosa_q")
        yield api


def _build(api: BotAPIStandIn) -> Application:
    return (
        ApplicationBuilder()
        .token(api.token)
        .base_url(api.base_url)
        .base_file_url(api.base_file_url)
        .build()
    )


@pytest.fixture
async def app(standin):
    application = _build(standin)
    application.add_handler(CommandHandler("start", _start))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, _echo))
    application.add_handler(MessageHandler(filters.Document.ALL, _document))
    application.add_handler(CallbackQueryHandler(_button))
    await application.initialize()
    await application.start()
    await application.updater.start_polling(poll_interval=0, timeout=1)
    yield application
    await application.updater.stop()
    await application.stop()
    await application.shutdown()


@pytest.fixture
async def bot(standin):
    """A bare PTB Bot (no polling) for checking single answers."""
    application = _build(standin)
    await application.initialize()
    yield application.bot
    await application.shutdown()


# ---- conversation through the real PTB Application ------------------------------------------


async def test_echo_buttons_and_edit(standin, app):
    await standin.send_command(USER, "/start hola")
    greeting = await standin.next_reply(USER)
    assert greeting.plain_text == "Hola, Rosa hola"
    assert greeting.entities == [{"type": "bold", "offset": 0, "length": 4}]

    await standin.send_text(USER, "quiero ayuda")
    reply = await standin.next_reply(USER)
    assert reply.kind == "text"
    assert reply.text == "<b>Dijiste:</b> quiero ayuda"
    assert reply.parse_mode == "HTML"
    assert reply.button_texts == ["Acepto", "No acepto", "Más información"]
    assert reply.buttons[1][0].url == "https://example.org/info"

    await standin.press_button(USER, "No acepto")
    edited = await standin.next_reply(USER)
    assert edited.message_id == reply.message_id
    assert edited.plain_text == "Elegiste consent:no"
    assert edited.edited == 1
    assert edited.buttons == []  # editMessageText without reply_markup drops the keyboard
    assert standin.callback_answers[-1].text == "Anotado"
    assert [m.message_id for m in standin.messages(USER)] == [greeting.message_id, reply.message_id]
    assert standin.last(USER).plain_text == "Elegiste consent:no"


async def test_forged_callback_data_reaches_the_bot(standin, app):
    await standin.send_text(USER, "hola")
    reply = await standin.next_reply(USER)
    await standin.press(USER, reply.message_id, "data-the-bot-never-sent")
    edited = await standin.next_reply(USER)
    assert edited.plain_text == "Elegiste data-the-bot-never-sent"


async def test_document_round_trip(standin, app):
    await standin.send_document(USER, b"informe confidencial", "informe.txt", "text/plain")
    reply = await standin.next_reply(USER)
    assert reply.kind == "document"
    assert reply.file_name == "al_reves.txt"
    assert reply.file_bytes == b"informe confidencial"[::-1]
    assert reply.plain_text == "20 bytes"
    assert reply.raw["document"]["file_size"] == 20


async def test_blocked_user_gives_forbidden(standin, bot):
    standin.block(USER, notify=True)
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(USER, "¿sigues ahí?")
    updates = await bot.get_updates(timeout=0)
    member = updates[-1].my_chat_member
    assert member.new_chat_member.status == "kicked"
    standin.unblock(USER)
    assert (await bot.send_message(USER, "hola")).text == "hola"


# PTB 22 itself emits a PTBDeprecationWarning whenever it builds a RetryAfter.
_RETRY_AFTER_WARNING = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


@_RETRY_AFTER_WARNING
async def test_retry_after_reaches_ptb(standin, bot):
    standin.fail_next("sendMessage", retry_after=3)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(USER, "hola")
    assert "Retry in 3 seconds" in str(caught.value)
    assert (await bot.send_message(USER, "hola")).text == "hola"  # only the next call failed

    standin.fail_next("sendMessage", retry_after=7)
    async with aiohttp.ClientSession() as http:
        url = f"{standin.base_url}{standin.token}/sendMessage"
        async with http.post(url, data={"chat_id": USER, "text": "x"}) as response:
            assert response.status == 429
            assert await response.json() == {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 7",
                "parameters": {"retry_after": 7},
            }


@_RETRY_AFTER_WARNING
async def test_ptb_rate_limiter_retries_after_429(standin):
    application = (
        ApplicationBuilder()
        .token(standin.token)
        .base_url(standin.base_url)
        .rate_limiter(AIORateLimiter(max_retries=2))
        .build()
    )
    await application.initialize()
    try:
        standin.fail_next("sendMessage", retry_after=1)  # whole seconds, as Telegram sends
        sent = await application.bot.send_message(USER, "paciencia")
    finally:
        await application.shutdown()
    assert sent.text == "paciencia"
    assert [c.status for c in standin.calls_to("sendMessage")] == [429, 200]


@_RETRY_AFTER_WARNING
async def test_rate_limit_and_delay(standin, bot):
    standin.rate_limit(per_second=None, per_chat_per_second=2)
    await bot.send_message(USER, "uno")
    await bot.send_message(USER, "dos")
    with pytest.raises(RetryAfter):
        await bot.send_message(USER, "tres")
    standin.rate_limit(None)
    standin.delay("sendMessage", 0.3)
    started = time.monotonic()
    await bot.send_message(USER, "lento")
    assert time.monotonic() - started >= 0.3


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("<b>sin cerrar", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>cruzado<i></b></i>", 'Unmatched end tag at byte offset 13, expected "</i>"'),
        ("<div>no</div>", 'Unsupported start tag "div" at byte offset 0'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
        ("</b>", "Unexpected end tag at byte offset 0"),
    ],
)
async def test_html_is_validated(standin, bot, text, error):
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities") as caught:
        await bot.send_message(USER, text, parse_mode=ParseMode.HTML)
    # PTB drops "Bad Request: " and str.capitalize()s the rest, lowercasing it.
    assert error.lower() in caught.value.message.lower()
    assert error in standin.calls[-1].description  # the exact Telegram wording


async def test_valid_html_gives_plain_text_and_entities(standin, bot):
    sent = await bot.send_message(
        USER,
        '<b>Ley</b> 30364 &amp; <a href="https://x.pe">enlace</a> <tg-spoiler>s</tg-spoiler> '
        '<span class="tg-spoiler">t</span> <pre><code class="language-py">1&lt;2</code></pre>',
        parse_mode=ParseMode.HTML,
    )
    assert sent.text == "Ley 30364 & enlace s t 1<2"
    types = [(e.type, e.offset, e.length) for e in sent.entities]
    assert types == [
        ("bold", 0, 3),
        ("text_link", 12, 6),
        ("spoiler", 19, 1),
        ("spoiler", 21, 1),
        ("pre", 23, 3),
    ]
    assert sent.entities[-1].language == "py"


async def test_length_empty_and_not_modified(standin, bot, bot_api_spec):
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(USER, "a" * 4097)
    assert (await bot.send_message(USER, "😀" * 2048)).text  # 4096 UTF-16 units is fine
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(USER, "😀" * 2049)
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(USER, "<b> </b>", parse_mode=ParseMode.HTML)
    sent = await bot.send_message(USER, "igual", reply_markup=KEYBOARD)
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("igual", USER, sent.message_id, reply_markup=KEYBOARD)
    edited = await bot.edit_message_text("igual", USER, sent.message_id)  # markup dropped
    assert edited.reply_markup is None
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", USER, 999)
    assert bot_api_spec.take() == [
        "sendMessage: text: 4097 characters, allowed 1-4096",
        "sendMessage: text: 4098 characters, allowed 1-4096",
        "sendMessage: text: 0 characters, allowed 1-4096",
    ]


async def test_callback_data_and_query_checks(standin, bot, bot_api_spec):
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="x" * 65)]])
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(USER, "botón", reply_markup=too_long)
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query("12345")
    assert bot_api_spec.take() == [
        "sendMessage: reply_markup.inline_keyboard[0][0].callback_data: 65 bytes, allowed 1-64"
    ]


def test_html_entities_are_decoded_like_telegram():
    assert parse_html("a &lt;b&gt; &#233; &nbsp;")[0] == "a <b> é &nbsp;"


async def test_only_html_is_modelled(standin, bot):
    with pytest.raises(BadRequest, match=r"(?i)unsupported parse_mode"):
        await bot.send_message(USER, "*Hola*", parse_mode=ParseMode.MARKDOWN_V2)


async def test_files_sent_by_users_can_be_downloaded(standin, bot):
    await standin.send_photo(USER, caption="foto")
    await standin.send_document(USER, b"%PDF-1.4 fake", "denuncia.pdf")
    updates = await bot.get_updates(timeout=0)
    photo = updates[0].message.photo[-1]
    assert (photo.width, photo.height) == (1, 1)
    assert bytes(await (await photo.get_file()).download_as_bytearray()) == TINY_PNG
    document = updates[1].message.document
    assert document.mime_type == "application/pdf"
    tg_file = await document.get_file()
    assert tg_file.file_path.startswith(standin.base_file_url)
    assert bytes(await tg_file.download_as_bytearray()) == b"%PDF-1.4 fake"

    sent = await bot.send_document(USER, document=b"hola", filename="hola.txt")
    assert sent.document.file_name == "hola.txt"
    assert standin.last(USER).file_bytes == b"hola"
    with pytest.raises(BadRequest, match=r"(?i)IMAGE_PROCESS_FAILED"):
        await bot.send_photo(USER, photo=b"not an image")
    again = await bot.send_document(USER, document=sent.document.file_id)
    assert standin.last(USER).file_bytes == b"hola"
    assert again.document.file_id == sent.document.file_id


async def test_unknown_token_is_rejected(standin):
    request = HTTPXRequest()
    bot = Bot("999:WRONG", base_url=standin.base_url, request=request)
    try:
        with pytest.raises(InvalidToken):
            await bot.get_me()
    finally:
        await request.shutdown()


async def test_commands_and_unknown_methods(standin, bot, bot_api_spec):
    await bot.set_my_commands([("start", "Empezar"), ("ayuda", "Pedir ayuda")])
    assert standin.commands[1] == {"command": "ayuda", "description": "Pedir ayuda"}
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([("Start", "mayúsculas")])
    assert bot_api_spec.take() == [
        'setMyCommands: commands[0].command: "Start" breaks \'Can contain only lowercase English '
        "letters, digits and underscores'"
    ]
    with pytest.raises(BadRequest, match=r"(?i)menus without a language only"):
        await bot.set_my_commands([("start", "Empezar")], language_code="qu")
    assert [c["command"] for c in standin.commands] == ["start", "ayuda"]
    # A method the stand-in does not model fails, as an unknown one fails at Telegram (404,
    # which python-telegram-bot reports as a bad token): it does not pass unnoticed.
    with pytest.raises(InvalidToken, match="does not model setMyDescription"):
        await bot.set_my_description("Asistente")
    assert standin.calls_to("setMyDescription")[0].status == 404


async def test_a_chat_has_its_own_menu_until_it_is_deleted(standin, bot, bot_api_spec):
    await bot.set_my_commands([("start", "Empezar"), ("ayuda", "Ayuda")])
    staff = BotCommandScopeChat(USER)
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):  # never wrote to the bot
        await bot.set_my_commands([("difundir", "Enviar un mensaje")],
                                  scope=BotCommandScopeChat(USER + 50))
    await standin.send_text(USER, "hola")
    await bot.set_my_commands([("difundir", "Enviar un mensaje")], scope=staff)
    assert standin.menu_for(USER) == ["difundir"]
    assert standin.menu_for(USER + 1) == ["start", "ayuda"]  # everyone else: the default
    assert [c.command for c in await bot.get_my_commands(scope=staff)] == ["difundir"]
    assert await bot.delete_my_commands(scope=staff) is True
    assert standin.menu_for(USER) == ["start", "ayuda"]
    assert await bot.get_my_commands(scope=staff) == ()
    with pytest.raises(BadRequest, match=r"(?i)does not model the command scope"):
        await bot.set_my_commands([("x", "y")], scope=BotCommandScopeAllGroupChats())
    assert bot_api_spec.take() == []
    # The browser chat asks for the menu of the person whose chat it shows.
    await bot.set_my_commands([("difundir", "Enviar un mensaje")], scope=staff)
    async with aiohttp.ClientSession() as http:
        for who, menu in ((f"?user_id={USER}", ["difundir"]), ("", ["start", "ayuda"])):
            async with http.get(f"{standin.url}/_chat/info{who}") as response:
                assert [c["command"] for c in (await response.json())["commands"]] == menu


async def test_reactions_need_an_existing_message(standin, bot):
    sent = await standin.send_text(USER, "gracias")
    assert await bot.set_message_reaction(USER, sent, "👍") is True
    with pytest.raises(BadRequest, match=r"(?i)MESSAGE_ID_INVALID"):
        await bot.set_message_reaction(USER, sent + 50, "👍")
    # The chats see it: as an event, and on the message in the transcript.
    event = [e for e in standin._events if e["type"] == "reaction"][-1]
    assert (event["chat_id"], event["message_id"], event["emoji"]) == (USER, sent, ["👍"])
    async with (
        aiohttp.ClientSession(base_url=standin.url) as http,
        http.get("/_chat/transcript", params={"chat_id": USER}) as response,
    ):
        mine = (await response.json())["user_messages"]
    assert mine[-1]["reactions"] == ["👍"]


async def test_update_ids_count_on_from_the_clock_across_runs():
    """Not from 1: the bot records handled update ids, and the demo database outlives a run."""
    async with BotAPIStandIn() as first:
        ids = [
            await first.send_update({"message": {"chat": {"id": 1, "type": "private"}}})
            for _ in range(3)
        ]
    assert ids == [ids[0], ids[0] + 1, ids[0] + 2]
    assert ids[0] > 10**9
    await asyncio.sleep(0.01)
    async with BotAPIStandIn() as second:
        again = await second.send_update({"message": {"chat": {"id": 1, "type": "private"}}})
    assert again > ids[-1]  # the next run's updates are not taken for replays of this one's


# ---- long polling -----------------------------------------------------------------------------


async def test_get_updates_long_poll_and_offset(standin):
    url = f"{standin.base_url}{standin.token}/getUpdates"
    async with aiohttp.ClientSession() as http:

        async def get_updates(**params):
            started = time.monotonic()
            async with http.post(url, json=params) as response:
                body = await response.json()
            return body.get("result"), time.monotonic() - started

        first = await standin.send_text(USER, "uno")
        await standin.send_text(USER, "dos")
        result, took = await get_updates(timeout=5)
        assert took < 0.5  # pending updates are answered at once
        assert [u["message"]["message_id"] for u in result] == [first, first + 1]

        result, _ = await get_updates(timeout=0, limit=1)
        assert len(result) == 1  # not confirmed yet: delivered again

        last_id = result[0]["update_id"] + 1
        result, took = await get_updates(offset=last_id + 1, timeout=1)
        assert result == [] and took >= 0.9  # offset confirmed both, then waited

        waiting = asyncio.create_task(get_updates(offset=last_id + 1, timeout=5))
        await asyncio.sleep(0.1)
        await standin.send_text(USER, "tres")
        result, took = await waiting
        assert [u["message"]["text"] for u in result] == ["tres"] and took < 1

        await standin.send_sticker(USER)
        result, _ = await get_updates(allowed_updates=["callback_query"])
        assert result == []  # filtered out and dropped
        assert standin.pending_updates == []

        older = asyncio.create_task(get_updates(timeout=5))
        await asyncio.sleep(0.1)
        await get_updates(timeout=0)
        assert (await older)[0] is None  # a second live poller terminates the first with 409
        assert standin.calls_to("getUpdates")[-2].status == 409


async def test_raw_updates_for_groups_and_edits(standin, bot):
    group = {"id": -1001, "type": "supergroup", "title": "Mesa de concertación"}
    sender = {"id": USER, "is_bot": False, "first_name": "Rosa"}
    await standin.send_update({"message": {"chat": group, "from": sender, "text": "hola grupo"}})
    original = await standin.send_text(USER, "tyop")
    await standin.send_update(
        {
            "edited_message": {
                "message_id": original,
                "chat": {"id": USER, "type": "private", "first_name": "Rosa"},
                "from": sender,
                "date": 0,
                "edit_date": 1,
                "text": "typo",
            }
        }
    )
    updates = await bot.get_updates(timeout=0)
    assert updates[0].message.chat.type == "supergroup"
    assert updates[2].edited_message.text == "typo"
    assert updates[1].update_id + 1 == updates[2].update_id
    reply = await bot.send_message(-1001, "hola a todos")
    assert reply.chat.title == "Mesa de concertación"
    assert standin.last(-1001).plain_text == "hola a todos"


# ---- control API and terminal -----------------------------------------------------------------


async def test_control_api(standin, app):
    async with aiohttp.ClientSession(base_url=standin.url) as http:
        async with http.get("/_chat/messages", params={"after": 0}) as response:
            last = (await response.json())["last"]
        async with http.post("/_chat/send", json={"user_id": 77, "text": "hola"}) as response:
            assert (await response.json())["ok"] is True
        async with http.get(
            "/_chat/messages", params={"chat_id": 77, "after": last, "wait": 5}
        ) as response:
            data = await response.json()
        event = data["events"][0]
        assert event["type"] == "new" and event["seq"] == data["last"]
        message = event["message"]
        assert message["plain_text"] == "Dijiste: hola"
        assert message["buttons"][0][0] == {
            "text": "Acepto",
            "callback_data": "consent:yes",
            "url": None,
        }

        async with http.post(
            "/_chat/press",
            json={"user_id": 77, "message_id": message["message_id"], "callback_data": "ok"},
        ) as response:
            assert (await response.json())["callback_query_id"]
        types, after = [], data["last"]
        while "edit" not in types:  # the callback answer may arrive in an earlier poll
            async with http.get(
                "/_chat/messages", params={"chat_id": 77, "after": after, "wait": 5}
            ) as response:
                data = await response.json()
            assert data["events"], f"no edit event, got {types}"
            types += [e["type"] for e in data["events"]]
            after = data["last"]
        assert "callback_answer" in types

    await standin.send_document(77, b"abc", "a.txt")
    reply = await standin.wait_for_messages(77, count=3)  # new, edit, document
    document = reply[-1]
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"{standin.url}/_chat/file/77/{document.message_id}") as response,
    ):
        assert await response.read() == b"cba"
        assert "al_reves.txt" in response.headers["Content-Disposition"]


async def test_control_api_in_a_group_and_with_files(standin, bot):
    """What the demo chats need for the staff group and the clip: a reply in a group, a button
    pressed there, and a photo, a PDF and a sticker, shown back in the transcript."""
    group = standin.group(-1001, "Mesa de especialistas")
    consulta = await bot.send_message(group["id"], "Consulta #1")
    photo, pdf = sample_photo(), sample_pdf()
    async with aiohttp.ClientSession(base_url=standin.url) as http:

        async def post(path, **kwargs):
            async with http.post(path, **kwargs) as response:
                return response.status, await response.json()

        reply = {"user_id": 77, "chat_id": group["id"], "text": "Respuesta", "first_name": "Rosa"}
        status, sent = await post("/_chat/send", json={**reply, "reply_to": consulta.message_id})
        assert status == 200
        assert (await post("/_chat/send", json={**reply, "reply_to": 999}))[0] == 404
        assert (await post("/_chat/send", json={**reply, "chat_id": -5}))[0] == 404
        press = {"user_id": 77, "chat_id": group["id"], "message_id": consulta.message_id}
        assert (await post("/_chat/press", json={**press, "callback_data": "v1:ho:close:1"}))[
            0
        ] == 200

        def form(kind, data=None, name=None, mime=None):
            fields = aiohttp.FormData({"user_id": "77", "kind": kind})
            if data is not None:
                fields.add_field("file", data, filename=name, content_type=mime)
            return fields

        assert (await post("/_chat/upload", data=form("photo", photo, "f.png", "image/png")))[
            0
        ] == 200
        pdf_form = form("document", pdf, "acta.pdf", "application/pdf")
        assert (await post("/_chat/upload", data=pdf_form))[0] == 200
        assert (await post("/_chat/upload", data=form("sticker")))[0] == 200
        status, refused = await post("/_chat/upload", data=form("photo", b"no", "x.png"))
        assert status == 400 and "imagen" in refused["description"]
        assert (await post("/_chat/upload", data=form("voice", b"x", "a.ogg")))[0] == 400

        async with http.get("/_chat/transcript", params={"chat_id": 77}) as response:
            mine = (await response.json())["user_messages"]
        async with http.get("/_chat/transcript", params={"chat_id": group["id"]}) as response:
            in_group = (await response.json())["user_messages"]
        async with http.get(f"/_chat/file/77/{mine[0]['message_id']}") as response:
            assert response.content_type == "image/png"
            assert await response.read() == photo
        async with http.get("/_chat/info") as response:
            assert group in (await response.json())["groups"]

    updates = [u for u in standin.pending_updates if "message" in u or "callback_query" in u]
    message = updates[0]["message"]
    assert message["chat"] == group and message["from"]["id"] == 77
    assert message["reply_to_message"]["message_id"] == consulta.message_id
    assert message["message_id"] == sent["message_id"]
    assert updates[1]["callback_query"]["message"]["chat"]["id"] == group["id"]
    assert updates[2]["message"]["photo"][-1]["width"] == 240
    assert updates[3]["message"]["document"]["file_name"] == "acta.pdf"
    assert updates[3]["message"]["document"]["mime_type"] == "application/pdf"
    assert updates[4]["message"]["sticker"]["emoji"] == "👍"
    assert [m["kind"] for m in mine] == ["photo", "document", "sticker"]
    assert mine[1]["file_name"] == "acta.pdf" and mine[1]["file_size"] == len(pdf)
    assert in_group[0]["from_name"] == "Rosa"
    assert in_group[0]["reply_to"] == {
        "message_id": consulta.message_id,
        "from_name": "Concerta",
        "text": "Consulta #1",
    }


class _TypedInput:
    """A stdin whose lines the test types one at a time, like a person."""

    def __init__(self) -> None:
        self.lines: queue.Queue[str] = queue.Queue()

    def type(self, line: str) -> None:
        self.lines.put(line + "\n")

    def readline(self) -> str:
        return self.lines.get()


async def _wait_for_output(out: io.StringIO, needle: str, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while needle not in out.getvalue():
        assert time.monotonic() < deadline, f"{needle!r} not in output:\n{out.getvalue()}"
        await asyncio.sleep(0.02)


async def test_terminal_chat(standin, app):
    typed, out = _TypedInput(), io.StringIO()
    chat = asyncio.create_task(
        run_terminal_chat(standin.url, USER, "Rosa", stdin=typed, stdout=out)
    )
    await _wait_for_output(out, "/salir")
    typed.type("hola bot")
    await _wait_for_output(out, "Concerta: *Dijiste:* hola bot")
    await _wait_for_output(out, "[1] Acepto  [2] No acepto")
    assert "[3] Más información" in out.getvalue()
    typed.type("#2")
    await _wait_for_output(out, "(aviso) Anotado")
    await _wait_for_output(out, "Concerta: (editado) Elegiste _consent:no_")
    typed.type("#3")
    await _wait_for_output(out, "No hay botones vigentes para pulsar.")
    typed.type(":usuario 99 Luis")
    await _wait_for_output(out, "Ahora usted escribe como Luis (id 99).")
    await standin.send_document(99, b"12345", "acta.txt")
    await _wait_for_output(out, "[documento: al_reves.txt, 5 bytes]")
    typed.type("/salir")
    assert await asyncio.wait_for(chat, 5) == 0


async def test_terminal_chat_exits_on_eof():
    async with BotAPIStandIn() as api:
        out = io.StringIO()
        code = await run_terminal_chat(api.url, 5, "Ana", stdin=io.StringIO("hola\n"), stdout=out)
        assert code == 0
        assert "Fin de la entrada" in out.getvalue()
        assert api.pending_updates[0]["message"]["text"] == "hola"


async def test_terminal_chat_with_dead_server():
    api = BotAPIStandIn()
    await api.start()
    url = api.url
    await api.stop()
    out = io.StringIO()
    code = await run_terminal_chat(url, 5, "Ana", stdin=io.StringIO(""), stdout=out)
    assert code == 1
    assert "No se pudo conectar con el servidor de prueba" in out.getvalue()


async def test_terminal_chat_notices_a_server_that_goes_away():
    api = BotAPIStandIn()
    await api.start()
    typed, out = _TypedInput(), io.StringIO()
    chat = asyncio.create_task(run_terminal_chat(api.url, 5, "Ana", stdin=typed, stdout=out))
    await _wait_for_output(out, "/salir")
    await api.stop()
    assert await asyncio.wait_for(chat, 5) == 1
    assert "Se perdió la conexión con el servidor" in out.getvalue()
    typed.type("")  # let the reader thread finish


def test_render_entities():
    text, entities = parse_html(
        '<b>Hola</b> <i>tú</i> 😀 <a href="https://x.pe">web</a> <code>x</code>\n'
        "<blockquote>uno\ndos</blockquote>"
    )
    assert render_entities(text, entities) == (
        "*Hola* _tú_ 😀 web (https://x.pe) `x`\n> uno\n> dos"
    )


# ---- what Telegram refuses ------------------------------------------------------------------


async def test_an_edit_takes_an_inline_keyboard_only(standin, bot, bot_api_spec):
    sent = await bot.send_message(USER, "elija", reply_markup=KEYBOARD)
    reply_keyboard = ReplyKeyboardMarkup([["Sí", "No"]])
    with pytest.raises(BadRequest, match=r"(?i)inline keyboard expected"):
        await bot.edit_message_text("otra", USER, sent.message_id, reply_markup=reply_keyboard)
    with pytest.raises(BadRequest, match=r"(?i)inline keyboard expected"):
        await bot.edit_message_reply_markup(USER, sent.message_id, reply_markup=reply_keyboard)
    assert standin.last(USER).button_texts == ["Acepto", "No acepto", "Más información"]
    assert set(bot_api_spec.take()) == {
        f"{method}: reply_markup.{problem}"
        for method in ("editMessageText", "editMessageReplyMarkup")
        for problem in (
            "inline_keyboard: required in InlineKeyboardMarkup, missing",
            "keyboard: no such field in InlineKeyboardMarkup",
        )
    }


async def test_keyboards_past_telegrams_limits_are_refused(standin, bot):
    def grid(rows: int, per_row: int) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup(
            [
                [InlineKeyboardButton("b", callback_data=f"{r}:{c}") for c in range(per_row)]
                for r in range(rows)
            ]
        )

    assert await bot.send_message(USER, "12 por fila", reply_markup=grid(1, 12))
    assert await bot.send_message(USER, "100 en total", reply_markup=grid(10, 10))
    for too_many in (grid(1, 13), grid(17, 6)):
        with pytest.raises(BadRequest, match=r"(?i)BUTTONS_TOO_MUCH"):
            await bot.send_message(USER, "demasiados", reply_markup=too_many)
    with pytest.raises(BadRequest, match=r"(?i)BUTTONS_TOO_MUCH"):
        await bot.send_message(USER, "fila", reply_markup=ReplyKeyboardMarkup([["x"] * 13]))


@pytest.mark.parametrize(
    ("url", "secret", "refusal"),
    [
        ("http://bot.example.gob.pe/telegram", None, "an https url must be provided"),
        ("https://bot.example.gob.pe:8080/telegram", None, "only on ports 80, 88, 443 or 8443"),
        ("https://bot.example.gob.pe:8443/telegram", "no vale!", "unallowed characters"),
    ],
)
async def test_set_webhook_refuses_what_telegram_refuses(
    standin, bot, bot_api_spec, url, secret, refusal
):
    with pytest.raises(BadRequest, match=f"(?i){refusal}"):
        await bot.set_webhook(url, secret_token=secret)
    assert standin.webhook == {"url": ""}
    if secret:  # the specification says which characters; the port and https only in words
        assert bot_api_spec.take() == [
            'setWebhook: secret_token: "no vale!" breaks '
            "'Only characters A-Z, a-z, 0-9, _ and - are allowed'"
        ]


async def test_set_webhook_on_an_allowed_port(standin, bot):
    for url in ("https://bot.example.gob.pe/telegram", "https://bot.example.gob.pe:88/t"):
        assert await bot.set_webhook(url, secret_token="abc_DEF-123") is True
        assert standin.webhook["url"] == url


async def test_a_missing_required_parameter_is_named(standin, bot_api_spec):
    async with aiohttp.ClientSession() as http:
        url = f"{standin.base_url}{standin.token}"
        async with http.post(f"{url}/answerCallbackQuery", data={"text": "x"}) as response:
            body = await response.json()
        assert (response.status, body["description"]) == (
            400,
            'Bad Request: parameter "callback_query_id" is required',
        )
        async with http.post(f"{url}/setWebhook", data={}) as response:
            assert (await response.json())["description"].endswith('"url" is required')
    assert bot_api_spec.take() == [
        "answerCallbackQuery: callback_query_id: required parameter missing",
        "setWebhook: url: required parameter missing",
    ]
