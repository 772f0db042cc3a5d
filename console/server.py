"""The console's listening socket, started and stopped with the bot (handlers/app.py)."""

from __future__ import annotations

import logging

from aiohttp import web

from bot.services import Services
from console.app import build_console

log = logging.getLogger(__name__)
SHUTDOWN_GRACE = 5.0


class ConsoleServer:
    def __init__(self, services: Services, *, port: int | None = None) -> None:
        self.services = services
        self.config = services.settings.console
        self.port = port if port is not None else self.config.port
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://{self.config.listen}:{self.port}"

    async def start(self) -> None:
        # No access log: a sign-in link's token travels in a query string.
        runner = web.AppRunner(build_console(self.services), access_log=None,
                               shutdown_timeout=SHUTDOWN_GRACE)  # fmt: skip
        await runner.setup()
        try:
            await web.TCPSite(runner, self.config.listen, self.port).start()
        except OSError:
            await runner.cleanup()
            raise
        self._runner = runner
        self.port = runner.addresses[0][1]
        log.info("web console listening on %s", self.url)

    async def stop(self) -> None:
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()
