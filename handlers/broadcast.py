"""/difundir (staff): compose, choose the audience, preview, confirm; and the lane's Telegram side.

The sending itself is bot/broadcast.py's lane, started once the application runs; this module
gives it a `send` that turns Telegram's answers into outcomes, and shows the staff member's
progress. The draft lives in user_data, so a restart keeps it.
"""

from __future__ import annotations

import logging
import warnings
from html import escape

from telegram import Message, Update
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBDeprecationWarning, PTBUserWarning

from bot import audience as aud
from bot import broadcast_actions as core
from bot.broadcast import (
    ERROR,
    GONE,
    RETRY_AFTER,
    SENT,
    Content,
    Lane,
    Outcome,
    Progress,
    as_seconds,
)
from bot.services import Services
from bot.storage import broadcasts as store
from handlers.common import (
    LANE_KEY,
    answer_query,
    buttons,
    cb,
    cb_parts,
    close_buttons,
    crisis_step,
    keyboard,
    pacing_429_myself,
    send,
    staff_only,
    stale_button,
    svc,
    wake_lane,
)
from handlers.common import staff_step as common_staff_step

log = logging.getLogger(__name__)

COMPOSE, AUDIENCE, CONFIRM = "compose", "audience", "confirm"
END = ConversationHandler.END
DRAFT_KEY = "broadcast_draft"


# --- the lane's Telegram side ----------------------------------------------------------------


async def send_content(bot, chat_id: int, content: Content) -> Message:
    """The message exactly as officers get it (the preview uses this too)."""
    if content.document_file_id:
        return await bot.send_document(
            chat_id, content.document_file_id, caption=content.text or None
        )
    return await bot.send_message(chat_id, content.text)


def sender(bot, s: Services):
    """send(chat_id, content) -> Outcome, for the lane."""

    async def send_one(chat_id: int, content: Content) -> Outcome:
        try:
            with pacing_429_myself():  # the lane pauses everyone after a 429, not just this send
                await send_content(bot, chat_id, core.as_delivered(s, content))
        except RetryAfter as exc:
            with warnings.catch_warnings():  # int vs timedelta: handled by as_seconds
                warnings.simplefilter("ignore", PTBDeprecationWarning)
                return Outcome(RETRY_AFTER, seconds=as_seconds(exc.retry_after))
        except Forbidden as exc:  # blocked the bot, or the account is deactivated
            return Outcome(GONE, reason=exc.message[:100])
        except BadRequest as exc:  # will not get better by retrying
            return Outcome(ERROR, reason=exc.message[:120])
        except TimedOut:  # it may have arrived: a second copy is worse than a reported failure
            return Outcome(ERROR, reason="Timed out")
        except NetworkError as exc:  # 5xx or no connection (after the transport's own retries)
            return Outcome(ERROR, reason=exc.message[:120] or type(exc).__name__, retryable=True)
        except TelegramError as exc:
            return Outcome(ERROR, reason=exc.message[:120])
        return Outcome(SENT)

    return send_one


async def start_lane(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Once the application runs: the lane resumes whatever was being sent before a restart."""
    app = context.application
    s: Services = app.bot_data["services"]

    async def progress(p: Progress) -> None:
        await show_progress(app.bot, s, p)

    lane = Lane(
        s.db, sender(app.bot, s), rate=s.settings.broadcast_rate, progress=progress,
        should_run=lambda: app.running, now=lambda: s.now(),
    )  # fmt: skip
    app.bot_data[LANE_KEY] = lane
    lane.task = app.create_task(lane.run(), name="broadcast-lane")


def progress_text(s: Services, p: Progress) -> str:
    c = p.counts
    values = dict(id=p.broadcast_id, sent=c.sent, failed=c.failed, left=c.left, total=c.total)
    if not p.done:
        return s.messages("difundir_enviando", **values)
    if p.status == store.CANCELLED:
        return s.messages("difundir_detenida", pending=c.pending, **values)
    return s.messages("difundir_terminada", **values)


async def show_progress(bot, s: Services, p: Progress) -> None:
    """Edit the progress message; at the end, a new message as the final report."""
    markup = None
    if not p.done:
        markup = keyboard([[(s.messages("difundir_boton_detener"),
                             cb("bc", "stop", str(p.broadcast_id)))]])
    try:
        await bot.edit_message_text(
            progress_text(s, p), chat_id=p.chat_id, message_id=p.message_id, reply_markup=markup
        )
    except BadRequest as exc:  # "not modified", or the message is gone
        log.debug("progress not edited: %s", exc.message)
    if p.done:
        lines = [progress_text(s, p)]
        if p.counts.failed:
            reasons = core.failure_reasons(s, p.broadcast_id)
            lines += ["", s.messages("difundir_motivos")]
            lines += [f"• {escape(reason)}: {n}" for reason, n in reasons[:5]]
        await bot.send_message(p.chat_id, "\n".join(lines))


# --- the conversation ------------------------------------------------------------------------


def staff_step(callback):
    return common_staff_step(callback, draft_key=DRAFT_KEY)


def draft_of(context) -> dict:
    return context.user_data.setdefault(DRAFT_KEY, {})


def audience_of(context) -> aud.Audience:
    return aud.Audience.from_json(draft_of(context).get("audience"))


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """/difundir: ask for the message."""
    context.user_data[DRAFT_KEY] = {}
    await send(update, context, svc(context).messages("difundir_inicio"))
    return COMPOSE


async def remind_pending(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    """«Recordar a estos» under /pendientes: /difundir's own preview and confirmation, with the
    reminder and its audience (bot/broadcast_actions.pending_reminder) filled in."""
    s = svc(context)
    draft, audience = core.pending_reminder(s)
    if core.preview(s, audience) is None:  # they all reported since the list was shown
        await update.callback_query.answer(s.messages("difundir_nadie"), show_alert=True)
        return END
    context.user_data[DRAFT_KEY] = {"text": draft.text, "audience": audience.to_json()}
    return await preview(update, context)


async def composed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """The message as typed, formatting kept (entities → HTML), or a document with caption.

    Crisis words in it (a case quoted to officers) get the writer the help lines; the text is
    still the broadcast's.
    """
    msg = update.effective_message
    await crisis_step(update, context, msg.caption if msg.document else msg.text)
    draft = context.user_data[DRAFT_KEY] = {}
    if msg.document:
        draft.update(text=msg.caption_html if msg.caption else "", doc=msg.document.file_id,
                     doc_name=msg.document.file_name or "documento")
    else:
        draft["text"] = msg.text_html
    problem = core.too_long(svc(context), Content(draft["text"], draft.get("doc")))
    if problem is not None:
        context.user_data[DRAFT_KEY] = {}
        await send(update, context, problem)
        return COMPOSE
    return await show_audience(update, context)


async def not_composable(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """A sticker, photo, voice…: say what is accepted, lose nothing."""
    await send(update, context, svc(context).messages("difundir_solo_texto_o_doc"))
    return COMPOSE


async def show_audience(update: Update, context, view: str = "main") -> str:
    screen = core.audience_screen(svc(context), audience_of(context), view)
    markup = buttons(screen.buttons)
    query = update.callback_query
    if query is not None and isinstance(query.message, Message):
        await query.answer()
        try:
            await query.message.edit_text(screen.text, reply_markup=markup)
        except BadRequest as exc:  # "not modified" after a double press
            log.debug("audience not edited: %s", exc.message)
    else:
        await send(update, context, screen.text, markup)
    return AUDIENCE


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """A button of the audience chooser: open a facet, toggle a value, clear, preview."""
    s = svc(context)
    parts = cb_parts(update.callback_query.data, "bc") or []
    if DRAFT_KEY not in context.user_data or "text" not in draft_of(context):
        await stale_button(update, context)
        return END
    match parts:
        case ["v", "main"]:
            return await show_audience(update, context)
        case ["v", code] if code in core.FACET_CODES:
            return await show_audience(update, context, core.FACET_CODES[code])
        case ["k", code, key]:  # ["t", code, index]: a button from before, stale
            audience = core.toggled(s, audience_of(context), code, key)
            if audience is not None:
                draft_of(context)["audience"] = audience.to_json()
                return await show_audience(update, context, core.FACET_CODES[code])
        case ["all"]:
            draft_of(context)["audience"] = aud.Audience().to_json()
            return await show_audience(update, context)
        case ["prev"]:
            return await preview(update, context)
    await stale_button(update, context)
    return AUDIENCE


async def use_buttons(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """Text while choosing the audience: not a question for the bot; show the chooser again."""
    await send(update, context, svc(context).messages("seguimos"))
    return await show_audience(update, context)


async def preview(update: Update, context) -> str:
    """The exact message as officers will see it, then "Enviar a N"."""
    s = svc(context)
    question = core.preview(s, audience_of(context))
    if question is None:
        await update.callback_query.answer(s.messages("difundir_nadie"), show_alert=True)
        return AUDIENCE
    await close_buttons(update)
    draft = draft_of(context)
    content = Content(draft["text"], draft.get("doc"), draft.get("doc_name"))
    await send_content(context.bot, update.effective_chat.id, core.as_delivered(s, content))
    await send(update, context, question.text, buttons(question.buttons))
    return CONFIRM


async def confirmed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int | str:
    """"Enviar a N": the broadcast is created once, then the lane takes over."""
    s = svc(context)
    parts = cb_parts(update.callback_query.data, "bc") or []
    draft = context.user_data.get(DRAFT_KEY) or {}
    if parts == ["aud"] and "text" in draft:
        await close_buttons(update)
        return await show_audience(update, context)
    if parts == ["cancel"]:
        await close_buttons(update)
        return await cancel(update, context)
    if parts != ["send"] or "text" not in draft:
        await stale_button(update, context)
        return CONFIRM if "text" in draft else END
    if core.confirmed_before(s, update.update_id):  # a replay: the lane owns the message now
        context.user_data.pop(DRAFT_KEY, None)
        return END
    await answer_query(update)
    message = update.callback_query.message
    # The confirmation becomes the progress message (the lane edits it): it says so before the
    # broadcast exists, so the lane's first edit is the next one Telegram sees.
    try:
        await message.edit_text(s.messages("difundir_en_curso"))
    except BadRequest as exc:  # "not modified": a replay after a stop right here
        log.debug("confirmation not edited: %s", exc.message)
    core.confirm(
        s, update.effective_user.id,
        core.Draft(draft["text"], draft.get("doc"), draft.get("doc_name")),
        audience_of(context), (message.chat_id, message.message_id), update.update_id,
    )  # fmt: skip
    context.user_data.pop(DRAFT_KEY, None)
    wake_lane(context)
    return END


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/cancelar: nothing is sent, the draft is forgotten."""
    context.user_data.pop(DRAFT_KEY, None)
    await send(update, context, svc(context).messages("cancelado"))
    return END


@staff_only
async def stop_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """"Detener envío" on a progress message; the deliveries not yet sent stay pending."""
    s = svc(context)
    query = update.callback_query
    parts = cb_parts(query.data, "bc") or []
    if len(parts) != 2 or parts[0] != "stop" or not parts[1].isdigit():
        await stale_button(update, context)
        return
    stopped = core.stop(s, update.effective_user.id, int(parts[1]), update.update_id)
    if stopped is not None:
        await query.answer(s.messages("difundir_detener_ok" if stopped else "difundir_detener_ya"))


@staff_only
async def foreign_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A /difundir button outside the conversation: refused (non-staff) or stale."""
    await stale_button(update, context)


def register(app: Application) -> None:
    text = filters.TEXT & ~filters.COMMAND
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=PTBUserWarning)
        conversation = ConversationHandler(
            name="broadcast",
            persistent=True,
            entry_points=[
                CommandHandler("difundir", staff_step(start), filters=filters.ChatType.PRIVATE),
                CallbackQueryHandler(staff_step(remind_pending), r"^v1:bc:pend$"),
            ],
            states={
                COMPOSE: [
                    MessageHandler(text | filters.Document.ALL, staff_step(composed)),
                    MessageHandler(~filters.COMMAND, staff_step(not_composable)),
                ],
                AUDIENCE: [
                    CallbackQueryHandler(staff_step(pressed), r"^v1:bc:(v|k|t|all|prev)"),
                    MessageHandler(text, staff_step(use_buttons)),
                ],
                CONFIRM: [
                    CallbackQueryHandler(staff_step(confirmed), r"^v1:bc:(send|aud|cancel)$"),
                    MessageHandler(text, staff_step(use_buttons)),
                ],
            },
            fallbacks=[CommandHandler("cancelar", cancel)],
            allow_reentry=True,
        )
    app.add_handler(conversation)
    app.add_handler(CallbackQueryHandler(stop_pressed, r"^v1:bc:stop:"))
    app.add_handler(CallbackQueryHandler(foreign_button, r"^v1:bc:"))
    app.job_queue.run_once(start_lane, when=0, name="broadcast-lane")
