"""The composition root: the Telegram Application is built and every handler wired here, and
the two ways of running it (long polling, webhook) start here.

`python -m bot run` and `python -m bot webhook` (bot/__main__.py) call `run_polling` and
`run_webhook`; the tests and the demo call `build_application`.
"""

from __future__ import annotations

import asyncio
import gc
import logging

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import InvalidToken
from telegram.ext import (
    Application,
    ApplicationBuilder,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import inbox, menus
from bot.config import ConfigError, Settings
from bot.services import Services, build_services
from handlers import (
    broadcast,
    console,
    data,
    handoff,
    membership,
    questions,
    registration,
    reminders,
    report,
    staff,
)
from handlers.common import (
    count_update,
    ignore,
    mark_handled,
    on_error,
    publish_menu,
    save_state,
    skip_if_handled,
)
from handlers.persistence import DatabasePersistence
from handlers.retrying_request import DurableUpdatesRequest, RetryingRequest
from handlers.update_processor import PerChatUpdateProcessor
from handlers.webhook import WebhookServer, serve

log = logging.getLogger(__name__)
FORGET_DELAY = 0.2  # seconds: finished updates are forgotten together

IGNORED = filters.UpdateType.EDITED | filters.UpdateType.CHANNEL_POSTS

def build_application(services: Services) -> Application:
    settings = services.settings
    # A message that discloses danger skips the flood limit and the queue for a slot.
    processor = PerChatUpdateProcessor(
        urgent=lambda text: services.answers.crisis(text) is not None,
        limit=settings.flood_limit,
        window=settings.flood_window,
    )
    builder = (
        ApplicationBuilder()
        .token(settings.telegram.token)
        # Every message is HTML without link previews: said once here, not at each call.
        .defaults(Defaults(
            parse_mode=ParseMode.HTML,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        ))
        .persistence(DatabasePersistence(services.db))
        .post_init(_on_start)
        .post_stop(_on_stop)
        .concurrent_updates(processor)
        .request(RetryingRequest(connection_pool_size=64))
        .get_updates_request(DurableUpdatesRequest(
            connection_pool_size=2,
            keep=lambda batch: inbox.keep(services.db, batch, services.now()),
        ))
    )
    if settings.telegram.api_base_url:
        builder = builder.base_url(settings.telegram.api_base_url).base_file_url(
            settings.telegram.file_base_url
        )
    app = builder.build()
    app.bot_data["services"] = services

    async def slow_down(chat_id: int) -> None:
        await app.bot.send_message(chat_id, services.messages("demasiados_mensajes"))

    processor.on_flood = slow_down

    finished_ids: list[int] = []

    def forget_finished() -> None:
        ids = finished_ids[:]
        finished_ids.clear()
        try:
            inbox.done(services.db, ids)
        except Exception as exc:  # they are kept: handled again at start, stopped as replays
            log.warning("could not note %d updates as finished: %s", len(ids), type(exc).__name__)

    def finished(update: object) -> None:
        # An update waiting to be tried again (a busy database) is not finished yet.
        retrying = app.bot_data.get("db_retries", {})
        if isinstance(update, Update) and update.update_id not in retrying:
            finished_ids.append(update.update_id)
            if len(finished_ids) == 1:  # one delete for all that finish in the next moment
                asyncio.get_running_loop().call_later(FORGET_DELAY, forget_finished)

    processor.on_done = finished
    app.bot_data["forget_finished"] = forget_finished

    handoff.register(app)  # first, so /cancelar inside a consulta reaches it
    # Order matters within group 0: conversations first, then plain commands, then free text.
    registration.register(app)
    report.register(app)
    broadcast.register(app)
    registration.register_commands(app)
    staff.register(app)
    console.register(app)
    reminders.register(app)
    membership.register(app)
    data.register(app)
    handoff.register_plain_messages(app)
    questions.register(app)
    questions.register_fallbacks(app)
    app.add_handler(TypeHandler(Update, count_update), group=-101)
    app.add_handler(TypeHandler(Update, skip_if_handled), group=-100)
    # An edited message is not a new answer or question: acting on it would answer twice.
    app.add_handler(MessageHandler(IGNORED, ignore), group=-99)
    app.add_handler(TypeHandler(Update, save_state), group=1000)
    app.add_handler(TypeHandler(Update, mark_handled), group=1001)
    app.add_error_handler(on_error)
    return app


def run_polling(settings: Settings) -> int:
    """Poll Telegram until SIGTERM/SIGINT: the update in hand finishes, state is flushed."""
    services = build_services(settings, single_instance=True)
    app = build_application(services)
    try:
        app.run_polling(allowed_updates=Update.ALL_TYPES)
    except InvalidToken:
        raise _token_rejected() from None
    finally:
        services.db.dispose()
    return 0


def run_webhook(settings: Settings) -> int:
    """Serve the webhook (and /healthz, /metrics) until SIGTERM/SIGINT."""
    settings.webhook.require(settings.source)

    async def main() -> int:
        services = build_services(settings, single_instance=True)
        return await serve(WebhookServer(build_application(services), services))

    try:
        return asyncio.run(main())
    except InvalidToken:
        raise _token_rejected() from None


def _token_rejected() -> ConfigError:
    # Not the exception's text: python-telegram-bot puts the token in it.
    return ConfigError(
        "telegram.token: Telegram rejected the token; copy it again from @BotFather "
        "(or TELEGRAM_BOT_TOKEN)."
    )


CONSOLE_KEY = "console"  # bot_data: the web console's server, when enabled


async def _on_stop(app: Application) -> None:
    """The updates finished in the last moment are forgotten now, not at the next start; the
    web console stops with the bot."""
    forget = app.bot_data.get("forget_finished")
    if forget is not None:
        forget()
    server = app.bot_data.pop(CONSOLE_KEY, None)
    if server is not None:
        await server.stop()


async def _start_console(app: Application, services: Services) -> None:
    """The web console runs in the bot's own process, on its own address (config: console)."""
    if not services.settings.console.enabled or CONSOLE_KEY in app.bot_data:
        return
    from console.server import ConsoleServer  # only when enabled: Jinja2 is not loaded else

    server = ConsoleServer(services)
    try:
        await server.start()
    except OSError as exc:  # the bot still serves officers; the console says why it is not up
        log.error("web console not started on %s: %s (change console.port)",
                  server.url, exc.strerror or type(exc).__name__)  # fmt: skip
        return
    app.bot_data[CONSOLE_KEY] = server


async def _on_start(app: Application) -> None:
    """Publish the Spanish command menus (officers', and each staff member's own); the handlers
    decide everything else."""
    services: Services = app.bot_data["services"]
    await app.bot.set_my_commands([BotCommand(c, d) for c, d in menus.officer_menu(services)])
    for user_id in menus.staff_ids(services):
        await publish_menu(app.bot, services, user_id)
    left = inbox.left_over(services.db)
    if left:  # taken from Telegram before a crash and never finished: handled first
        log.warning("handling %d update(s) left over from the last run", len(left))
    for raw in left:
        await app.update_queue.put(Update.de_json(raw, app.bot))
    await _start_console(app, services)
    # What start-up built (knowledge base, matcher, places, survey) lives as long as the process.
    # Left to the collector, every full collection walks it again: 50-70 ms pauses that stalled
    # every chat while one user flooded (benchmarks/flood.py). Frozen, it is never walked.
    gc.freeze()
    log.info("bot started as @%s", app.bot.username)
