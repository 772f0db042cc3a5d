"""Chat with the bot from a terminal, through the stand-in's ``/_chat/`` control API only.

Talking HTTP (not Python calls) keeps the terminal usable against a stand-in running in another
process, and exercises the same API a browser chat will use.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import queue
import sys
import threading
from collections import defaultdict
from typing import Any, TextIO

import aiohttp

__all__ = ["render_entities", "run_terminal_chat"]

_POLL_WAIT = 10.0
_KIND_LABELS = {"document": "documento", "photo": "foto"}  # what the bot sends besides text
_MARKERS = {
    "bold": ("*", "*"),
    "italic": ("_", "_"),
    "strikethrough": ("~", "~"),
    "code": ("`", "`"),
    "spoiler": ("||", "||"),
}
_HELP = (
    "Escriba un mensaje y pulse Enter. Un número pulsa ese botón del último mensaje con "
    "botones.\n«:usuario N Nombre» cambia de usuario, «:ayuda» muestra esto, /salir termina."
)


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
    def __init__(self, api_url: str, user_id: int, first_name: str, stdin: TextIO, stdout: TextIO):
        base = api_url.rstrip("/")
        self.base = base.removesuffix("/bot")
        self.user_id = int(user_id)
        self.first_name = first_name
        self.stdin = stdin
        self.stdout = stdout
        self.bot_name = "bot"
        self.last = 0
        self.known: dict[int, dict] = {}
        self.session: aiohttp.ClientSession | None = None

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
                f"(id {self.user_id}).\n{_HELP}"
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
            try:
                if not await self._handle(line.strip()):
                    return 0
            except _ConnectionLost as exc:
                self.say(f"Se perdió la conexión con el servidor ({exc}). Saliendo.")
                return 1

    async def _handle(self, line: str) -> bool:
        if not line:
            return True
        if line.lower() == "/salir":
            self.say("¡Hasta luego!")
            return False
        if line.lower() == ":ayuda":
            self.say(_HELP)
            return True
        if line.lower().startswith(":usuario"):
            await self._switch_user(line.split()[1:])
            return True
        if line.isdigit():
            await self._press(int(line))
            return True
        await self._request(
            "POST",
            "/_chat/send",
            json={"user_id": self.user_id, "text": line, "first_name": self.first_name},
        )
        return True

    async def _switch_user(self, args: list[str]) -> None:
        if not args or not args[0].lstrip("-").isdigit():
            self.say("Uso: :usuario N Nombre")
            return
        self.user_id = int(args[0])
        self.first_name = " ".join(args[1:]) or f"Usuario {self.user_id}"
        await self._load_transcript()
        self.say(f"Ahora usted escribe como {self.first_name} (id {self.user_id}).")

    async def _load_transcript(self) -> None:
        data = await self._request("GET", "/_chat/transcript", params={"chat_id": self.user_id})
        self.known = {m["message_id"]: m for m in data["messages"]}
        if self.known:
            self.say(f"({len(self.known)} mensajes anteriores del bot en esta conversación)")
            latest = self._latest_with_buttons()
            if latest is not None:
                self._print_buttons(latest)

    def _latest_with_buttons(self) -> dict | None:
        alive = [m for m in self.known.values() if m["buttons"]]
        return max(alive, key=lambda m: m["message_id"]) if alive else None

    async def _press(self, number: int) -> None:
        message = self._latest_with_buttons()
        if message is None:
            self.say("No hay botones para pulsar.")
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
        if event.get("chat_id") != self.user_id:
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
        message = event.get("message")
        if not message:
            return
        self.known[message["message_id"]] = message
        prefix = f"{self.bot_name}: " + ("(editado) " if etype == "edit" else "")
        body = _describe(message).replace("\n", "\n  ")
        self.say(prefix + body)
        if message["buttons"]:
            self._print_buttons(message)
        if message.get("keyboard"):
            keys = "  ".join(f"«{k}»" for row in message["keyboard"] for k in row)
            self.say(f"   teclado: {keys}")

    def _print_buttons(self, message: dict) -> None:
        number = 0
        for row in message["buttons"]:
            labels = []
            for button in row:
                number += 1
                labels.append(f"[{number}] {button['text']}")
            self.say("   " + "  ".join(labels))


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
) -> int:
    """Run the chat until /salir, end of input or a lost server; returns an exit status.

    ``api_url`` is the stand-in's root URL (its ``base_url`` is accepted too).
    """
    chat = _TerminalChat(api_url, user_id, first_name, stdin, stdout)
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
