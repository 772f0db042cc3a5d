"""`python -m bot webhook`: Telegram posts each update to us; we also serve /healthz and /metrics.

An update whose secret header matches is put on the Application's update queue and answered
200 at once; the Application handles the queue one update at a time, in arrival order, exactly
as in polling mode (Telegram sends a chat's next update only after our answer, so a chat's
order is kept). When the queue is long the answer waits, which makes Telegram slow down
instead of us piling updates up in memory.

On SIGTERM or SIGINT the listener closes first, then the updates in hand are finished, the
conversation state is saved and the database is closed. The webhook stays registered, so
Telegram keeps the updates that arrive meanwhile until we are back.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import signal

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot import inbox, metrics
from bot.health import TTL, HealthCheck
from bot.services import Services

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8"  # Prometheus' text format
MAX_QUEUED = 200  # updates waiting for the bot before we stop answering Telegram promptly
QUEUE_WAIT = 0.05  # seconds between looks at a full queue
SHUTDOWN_GRACE = 10.0  # seconds open requests get when the listener closes


class WebhookServer:
    def __init__(self, app: Application, services: Services, *, health_ttl: float = TTL):
        self.app = app
        self.services = services
        self.config = services.settings.webhook
        self.config.require(services.settings.source)
        self.health = HealthCheck(services.db, app.bot.get_me, ttl=health_ttl)
        self.port: int | None = None
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        """Where this server listens (the public URL is what Telegram calls, usually a proxy)."""
        return f"http://{self.config.listen}:{self.port}"

    def web_app(self) -> web.Application:
        routes = web.Application()
        routes.router.add_post(self.config.path, self._update)
        routes.router.add_get("/healthz", self._healthz)
        routes.router.add_get("/metrics", self._metrics)
        return routes

    async def start(self) -> None:
        """Start the bot, then listen, then tell Telegram where to send updates."""
        app = self.app
        await app.initialize()
        if app.post_init:
            await app.post_init(app)
        await app.start()
        runner = web.AppRunner(
            self.web_app(), access_log=None, shutdown_timeout=SHUTDOWN_GRACE
        )
        await runner.setup()
        self._runner = runner
        await web.TCPSite(runner, self.config.listen, self.config.port).start()
        self.port = runner.addresses[0][1]
        await app.bot.set_webhook(
            url=self.config.public_url,
            secret_token=self.config.secret_token,
            allowed_updates=Update.ALL_TYPES,
            drop_pending_updates=False,
        )
        log.info(
            "webhook server listening on %s:%s%s", self.config.listen, self.port, self.config.path
        )

    async def stop(self) -> None:
        """No new updates; finish the ones in hand; save state; close the database."""
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()
        if self.app.running:
            await self.app.stop()  # waits for the queued and running updates
            if self.app.post_stop:  # as run_polling would: the web console stops here
                await self.app.post_stop(self.app)
        await self.app.shutdown()  # flushes the persistence
        self.services.db.dispose()
        log.info("webhook server stopped")

    async def _update(self, request: web.Request) -> web.StreamResponse:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.config.secret_token.encode()):
            log.warning("webhook request refused: missing or wrong secret header")
            return web.json_response({"ok": False, "error": "forbidden"}, status=403)
        try:
            raw = await request.json()
            update = Update.de_json(raw, self.app.bot)
        except (ValueError, TypeError, KeyError, AttributeError):
            log.warning("webhook request refused: not a Telegram update")
            return web.json_response({"ok": False, "error": "not an update"}, status=400)
        try:  # durable before Telegram hears 200 and forgets it (bot/inbox.py)
            inbox.keep(self.services.db, [raw], self.services.now())
        except Exception as exc:  # a database that cannot write: handled from memory
            metrics.inc("concerta_updates_not_kept_total")
            log.error("update could not be kept: %s", type(exc).__name__)
        queue = self.app.update_queue
        while queue.qsize() >= MAX_QUEUED:
            await asyncio.sleep(QUEUE_WAIT)
        await queue.put(update)
        return web.json_response({"ok": True})

    async def _healthz(self, request: web.Request) -> web.StreamResponse:
        result = await self.health.check()
        return web.json_response(result, status=200 if result["status"] == "ok" else 503)

    async def _metrics(self, request: web.Request) -> web.StreamResponse:
        return web.Response(body=metrics.render().encode(), headers={"Content-Type": METRICS_TYPE})


async def serve(server: WebhookServer) -> int:
    """Run until SIGTERM or SIGINT, then stop gracefully."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        await server.start()
        await stop.wait()
        log.info("stop signal received: finishing the updates in hand")
    finally:
        await server.stop()
    return 0
