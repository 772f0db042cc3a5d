"""Chat with the bot from a browser: a phone-sized page on the stand-in's ``/_chat/`` API.

The page and a same-origin pass-through to the control API are served from one port, so the page
needs no CORS and only that port has to be reachable; the stand-in may run in another process,
as with the terminal chat. The bot itself is never involved: the page sees what a Telegram user
would see, through the stand-in.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from aiohttp import web

__all__ = ["WEB_DIR", "ChatUser", "WebChat"]

WEB_DIR = Path(__file__).resolve().parent / "web"
_PROXY_TIMEOUT = aiohttp.ClientTimeout(total=90, connect=5)  # long polls wait up to 60 s
_MAX_UPLOAD = 50 * 1024 * 1024
_PASSED_HEADERS = ("Content-Type", "Content-Disposition")
# The page builds every node itself; this keeps injected markup inert should that ever slip.
_SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


@dataclass(frozen=True)
class ChatUser:
    """A chat offered in the page's switcher: a simulated user's private chat, or a group
    (negative id) where `member` (id, name) is the person who writes."""

    id: int
    name: str
    role: str = ""
    member: tuple[int, str] | None = None

    def to_json(self) -> dict:
        data = {"id": self.id, "name": self.name, "role": self.role}
        if self.member is not None:
            data["member"] = {"id": self.member[0], "name": self.member[1]}
        return data


class WebChat:
    """Serves the browser chat on ``host:port`` for the stand-in at ``api_url``."""

    def __init__(
        self,
        api_url: str,
        *,
        host: str = "127.0.0.1",
        port: int = 8080,
        users: Iterable[ChatUser] = (),
    ):
        self.api_url = api_url.rstrip("/").removesuffix("/bot")
        self.host = host
        self._wanted_port = port
        self.port: int | None = None
        self.users = list(users)
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None

    @property
    def url(self) -> str:
        if self.port is None:
            raise RuntimeError("WebChat is not started")
        return f"http://{self.host}:{self.port}"

    async def start(self) -> None:
        # Photos and PDFs from the file picker pass through to the stand-in (Telegram: 50 MB).
        app = web.Application(middlewares=[_security_headers], client_max_size=_MAX_UPLOAD)
        app.router.add_get("/", self._index)
        app.router.add_get("/config.json", self._config)
        app.router.add_static("/static/", WEB_DIR)
        app.router.add_route("*", "/_chat/{tail:.*}", self._proxy)
        self._session = aiohttp.ClientSession(timeout=_PROXY_TIMEOUT)
        runner = web.AppRunner(app, shutdown_timeout=1.0, access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self._wanted_port).start()
        except OSError:
            await runner.cleanup()
            await self._session.close()
            raise
        self._runner = runner
        self.port = runner.addresses[0][1]

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def __aenter__(self) -> WebChat:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def _index(self, request: web.Request) -> web.StreamResponse:
        return web.FileResponse(WEB_DIR / "index.html")

    async def _config(self, request: web.Request) -> web.StreamResponse:
        return web.json_response({"users": [u.to_json() for u in self.users]})

    async def _proxy(self, request: web.Request) -> web.StreamResponse:
        assert self._session is not None
        headers = {"Content-Type": request.headers["Content-Type"]} if request.can_read_body else {}
        try:
            async with self._session.request(
                request.method,
                self.api_url + request.path_qs,
                data=await request.read() if request.can_read_body else None,
                headers=headers,
            ) as upstream:
                body = await upstream.read()
                passed = {h: upstream.headers[h] for h in _PASSED_HEADERS if h in upstream.headers}
                return web.Response(status=upstream.status, body=body, headers=passed)
        except (aiohttp.ClientError, OSError, TimeoutError):
            return web.json_response(
                {"ok": False, "description": "no se pudo conectar con la Bot API de prueba"},
                status=502,
            )


@web.middleware
async def _security_headers(request: web.Request, handler) -> web.StreamResponse:
    response = await handler(request)
    for name, value in _SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


async def _serve(api_url: str, host: str, port: int) -> None:
    async with WebChat(api_url, host=host, port=port) as chat:
        print(f"Chat en el navegador: {chat.url}  (Bot API de prueba en {chat.api_url})")
        print("Ctrl+C para terminar.")
        await asyncio.Event().wait()


def main(argv: list[str] | None = None) -> None:
    """Serve the page for a stand-in started on its own (``python -m standin.server``)."""
    parser = argparse.ArgumentParser(description="Chat de navegador contra la Bot API de prueba.")
    parser.add_argument("--api", default="http://127.0.0.1:8081", help="URL de la Bot API")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args.api, args.host, args.port))


if __name__ == "__main__":
    main()
