"""Chat with the bot from a terminal, through the stand-in's ``/_chat/`` control API only.

Talking HTTP (not Python calls) keeps the terminal usable against a stand-in running in another
process, and exercises the same API a browser chat will use.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import queue
import re
import sys
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, TextIO

import aiohttp

from standin.samples import SAMPLE_PDF_NAME, sample_pdf, sample_photo

__all__ = ["render_entities", "run_terminal_chat"]

_POLL_WAIT = 10.0
_REPLAYED = 5  # messages printed again when a chat is opened
_BUTTON_RE = re.compile(r"#\d{1,3}")  # a button press; a bare number is text, as in Telegram
# The terminal's own commands that send a file, as the phone's clip and sticker buttons do.
_SAMPLES: dict[str, tuple[str, str | None, str | None, bytes | None]] = {
    "/foto": ("photo", "foto.png", "image/png", sample_photo()),
    "/pdf": ("document", SAMPLE_PDF_NAME, "application/pdf", sample_pdf()),
    "/sticker": ("sticker", None, None, None),
}
_KIND_LABELS = {"document": "documento", "photo": "foto"}  # what the bot sends besides text
_MARKERS = {
    "bold": ("*", "*"),
    "italic": ("_", "_"),
    "strikethrough": ("~", "~"),
    "code": ("`", "`"),
    "spoiler": ("||", "||"),
}
_HELP = """\
Escriba un mensaje y pulse Enter; termine una línea con \\ para seguir en la siguiente.
#2 pulsa el botón [2] del último mensaje con botones (un 2 solo se envía como texto).
  Una tecla del teclado del bot se pulsa escribiendo su texto.
/foto, /pdf y /sticker envían una foto, un PDF o un sticker de muestra.
{chats}:ayuda muestra esto, /salir termina."""
_CHATS_HELP = """\
:grupo abre «{title}» (escribe {member});
  allí «:responder texto» responde al último mensaje del bot, «:responder 12 texto» al 12.
:usuario N cambia de chat ({people}).
"""
_USER_HELP = ":usuario N Nombre cambia de usuario.\n"


class _ConnectionLost(Exception):
    """The control API could not be reached or answered with an error."""


def render_entities(text: str, entities: list[dict] | None) -> str:
    """Plain text plus Telegram entities (UTF-16 offsets) to terminal text with light emphasis."""
    if not entities:
        return text
    index: dict[int, int] = {}
    u16 = 0
    for i, ch in enumerate(text):
        index[u16] = i
        u16 += 2 if ord(ch) > 0xFFFF else 1
    index[u16] = len(text)
    opens: dict[int, list[dict]] = defaultdict(list)
    closes: dict[int, list[dict]] = defaultdict(list)
    for ent in sorted(entities, key=lambda e: (e["offset"], -e["length"])):
        start = index.get(ent["offset"])
        end = index.get(ent["offset"] + ent["length"])
        if start is None or end is None or end <= start:
            continue
        ent = {**ent, "_start": start, "_end": end}
        opens[start].append(ent)
        closes[end].insert(0, ent)
    out: list[str] = []
    quote = 0
    for i in range(len(text) + 1):
        for ent in closes.get(i, []):
            etype = ent["type"]
            if etype in _MARKERS:
                out.append(_MARKERS[etype][1])
            elif etype == "text_link" and text[ent["_start"] : ent["_end"]] != ent.get("url"):
                out.append(f" ({ent.get('url', '')})")
            elif etype in ("blockquote", "expandable_blockquote"):
                quote -= 1
        if i == len(text):
            break
        for ent in opens.get(i, []):
            etype = ent["type"]
            if etype in _MARKERS:
                out.append(_MARKERS[etype][0])
            elif etype in ("blockquote", "expandable_blockquote"):
                quote += 1
                out.append("> ")
        out.append(text[i])
        if text[i] == "\n" and quote > 0:
            out.append("> ")
    return "".join(out)


class _LineReader:
    """Reads one stdin line per request in a daemon thread.

    One line per request means nothing is read ahead of time, and a daemon thread never keeps
    the process alive when the chat ends while the user is still typing.
    """

    def __init__(self, stdin: TextIO, loop: asyncio.AbstractEventLoop):
        self._stdin = stdin
        self._loop = loop
        self._requests: queue.Queue[asyncio.Future | None] = queue.Queue()
        self._thread: threading.Thread | None = None

    async def readline(self) -> str | None:
        """The next line, or None at end of input."""
        future = self._loop.create_future()
        self._requests.put(future)
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="terminal-stdin", daemon=True)
            self._thread.start()
        return await future

    def close(self) -> None:
        self._requests.put(None)

    def _run(self) -> None:
        while True:
            future = self._requests.get()
            if future is None:
                return
            try:
                line = self._stdin.readline()
            except (OSError, ValueError):
                line = ""
            try:
                self._loop.call_soon_threadsafe(_resolve, future, line or None)
            except RuntimeError:  # loop already closed
                return
            if not line:
                return


def _resolve(future: asyncio.Future, value: Any) -> None:
    if not future.done():
        future.set_result(value)


class _TerminalChat:
    """One person at the keyboard, looking at one chat at a time: a private chat with the bot,
    or the staff group (as the staff member who writes there)."""

    def __init__(
        self,
        api_url: str,
        user_id: int,
        first_name: str,
        stdin: TextIO,
        stdout: TextIO,
        *,
        people: Iterable[tuple[int, str]] = (),
        group: tuple[int, str, int, str] | None = None,
    ):
        base = api_url.rstrip("/")
        self.base = base.removesuffix("/bot")
        self.user_id = int(user_id)
        self.first_name = first_name
        self.chat_id = self.user_id  # the chat on screen
        self.people = {int(uid): name for uid, name in people}
        self.group = group
        self.stdin = stdin
        self.stdout = stdout
        self.bot_name = "bot"
        self.last = 0
        self.known: dict[int, dict] = {}  # the bot's messages in the chat on screen
        self.shown: dict[int, int] = {}  # chat id -> the latest message id printed there
        self.noticed: set[int] = set()  # chats whose new messages were announced once
        self.hinted = False  # how to press a button is said under the first buttons only
        self.answered_keyboard = 0  # the bot keyboard last answered (it is gone since)
        self.session: aiohttp.ClientSession | None = None

    @property
    def in_group(self) -> bool:
        return self.chat_id < 0

    def help_text(self) -> str:
        if self.group is not None:
            people = ", ".join(f"{uid}: {name}" for uid, name in self.people.items())
            chats = _CHATS_HELP.format(title=self.group[1], member=self.group[3], people=people)
        else:
            chats = _USER_HELP
        return _HELP.format(chats=chats)

    def say(self, text: str) -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    async def _request(self, method: str, path: str, *, timeout: float = 10.0, **kwargs: Any):
        assert self.session is not None
        try:
            async with self.session.request(
                method, self.base + path, timeout=aiohttp.ClientTimeout(total=timeout), **kwargs
            ) as response:
                data = await response.json(content_type=None)
                if response.status >= 400:
                    detail = data.get("description") if isinstance(data, dict) else data
                    raise _ConnectionLost(f"HTTP {response.status}: {detail}")
                return data
        except (aiohttp.ClientError, OSError, TimeoutError, ValueError) as exc:
            raise _ConnectionLost(str(exc) or type(exc).__name__) from exc

    async def run(self) -> int:
        async with aiohttp.ClientSession() as session:
            self.session = session
            try:
                info = await self._request("GET", "/_chat/info", timeout=5.0)
                self.bot_name = info["bot"].get("first_name") or "bot"
                self.last = int(info["last"])
                await self._load_transcript()
            except (_ConnectionLost, KeyError, TypeError) as exc:
                self.say(f"No se pudo conectar con el servidor de prueba en {self.base}: {exc}")
                return 1
            self.say(
                f"Chat de prueba con {self.bot_name}, usted escribe como {self.first_name} "
                f"(id {self.user_id}).\n{self.help_text()}"
            )
            reader = _LineReader(self.stdin, asyncio.get_running_loop())
            poller = asyncio.create_task(self._poll())
            try:
                return await self._input_loop(reader, poller)
            finally:
                reader.close()
                poller.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await poller

    async def _input_loop(self, reader: _LineReader, poller: asyncio.Task) -> int:
        lines: list[str] = []  # a message of several lines, each but the last ending in \
        while True:
            line_task = asyncio.ensure_future(reader.readline())
            done, _ = await asyncio.wait({line_task, poller}, return_when=asyncio.FIRST_COMPLETED)
            if poller in done and line_task not in done:
                line_task.cancel()
                return 1
            line = line_task.result()
            if line is None:
                self.say("Fin de la entrada. ¡Hasta luego!")
                return 0
            line = line.rstrip("\r\n")
            if line.rstrip().endswith("\\"):
                lines.append(line.rstrip()[:-1].rstrip())
                continue
            text, lines = "\n".join([*lines, line]).strip(), []
            try:
                if not await self._handle(text):
                    return 0
            except _ConnectionLost as exc:
                self.say(f"Se perdió la conexión con el servidor ({exc}). Saliendo.")
                return 1

    async def _handle(self, line: str) -> bool:
        if not line:
            return True
        word, _, rest = line.partition(" ")
        word = word.lower()
        if word == "/salir":
            self.say("¡Hasta luego!")
            return False
        if word == ":ayuda":
            self.say(self.help_text())
        elif word == ":usuario":
            await self._switch_user(line.split()[1:])
        elif word == ":grupo":
            await self._switch_to_group()
        elif word == ":responder":
            await self._reply(rest.strip())
        elif word in _SAMPLES:
            await self._upload(word, rest.strip())
        elif "\n" not in line and _BUTTON_RE.fullmatch(line):
            await self._press(int(line[1:]))
        elif self._contact_key(line):
            await self._sent("/_chat/contact", json={
                "user_id": self.user_id, "phone": _demo_phone(self.user_id),
                "first_name": self.first_name,
            })  # fmt: skip
            self.say(f"(compartió el número de prueba {_demo_phone(self.user_id)})")
        else:
            await self._send(line)
        return True

    def _where(self) -> dict[str, int]:
        return {"chat_id": self.chat_id} if self.in_group else {}

    async def _send(self, text: str, reply_to: int | None = None) -> None:
        body = {"user_id": self.user_id, "text": text, "first_name": self.first_name}
        if reply_to is not None:
            body["reply_to"] = reply_to
        await self._sent("/_chat/send", json={**body, **self._where()})

    async def _sent(self, path: str, **kwargs: Any) -> None:
        """Send as the person: whatever they send answers the bot's keyboard, which goes."""
        await self._request("POST", path, **kwargs)
        keyboard = self._latest_keyboard()
        if keyboard is not None:
            self.answered_keyboard = keyboard["message_id"]

    async def _reply(self, rest: str) -> None:
        """:responder [N] texto: Telegram's «Responder» on a message of this chat."""
        head, _, tail = rest.partition(" ")
        target, text = (int(head), tail.strip()) if head.isdigit() else (None, rest)
        if target is None:
            target = max(self.known, default=None)
        if not text:
            self.say("Uso: :responder texto  (o :responder 12 texto, para el mensaje 12)")
        elif target is None or target not in self.known:
            self.say("No hay un mensaje del bot al que responder aquí.")
        else:
            await self._send(text, reply_to=target)

    async def _upload(self, command: str, caption: str) -> None:
        kind, name, mime, data = _SAMPLES[command]
        form = aiohttp.FormData()
        form.add_field("user_id", str(self.user_id))
        form.add_field("first_name", self.first_name)
        form.add_field("kind", kind)
        if self.in_group:
            form.add_field("chat_id", str(self.chat_id))
        if caption and kind != "sticker":
            form.add_field("caption", caption)
        if data is not None:
            form.add_field("file", data, filename=name, content_type=mime)
        await self._sent("/_chat/upload", data=form)
        what = {"photo": "una foto", "document": f"el PDF {name}", "sticker": "un sticker 👍"}
        self.say(f"(envió {what[kind]}{', con pie' if caption and kind != 'sticker' else ''})")

    def _contact_key(self, line: str) -> bool:
        """The typed text is the label of a key that shares the phone number (reply keyboard)."""
        message = self._latest_keyboard()
        keys = message.get("contact_keys") or [] if message else []
        return _bare(line) in {_bare(k) for k in keys}

    def _latest_keyboard(self) -> dict | None:
        """The bot's keyboard still up: the latest, until the person sends something."""
        with_keyboard = [m for m in self.known.values() if m.get("keyboard")]
        latest = max(with_keyboard, key=lambda m: m["message_id"]) if with_keyboard else None
        return latest if latest and latest["message_id"] > self.answered_keyboard else None

    async def _switch_user(self, args: list[str]) -> None:
        if not args or not args[0].lstrip("-").isdigit() or int(args[0]) <= 0:
            self.say("Uso: :usuario N Nombre")
            return
        self.user_id = int(args[0])
        name = " ".join(args[1:]) or self.people.get(self.user_id) or f"Usuario {self.user_id}"
        self.first_name = name
        self.people.setdefault(self.user_id, name)
        self.chat_id = self.user_id
        self.say(f"Ahora usted escribe como {self.first_name} (id {self.user_id}).")
        await self._load_transcript()

    async def _switch_to_group(self) -> None:
        if self.group is None:
            self.say("Esta demo no tiene un grupo del personal.")
            return
        chat_id, title, member_id, member_name = self.group
        self.user_id, self.first_name, self.chat_id = member_id, member_name, chat_id
        self.say(f"Ahora está en «{title}» y escribe como {member_name} (id {member_id}). "
                 "Responda a una consulta con «:responder texto».")  # fmt: skip
        await self._load_transcript()

    async def _load_transcript(self) -> None:
        """The chat on screen: the messages not printed yet (the last few), and its buttons."""
        data = await self._request("GET", "/_chat/transcript", params={"chat_id": self.chat_id})
        self.known = {m["message_id"]: m for m in data["messages"]}
        self.answered_keyboard = 0
        if data.get("user_messages") and (keyboard := self._latest_keyboard()) is not None:
            last_sent = max(m["message_id"] for m in data["user_messages"])
            if last_sent > keyboard["message_id"]:
                self.answered_keyboard = keyboard["message_id"]
        self.noticed.discard(self.chat_id)
        seen = self.shown.get(self.chat_id)
        if seen is None and self.chat_id == self.user_id and not self.in_group and not self.shown:
            seen = max(self.known, default=0)  # the first chat: the history is just counted
        unseen = sorted(mid for mid in self.known if mid > (seen or 0))
        earlier = len(self.known) - len(unseen[-_REPLAYED:])
        if earlier:
            many = "mensajes anteriores" if earlier > 1 else "mensaje anterior"
            self.say(f"({earlier} {many} del bot en esta conversación)")
        for mid in unseen[-_REPLAYED:]:
            self._print_message(self.known[mid], "new")
        self.shown[self.chat_id] = max(self.known, default=0)
        latest = self._latest_with_buttons()
        if latest is not None and latest["message_id"] not in unseen[-_REPLAYED:]:
            first = next((ln for ln in _describe(latest).splitlines() if ln.strip()), "")
            self.say(f"   (botones del mensaje «{first[:60]}»)")
            self._print_buttons(latest)

    def _latest_with_buttons(self) -> dict | None:
        """The message whose buttons can be pressed: the latest that has or had buttons, if it
        still has them; older ones are not current (the browser chat greys the same ones). In
        a group every consulta keeps its buttons: there it is the latest with buttons."""
        key = "buttons" if self.in_group else "had_buttons"
        marked = [m for m in self.known.values() if m.get(key) or m["buttons"]]
        latest = max(marked, key=lambda m: m["message_id"]) if marked else None
        return latest if latest is not None and latest["buttons"] else None

    async def _press(self, number: int) -> None:
        message = self._latest_with_buttons()
        if message is None:
            self.say("No hay botones vigentes para pulsar.")
            return
        flat = [b for row in message["buttons"] for b in row]
        if not 1 <= number <= len(flat):
            self.say(f"No existe el botón {number}; hay {len(flat)}.")
            return
        button = flat[number - 1]
        if button.get("callback_data") is None:
            if button.get("url"):
                self.say(f"(enlace) {button['url']}")
            else:
                self.say("Ese botón no se puede pulsar desde aquí.")
            return
        await self._request(
            "POST",
            "/_chat/press",
            json={
                "user_id": self.user_id,
                "message_id": message["message_id"],
                "callback_data": button["callback_data"],
                **self._where(),
            },
        )

    async def _poll(self) -> None:
        while True:
            try:
                data = await self._request(
                    "GET",
                    "/_chat/messages",
                    params={"after": self.last, "wait": _POLL_WAIT},
                    timeout=_POLL_WAIT + 10,
                )
            except _ConnectionLost as exc:
                self.say(f"Se perdió la conexión con el servidor ({exc}). Saliendo.")
                return
            for event in data.get("events", []):
                self._show(event)
            self.last = max(self.last, int(data.get("last", self.last)))

    def _show(self, event: dict) -> None:
        chat_id = event.get("chat_id")
        if chat_id != self.chat_id:
            self._notice(chat_id, event)
            return
        etype = event.get("type")
        if etype == "callback_answer":
            answer = event.get("answer") or {}
            if answer.get("text"):
                label = "alerta" if answer.get("show_alert") else "aviso"
                self.say(f"({label}) {answer['text']}")
            if answer.get("url"):
                self.say(f"(enlace) {answer['url']}")
            return
        if etype == "reaction":  # the bot's mark on what the person sent, e.g. 👍 delivered
            emoji = " ".join(event.get("emoji") or [])
            if emoji:
                self.say(f"({self.bot_name} reaccionó {emoji} a su mensaje)")
            return
        message = event.get("message")
        if not message:
            return
        before = self.known.get(message["message_id"])
        self.known[message["message_id"]] = message
        self.shown[chat_id] = max(self.shown.get(chat_id, 0), message["message_id"])
        self._print_message(message, etype, before)

    def _notice(self, chat_id: int | None, event: dict) -> None:
        """A new message in another chat of this demo: said once, until that chat is opened."""
        if event.get("type") != "new" or chat_id in self.noticed:
            return
        if self.group is not None and chat_id == self.group[0]:
            self.say(f"(mensaje nuevo en «{self.group[1]}»: escriba :grupo para verlo)")
        elif chat_id in self.people:
            name = self.people[chat_id]
            self.say(f"(mensaje nuevo para {name}: escriba :usuario {chat_id} para verlo)")
        else:
            return
        self.noticed.add(chat_id)

    def _print_message(self, message: dict, etype: str | None, before: dict | None = None) -> None:
        where = f" (mensaje {message['message_id']})" if self.in_group else ""
        prefix = f"{self.bot_name}{where}: " + ("(editado) " if etype == "edit" else "")
        body = _describe(message)
        old = _describe(before) if before is not None and etype == "edit" else ""
        if old and body == old:  # only the buttons changed (a box ticked, 👍 taken away)
            body = "… (cambiaron los botones)" if message["buttons"] else "… (sin botones)"
        elif old and body.startswith(old):  # a choice marked under the question
            body = "… " + body[len(old) :].strip()
        body = body.replace("\n", "\n  ")
        self.say(prefix + body)
        if message["buttons"]:
            self._print_buttons(message)
        if message.get("keyboard"):
            keys = "  ".join(f"«{k}»" for row in message["keyboard"] for k in row)
            self.say(f"   teclado: {keys}  (escriba el texto de la tecla)")

    def _print_buttons(self, message: dict) -> None:
        number = 0
        for row in message["buttons"]:
            labels = []
            for button in row:
                number += 1
                labels.append(f"[{number}] {button['text']}")
            self.say("   " + "  ".join(labels))
        if not self.hinted:
            self.hinted = True
            self.say("   (escriba #1 para pulsar el botón [1]; un 1 solo se envía como texto)")


def _bare(label: str) -> str:
    """A key's label without emoji, accents, spaces or case: «📱 Compartir mi número» ~
    «compartir mi numero»."""
    spelled = unicodedata.normalize("NFD", label)  # accents apart, then dropped with emoji
    kept = "".join(ch for ch in spelled if unicodedata.category(ch)[0] in "LN" or ch == " ")
    return " ".join(kept.casefold().split())


def _demo_phone(user_id: int) -> str:
    """The made-up number a simulated user shares (the browser chat shares the same)."""
    return "+51 9" + str(user_id).zfill(8)[-8:]


def _describe(message: dict) -> str:
    text = render_entities(message.get("plain_text") or "", message.get("entities"))
    kind = message.get("kind", "text")
    if kind == "text":
        return text
    label = _KIND_LABELS.get(kind, kind)
    size = message.get("file_size")
    if message.get("file_name") and kind != "photo":
        head = f"[{label}: {message['file_name']}, {size} bytes]"
    elif size is not None:
        head = f"[{label}: {size} bytes]"
    else:
        head = f"[{label}]"
    return f"{head}\n{text}" if text else head


async def run_terminal_chat(
    api_url: str,
    user_id: int,
    first_name: str,
    *,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    people: Iterable[tuple[int, str]] = (),
    group: tuple[int, str, int, str] | None = None,
) -> int:
    """Run the chat until /salir, end of input or a lost server; returns an exit status.

    ``api_url`` is the stand-in's root URL (its ``base_url`` is accepted too). ``people`` are
    the (id, name) pairs ``:usuario`` knows; ``group`` is (chat id, title, id and name of the
    staff member who writes there), opened with ``:grupo``.
    """
    chat = _TerminalChat(api_url, user_id, first_name, stdin, stdout, people=people, group=group)
    return await chat.run()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Chat de terminal contra la Bot API de prueba.")
    parser.add_argument("--url", default="http://127.0.0.1:8081", help="URL del servidor")
    parser.add_argument("--user", type=int, default=1001, help="id del usuario simulado")
    parser.add_argument("--name", default="Ana", help="nombre del usuario simulado")
    args = parser.parse_args(argv)
    try:
        code = asyncio.run(run_terminal_chat(args.url, args.user, args.name))
    except KeyboardInterrupt:
        code = 0
    sys.exit(code)


if __name__ == "__main__":
    main()
