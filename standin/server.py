"""A local stand-in for the Telegram Bot API.

The real python-telegram-bot ``Application`` runs against it unchanged (point ``base_url`` and
``base_file_url`` at it), so tests and local chat front-ends exercise the actual wire format,
error answers and long polling instead of mocks.  Simulated users are driven from Python
(``send_text``, ``press`` …) or over the small ``/_chat/`` HTTP control API.

It models the methods the bot calls, and checks them as Telegram does (HTML entities, lengths,
buttons and keyboard sizes, files, webhook addresses, missing parameters, blocked users); faults
are injected on request (``fail_next``: 429, 403, 5xx; ``rate_limit``; ``delay``: slow answers).
A method it does not model is answered 404, as Telegram answers an unknown one, so a new call in
the bot shows up here instead of passing. A ``checker`` sees every request and answer (the tests
check them against the Bot API specification, tests/botapi/).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import copy
import dataclasses
import inspect
import itertools
import json
import logging
import math
import mimetypes
import re
import secrets
import time
import urllib.parse
from collections import deque
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, Protocol

from aiohttp import web

__all__ = [
    "DEFAULT_TOKEN",
    "TINY_PNG",
    "ApiCall",
    "BotAPIStandIn",
    "BotMessage",
    "Button",
    "CallbackAnswer",
    "Checker",
    "parse_html",
]

_LOG = logging.getLogger(__name__)

DEFAULT_TOKEN = "123456:TEST-TOKEN"
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_CALLBACK_ANSWER = 200
MAX_ROW_BUTTONS = 12
MAX_BUTTONS = 100
WEBHOOK_PORTS = (443, 80, 88, 8443)
MAX_UPLOAD = 50 * 1024 * 1024
MAX_DOWNLOAD = 20 * 1024 * 1024

#: A valid 1x1 PNG, so simulated photos pass the image check like a real phone photo would.
TINY_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)

_CANT_PARSE = "Bad Request: can't parse entities: "
_QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
_BLOCKED = "Forbidden: bot was blocked by the user"
_TOO_MANY_BUTTONS = "BUTTONS_TOO_MUCH"
_SECRET_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_POLL_CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
    "is running"
)
_WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to "
    "delete the webhook first"
)

# Parameters that PTB sends as JSON strings inside form bodies.
_JSON_PARAMS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "commands",
        "scope",
        "allowed_updates",
        "link_preview_options",
        "reply_parameters",
        "reaction",
    }
)
# Telegram's default when allowed_updates was never set: everything but these.
_OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_MESSAGE_KEYS = ("message", "edited_message", "channel_post", "edited_channel_post")
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
# The files the bot sends: method -> (parameter, message kind).
_FILE_METHODS = {
    "senddocument": ("document", "document"),
    "sendphoto": ("photo", "photo"),
}
# Folder in file_path, for what the bot sends and what users send.
_FILE_FOLDERS = {
    "document": "documents",
    "photo": "photos",
    "voice": "voice",
    "sticker": "stickers",
}
_BOT_KINDS = ("text", "photo", "document")  # what the bot's messages hold
_COMMAND_RE = re.compile(r"^/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,})?")
_BOT_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")


class _ApiError(Exception):
    """An answer with ok=false; raised anywhere inside a method handler."""

    def __init__(self, status: int, description: str, parameters: dict | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


def _bad(description: str) -> _ApiError:
    return _ApiError(400, f"Bad Request: {description}")


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --------------------------------------------------------------------------------------------
# Public records
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Button:
    text: str
    callback_data: str | None = None
    url: str | None = None


@dataclass
class BotMessage:
    """One message the bot sent, in its current state (or a snapshot, see wait_for_messages).

    ``text`` is what the bot sent (markup included, text or caption); ``plain_text`` and
    ``entities`` are what Telegram would show after parsing ``parse_mode``.
    """

    message_id: int
    chat_id: int
    kind: str
    text: str | None = None
    parse_mode: str | None = None
    buttons: list[list[Button]] = field(default_factory=list)
    file_name: str | None = None
    file_bytes: bytes | None = None
    edited: int = 0
    raw: dict = field(default_factory=dict)
    plain_text: str | None = None
    entities: list[dict] = field(default_factory=list)
    mime_type: str | None = None
    file_id: str | None = None
    keyboard: list[list[str]] | None = None
    date: int = 0
    #: Labels of reply-keyboard buttons that share the user's contact (request_contact).
    contact_keys: list[str] = field(default_factory=list)
    #: It has or had inline buttons (an edit may take them away once one is pressed): the chats
    #: take the latest such message as the current one, and grey the buttons of older ones.
    had_buttons: bool = False

    @property
    def button_texts(self) -> list[str]:
        return [b.text for row in self.buttons for b in row]

    def to_json(self) -> dict:
        """Serialisable view for the control API (no raw dict, no bytes)."""
        return {
            "message_id": self.message_id,
            "chat_id": self.chat_id,
            "kind": self.kind,
            "text": self.text,
            "parse_mode": self.parse_mode,
            "plain_text": self.plain_text,
            "entities": self.entities,
            "buttons": [[dataclasses.asdict(b) for b in row] for row in self.buttons],
            "keyboard": self.keyboard,
            "contact_keys": self.contact_keys,
            "file_name": self.file_name,
            "file_size": None if self.file_bytes is None else len(self.file_bytes),
            "mime_type": self.mime_type,
            "edited": self.edited,
            "date": self.date,
            "had_buttons": self.had_buttons,
        }

    def _snapshot(self) -> BotMessage:
        return dataclasses.replace(
            self,
            buttons=[list(row) for row in self.buttons],
            entities=copy.deepcopy(self.entities),
            raw=copy.deepcopy(self.raw),
            keyboard=copy.deepcopy(self.keyboard),
        )


@dataclass
class ApiCall:
    """One Bot API request as received; status/description are filled once answered."""

    method: str
    params: dict
    time: float
    status: int | None = None
    description: str | None = None
    result: Any = None

    @property
    def ok(self) -> bool:
        return self.status == 200


@dataclass
class CallbackAnswer:
    query_id: str
    text: str | None
    show_alert: bool
    url: str | None = None
    user_id: int | None = None


@dataclass
class _Upload:
    file_name: str | None
    mime_type: str | None
    data: bytes


@dataclass
class _FileRecord:
    file_id: str
    file_unique_id: str
    kind: str
    data: bytes
    file_name: str | None
    mime_type: str | None
    file_path: str
    width: int = 0
    height: int = 0


@dataclass
class _Fault:
    method: str
    status: int
    retry_after: int | None
    description: str | None
    remaining: int


@dataclass
class _ChatState:
    info: dict
    chat_instance: str
    next_message_id: int = 1
    messages: dict[int, dict] = field(default_factory=dict)
    bot_messages: dict[int, BotMessage] = field(default_factory=dict)
    reactions: dict[int, list[str]] = field(default_factory=dict)  # the bot's, per message

    def new_message_id(self) -> int:
        mid = self.next_message_id
        self.next_message_id += 1
        return mid


class _Signal:
    """Broadcast wake-up for coroutines that re-check a condition (no lost wake-ups in one loop)."""

    def __init__(self) -> None:
        self._waiters: set[asyncio.Future] = set()

    def notify(self) -> None:
        for fut in self._waiters:
            if not fut.done():
                fut.set_result(None)
        self._waiters.clear()

    async def wait(self, timeout: float) -> None:
        fut = asyncio.get_running_loop().create_future()
        self._waiters.add(fut)
        try:
            await asyncio.wait_for(fut, max(timeout, 0))
        except TimeoutError:
            pass
        finally:
            self._waiters.discard(fut)


# --------------------------------------------------------------------------------------------
# Text formatting (tdlib-compatible enough to catch what Telegram rejects)
# --------------------------------------------------------------------------------------------


def _u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


_HTML_ENTITY_RE = re.compile(r"&(lt|gt|amp|quot|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")
_HTML_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "tg-emoji": "custom_emoji",
}


def _decode_entity(match: re.Match) -> str | None:
    name = match.group(1)
    if name in _HTML_NAMED:
        return _HTML_NAMED[name]
    code = int(name[2:], 16) if name[1] in "xX" else int(name[1:])
    if 0 < code < 0x110000 and not 0xD800 <= code <= 0xDFFF:
        return chr(code)
    return None


def _decode_html(value: str) -> str:
    return _HTML_ENTITY_RE.sub(lambda m: _decode_entity(m) or m.group(0), value)


class _Builder:
    """Accumulates plain text and entities with UTF-16 offsets, as Telegram reports them."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.entities: list[dict] = []

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.pos += _u16(text)

    def entity(self, etype: str, start: int, **extra: Any) -> None:
        if self.pos > start:
            ent = {"type": etype, "offset": start, "length": self.pos - start}
            ent.update({k: v for k, v in extra.items() if v is not None})
            self.entities.append(ent)

    def result(self) -> tuple[str, list[dict]]:
        ents = sorted(self.entities, key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.parts), ents


def parse_html(source: str) -> tuple[str, list[dict]]:
    """Parse Telegram's HTML subset into (plain text, entities); raise like Telegram on errors."""

    def fail(msg: str) -> _ApiError:
        return _ApiError(400, _CANT_PARSE + msg)

    out = _Builder()
    stack: list[dict] = []
    n = len(source)
    i = 0
    while i < n:
        c = source[i]
        if c == "&":
            m = _HTML_ENTITY_RE.match(source, i)
            decoded = _decode_entity(m) if m else None
            if m and decoded is not None:
                out.add(decoded)
                i = m.end()
            else:
                out.add("&")
                i += 1
            continue
        if c != "<":
            j = i
            while j < n and source[j] not in "<&":
                j += 1
            out.add(source[i:j])
            i = j
            continue
        begin = i
        where = f"at byte offset {_byte_offset(source, begin)}"
        if i + 1 < n and source[i + 1] == "/":
            if not stack:
                raise fail(f"Unexpected end tag {where}")
            i += 2
            j = i
            while i < n and not source[i].isspace() and source[i] != ">":
                i += 1
            name = source[j:i].lower()
            while i < n and source[i].isspace():
                i += 1
            if i >= n or source[i] != ">":
                raise fail(f"Unclosed end tag {where}")
            i += 1
            top = stack.pop()
            if name != top["tag"]:
                raise fail(
                    f'Unmatched end tag {where}, expected "</{top["tag"]}>", found "</{name}>"'
                )
            _close_html_tag(out, top, stack)
            continue
        i += 1
        j = i
        while i < n and not source[i].isspace() and source[i] != ">":
            i += 1
        if i >= n:
            raise fail(f"Unclosed start tag {where}")
        name = source[j:i].lower()
        if name not in _HTML_TAGS:
            raise fail(f'Unsupported start tag "{name}" {where}')
        attrs: dict[str, str] = {}
        while True:
            while i < n and source[i].isspace():
                i += 1
            if i >= n:
                raise fail(f"Unclosed start tag {where}")
            if source[i] == ">":
                i += 1
                break
            k = i
            while i < n and not source[i].isspace() and source[i] not in "=>":
                i += 1
            attr = source[k:i].lower()
            if not attr:
                raise fail(f'Empty attribute name in the tag "{name}" {where}')
            while i < n and source[i].isspace():
                i += 1
            if i >= n:
                raise fail(f"Unclosed start tag {where}")
            if source[i] != "=":
                if name == "blockquote" and attr == "expandable":
                    attrs[attr] = ""
                    continue
                raise fail(
                    f'Expected equal sign in declaration of an attribute of the tag "{name}" '
                    f"{where}"
                )
            i += 1
            while i < n and source[i].isspace():
                i += 1
            if i >= n:
                raise fail(f"Unclosed start tag {where}")
            if source[i] in "'\"":
                end = source.find(source[i], i + 1)
                if end < 0:
                    raise fail(f"Unclosed start tag {where}")
                attrs[attr] = _decode_html(source[i + 1 : end])
                i = end + 1
            else:
                k = i
                while i < n and (source[i].isalnum() or source[i] in ".-"):
                    i += 1
                if k == i:
                    raise fail(f"Expected quote at byte offset {_byte_offset(source, i)}")
                attrs[attr] = source[k:i]
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise fail(f'Tag "span" must have class "tg-spoiler" {where}')
        if name == "tg-emoji" and not attrs.get("emoji-id"):
            raise fail(f'Tag "tg-emoji" must have attribute "emoji-id" {where}')
        stack.append({"tag": name, "start": out.pos, "attrs": attrs})
    if stack:
        raise fail(f'Can\'t find end tag corresponding to start tag "{stack[-1]["tag"]}"')
    return out.result()


def _close_html_tag(out: _Builder, top: dict, stack: list[dict]) -> None:
    tag, attrs, start = top["tag"], top["attrs"], top["start"]
    etype = _HTML_TAGS[tag]
    if etype == "text_link":
        href = attrs.get("href", "")
        if href:
            out.entity("text_link", start, url=href)
        return
    if etype == "code":
        lang = attrs.get("class", "")
        parent = stack[-1] if stack else None
        if lang.startswith("language-") and parent and parent["tag"] == "pre":
            parent["attrs"]["language"] = lang[len("language-") :]
            return
    if etype == "pre":
        out.entity("pre", start, language=attrs.get("language"))
        return
    if etype == "blockquote" and "expandable" in attrs:
        etype = "expandable_blockquote"
    if etype == "custom_emoji":
        out.entity(etype, start, custom_emoji_id=attrs.get("emoji-id"))
        return
    out.entity(etype, start)


def _strip_text(text: str, entities: list[dict]) -> tuple[str, list[dict]]:
    """Trim surrounding whitespace like Telegram does, keeping entity offsets right."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    lead = _u16(text[: len(text) - len(text.lstrip())])
    total = _u16(stripped)
    fixed = []
    for ent in entities:
        start = max(ent["offset"] - lead, 0)
        end = min(ent["offset"] + ent["length"] - lead, total)
        if end > start:
            fixed.append({**ent, "offset": start, "length": end - start})
    return stripped, fixed


def _format_text(text: str, parse_mode: str | None, entities: Any) -> tuple[str, list[dict]]:
    mode = (parse_mode or "").lower()
    if mode == "html":
        plain, ents = parse_html(text)
    elif mode:  # Telegram knows Markdown too, but the bot sends HTML only
        raise _bad(f"unsupported parse_mode {parse_mode} (the stand-in models HTML only)")
    else:
        plain = text
        ents = entities if isinstance(entities, list) else []
    return _strip_text(plain, ents)


def _image_size(data: bytes) -> tuple[int, int] | None:
    """Width/height of PNG (the bot's charts) or JPEG (phone photos); None if not an image."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if data.startswith(b"\xff\xd8\xff"):
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker = data[i + 1]
            if marker in (0xC0, 0xC1, 0xC2):
                return int.from_bytes(data[i + 7 : i + 9], "big"), int.from_bytes(
                    data[i + 5 : i + 7], "big"
                )
            i += 2 + int.from_bytes(data[i + 2 : i + 4], "big")
        return 512, 512
    return None


# --------------------------------------------------------------------------------------------
# Request parameters
# --------------------------------------------------------------------------------------------


class _Params:
    """Typed access to parameters that arrive as strings (form/multipart) or JSON values."""

    def __init__(
        self,
        values: dict[str, Any],
        files: dict[str, _Upload],
        connected: Callable[[], bool] = lambda: True,
    ):
        self.values = values
        self.files = files
        self.connected = connected

    def has(self, key: str) -> bool:
        return key in self.values and self.values[key] is not None

    def str(self, key: str, *, required: bool = False) -> str | None:
        value = self.values.get(key)
        if value is None:
            if required:
                raise _bad(f'parameter "{key}" is required')
            return None
        return value if isinstance(value, str) else json.dumps(value)

    def int(self, key: str, *, required: bool = False) -> int | None:
        value = self.values.get(key)
        if value is None or value == "":
            if required:
                raise _bad(f'parameter "{key}" is required')
            return None
        if isinstance(value, bool):
            return int(value)
        try:
            return int(value)
        except (TypeError, ValueError):
            raise _bad(f"invalid {key} specified") from None

    def float(self, key: str) -> float | None:
        value = self.values.get(key)
        if value is None or value == "":
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            raise _bad(f"invalid {key} specified") from None

    def bool(self, key: str) -> bool:
        value = self.values.get(key)
        if isinstance(value, str):
            return value.strip().lower() in ("true", "1", "yes")
        return bool(value)

    def json(self, key: str) -> Any:
        value = self.values.get(key)
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                if key == "reply_markup":
                    raise _bad("can't parse reply keyboard markup JSON object") from None
                raise _bad(f"can't parse {key} JSON object") from None
        return value

    def file(self, key: str) -> _Upload | str | None:
        value = self.values.get(key)
        if isinstance(value, str) and value.startswith("attach://"):
            return self.files.get(value[len("attach://") :])
        if key in self.files:
            return self.files[key]
        return value if isinstance(value, str) else None

    def normalized(self) -> dict:
        result: dict[str, Any] = {}
        for key, value in self.values.items():
            if key in _JSON_PARAMS and isinstance(value, str):
                with contextlib.suppress(ValueError):
                    value = json.loads(value)
            result[key] = value
        for key, upload in self.files.items():
            result[key] = {
                "file_name": upload.file_name,
                "mime_type": upload.mime_type,
                "size": len(upload.data),
            }
        return result


# --------------------------------------------------------------------------------------------
# The stand-in
# --------------------------------------------------------------------------------------------


class Checker(Protocol):
    """Sees every Bot API request and answer (tests/botapi/checker.py checks them against the
    specification); it only records, so the bot gets the answer Telegram would give."""

    def request(self, method: str, values: dict[str, Any], files: Collection[str]) -> None: ...

    def response(self, method: str, body: dict) -> None: ...


class BotAPIStandIn:
    """In-process fake of api.telegram.org for one bot token, with simulated users."""

    #: The checker of every instance that is not given its own (tests/conftest.py sets it).
    checker: Checker | None = None

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        host: str = "127.0.0.1",
        port: int = 0,
        bot_username: str = "concerta_bot",
        bot_first_name: str = "Concerta",
        checker: Checker | None = None,
    ):
        if checker is not None:
            self.checker = checker
        self.token = token
        self.host = host
        self._wanted_port = port
        self.port: int | None = None
        head = token.split(":", 1)[0]
        self.bot_user: dict = {
            "id": int(head) if head.isdigit() else 123456,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self.calls: list[ApiCall] = []
        self.callback_answers: list[CallbackAnswer] = []
        #: The command menu of the latest setMyCommands.
        self.commands: list[dict] = []
        #: Menus of other scopes, by ("all_private_chats",) or ("chat", chat_id); see menu_for.
        self._menus: dict[tuple, list[dict]] = {}
        self.webhook: dict = {"url": ""}
        self.blocked: set[int] = set()
        self._users: dict[int, dict] = {}
        self._chats: dict[int, _ChatState] = {}
        self._files: dict[str, _FileRecord] = {}
        self._file_paths: dict[str, str] = {}
        self._updates: list[dict] = []
        # Like Telegram, not from 1: the bot records handled update ids (bot/storage/replay.py)
        # and the demo database outlives the stand-in, so each run counts on from the clock in
        # milliseconds; a run would need over one update per millisecond to reach the next's.
        self._next_update_id = int(time.time() * 1000)
        self._allowed_updates: list[str] | None = None
        self._poll_generation = 0
        self._pending_queries: dict[str, int] = {}
        self._events: list[dict] = []
        self._outputs: dict[int, list[BotMessage]] = {}
        self._cursors: dict[int, int] = {}
        self._faults: list[_Fault] = []
        self._delays: dict[str, float] = {}
        self._rate_global: float | None = None
        self._rate_chat: float | None = None
        self._send_times: deque[float] = deque()
        self._chat_send_times: dict[str, deque[float]] = {}
        self._counter = itertools.count(1)
        self._query_counter = itertools.count(1)
        self._updates_signal = _Signal()
        self._output_signal = _Signal()
        self._runner: web.AppRunner | None = None
        self._closing = False

    # ---- lifecycle ------------------------------------------------------------------------

    @property
    def url(self) -> str:
        if self.port is None:
            raise RuntimeError("BotAPIStandIn is not started")
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    async def start(self) -> None:
        if self._runner is not None:
            return
        self._closing = False
        app = web.Application(client_max_size=MAX_UPLOAD + 10 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        app.router.add_get("/_chat/info", self._chat_info)
        app.router.add_post("/_chat/send", self._chat_send)
        app.router.add_post("/_chat/press", self._chat_press)
        app.router.add_post("/_chat/contact", self._chat_contact)
        app.router.add_post("/_chat/upload", self._chat_upload)
        app.router.add_get("/_chat/messages", self._chat_messages)
        app.router.add_get("/_chat/transcript", self._chat_transcript)
        app.router.add_get("/_chat/file/{chat_id}/{message_id}", self._chat_file)
        app.router.add_route("OPTIONS", "/_chat/{tail:.*}", self._chat_options)
        runner = web.AppRunner(app, shutdown_timeout=1.0, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self._wanted_port)
        await site.start()
        self._runner = runner
        self.port = runner.addresses[0][1]

    async def stop(self) -> None:
        if self._runner is None:
            return
        # Wake long polls first, otherwise cleanup waits for them to time out.
        self._closing = True
        self._updates_signal.notify()
        self._output_signal.notify()
        runner, self._runner = self._runner, None
        await runner.cleanup()

    async def __aenter__(self) -> BotAPIStandIn:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ---- simulated users ------------------------------------------------------------------

    def user(
        self,
        user_id: int,
        first_name: str = "Ana",
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "es",
    ) -> dict:
        """Register (or replace) a user profile; returns the Telegram User dict."""
        profile: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if last_name:
            profile["last_name"] = last_name
        if username:
            profile["username"] = username
        if language_code:
            profile["language_code"] = language_code
        self._users[user_id] = profile
        info = {"id": user_id, "type": "private", "first_name": first_name}
        if last_name:
            info["last_name"] = last_name
        if username:
            info["username"] = username
        chat = self._chats.get(user_id)
        if chat is None:
            self._chats[user_id] = _ChatState(info=info, chat_instance=self._chat_instance())
        else:
            chat.info.clear()
            chat.info.update(info)
        return profile

    def _ensure_user(self, user_id: int, first_name: str | None = None) -> dict:
        user_id = int(user_id)
        profile = self._users.get(user_id)
        if profile is None:
            return self.user(user_id, first_name=first_name or "Ana")
        if first_name and profile["first_name"] != first_name:
            profile["first_name"] = first_name
            self._chats[user_id].info["first_name"] = first_name
        return profile

    def _chat_instance(self) -> str:
        return str(secrets.randbelow(10**18))

    def group(self, chat_id: int, title: str, *, kind: str = "supergroup") -> dict:
        """Register a group chat the bot is in (chat_id negative); returns its Chat dict."""
        if int(chat_id) >= 0:
            raise ValueError("a group's chat id is negative")
        info = {"id": int(chat_id), "type": kind, "title": title}
        chat = self._chats.get(int(chat_id))
        if chat is None:
            self._chats[int(chat_id)] = _ChatState(info=info, chat_instance=self._chat_instance())
        else:
            chat.info.clear()
            chat.info.update(info)
        return dict(info)

    @property
    def groups(self) -> list[dict]:
        """The group chats known here (registered, or seen in a raw update)."""
        return [dict(c.info) for c in self._chats.values() if c.info.get("type") != "private"]

    def _user_message(
        self,
        user_id: int,
        content: dict,
        *,
        chat_id: int | None = None,
        reply_to: int | None = None,
    ) -> int:
        """A message from a user in their private chat, or in a group (chat_id), maybe replying
        to a message of that chat as Telegram's «Responder» does."""
        user = self._ensure_user(user_id)
        chat = self._chats.get(user["id"] if chat_id is None else int(chat_id))
        if chat is None:
            raise KeyError(f"chat {chat_id} is not known here")
        msg = {
            "message_id": chat.new_message_id(),
            "from": dict(user),
            "chat": dict(chat.info),
            "date": int(time.time()),
        }
        if reply_to is not None:
            target = chat.messages.get(int(reply_to))
            if target is None:
                raise KeyError(f"message {reply_to} is not in chat {chat.info['id']}")
            msg["reply_to_message"] = {k: v for k, v in target.items() if k != "reply_to_message"}
        msg.update(content)
        chat.messages[msg["message_id"]] = msg
        self._enqueue({"message": msg})
        return msg["message_id"]

    @staticmethod
    def _text_content(text: str) -> dict:
        content: dict[str, Any] = {"text": text}
        m = _COMMAND_RE.match(text)
        if m:
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": _u16(m.group())}]
        return content

    async def send_text(
        self, user_id: int, text: str, *, chat_id: int | None = None, reply_to: int | None = None
    ) -> int:
        """A text message from the user (a leading /command gets its entity): in their private
        chat, or in the group chat_id, maybe as a reply to message reply_to there."""
        return self._user_message(
            user_id, self._text_content(text), chat_id=chat_id, reply_to=reply_to
        )

    async def send_command(self, user_id: int, command: str) -> int:
        if not command.startswith("/"):
            command = "/" + command
        return self._user_message(user_id, self._text_content(command))

    async def send_sticker(
        self, user_id: int, emoji: str = "👍", *, chat_id: int | None = None
    ) -> int:
        rec = self._new_file("sticker", b"RIFF\x00\x00\x00\x00WEBPVP8 ", "sticker.webp", None)
        sticker = self._media_object(rec)
        sticker["emoji"] = emoji
        return self._user_message(user_id, {"sticker": sticker}, chat_id=chat_id)

    async def send_photo(
        self,
        user_id: int,
        data: bytes = TINY_PNG,
        caption: str | None = None,
        *,
        chat_id: int | None = None,
    ) -> int:
        rec = self._new_file("photo", data, "photo.jpg", "image/jpeg")
        content: dict[str, Any] = {"photo": self._media_object(rec)}
        if caption:
            content["caption"] = caption
        return self._user_message(user_id, content, chat_id=chat_id)

    async def send_document(
        self,
        user_id: int,
        data: bytes,
        file_name: str = "documento.pdf",
        mime_type: str | None = None,
        caption: str | None = None,
        *,
        chat_id: int | None = None,
    ) -> int:
        mime = mime_type or mimetypes.guess_type(file_name)[0] or "application/octet-stream"
        rec = self._new_file("document", data, file_name, mime)
        content: dict[str, Any] = {"document": self._media_object(rec)}
        if caption:
            content["caption"] = caption
        return self._user_message(user_id, content, chat_id=chat_id)

    async def send_voice(
        self, user_id: int, data: bytes = b"OggS\x00voice", duration: int = 2
    ) -> int:
        rec = self._new_file("voice", data, None, "audio/ogg")
        voice = self._media_object(rec)
        voice["duration"] = duration
        return self._user_message(user_id, {"voice": voice})

    async def send_contact(
        self, user_id: int, phone: str, first_name: str | None = None, *, own: bool = True
    ) -> int:
        user = self._ensure_user(user_id)
        contact: dict[str, Any] = {
            "phone_number": phone,
            "first_name": first_name or user["first_name"],
        }
        if own:
            contact["user_id"] = user["id"]
        return self._user_message(user_id, {"contact": contact})

    async def send_location(
        self, user_id: int, latitude: float = -12.0464, longitude: float = -77.0428
    ) -> int:
        return self._user_message(
            user_id, {"location": {"latitude": latitude, "longitude": longitude}}
        )

    async def send_update(self, update: dict) -> int:
        """Enqueue a raw update; update_id (and missing message_id/date) are filled in."""
        update = copy.deepcopy(update)
        for key in _MESSAGE_KEYS:
            msg = update.get(key)
            if isinstance(msg, dict) and isinstance(msg.get("chat"), dict):
                chat = self._register_chat(msg["chat"])
                msg.setdefault("date", int(time.time()))
                if "message_id" not in msg:
                    msg["message_id"] = chat.new_message_id()
                else:
                    chat.next_message_id = max(chat.next_message_id, msg["message_id"] + 1)
                if key in ("message", "channel_post"):
                    chat.messages[msg["message_id"]] = msg
        query = update.get("callback_query")
        if isinstance(query, dict) and "id" in query:
            self._pending_queries[str(query["id"])] = int(query.get("from", {}).get("id", 0))
        return self._enqueue(update)

    def _register_chat(self, info: dict) -> _ChatState:
        chat_id = int(info["id"])
        chat = self._chats.get(chat_id)
        if chat is None:
            chat = _ChatState(info=dict(info), chat_instance=self._chat_instance())
            self._chats[chat_id] = chat
        return chat

    async def press(
        self, user_id: int, message_id: int, callback_data: str, *, chat_id: int | None = None
    ) -> str:
        """Press a button (or forge one: the data need not exist) of a message in the user's
        private chat, or in the group chat_id; returns the query id."""
        user = self._ensure_user(user_id)
        chat = self._chats.get(user["id"] if chat_id is None else int(chat_id))
        if chat is None:
            raise KeyError(f"chat {chat_id} is not known here")
        query_id = str(4_000_000_000_000_000 + next(self._query_counter) * 7919)
        msg = chat.messages.get(message_id)
        if msg is None:
            msg = {"chat": dict(chat.info), "message_id": message_id, "date": 0}
        query = {
            "id": query_id,
            "from": dict(user),
            "message": copy.deepcopy(msg),
            "chat_instance": chat.chat_instance,
            "data": callback_data,
        }
        self._pending_queries[query_id] = user["id"]
        self._enqueue({"callback_query": query})
        return query_id

    async def press_button(
        self, user_id: int, text_or_index: str | int, *, message_id: int | None = None
    ) -> str:
        """Press a button of the latest bot message with inline buttons in that chat.

        A string matches the label exactly, else as a case-insensitive substring; an int is a
        0-based index counted across rows.
        """
        candidates = [
            m
            for m in self.messages(user_id)
            if m.buttons and (message_id is None or m.message_id == message_id)
        ]
        if not candidates:
            raise AssertionError(f"no bot message with inline buttons in chat {user_id}")
        msg = candidates[-1]
        flat = [b for row in msg.buttons for b in row]
        if isinstance(text_or_index, int):
            if not 0 <= text_or_index < len(flat):
                raise AssertionError(f"button index {text_or_index} out of range: {flat}")
            button = flat[text_or_index]
        else:
            exact = [b for b in flat if b.text == text_or_index]
            loose = [b for b in flat if text_or_index.lower() in b.text.lower()]
            if not (exact or loose):
                labels = [b.text for b in flat]
                raise AssertionError(f"no button matching {text_or_index!r}; buttons: {labels}")
            button = (exact or loose)[0]
        if button.callback_data is None:
            raise AssertionError(f"button {button.text!r} has no callback_data ({button})")
        return await self.press(user_id, msg.message_id, button.callback_data)

    def block(self, user_id: int, *, notify: bool = False) -> None:
        """The user blocks the bot; notify=True also enqueues the my_chat_member update."""
        self._ensure_user(user_id)
        self.blocked.add(int(user_id))
        if notify:
            self._my_chat_member(int(user_id), "member", "kicked")

    def unblock(self, user_id: int, *, notify: bool = False) -> None:
        self._ensure_user(user_id)
        self.blocked.discard(int(user_id))
        if notify:
            self._my_chat_member(int(user_id), "kicked", "member")

    async def send_my_chat_member(self, user_id: int, status: str = "kicked") -> int:
        """Emit a my_chat_member update for the private chat ("kicked" or "member")."""
        old = "member" if status == "kicked" else "kicked"
        return self._my_chat_member(int(user_id), old, status)

    def _my_chat_member(self, user_id: int, old: str, new: str) -> int:
        user = self._ensure_user(user_id)

        def member(status: str) -> dict:
            data: dict[str, Any] = {"status": status, "user": dict(self.bot_user)}
            if status == "kicked":
                data["until_date"] = 0
            return data

        return self._enqueue(
            {
                "my_chat_member": {
                    "chat": dict(self._chats[user_id].info),
                    "from": dict(user),
                    "date": int(time.time()),
                    "old_chat_member": member(old),
                    "new_chat_member": member(new),
                }
            }
        )

    def _enqueue(self, update: dict) -> int:
        if "update_id" in update:
            self._next_update_id = max(self._next_update_id, int(update["update_id"]) + 1)
        else:
            update = {"update_id": self._next_update_id, **update}
            self._next_update_id += 1
        self._updates.append(update)
        self._updates_signal.notify()
        return update["update_id"]

    @property
    def pending_updates(self) -> list[dict]:
        """Updates not yet confirmed by the bot (getUpdates offset not past them)."""
        return list(self._updates)

    async def wait_until_consumed(self, timeout: float = 5.0) -> None:
        """Wait until the bot confirmed every enqueued update (its next getUpdates offset)."""
        deadline = time.monotonic() + timeout
        while self._updates:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"bot did not consume updates: {self._updates}")
            await self._updates_signal.wait(remaining)

    # ---- fault injection ------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: int | None = 1,
        description: str | None = None,
        count: int = 1,
    ) -> None:
        """Answer the next ``count`` calls of ``method`` with an error ("*": any but getUpdates).

        ``retry_after`` is whole seconds: Telegram never sends a fraction.
        """
        if retry_after is not None and (
            isinstance(retry_after, bool) or not isinstance(retry_after, int)
        ):
            raise TypeError(
                f"retry_after must be whole seconds, as Telegram sends: {retry_after!r}"
            )
        self._faults.append(_Fault(method.lower(), status, retry_after, description, count))

    def rate_limit(
        self, per_second: float | None, per_chat_per_second: float | None = None
    ) -> None:
        """Answer send* calls beyond these rates with 429 + retry_after (None = unlimited)."""
        self._rate_global = per_second
        self._rate_chat = per_chat_per_second
        self._send_times.clear()
        self._chat_send_times.clear()

    def delay(self, method: str, seconds: float | None) -> None:
        """Slow down answers to ``method``; 0/None removes the delay."""
        if seconds:
            self._delays[method.lower()] = seconds
        else:
            self._delays.pop(method.lower(), None)

    def clear_faults(self) -> None:
        self._faults.clear()
        self._delays.clear()
        self.rate_limit(None, None)

    def _check_faults(self, method: str) -> None:
        lowered = method.lower()
        for fault in self._faults:
            if fault.method == lowered or (fault.method == "*" and lowered != "getupdates"):
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._faults.remove(fault)
                parameters = None
                description = fault.description
                if fault.status == 429 and fault.retry_after is not None:
                    retry = fault.retry_after
                    parameters = {"retry_after": retry}
                    description = description or f"Too Many Requests: retry after {retry}"
                if description is None:
                    try:
                        description = HTTPStatus(fault.status).phrase
                    except ValueError:
                        description = "Error"
                    if fault.status == 400:
                        description = "Bad Request"
                raise _ApiError(fault.status, description, parameters)

    @staticmethod
    def _is_rate_limited(method: str) -> bool:
        return (method.startswith("send") and method != "sendchataction") or method.startswith(
            ("copymessage", "forwardmessage")
        )

    def _check_rate(self, params: _Params) -> None:
        now = time.monotonic()
        checks: list[tuple[deque[float], float]] = []
        if self._rate_global:
            checks.append((self._send_times, self._rate_global))
        chat_key = params.str("chat_id")
        if self._rate_chat and chat_key is not None:
            checks.append((self._chat_send_times.setdefault(chat_key, deque()), self._rate_chat))
        for times, rate in checks:
            window = max(1.0, 1.0 / rate)
            capacity = max(1, math.floor(rate * window))
            while times and now - times[0] >= window:
                times.popleft()
            if len(times) >= capacity:
                retry = max(1, math.ceil(times[0] + window - now))
                raise _ApiError(
                    429, f"Too Many Requests: retry after {retry}", {"retry_after": retry}
                )
        for times, _ in checks:
            times.append(now)

    # ---- observing the bot ----------------------------------------------------------------

    def messages(self, chat_id: int) -> list[BotMessage]:
        """The bot's messages in that chat, in their current state."""
        chat = self._chats.get(int(chat_id))
        return list(chat.bot_messages.values()) if chat else []

    def last(self, chat_id: int) -> BotMessage | None:
        """The bot's most recent message in that chat."""
        sent = self.messages(chat_id)
        return sent[-1] if sent else None

    def calls_to(self, method: str) -> list[ApiCall]:
        return [c for c in self.calls if c.method.lower() == method.lower()]

    def file_bytes(self, file_id: str) -> bytes:
        return self._files[file_id].data

    async def wait_for_messages(
        self, chat_id: int, count: int = 1, timeout: float = 5.0
    ) -> list[BotMessage]:
        """Wait for ``count`` new bot outputs (sends or edits) in the chat since the last read.

        Returns snapshots of each message as it was right after that send/edit.
        """
        chat_id = int(chat_id)
        deadline = time.monotonic() + timeout
        while True:
            outputs = self._outputs.get(chat_id, [])
            cursor = self._cursors.get(chat_id, 0)
            if len(outputs) - cursor >= count:
                self._cursors[chat_id] = cursor + count
                return outputs[cursor : cursor + count]
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self._closing:
                raise AssertionError(self._describe_wait(chat_id, count, timeout, outputs[cursor:]))
            await self._output_signal.wait(remaining)

    async def next_reply(self, chat_id: int, timeout: float = 5.0) -> BotMessage:
        return (await self.wait_for_messages(chat_id, 1, timeout))[0]

    def drain(self, chat_id: int) -> list[BotMessage]:
        """Mark every output so far as read; returns the ones that were unread."""
        chat_id = int(chat_id)
        outputs = self._outputs.get(chat_id, [])
        unread = outputs[self._cursors.get(chat_id, 0) :]
        self._cursors[chat_id] = len(outputs)
        return unread

    async def settle(
        self, chat_id: int, quiet: float = 0.3, timeout: float = 10.0
    ) -> list[BotMessage]:
        """Wait until the chat had no new output for ``quiet`` seconds; return the unread ones."""
        chat_id = int(chat_id)
        start = last_change = time.monotonic()
        seen = len(self._outputs.get(chat_id, []))
        while True:
            now = time.monotonic()
            current = len(self._outputs.get(chat_id, []))
            if current != seen:
                seen, last_change = current, now
            if now - last_change >= quiet or now - start >= timeout or self._closing:
                return self.drain(chat_id)
            remaining = min(quiet - (now - last_change), timeout - (now - start))
            await self._output_signal.wait(remaining)

    async def wait_for_call(self, method: str, *, count: int = 1, timeout: float = 5.0) -> ApiCall:
        """Wait until ``method`` was called (and answered) ``count`` times; return the last."""
        deadline = time.monotonic() + timeout
        while True:
            done = [c for c in self.calls_to(method) if c.status is not None]
            if len(done) >= count:
                return done[count - 1]
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"{method} was called {len(done)} time(s), wanted {count}")
            await self._output_signal.wait(remaining)

    def _describe_wait(
        self, chat_id: int, count: int, timeout: float, arrived: list[BotMessage]
    ) -> str:
        lines = [
            f"expected {count} new bot message(s) in chat {chat_id} within {timeout}s, "
            f"got {len(arrived)}:"
        ]
        lines += [f"  - #{m.message_id} {m.kind}: {m.text!r} {m.button_texts}" for m in arrived]
        failed = [c for c in self.calls if c.status not in (None, 200)][-5:]
        if failed:
            lines.append("recent failed API calls:")
            lines += [f"  - {c.method} -> {c.status} {c.description}" for c in failed]
        if self._updates:
            lines.append(f"{len(self._updates)} update(s) not yet confirmed by the bot")
        return "\n".join(lines)

    # ---- transcript bookkeeping -----------------------------------------------------------

    def _emit(self, etype: str, chat_id: int, msg: BotMessage | None = None, **extra: Any) -> None:
        event: dict[str, Any] = {"seq": len(self._events) + 1, "type": etype, "chat_id": chat_id}
        if msg is not None:
            event["message"] = msg.to_json()
            if etype in ("new", "edit"):
                self._outputs.setdefault(chat_id, []).append(msg._snapshot())
        event.update(extra)
        self._events.append(event)
        self._output_signal.notify()

    def _new_file(
        self, kind: str, data: bytes, file_name: str | None, mime_type: str | None
    ) -> _FileRecord:
        n = next(self._counter)
        folder = _FILE_FOLDERS[kind]
        mime = mime_type or (mimetypes.guess_type(file_name)[0] if file_name else None)
        ext = ""
        if file_name and "." in file_name:
            ext = "." + file_name.rsplit(".", 1)[1]
        elif mime:
            ext = mimetypes.guess_extension(mime) or ""
        if kind == "photo":
            ext = ".jpg"
        width, height = (0, 0)
        if kind == "photo":
            width, height = _image_size(data) or (512, 512)
        rec = _FileRecord(
            file_id=f"{kind[:2].upper()}ACAgEAAx{n:05d}{secrets.token_hex(8)}",
            file_unique_id=f"AQAD{n:05d}",
            kind=kind,
            data=data,
            file_name=file_name,
            mime_type=mime,
            file_path=f"{folder}/file_{n}{ext}",
            width=width,
            height=height,
        )
        self._files[rec.file_id] = rec
        self._file_paths[rec.file_path] = rec.file_id
        return rec

    @staticmethod
    def _media_object(rec: _FileRecord) -> Any:
        base = {
            "file_id": rec.file_id,
            "file_unique_id": rec.file_unique_id,
            "file_size": len(rec.data),
        }
        if rec.kind == "photo":
            return [{**base, "width": rec.width, "height": rec.height}]
        if rec.kind == "sticker":
            return {
                **base,
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
            }
        if rec.kind == "voice":
            base["duration"] = 1
        if rec.file_name and rec.kind == "document":
            base["file_name"] = rec.file_name
        if rec.mime_type:
            base["mime_type"] = rec.mime_type
        return base

    def _file_of(self, raw: dict) -> _FileRecord | None:
        for key in _FILE_FOLDERS:
            media = raw.get(key)
            if isinstance(media, list) and media:
                media = media[-1]
            if isinstance(media, dict) and media.get("file_id") in self._files:
                return self._files[media["file_id"]]
        return None

    def _store_bot_message(
        self,
        chat: _ChatState,
        raw: dict,
        *,
        source: str | None = None,
        parse_mode: str | None = None,
        keyboard: list[list[str]] | None = None,
        contact_keys: list[str] | None = None,
    ) -> BotMessage:
        chat.messages[raw["message_id"]] = raw
        msg = BotMessage(message_id=raw["message_id"], chat_id=chat.info["id"], kind="", raw=raw)
        self._sync_bot_message(msg, source=source, parse_mode=parse_mode)
        msg.keyboard = keyboard
        msg.contact_keys = contact_keys or []
        chat.bot_messages[msg.message_id] = msg
        self._emit("new", msg.chat_id, msg)
        return msg

    def _sync_bot_message(
        self, msg: BotMessage, *, source: str | None, parse_mode: str | None
    ) -> None:
        raw = msg.raw
        msg.kind = next(k for k in _BOT_KINDS if k in raw)
        is_text = "text" in raw
        msg.plain_text = raw.get("text") if is_text else raw.get("caption")
        msg.entities = list(raw.get("entities" if is_text else "caption_entities", []))
        msg.text = source if source is not None else msg.plain_text
        msg.parse_mode = parse_mode
        msg.date = raw["date"]
        rows = (raw.get("reply_markup") or {}).get("inline_keyboard") or []
        msg.buttons = [
            [Button(b.get("text", ""), b.get("callback_data"), b.get("url")) for b in row]
            for row in rows
        ]
        msg.had_buttons = msg.had_buttons or bool(msg.buttons)
        rec = self._file_of(raw)
        if rec is not None:
            msg.file_bytes = rec.data
            msg.file_name = rec.file_name
            msg.mime_type = rec.mime_type
            msg.file_id = rec.file_id

    # ---- HTTP: Bot API --------------------------------------------------------------------

    @staticmethod
    def _error_body(status: int, description: str, parameters: dict | None = None) -> dict:
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if parameters:
            body["parameters"] = parameters
        return body

    def _answer(self, method: str, body: dict) -> web.StreamResponse:
        if self.checker is not None:
            self.checker.response(method, body)
        return web.json_response(body, status=200 if body["ok"] else body["error_code"])

    async def _read_params(self, request: web.Request) -> _Params:
        values: dict[str, Any] = dict(request.query)
        files: dict[str, _Upload] = {}
        if request.method == "POST" and request.body_exists:
            if request.content_type == "application/json":
                try:
                    body = await request.json()
                except ValueError:
                    raise _bad("can't parse JSON object") from None
                if not isinstance(body, dict):
                    raise _bad("JSON object expected")
                values.update(body)
            else:
                try:
                    form = await request.post()
                except web.HTTPRequestEntityTooLarge:
                    raise _ApiError(413, "Request Entity Too Large") from None
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        files[key] = _Upload(value.filename, value.content_type, value.file.read())
                    else:
                        values[key] = value
        return _Params(values, files, lambda: request.transport is not None)

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.json_response(self._error_body(404, "Not Found"), status=404)
        method = request.match_info["method"]
        lowered = method.lower()
        try:
            params = await self._read_params(request)
        except _ApiError as exc:
            return self._answer(method, self._error_body(exc.status, exc.description))
        if self.checker is not None:
            self.checker.request(method, params.values, params.files.keys())
        call = ApiCall(method=method, params=params.normalized(), time=time.time())
        self.calls.append(call)
        try:
            pause = self._delays.get(lowered)
            if pause:
                await asyncio.sleep(pause)
            self._check_faults(method)
            if self._is_rate_limited(lowered):
                self._check_rate(params)
            if lowered.startswith(("send", "edit", "copy", "forward")):
                target = self._chats.get(_as_int(params.values.get("chat_id")))
                if target is not None and target.info["id"] in self.blocked:
                    raise _ApiError(403, _BLOCKED)
            handler = self._handler(lowered)
            if handler is None:  # Telegram's answer to a method it does not know
                raise _ApiError(404, f"Not Found: the stand-in does not model {method}")
            result = handler(params)
            if inspect.isawaitable(result):
                result = await result
        except _ApiError as exc:
            call.status, call.description = exc.status, exc.description
            self._output_signal.notify()
            return self._answer(
                method, self._error_body(exc.status, exc.description, exc.parameters)
            )
        except Exception as exc:  # a bug in the stand-in must not look like a network error
            _LOG.exception("stand-in failed handling %s", method)
            call.status, call.description = 500, f"Internal Server Error: {exc!r}"
            self._output_signal.notify()
            return self._answer(method, self._error_body(500, call.description))
        call.status, call.result = 200, result
        self._output_signal.notify()
        return self._answer(method, {"ok": True, "result": result})

    def _handler(self, lowered: str) -> Callable[[_Params], Any] | None:
        if lowered in _FILE_METHODS:
            field_name, kind = _FILE_METHODS[lowered]
            return lambda p: self._send_file(p, field_name, kind)
        return getattr(self, f"_api_{lowered}", None)

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        file_id = self._file_paths.get(request.match_info["path"])
        if request.match_info["token"] != self.token or file_id is None:
            return web.json_response(self._error_body(404, "Not Found"), status=404)
        rec = self._files[file_id]
        return web.Response(body=rec.data, content_type=rec.mime_type or "application/octet-stream")

    # ---- method helpers -------------------------------------------------------------------

    def _chat(self, params: _Params, key: str = "chat_id") -> _ChatState:
        value = params.values.get(key)
        if value is None or value == "":
            raise _bad(f"{key} is empty")
        chat_id = params.int(key)
        chat = self._chats.get(chat_id)
        if chat is None:
            raise _bad("chat not found")
        return chat

    def _markup(
        self, params: _Params, *, inline_only: bool = False
    ) -> tuple[list | None, list[list[str]] | None]:
        """Inline rows and reply-keyboard labels; an edit takes an inline keyboard only."""
        markup = params.json("reply_markup")
        if markup is None:
            return None, None
        if not isinstance(markup, dict):
            raise _bad("can't parse reply keyboard markup JSON object")
        if inline_only and "inline_keyboard" not in markup:
            raise _bad("inline keyboard expected")
        if "inline_keyboard" in markup:
            rows = markup["inline_keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise _bad(
                    'can\'t parse inline keyboard button: field "inline_keyboard" must '
                    "be an Array of Arrays"
                )
            self._check_size(rows)
            for row in rows:
                for button in row:
                    self._check_button(button)
            return rows or None, None
        if "keyboard" in markup:
            rows = markup["keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise _bad("can't parse reply keyboard markup JSON object")
            self._check_size(rows)
            labels = [[b["text"] if isinstance(b, dict) else str(b) for b in row] for row in rows]
            return None, labels
        return None, None

    @staticmethod
    def _check_size(rows: list[list]) -> None:
        """Telegram refuses a keyboard past 12 buttons a row or 100 in all (it does not trim)."""
        if any(len(row) > MAX_ROW_BUTTONS for row in rows) or sum(map(len, rows)) > MAX_BUTTONS:
            raise _bad(_TOO_MANY_BUTTONS)

    @staticmethod
    def _contact_keys(params: _Params) -> list[str]:
        """Reply-keyboard labels that request the contact (call after _markup validated it)."""
        markup = params.json("reply_markup")
        rows = markup.get("keyboard") if isinstance(markup, dict) else None
        return [
            b["text"]
            for row in rows or []
            for b in row
            if isinstance(b, dict) and b.get("request_contact")
        ]

    @staticmethod
    def _check_button(button: Any) -> None:
        if not isinstance(button, dict):
            raise _bad("can't parse inline keyboard button: InlineKeyboardButton must be an Object")
        if not button.get("text"):
            raise _bad("BUTTON_TEXT_INVALID")
        actions = {
            "callback_data",
            "url",
            "web_app",
            "login_url",
            "switch_inline_query",
            "switch_inline_query_current_chat",
            "switch_inline_query_chosen_chat",
            "copy_text",
            "callback_game",
            "pay",
        }
        if not actions & button.keys():
            raise _bad("text buttons are unallowed in the inline keyboard")
        if "callback_data" in button:
            data = button["callback_data"]
            if not isinstance(data, str) or not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA:
                raise _bad("BUTTON_DATA_INVALID")
        if "url" in button:
            url = str(button["url"])
            if not re.match(r"^(https?|tg)://\S+$", url):
                raise _bad(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")

    def _reply_to(self, chat: _ChatState, params: _Params) -> dict | None:
        reply = params.json("reply_parameters") or {}
        target = reply.get("message_id") if isinstance(reply, dict) else None
        allow = bool(isinstance(reply, dict) and reply.get("allow_sending_without_reply"))
        if target is None:
            return None
        found = chat.messages.get(int(target))
        if found is None:
            if allow:
                return None
            raise _bad("message to be replied not found")
        return {k: v for k, v in found.items() if k != "reply_to_message"}

    def _caption(self, params: _Params) -> tuple[str | None, list[dict]]:
        caption = params.str("caption")
        if not caption:
            return None, []
        plain, ents = _format_text(
            caption, params.str("parse_mode"), params.json("caption_entities")
        )
        if _u16(plain) > MAX_CAPTION:
            raise _bad("message caption is too long")
        return plain or None, ents

    def _new_raw(self, chat: _ChatState, content: dict, params: _Params) -> dict:
        raw: dict[str, Any] = {
            "message_id": chat.new_message_id(),
            "from": dict(self.bot_user),
            "chat": dict(chat.info),
            "date": int(time.time()),
        }
        reply = self._reply_to(chat, params)
        if reply is not None:
            raw["reply_to_message"] = reply
        raw.update(content)
        return raw

    def _resolve_file(self, params: _Params, field_name: str, kind: str) -> _FileRecord:
        given = params.file(field_name)
        if given is None:
            raise _bad(f"there is no {field_name} in the request")
        if isinstance(given, _Upload):
            if not given.data:
                raise _bad("file must be non-empty")
            if len(given.data) > MAX_UPLOAD:
                raise _ApiError(413, "Request Entity Too Large")
            if kind == "photo" and _image_size(given.data) is None:
                raise _bad("IMAGE_PROCESS_FAILED")
            return self._new_file(kind, given.data, given.file_name, given.mime_type)
        if given in self._files:
            rec = self._files[given]
            if (rec.kind == "photo") != (kind == "photo"):
                raise _bad("type of file mismatch")
            return rec
        raise _bad("wrong file identifier/HTTP URL specified")

    # ---- Bot API methods ------------------------------------------------------------------

    def _api_getme(self, params: _Params) -> dict:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _api_setwebhook(self, params: _Params) -> bool:
        url = params.str("url", required=True)
        if url:  # an empty url removes the webhook
            self._check_webhook_url(url)
        secret = params.str("secret_token")
        if secret is not None and not _SECRET_TOKEN_RE.match(secret):
            raise _bad("secret token contains unallowed characters")
        self.webhook = {"url": url, **params.normalized()}
        if params.bool("drop_pending_updates"):
            self._updates.clear()
        return True

    @staticmethod
    def _check_webhook_url(url: str) -> None:
        """Telegram calls HTTPS on four ports only; anything else is refused at setWebhook."""
        parts = urllib.parse.urlsplit(url)
        if parts.scheme.lower() != "https" or not parts.hostname:
            raise _bad("bad webhook: An HTTPS URL must be provided for webhook")
        try:
            port = parts.port or 443
        except ValueError:
            port = None
        if port not in WEBHOOK_PORTS:
            raise _bad("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")

    def _api_deletewebhook(self, params: _Params) -> bool:
        self.webhook = {"url": ""}
        if params.bool("drop_pending_updates"):
            self._updates.clear()
            self._updates_signal.notify()
        return True

    def _allowed(self, update: dict) -> bool:
        kind = next((k for k in update if k != "update_id"), "")
        if self._allowed_updates:
            return kind in self._allowed_updates
        return kind not in _OPT_IN_UPDATES

    async def _api_getupdates(self, params: _Params) -> list[dict]:
        if self.webhook.get("url"):
            raise _ApiError(409, _WEBHOOK_CONFLICT)
        offset = params.int("offset") or 0
        limit = min(max(params.int("limit") or 100, 1), 100)
        timeout = max(params.float("timeout") or 0.0, 0.0)
        allowed = params.json("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = [str(a) for a in allowed] or None
        self._poll_generation += 1
        generation = self._poll_generation
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]
        self._updates_signal.notify()  # confirmations + terminate an older long poll
        deadline = time.monotonic() + timeout
        while True:
            if not params.connected():
                # The client gave up (e.g. PTB cancelled its poll on shutdown); like Telegram,
                # drop the poll quietly instead of answering a conflict nobody reads.
                return []
            if generation != self._poll_generation:
                raise _ApiError(409, _POLL_CONFLICT)
            self._updates = [u for u in self._updates if self._allowed(u)]
            if self._updates or self._closing:
                return copy.deepcopy(self._updates[:limit])
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return []
            # Wake now and then to notice a vanished client (aiohttp does not cancel us).
            await self._updates_signal.wait(min(remaining, 0.5))

    def _command_scope(self, params: _Params) -> tuple:
        """The menu a scope names, as a key: ("default",), ("all_private_chats",) or
        ("chat", id). Telegram resolves a private chat's menu chat → all private chats →
        default; the group scopes are not modelled (the bot sets none)."""
        if params.has("language_code") and params.str("language_code"):
            raise _bad("the stand-in models menus without a language only")
        if not params.has("scope"):
            return ("default",)
        scope = params.json("scope")
        kind = scope.get("type") if isinstance(scope, dict) else None
        if kind in ("default", "all_private_chats"):
            return (kind,)
        if kind == "chat":
            chat_id = scope.get("chat_id")
            if isinstance(chat_id, str) and chat_id.lstrip("-").isdigit():
                chat_id = int(chat_id)
            if not isinstance(chat_id, int) or chat_id not in self._chats:
                raise _bad("chat not found")
            return ("chat", chat_id)
        raise _bad(f"the stand-in does not model the command scope {kind!r}")

    def _api_setmycommands(self, params: _Params) -> bool:
        scope = self._command_scope(params)
        commands = params.json("commands")
        if not isinstance(commands, list):
            raise _bad("commands is empty")
        for cmd in commands:
            if not isinstance(cmd, dict) or not _BOT_COMMAND_RE.match(str(cmd.get("command"))):
                raise _bad("BOT_COMMAND_INVALID")
            if not 1 <= len(str(cmd.get("description", "")).strip()) <= 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
        if len(commands) > 100:
            raise _bad("too many commands")
        if scope == ("default",):
            self.commands = commands
        elif commands:
            self._menus[scope] = commands
        else:  # an empty list deletes the scope's menu, as deleteMyCommands does
            self._menus.pop(scope, None)
        return True

    def _api_deletemycommands(self, params: _Params) -> bool:
        scope = self._command_scope(params)
        if scope == ("default",):
            self.commands = []
        else:
            self._menus.pop(scope, None)
        return True

    def _api_getmycommands(self, params: _Params) -> list[dict]:
        scope = self._command_scope(params)
        return copy.deepcopy(self.commands if scope == ("default",) else self._menus.get(scope, []))

    def menu_of(self, user_id: int) -> list[dict]:
        """The commands a user sees in their private chat's menu, as Telegram resolves it."""
        for scope in (("chat", user_id), ("all_private_chats",)):
            if scope in self._menus:
                return self._menus[scope]
        return self.commands

    def menu_for(self, user_id: int) -> list[str]:
        return [c["command"] for c in self.menu_of(user_id)]

    @staticmethod
    def _message_text(params: _Params) -> tuple[str, list[dict]]:
        """The text of sendMessage/editMessageText, parsed and checked as Telegram does."""
        text = params.str("text")
        if not text:
            raise _bad("message text is empty")
        plain, entities = _format_text(text, params.str("parse_mode"), params.json("entities"))
        if not plain:
            raise _bad("message text is empty")
        if _u16(plain) > MAX_TEXT:
            raise _bad("message is too long")
        return plain, entities

    def _api_sendmessage(self, params: _Params) -> dict:
        chat = self._chat(params)
        plain, entities = self._message_text(params)
        rows, keyboard = self._markup(params)
        content: dict[str, Any] = {"text": plain}
        if entities:
            content["entities"] = entities
        if params.has("link_preview_options"):
            content["link_preview_options"] = params.json("link_preview_options")
        if rows:
            content["reply_markup"] = {"inline_keyboard": rows}
        raw = self._new_raw(chat, content, params)
        self._store_bot_message(
            chat,
            raw,
            source=params.str("text"),
            parse_mode=params.str("parse_mode"),
            keyboard=keyboard,
            contact_keys=self._contact_keys(params),
        )
        return copy.deepcopy(raw)

    def _send_file(self, params: _Params, field_name: str, kind: str) -> dict:
        chat = self._chat(params)
        rec = self._resolve_file(params, field_name, kind)
        caption, caption_entities = self._caption(params)
        rows, keyboard = self._markup(params)
        content: dict[str, Any] = {kind: self._media_object(rec)}
        if caption:
            content["caption"] = caption
            if caption_entities:
                content["caption_entities"] = caption_entities
        if rows:
            content["reply_markup"] = {"inline_keyboard": rows}
        raw = self._new_raw(chat, content, params)
        self._store_bot_message(
            chat,
            raw,
            source=params.str("caption") if caption else None,
            parse_mode=params.str("parse_mode"),
            keyboard=keyboard,
            contact_keys=self._contact_keys(params),
        )
        return copy.deepcopy(raw)

    def _api_sendchataction(self, params: _Params) -> bool:
        self._chat(params)
        if params.str("action") not in _CHAT_ACTIONS:
            raise _bad("wrong parameter action in request")
        return True

    def _editable(self, params: _Params) -> tuple[_ChatState, BotMessage]:
        if params.has("inline_message_id"):
            raise _bad("MESSAGE_ID_INVALID")
        chat = self._chat(params)
        message_id = params.int("message_id", required=True)
        msg = chat.bot_messages.get(message_id)
        if msg is None:
            if chat.messages.get(message_id) is not None:
                raise _bad("message can't be edited")
            raise _bad("message to edit not found")
        return chat, msg

    def _apply_edit(self, msg: BotMessage, changes: dict, source: str | None, parse_mode: Any):
        raw = msg.raw
        for key, value in changes.items():
            if value in (None, [], ""):
                raw.pop(key, None)
            else:
                raw[key] = value
        raw["edit_date"] = int(time.time())
        self._sync_bot_message(msg, source=source, parse_mode=parse_mode)
        msg.edited += 1
        self._emit("edit", msg.chat_id, msg)
        return copy.deepcopy(raw)

    @staticmethod
    def _markup_value(rows: list | None) -> dict | None:
        return {"inline_keyboard": rows} if rows else None

    def _api_editmessagetext(self, params: _Params) -> dict:
        _, msg = self._editable(params)
        if msg.kind != "text":
            raise _bad("there is no text in the message to edit")
        plain, entities = self._message_text(params)
        rows, _ = self._markup(params, inline_only=True)
        markup = self._markup_value(rows)
        raw = msg.raw
        if (
            raw.get("text") == plain
            and raw.get("entities", []) == entities
            and raw.get("reply_markup") == markup
        ):
            raise _bad(_NOT_MODIFIED.removeprefix("Bad Request: "))
        changes = {"text": plain, "entities": entities, "reply_markup": markup}
        return self._apply_edit(msg, changes, params.str("text"), params.str("parse_mode"))

    def _api_editmessagereplymarkup(self, params: _Params) -> dict:
        _, msg = self._editable(params)
        rows, _ = self._markup(params, inline_only=True)
        markup = self._markup_value(rows)
        if msg.raw.get("reply_markup") == markup:
            raise _bad(_NOT_MODIFIED.removeprefix("Bad Request: "))
        return self._apply_edit(msg, {"reply_markup": markup}, msg.text, msg.parse_mode)

    def _api_answercallbackquery(self, params: _Params) -> bool:
        query_id = params.str("callback_query_id", required=True)
        if query_id not in self._pending_queries:
            raise _ApiError(400, _QUERY_TOO_OLD)
        text = params.str("text")
        if text and len(text) > MAX_CALLBACK_ANSWER:
            raise _bad("MESSAGE_TOO_LONG")
        user_id = self._pending_queries.pop(query_id)
        answer = CallbackAnswer(
            query_id=query_id,
            text=text,
            show_alert=params.bool("show_alert"),
            url=params.str("url"),
            user_id=user_id,
        )
        self.callback_answers.append(answer)
        self._emit("callback_answer", user_id, answer=dataclasses.asdict(answer))
        return True

    def _api_getfile(self, params: _Params) -> dict:
        file_id = params.str("file_id", required=True)
        rec = self._files.get(file_id)
        if rec is None:
            raise _bad("invalid file_id")
        if len(rec.data) > MAX_DOWNLOAD:
            raise _bad("file is too big")
        return {
            "file_id": rec.file_id,
            "file_unique_id": rec.file_unique_id,
            "file_size": len(rec.data),
            "file_path": rec.file_path,
        }

    def _api_setmessagereaction(self, params: _Params) -> bool:
        chat = self._chat(params)
        if chat.messages.get(params.int("message_id", required=True)) is None:
            raise _bad("MESSAGE_ID_INVALID")
        reaction = params.json("reaction") or []
        if not isinstance(reaction, list) or not all(
            isinstance(r, dict) and r.get("type") == "emoji" and r.get("emoji") for r in reaction
        ):
            raise _bad("REACTION_INVALID")
        message_id = params.int("message_id", required=True)
        chat.reactions[message_id] = [r["emoji"] for r in reaction]
        self._emit(
            "reaction", chat.info["id"], message_id=message_id, emoji=chat.reactions[message_id]
        )
        return True

    # ---- HTTP: control API for chat front-ends --------------------------------------------

    # The demo page reaches this API through its own server (standin/webchat.py proxies it), so
    # by default no other origin's page may read it; set to allow one page served elsewhere.
    page_origin: str | None = None

    def _cors(self, response: web.StreamResponse) -> web.StreamResponse:
        if self.page_origin:
            response.headers["Access-Control-Allow-Origin"] = self.page_origin
            response.headers["Vary"] = "Origin"
        return response

    def _control_json(self, body: Any, status: int = 200) -> web.StreamResponse:
        return self._cors(web.json_response(body, status=status))

    def _control_error(self, description: str, status: int = 400) -> web.StreamResponse:
        return self._control_json({"ok": False, "description": description}, status)

    async def _chat_options(self, request: web.Request) -> web.StreamResponse:
        response = web.Response(status=204)
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type"
        return self._cors(response)

    @staticmethod
    async def _json_body(request: web.Request) -> dict:
        try:
            body = await request.json()
        except ValueError:
            raise ValueError("cuerpo JSON inválido") from None
        if not isinstance(body, dict):
            raise ValueError("se esperaba un objeto JSON")
        return body

    async def _chat_info(self, request: web.Request) -> web.StreamResponse:
        user = request.query.get("user_id", "")
        return self._control_json(
            {
                "ok": True,
                "bot": self.bot_user,
                "base_url": self.base_url,
                "users": list(self._users.values()),
                "groups": self.groups,
                # The menu that user sees (staff get their own), else the default one.
                "commands": self.menu_of(int(user)) if user.isdigit() else self.commands,
                "last": len(self._events),
            }
        )

    @staticmethod
    def _where(body: Any) -> dict[str, int | None]:
        """The optional chat_id (a group) and reply_to (a message there) of a control call."""
        chat_id, reply_to = body.get("chat_id"), body.get("reply_to")
        return {
            "chat_id": None if chat_id in (None, "") else int(chat_id),
            "reply_to": None if reply_to in (None, "") else int(reply_to),
        }

    async def _chat_send(self, request: web.Request) -> web.StreamResponse:
        """A text from user_id: in their private chat, or in a group (chat_id), maybe replying
        to one of its messages (reply_to), as a specialist answers a consulta in Telegram."""
        try:
            body = await self._json_body(request)
            user_id = int(body["user_id"])
            text = str(body["text"])
            where = self._where(body)
        except (KeyError, TypeError, ValueError) as exc:
            return self._control_error(f"se necesitan user_id y text ({exc})")
        if not text:
            return self._control_error("el texto está vacío")
        self._ensure_user(user_id, body.get("first_name"))
        try:
            message_id = await self.send_text(user_id, text, **where)
        except KeyError as exc:
            return self._control_error(str(exc.args[0]), 404)
        return self._control_json({"ok": True, "message_id": message_id})

    async def _chat_press(self, request: web.Request) -> web.StreamResponse:
        try:
            body = await self._json_body(request)
            user_id = int(body["user_id"])
            message_id = int(body["message_id"])
            data = str(body["callback_data"])
            chat_id = self._where(body)["chat_id"]
        except (KeyError, TypeError, ValueError) as exc:
            return self._control_error(f"se necesitan user_id, message_id y callback_data ({exc})")
        try:
            query_id = await self.press(user_id, message_id, data, chat_id=chat_id)
        except KeyError as exc:
            return self._control_error(str(exc.args[0]), 404)
        return self._control_json({"ok": True, "callback_query_id": query_id})

    async def _chat_upload(self, request: web.Request) -> web.StreamResponse:
        """A photo, a document or a sticker from user_id (multipart form: user_id, kind, file,
        optional caption, chat_id, first_name), as the phone's clip and sticker buttons send."""
        try:
            form = await request.post()
            user_id = int(str(form["user_id"]))
            kind = str(form.get("kind", ""))
            chat_id = self._where(form)["chat_id"]
        except (KeyError, TypeError, ValueError) as exc:
            return self._control_error(f"se necesitan user_id y kind ({exc})")
        except web.HTTPRequestEntityTooLarge:
            return self._control_error("el archivo es demasiado grande", 413)
        caption = str(form.get("caption") or "") or None
        upload = form.get("file")
        data = upload.file.read() if isinstance(upload, web.FileField) else b""
        self._ensure_user(user_id, str(form.get("first_name") or "") or None)
        try:
            if kind == "sticker":
                message_id = await self.send_sticker(
                    user_id, str(form.get("emoji") or "👍"), chat_id=chat_id
                )
            elif kind not in ("photo", "document"):
                return self._control_error("kind debe ser photo, document o sticker")
            elif not data:
                return self._control_error("falta el archivo (file)")
            elif kind == "photo":
                if _image_size(data) is None:
                    return self._control_error("la foto debe ser una imagen PNG o JPEG")
                message_id = await self.send_photo(user_id, data, caption, chat_id=chat_id)
            else:
                name = (upload.filename if isinstance(upload, web.FileField) else None) or (
                    "documento.pdf"
                )
                mime = upload.content_type if isinstance(upload, web.FileField) else None
                if mime in (None, "", "application/octet-stream"):
                    mime = None
                message_id = await self.send_document(
                    user_id, data, name, mime, caption, chat_id=chat_id
                )
        except KeyError as exc:
            return self._control_error(str(exc.args[0]), 404)
        return self._control_json({"ok": True, "message_id": message_id})

    async def _chat_contact(self, request: web.Request) -> web.StreamResponse:
        """The user shares a contact (their own unless ``own`` is false), like the phone button."""
        try:
            body = await self._json_body(request)
            user_id = int(body["user_id"])
            phone = str(body["phone"])
        except (KeyError, TypeError, ValueError) as exc:
            return self._control_error(f"se necesitan user_id y phone ({exc})")
        self._ensure_user(user_id, body.get("first_name"))
        message_id = await self.send_contact(user_id, phone, own=body.get("own", True) is not False)
        return self._control_json({"ok": True, "message_id": message_id})

    async def _chat_messages(self, request: web.Request) -> web.StreamResponse:
        try:
            raw_chat = request.query.get("chat_id")
            chat_id = int(raw_chat) if raw_chat else None
            after = int(request.query.get("after", 0))
            wait = min(max(float(request.query.get("wait", 0)), 0.0), 60.0)
        except ValueError:
            return self._control_error("chat_id, after y wait deben ser números")
        deadline = time.monotonic() + wait
        while True:
            events = [
                e
                for e in self._events[max(after, 0) :]
                if chat_id is None or e["chat_id"] == chat_id
            ]
            remaining = deadline - time.monotonic()
            if events or remaining <= 0 or self._closing:
                return self._control_json({"events": events, "last": len(self._events)})
            await self._output_signal.wait(remaining)

    async def _chat_transcript(self, request: web.Request) -> web.StreamResponse:
        try:
            chat_id = int(request.query["chat_id"])
        except (KeyError, ValueError):
            return self._control_error("falta chat_id")
        return self._control_json(
            {
                "messages": [m.to_json() for m in self.messages(chat_id)],
                "user_messages": self._user_messages(chat_id),
                "last": len(self._events),
            }
        )

    def _user_messages(self, chat_id: int) -> list[dict]:
        """What people sent here, so a reloaded page shows both sides: text, contact, photo,
        document or sticker, who sent it (a group has several people) and what it replies to."""
        chat = self._chats.get(chat_id)
        if chat is None:
            return []
        return [
            self._user_message_json(raw)
            for _, raw in sorted(chat.messages.items())
            if not raw.get("from", {}).get("is_bot", True)
        ]

    def _user_message_json(self, raw: dict) -> dict:
        sender = raw.get("from", {})
        rec = self._file_of(raw)
        kind = next((k for k in ("photo", "document", "sticker") if k in raw), "text")
        if "contact" in raw:
            kind = "contact"
        target = raw.get("reply_to_message")
        return {
            "message_id": raw["message_id"],
            "date": raw.get("date", 0),
            "from_id": sender.get("id"),
            "from_name": sender.get("first_name"),
            "kind": kind,
            "text": raw.get("text") if "text" in raw else raw.get("caption"),
            "contact": raw.get("contact"),
            "emoji": (raw.get("sticker") or {}).get("emoji"),
            "reactions": self._chats[raw["chat"]["id"]].reactions.get(raw["message_id"], []),
            "file_name": rec.file_name if rec is not None and kind == "document" else None,
            "file_size": len(rec.data) if rec is not None else None,
            "reply_to": None
            if target is None
            else {
                "message_id": target.get("message_id"),
                "from_name": (target.get("from") or {}).get("first_name"),
                "text": target.get("text") or target.get("caption") or "",
            },
        }

    async def _chat_file(self, request: web.Request) -> web.StreamResponse:
        try:
            chat_id = int(request.match_info["chat_id"])
            message_id = int(request.match_info["message_id"])
        except ValueError:
            return self._control_error("chat_id y message_id deben ser números")
        chat = self._chats.get(chat_id)
        msg = chat.bot_messages.get(message_id) if chat else None
        if msg is not None and msg.file_bytes is not None:
            data, mime, name = msg.file_bytes, msg.mime_type, msg.file_name
        else:  # what a person sent: their photo or document, shown back on the page
            raw = chat.messages.get(message_id) if chat else None
            rec = self._file_of(raw) if raw else None
            if rec is None or rec.kind == "sticker":
                return self._control_error("no hay archivo para ese mensaje", 404)
            mime = "image/png" if rec.data.startswith(b"\x89PNG") else rec.mime_type
            data, name = rec.data, rec.file_name
        response = web.Response(body=data, content_type=mime or "application/octet-stream")
        name = (name or f"archivo_{message_id}").replace('"', "")
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return self._cors(response)


async def _serve(host: str, port: int, token: str, username: str) -> None:
    async with BotAPIStandIn(token=token, host=host, port=port, bot_username=username) as api:
        print(f"Bot API de prueba escuchando en {api.url}")
        print(f"  base_url      = {api.base_url}")
        print(f"  base_file_url = {api.base_file_url}")
        print(f"  token         = {api.token}")
        print("Ctrl+C para terminar.")
        await asyncio.Event().wait()


def main(argv: list[str] | None = None) -> None:
    """Run the stand-in on its own so a bot process and a terminal chat can share it."""
    parser = argparse.ArgumentParser(description="Servidor local que imita la Bot API.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--username", default="concerta_bot")
    args = parser.parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args.host, args.port, args.token, args.username))


if __name__ == "__main__":
    main()
