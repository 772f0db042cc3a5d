"""Small pieces every handler shares: services, callback data, replies, odd input."""

from __future__ import annotations

import asyncio
import contextvars
import logging
import re
import secrets
from contextlib import contextmanager

from sqlalchemy.exc import DBAPIError, OperationalError
from telegram import (
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes, ConversationHandler, filters

from bot import crisis, menus, metrics, registration_actions, updates
from bot.handoff import remember, text_problem
from bot.knowledge import Entry, answer_messages
from bot.services import Services
from bot.storage import faults

log = logging.getLogger(__name__)

CALLBACK_VERSION = "v1"
MAX_STEP_TEXT = 400  # longer than any answer a step asks for: we say so instead of guessing
MAX_BUTTON_TEXT = 60
# chat_data is never persisted (see handlers/persistence.py): the last unanswered question
# stays in memory only, for bot.handoff.PREFILL_TTL at most.
PREFILL_KEY = "handoff_question"


def svc(context: ContextTypes.DEFAULT_TYPE) -> Services:
    return context.application.bot_data["services"]


def cb(*parts: str) -> str:
    """Versioned callback data, so old buttons can be recognised after a change."""
    data = ":".join((CALLBACK_VERSION, *parts))
    assert len(data.encode()) <= 64, data
    return data


def cb_parts(data: str | None, area: str) -> list[str] | None:
    """The parts after `v1:<area>:`, or None for a button from another version or area."""
    if not data:
        return None
    parts = data.split(":")
    if len(parts) < 2 or parts[0] != CALLBACK_VERSION or parts[1] != area:
        return None
    return parts[2:]


def keyboard(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(text, callback_data=data) for text, data in row] for row in rows]
    )


def buttons(rows) -> InlineKeyboardMarkup | None:
    """The core's buttons, (label, callback data parts) per row, as a keyboard."""
    if not rows:
        return None
    return keyboard([[(label, cb(*parts)) for label, parts in row] for row in rows])


LANE_KEY = "broadcast_lane"  # bot_data: the broadcast lane (handlers/broadcast.py starts it)


def wake_lane(context: ContextTypes.DEFAULT_TYPE) -> None:
    """A broadcast was created (confirmed, or a reminder fired): send it now."""
    lane = context.application.bot_data.get(LANE_KEY)
    if lane is not None:
        lane.wake()


def offer_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> tuple[str, str] | None:
    """The "talk to a specialist" button for the "no lo sé" reply, or None if not offered.

    The question is remembered under a random token carried by the button, so an older
    "no lo sé" button never offers a newer question (handlers/handoff.py reads it back).
    """
    s = svc(context)
    if s.settings.staff_group_chat_id is None:
        return None
    label = s.messages("boton_especialista")
    message = update.message
    text = message.text if message is not None else None
    if not text or text_problem(text) or context.chat_data is None:
        return label, cb("ho", "ask")
    token = secrets.token_hex(4)
    context.chat_data[PREFILL_KEY] = remember(token, text.strip(), s.now())
    return label, cb("ho", "ask", token)


async def publish_menu(bot, s: Services, user_id: int) -> bool:
    """This person's own command menu (bot/menus.py): staff get theirs, anyone else has theirs
    deleted and sees the officers' default. False when Telegram would not take it: someone who
    never wrote to the bot has no chat yet (they get it with their next /ayuda)."""
    menu = menus.staff_menu(s, user_id)
    scope = BotCommandScopeChat(user_id)
    try:
        if menu is None:
            await bot.delete_my_commands(scope=scope)
        else:
            await bot.set_my_commands([BotCommand(c, d) for c, d in menu], scope=scope)
    except TelegramError as exc:
        log.info("a staff menu was not set: %s", type(exc).__name__)
        return False
    return True


async def send(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str, markup=None):
    """Send HTML to the chat the update came from."""
    return await context.bot.send_message(
        chat_id=update.effective_chat.id,
        text=text,
        reply_markup=markup,
    )


async def mark_withdrawn(context: ContextTypes.DEFAULT_TYPE, withdrawn) -> None:
    """The staff group's copy of a message the officer took back (bot.handoff_actions.withdraw)
    now says so; its words leave the group as they left the thread."""
    if withdrawn.group_chat_id is None or withdrawn.group_message_id is None:
        return
    try:
        await context.bot.edit_message_text(
            withdrawn.notice, chat_id=withdrawn.group_chat_id,
            message_id=withdrawn.group_message_id, reply_markup=buttons(withdrawn.buttons),
        )  # fmt: skip
    except TelegramError as exc:
        log.info("consulta #%s: the withdrawn message stays in the group (%s)",
                 withdrawn.number, type(exc).__name__)


async def answer_query(update: Update, text: str | None = None) -> None:
    """Acknowledge a button press; an old or replayed query has nothing left to acknowledge."""
    try:
        await update.callback_query.answer(text)
    except BadRequest:
        pass


async def close_buttons(update: Update, choice: str | None = None) -> None:
    """Acknowledge a button and remove the keyboard, so it cannot be pressed twice."""
    query = update.callback_query
    if query is None:
        return
    await answer_query(update)
    message = query.message
    if not isinstance(message, Message):
        return
    try:
        if choice:
            await message.edit_text(
                f"{message.text_html}\n\n➡️ <i>{choice}</i>"
            )
        else:
            await message.edit_reply_markup(reply_markup=None)
    except (BadRequest, Forbidden) as exc:
        log.debug("could not close buttons: %s", exc)


def button_label(update: Update, data: str) -> str | None:
    """The label of the pressed button, to echo the choice in the chat."""
    message = update.callback_query.message if update.callback_query else None
    markup = getattr(message, "reply_markup", None)
    for row in getattr(markup, "inline_keyboard", ()):
        for button in row:
            if button.callback_data == data:
                return button.text
    return None


def describe_unexpected(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """A kind sentence naming what arrived instead of what the step needs."""
    m = svc(context).messages
    msg = update.effective_message
    if msg is None:
        return m("inesperado_otro")
    if msg.sticker:
        return m("inesperado_sticker")
    if msg.photo:
        return m("inesperado_foto")
    if msg.voice or msg.audio or msg.video_note:
        return m("inesperado_audio")
    if msg.document or msg.video:
        return m("inesperado_archivo")
    if msg.text and len(msg.text) > MAX_STEP_TEXT:
        return m("texto_muy_largo", largo=len(msg.text))
    return m("inesperado_otro")


def repeat_after(notice, ask):
    """Step handlers for a conversation: `notice` (a refused button, "seguimos"…), then the
    conversation's own `ask(update, context, state)` repeats the state's question."""

    def for_state(state: str):
        async def handler(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
            await notice(update, context)
            return await ask(update, context, state)

        return handler

    return for_state


async def say_resuming(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Another command in the middle of a conversation: remind where we are."""
    await send(update, context, svc(context).messages("seguimos"))


async def stale_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button from an old message, a previous version or a finished conversation."""
    query = update.callback_query
    try:
        await query.answer(svc(context).messages("boton_vencido"), show_alert=False)
    except BadRequest:
        pass
    message = query.message
    if isinstance(message, Message) and message.reply_markup:
        try:
            await message.edit_reply_markup(reply_markup=None)
        except (BadRequest, Forbidden):
            pass


async def ignore(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Updates the bot does not act on (edits, channel posts): stop before any handler."""
    raise ApplicationHandlerStop


async def count_update(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    metrics.inc("concerta_updates_total")


async def skip_if_handled(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """First of all: an update handled to the end before (a replay) stops here."""
    if isinstance(update, Update) and updates.already_handled(svc(context), update.update_id):
        log.info("update %s was already handled; replay ignored", update.update_id)
        raise ApplicationHandlerStop


async def mark_handled(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Last of all, after the state is saved: this update is done."""
    if isinstance(update, Update):
        updates.mark_handled(svc(context), update.update_id)


async def _retry_later(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    retries = context.application.bot_data.setdefault("db_retries", {})
    attempt = retries.get(update.update_id, 0) + 1
    log.warning("database unavailable for update %s (attempt %d)", update.update_id, attempt)
    chat = update.effective_chat
    if attempt == 1 and chat and chat.type == "private":
        try:
            await context.bot.send_message(chat.id, svc(context).messages("error_bd"))
        except TelegramError:
            log.debug("could not send the database notice")
    if attempt > DB_RETRIES:
        retries.pop(update.update_id, None)
        log.error("giving up on update %s after %d attempts", update.update_id, DB_RETRIES)
        return
    retries[update.update_id] = attempt

    async def again(_context) -> None:
        await context.application.update_queue.put(update)

    context.job_queue.run_once(again, DB_RETRY_DELAY * 2 ** (attempt - 1))


async def _not_saved(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    faults.write_failed()
    metrics.inc("concerta_db_write_failures_total")
    log.error(
        "database refuses writes (%s); update %s not saved",
        type(getattr(context.error, "orig", context.error)).__name__,
        getattr(update, "update_id", None),
    )
    chat = update.effective_chat if isinstance(update, Update) else None
    if chat and chat.type == "private":
        try:
            await context.bot.send_message(chat.id, svc(context).messages("error_bd_guardar"))
        except TelegramError:
            log.debug("could not send the database notice")


async def save_state(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Write conversation state after every update instead of on a timer (crash safety)."""
    if context.application.persistence:
        await context.application.update_persistence()


DB_RETRIES = 4
DB_RETRY_DELAY = 2.0  # seconds, doubled after each attempt


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log without personal data and tell the person something went wrong on our side.

    A database that is locked or unreachable for a moment is not the officer's problem: they are
    told to wait, and the same update is handled again a little later, so nothing is lost. One
    that lasts (read-only, disk full) is not tried again, which would only repeat what the
    officer already saw: they are told once that it was not saved, and /healthz says failing.
    """
    update_id = getattr(update, "update_id", None)
    metrics.inc("concerta_errors_total")
    if isinstance(context.error, DBAPIError) and faults.lasting(context.error):
        await _not_saved(update, context)
        raise ApplicationHandlerStop  # nothing more of this update: its writes cannot happen
    if isinstance(context.error, OperationalError) and isinstance(update, Update):
        await _retry_later(update, context)
        raise ApplicationHandlerStop  # not done: neither its state nor "handled" is written
    log.error(
        "error handling update %s: %s",
        update_id,
        type(context.error).__name__,
        exc_info=context.error,
    )
    chat = update.effective_chat if isinstance(update, Update) else None
    if chat and chat.type == "private":
        try:
            await context.bot.send_message(
                chat.id, svc(context).messages("error_interno")
            )
        except Exception:  # the chat may be gone; nothing more to do
            log.debug("could not send the error notice")


RECORD_TRIES = 4
RECORD_DELAY = 0.5  # seconds, doubled after each try


async def record_sent(write, *args) -> None:
    """The short transaction after a send that notes which message went where.

    The send has happened: a busy database here must not hand the update back for a replay
    (it would look as if nothing had been sent). Retried in place a few times (no transaction
    is open while waiting), then logged.
    """
    for attempt in range(RECORD_TRIES):
        try:
            write(*args)
            return
        except OperationalError:
            if attempt == RECORD_TRIES - 1:
                log.error("could not record a sent message after %d tries", RECORD_TRIES)
                return
            await asyncio.sleep(RECORD_DELAY * 2**attempt)


def staff_only(callback=None, *, admin: bool = False, private: bool = False):
    """The one staff guard: every staff command and button is wrapped in it.

    Staff are the admins of the configuration and whoever an admin added with /staff
    (`Services.is_staff`); `admin=True` lets only the admins through. `private=True` (commands
    that show officers' or staff's data) works only in a private chat or the staff group, so
    names are never posted in whatever group a command is typed. A refused button gets an
    alert and nothing else happens; a refused command gets one line.
    """

    def wrap(handler):
        async def guarded(update: Update, context: ContextTypes.DEFAULT_TYPE):
            s = svc(context)
            user = update.effective_user
            uid = user.id if user is not None and not user.is_bot else None
            allowed = s.is_admin(uid) if admin else s.is_staff(uid)
            chat = update.effective_chat
            if allowed and private and not _private_place(s, chat):
                key = "solo_privado"
            elif allowed:
                return await handler(update, context)
            else:
                key = "solo_admin" if admin else "solo_personal"
            if update.callback_query is not None:
                try:
                    await update.callback_query.answer(s.messages(key), show_alert=True)
                except BadRequest:
                    pass
            elif update.effective_chat is not None:
                await send(update, context, s.messages(key))
            return None

        guarded.__doc__ = handler.__doc__
        guarded.__name__ = getattr(handler, "__name__", "guarded")
        return guarded

    return wrap(callback) if callback is not None else wrap


def staff_step(callback, *, draft_key: str):
    """A step of a staff conversation (/difundir, /recordatorios nuevo) behind the one staff
    guard: a removed staff member or a forged button is refused, and the draft is dropped."""
    guarded = staff_only(callback)

    async def step(update: Update, context: ContextTypes.DEFAULT_TYPE):
        state = await guarded(update, context)
        if state is None:  # refused (every step returns its next state)
            context.user_data.pop(draft_key, None)
            return ConversationHandler.END
        return state

    step.__doc__ = callback.__doc__
    return step


async def show_screen(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str, markup):
    """A step's screen: in place of the pressed button's message (so the chat does not fill
    with menus), or as a new message after typed text or when the old one cannot be edited.
    Returns the message that shows it."""
    query = update.callback_query
    if query is not None and isinstance(query.message, Message):
        await answer_query(update)
        try:
            await query.message.edit_text(text, reply_markup=markup)
            return query.message
        except BadRequest as exc:  # "not modified" after a double press, or too old
            if "not modified" in str(exc).lower():
                return query.message
    return await send(update, context, text, markup)


def _private_place(s: Services, chat) -> bool:
    if chat is None:
        return False
    return chat.type == "private" or chat.id == s.settings.staff_group_chat_id


async def crisis_step(
    update: Update, context: ContextTypes.DEFAULT_TYPE, text: str | None, *, answer_too=False
) -> bool:
    """Call first in every step that takes text: the help lines if the text discloses danger.

    Returns True when it sent them. The caller goes on with its own work either way (a consulta
    is still delivered, a report answer still saved); only what the caller decides changes.
    """
    reply = crisis.check(svc(context), text, answer_too=answer_too)
    if reply is None:
        return False
    await send(update, context, reply.text)
    if reply.entry_id:
        await send_entry(update, context, svc(context).answers.kb.entries[reply.entry_id])
    return True


def short_label(text: str) -> str:
    """A knowledge-base title cut to fit a button."""
    return text if len(text) <= MAX_BUTTON_TEXT else text[: MAX_BUTTON_TEXT - 1] + "…"


async def send_entry(update: Update, context: ContextTypes.DEFAULT_TYPE, entry: Entry) -> None:
    """The answer with its source, split if long; on the last part, the buttons: 👍/👎 (not on a
    help line: a person in danger is not asked to rate it), its full list if it has one, and
    related entries."""
    s = svc(context)
    m = s.messages
    chunks = answer_messages(entry)
    rows = []
    if not entry.linea_de_ayuda:
        rows.append([
            (m("boton_util"), cb("fb", entry.id, "up")),
            (m("boton_no_util"), cb("fb", entry.id, "down")),
        ])
    if entry.lista_completa:
        rows.append([(m("boton_lista_completa"), cb("kb", "l", entry.id))])
    for rel_id in entry.relacionados[:3]:
        related = s.answers.kb.entries.get(rel_id)
        if related:
            rows.append([(f"➡️ {short_label(related.titulo)}", cb("kb", "e", rel_id))])
    for chunk in chunks[:-1]:
        await send(update, context, chunk)
    await send(update, context, chunks[-1], keyboard(rows) if rows else None)


_own_429 = contextvars.ContextVar("concerta_own_429", default=False)


@contextmanager
def pacing_429_myself():
    """Inside this block (one task) a 429 comes back to the caller instead of being waited out
    by the request layer: the broadcast lane pauses everyone after one, not just that send."""
    token = _own_429.set(True)
    try:
        yield
    finally:
        _own_429.reset(token)


def paces_its_own_429s() -> bool:
    return _own_429.get()


# Commands that end the conversation (its fallbacks) instead of being answered inside a step.
LEAVING_COMMANDS = filters.Regex(r"^/(cancelar|borrar_mis_datos)(@\w+)?(\s|$)")
# "cancelar" typed without the slash means the same to an officer on a phone.
CANCEL_WORDS = filters.Regex(re.compile(r"^\s*(cancelar|salir)\s*[.!]*\s*$", re.IGNORECASE))


async def delete_ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/borrar_mis_datos: confirm first (when there is something to delete)."""
    s = svc(context)
    m = s.messages
    if update.callback_query:
        await close_buttons(update, button_label(update, update.callback_query.data))
    registered = registration_actions.registered(s, update.effective_user.id) is not None
    if not registered and not context.user_data:
        await send(update, context, m("borrado_nada"))
        return
    await send(update, context, m("borrar_confirmar"), keyboard([[
        (m("boton_si_borrar"), cb("del", "yes")),
        (m("boton_no_borrar"), cb("del", "no")),
    ]]))
