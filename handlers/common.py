"""Small pieces every handler shares: services, callback data, replies, odd input."""

from __future__ import annotations

import logging

from sqlalchemy.exc import OperationalError
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot import crisis, metrics
from bot.knowledge import Entry, answer_messages
from bot.services import Services

log = logging.getLogger(__name__)

CALLBACK_VERSION = "v1"
MAX_STEP_TEXT = 400  # longer than any answer a step asks for: we say so instead of guessing
MAX_BUTTON_TEXT = 60


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


async def send(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str, markup=None):
    """Send HTML to the chat the update came from."""
    return await context.bot.send_message(
        chat_id=update.effective_chat.id,
        text=text,
        reply_markup=markup,
    )


async def close_buttons(update: Update, choice: str | None = None) -> None:
    """Acknowledge a button and remove the keyboard, so it cannot be pressed twice."""
    query = update.callback_query
    if query is None:
        return
    try:
        await query.answer()
    except BadRequest:
        pass  # an old query: nothing to acknowledge
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


async def save_state(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Write conversation state after every update instead of on a timer (crash safety)."""
    if context.application.persistence:
        await context.application.update_persistence()


DB_RETRIES = 4
DB_RETRY_DELAY = 2.0  # seconds, doubled after each attempt


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log without personal data and tell the person something went wrong on our side.

    A database that is locked or unreachable for a moment is not the officer's problem: they are
    told to wait, and the same update is handled again a little later, so nothing is lost.
    """
    update_id = getattr(update, "update_id", None)
    metrics.inc("concerta_errors_total")
    if isinstance(context.error, OperationalError) and isinstance(update, Update):
        await _retry_later(update, context)
        return
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


def staff_only(callback=None, *, admin: bool = False):
    """The one staff guard: every staff command and button is wrapped in it.

    Staff are the admins of the configuration and whoever an admin added with /staff
    (`Services.is_staff`); `admin=True` lets only the admins through. A refused button gets an
    alert and nothing else happens; a refused command gets one line.
    """

    def wrap(handler):
        async def guarded(update: Update, context: ContextTypes.DEFAULT_TYPE):
            s = svc(context)
            user = update.effective_user
            uid = user.id if user is not None and not user.is_bot else None
            allowed = s.is_admin(uid) if admin else s.is_staff(uid)
            if allowed:
                return await handler(update, context)
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
