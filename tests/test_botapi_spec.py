"""The checker of the tests' Bot API traffic (tests/botapi/) finds what Telegram's specification
forbids, whether or not the stand-in answers it: each test sends a bad request through a stand-in
and takes the violations it caused, so they do not fail it."""

from __future__ import annotations

import json

import aiohttp
import pytest

from standin.server import BotAPIStandIn
from tests.botapi.checker import SpecChecker

USER = 4242


@pytest.fixture
async def call():
    """POST one method to a fresh stand-in, as a form (what PTB sends) or as JSON."""
    async with BotAPIStandIn() as api, aiohttp.ClientSession() as http:
        api.user(USER)

        async def post(method: str, *, body: dict | None = None, **form) -> dict:
            url = f"{api.base_url}{api.token}/{method}"
            async with http.post(url, json=body, data=None if body else form) as response:
                return await response.json()

        post.api = api
        yield post


async def test_a_misspelt_method_is_not_found_and_named(call, bot_api_spec):
    answer = await call("sendMesage", chat_id=USER, text="hola")
    assert answer["error_code"] == 404
    assert bot_api_spec.take() == ["sendMesage: no such method in Bot API 10.1"]
    await call("sendmessage", chat_id=USER, text="hola")
    assert bot_api_spec.take() == ["sendmessage: the method is spelt sendMessage"]


async def test_a_missing_required_parameter(call, bot_api_spec):
    answer = await call("sendMessage", chat_id=USER)
    assert answer["description"] == "Bad Request: message text is empty"
    assert bot_api_spec.take() == ["sendMessage: text: required parameter missing"]


async def test_an_unknown_parameter_passes_at_telegram_but_not_here(call, bot_api_spec):
    answer = await call("sendMessage", chat_id=USER, text="hola", colour="rojo")
    assert answer["ok"] is True
    assert bot_api_spec.take() == ["sendMessage: colour: no such parameter"]


async def test_json_types_in_forms_and_in_json_bodies(call, bot_api_spec):
    await call("sendMessage", chat_id=USER, text="hola", disable_notification="quizás")
    await call("sendMessage", body={"chat_id": USER, "text": "hola", "protect_content": 1})
    await call("getUpdates", timeout="0.5")
    assert bot_api_spec.take() == [
        'sendMessage: disable_notification: expected Boolean, got "quizás"',
        "sendMessage: protect_content: expected Boolean, got 1",
        'getUpdates: timeout: expected Integer, got "0.5"',
    ]


async def test_an_empty_reply_markup_is_no_keyboard(call, bot_api_spec):
    """What /staff used to send with no staff members."""
    await call("sendMessage", chat_id=USER, text="hola", reply_markup="{}")
    assert bot_api_spec.take() == [
        "sendMessage: reply_markup.inline_keyboard: required in InlineKeyboardMarkup, missing"
    ]


async def test_the_documented_limits(call, bot_api_spec):
    await call(
        "sendMessage",
        chat_id=USER,
        text="<b>" + "a" * 4096 + "</b>",  # 4096 characters once the markup is parsed
        parse_mode="HTML",
        reply_markup=json.dumps({"inline_keyboard": [[{"text": "x", "callback_data": "ñ" * 33}]]}),
    )
    await call("answerCallbackQuery", callback_query_id="1", text="a" * 201)
    await call(
        "setMyCommands",
        commands=json.dumps(
            [{"command": "a" * 33, "description": "d" * 257}, {"command": "b", "description": ""}]
        ),
    )
    assert bot_api_spec.take() == [
        "sendMessage: reply_markup.inline_keyboard[0][0].callback_data: 66 bytes, allowed 1-64",
        "answerCallbackQuery: text: 201 characters, allowed 0-200",
        "setMyCommands: commands[0].command: 33 characters, allowed 1-32",
        "setMyCommands: commands[0].description: 257 characters, allowed 1-256",
        "setMyCommands: commands[1].description: 0 characters, allowed 1-256",
    ]


async def test_the_stand_ins_answers_are_checked_too(call, bot_api_spec):
    # An update a test builds by hand, with a field Telegram's Chat does not have.
    await call.api.send_update({"message": {"chat": {"id": USER, "type": "private", "x": 1}}})
    await call("getUpdates")
    assert bot_api_spec.take() == [
        "getUpdates answer: result[0].message.chat.x: no such field in Chat"
    ]


def test_an_error_answer_has_telegrams_shape():
    checker = SpecChecker()
    checker.response(
        "sendMessage",
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests",
            "parameters": {"retry_after": 0.5},
        },
    )
    checker.response("getMe", {"ok": True, "result": {"id": 1, "is_bot": True}})
    assert checker.take() == [
        "sendMessage answer: parameters.retry_after: expected Integer, got 0.5",
        "getMe answer: result.first_name: required in User, missing",
    ]


async def test_a_command_scope_is_told_by_its_type(call, bot_api_spec):
    await call.api.send_text(USER, "hola")  # the chat exists
    menu = json.dumps([{"command": "difundir", "description": "Enviar un mensaje"}])
    await call("setMyCommands", commands=menu,
               scope=json.dumps({"type": "chat", "chat_id": USER}))
    await call("deleteMyCommands", scope=json.dumps({"type": "chat", "chat_id": USER}))
    assert bot_api_spec.take() == []
    await call("setMyCommands", commands=menu, scope=json.dumps({"type": "chat"}))
    await call("setMyCommands", commands=menu, scope=json.dumps({"type": "personal"}))
    assert bot_api_spec.take() == [
        "setMyCommands: scope.chat_id: required in BotCommandScopeChat, missing",
        "setMyCommands: scope.type: expected one of 'default', 'all_private_chats', "
        "'all_group_chats', 'all_chat_administrators', 'chat', 'chat_administrators', "
        "'chat_member', got \"personal\"",
    ]
