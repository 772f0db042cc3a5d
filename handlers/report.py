"""/reporte: the status self-report in Telegram. Every step is one call into bot/report_actions.py;
this module turns the update into that call and the outcome into messages."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot import report_actions
from bot.replies import Outcome
from bot.report_actions import ANSWERING, OFFER, PERIOD, SUMMARY
from bot.storage.files import private_dir
from handlers.common import (
    button_label,
    cb,
    cb_parts,
    close_buttons,
    crisis_step,
    describe_unexpected,
    keyboard,
    send,
    send_entry,
    stale_button,
    svc,
)

log = logging.getLogger(__name__)

END = ConversationHandler.END
MULTI_KEY = "report_multi"  # the ticks of a multiple-choice question before "Listo"
PENDING_KEY = "report_pending"  # a question typed mid-form, until the officer says what it is
LEAVING = filters.Regex(r"^/(cancelar|atras)(@\w+)?(\s|$)")
EXPIRY_CHECK = 6 * 3600  # seconds


def _rows(rows) -> list[list[tuple[str, str]]]:
    return [[(b.label, cb("rep", *b.action)) for b in row] for row in rows]


async def show(update: Update, context: ContextTypes.DEFAULT_TYPE, outcome: Outcome):
    """Render an outcome: the pressed button first (stale, or closed with the choice echoed),
    then the entry and messages; keep the multiple-choice ticks; return the next state."""
    if "ticks" in outcome.extra:
        context.user_data[MULTI_KEY] = outcome.extra["ticks"]
    if "pending" in outcome.extra:
        context.user_data[PENDING_KEY] = outcome.extra["pending"]
    query = update.callback_query
    if query is not None:
        if outcome.stale:
            await stale_button(update, context)
        elif outcome.extra.get("close"):
            await close_buttons(update)
        elif outcome.says or outcome.echo:
            await close_buttons(update, outcome.echo or button_label(update, query.data))
        else:
            await _answer_quietly(query)
    await _download_after(update, context, outcome)
    if outcome.entry_id:
        await send_entry(update, context, svc(context).answers.kb.entries[outcome.entry_id])
    for say in outcome.says:
        await send(update, context, say.text, keyboard(_rows(say.rows)) if say.rows else None)
    return END if outcome.state is None else outcome.state


async def _answer_quietly(query) -> None:
    try:
        await query.answer()
    except TelegramError:
        pass  # too old to acknowledge


def _call(action, *args, **kw):
    """Call a core action with this update's id and the officer's ticks, then show it."""

    async def run(update: Update, context: ContextTypes.DEFAULT_TYPE):
        outcome = action(
            svc(context), update.effective_user.id, *args, update_id=update.update_id,
            ticks=context.user_data.get(MULTI_KEY), **kw,
        )
        return await show(update, context, outcome)

    return run


def _parts(update: Update, n: int) -> list[str] | None:
    parts = cb_parts(update.callback_query.data, "rep")
    return parts[1:] if parts and len(parts) == n + 1 else None


# --- steps -----------------------------------------------------------------------------------


async def start_report(update: Update, context: ContextTypes.DEFAULT_TYPE):
    """/reporte: resume a draft, offer to correct a sent report, or start a new one."""
    return await _call(report_actions.start)(update, context)


async def period_chosen(update: Update, context: ContextTypes.DEFAULT_TYPE):
    """A semester button: the report of that semester is started, resumed or offered."""
    parts = _parts(update, 1)
    if parts is None:
        return await stale(update, context)
    return await _call(report_actions.start, parts[0])(update, context)


async def period_text(update: Update, context: ContextTypes.DEFAULT_TYPE):
    """Text while the semester is asked: the crisis step first, then the buttons again."""
    await crisis_step(update, context, update.message.text or "")
    return await show(update, context, report_actions.offer_period_reminder(svc(context)))


async def correct_sent(update: Update, context: ContextTypes.DEFAULT_TYPE):
    parts = _parts(update, 1)
    outcome = report_actions.correct(
        svc(context), update.effective_user.id, parts[0] if parts else "",
        update_id=update.update_id,
    )
    return await show(update, context, outcome)


async def leave(update: Update, context: ContextTypes.DEFAULT_TYPE):
    return await show(update, context, report_actions.leave(svc(context)))


async def offer_reminder(update: Update, context: ContextTypes.DEFAULT_TYPE):
    return await show(update, context, report_actions.offer_reminder(svc(context)))


async def typed(update: Update, context: ContextTypes.DEFAULT_TYPE):
    """A typed answer. A text that discloses danger gets the help lines and is still taken
    as the answer it was meant to be."""
    text = update.message.text
    await crisis_step(update, context, text)
    return await _call(report_actions.typed, text)(update, context)


def _button(action, n: int, doc: str):
    """A step for a button `v1:rep:<kind>:<n parts>`: the parts go to `action`; a malformed
    one is a stale button."""

    async def step(update: Update, context: ContextTypes.DEFAULT_TYPE):
        parts = _parts(update, n)
        if parts is None:
            return await stale(update, context)
        return await _call(action, *parts)(update, context)

    step.__doc__ = doc
    return step


def _with_pending(action, doc: str):
    """A button about the question typed mid-form: `v1:rep:qa|qk:<question>`."""

    async def step(update: Update, context: ContextTypes.DEFAULT_TYPE):
        parts = _parts(update, 1)
        if parts is None:
            return await stale(update, context)
        pending = context.user_data.get(PENDING_KEY)
        return await _call(action, parts[0], pending)(update, context)

    step.__doc__ = doc
    return step


async def change_confirmed(update: Update, context: ContextTypes.DEFAULT_TYPE):
    return await _change(update, context, True)


async def change_refused(update: Update, context: ContextTypes.DEFAULT_TYPE):
    return await _change(update, context, False)


async def _change(update: Update, context: ContextTypes.DEFAULT_TYPE, confirm: bool):
    """«Sí, cambiar» / «No, dejarla como estaba»: `v1:rep:cc|cn:<question>`."""
    parts = _parts(update, 1)
    if parts is None:
        return await stale(update, context)
    pending = context.user_data.get(PENDING_KEY)
    return await _call(report_actions.change, parts[0], pending, confirm)(update, context)


answer_question = _with_pending(report_actions.answer_question, "«Responder mi pregunta».")
keep_typed = _with_pending(report_actions.keep_typed, "«Es mi respuesta»: keep the text.")
pressed = _button(report_actions.pressed, 2, "A choice button: v1:rep:a:<question>:<value>.")
multi_done = _button(report_actions.multi_done, 1, "«Listo» on a multiple-choice question.")
skipped = _button(report_actions.skip, 1, "«Omitir» on an optional question.")
explain = _button(report_actions.explain, 1, "«¿Qué significa?»: the entry, then the question.")
month_only = _button(report_actions.month_only, 1, "«No recuerdo el día»: month and year.")
edit_answer = _button(report_actions.edit, 1, "«✏️ n» on the summary: that question again.")
unchanged = _button(report_actions.unchanged, 1, "«Sin cambios» while walking a grupo again.")


async def toggled(update: Update, context: ContextTypes.DEFAULT_TYPE):
    """Tick or untick an option: the keyboard changes in place, nothing is sent."""
    parts = _parts(update, 2)
    if parts is None:
        return await stale(update, context)
    outcome = report_actions.toggle(
        svc(context), update.effective_user.id, *parts, update_id=update.update_id,
        ticks=context.user_data.get(MULTI_KEY),
    )
    if "rows" not in outcome.extra:
        return await show(update, context, outcome)
    context.user_data[MULTI_KEY] = outcome.extra["ticks"]
    query = update.callback_query
    await query.answer()
    rows = _rows(outcome.extra["rows"])
    old = query.message.reply_markup.inline_keyboard if query.message.reply_markup else ()
    rows += [[(b.text, b.callback_data) for b in row] for row in old[len(rows):]]
    try:
        await query.message.edit_reply_markup(keyboard(rows))
    except TelegramError:
        pass
    return ANSWERING


async def document(update: Update, context: ContextTypes.DEFAULT_TYPE):
    """A PDF or a photo: saved as the answer first, then our own copy is downloaded."""
    msg = update.message
    if msg.document:
        doc = msg.document
        meta = {
            "file_id": doc.file_id, "file_unique_id": doc.file_unique_id,
            "name": doc.file_name or "documento", "size": doc.file_size or 0,
            "mime": doc.mime_type or "application/octet-stream",
        }
    else:
        photo = msg.photo[-1]
        meta = {
            "file_id": photo.file_id, "file_unique_id": photo.file_unique_id,
            "name": f"foto-{photo.file_unique_id}.jpg", "size": photo.file_size or 0,
            "mime": "image/jpeg",
        }
    if msg.caption:
        await crisis_step(update, context, msg.caption)
    return await _call(report_actions.document, meta)(update, context)


async def _download_after(update: Update, context, outcome: Outcome) -> None:
    """Keep our own copy of an accepted document; a failed download keeps the Telegram file id."""
    job = outcome.extra.get("download")
    if not job:
        return
    s = svc(context)
    target = Path(job["path"])
    try:
        private_dir(target.parent)
        tg_file = await context.bot.get_file(job["meta"]["file_id"])
        await tg_file.download_to_drive(custom_path=target)
    except (TelegramError, OSError) as exc:
        log.warning("document download failed for report %s: %s", job["report_id"],
                    type(exc).__name__)
        return
    report_actions.document_saved(s, job["report_id"], job["question_id"], str(target))


async def back(update: Update, context: ContextTypes.DEFAULT_TYPE):
    """/atras: the previous answered question."""
    return await _call(report_actions.back)(update, context)


async def submit(update: Update, context: ContextTypes.DEFAULT_TYPE):
    return await _call(report_actions.submit)(update, context)


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE):
    outcome = report_actions.cancel(svc(context), update.effective_user.id)
    return await show(update, context, outcome)


async def my_report(update: Update, context: ContextTypes.DEFAULT_TYPE):
    """/mi_reporte, or «Ver el …» under it: a report shown, nothing changed."""
    report_id = None
    if update.callback_query is not None:
        parts = _parts(update, 1)
        if parts is None:
            await stale_button(update, context)
            return
        report_id = parts[0]
    await show(update, context, report_actions.my_report(svc(context), update.effective_user.id,
                                                         report_id))


async def unexpected(update: Update, context: ContextTypes.DEFAULT_TYPE):
    """A sticker, a voice note, a photo where text is needed…: say so, ask again."""
    message = update.effective_message
    if message is not None and message.caption:
        await crisis_step(update, context, message.caption)
    return await _call(report_actions.reask, describe_unexpected(update, context))(update, context)


async def in_summary_text(update: Update, context: ContextTypes.DEFAULT_TYPE):
    await crisis_step(update, context, update.message.text)
    notice = svc(context).messages("reporte_en_resumen")
    return await _call(report_actions.reask, notice)(update, context)


async def other_command(update: Update, context: ContextTypes.DEFAULT_TYPE):
    notice = svc(context).messages("reporte_en_curso")
    return await _call(report_actions.reask, notice)(update, context)


async def stale(update: Update, context: ContextTypes.DEFAULT_TYPE):
    return await _call(report_actions.reask, None, stale=True)(update, context)


async def offer_text(update: Update, context: ContextTypes.DEFAULT_TYPE):
    if update.message and update.message.text:
        await crisis_step(update, context, update.message.text)
    return await offer_reminder(update, context)


async def expire_drafts_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Discard drafts untouched for 30 days and tell their officers."""
    for telegram_id, notice in report_actions.expire_drafts(svc(context)):
        try:
            await context.bot.send_message(telegram_id, notice)
        except TelegramError as exc:  # blocked the bot, or gone: nothing more to do
            log.info("draft expiry notice not delivered: %s", type(exc).__name__)


# --- wiring ----------------------------------------------------------------------------------


def register(app: Application) -> None:
    text = filters.TEXT & ~filters.COMMAND
    answering = [
        CallbackQueryHandler(pressed, r"^v1:rep:a:"),
        CallbackQueryHandler(toggled, r"^v1:rep:t:"),
        CallbackQueryHandler(multi_done, r"^v1:rep:d:"),
        CallbackQueryHandler(skipped, r"^v1:rep:s:"),
        CallbackQueryHandler(explain, r"^v1:rep:h:"),
        CallbackQueryHandler(answer_question, r"^v1:rep:qa:"),
        CallbackQueryHandler(keep_typed, r"^v1:rep:qk:"),
        CallbackQueryHandler(month_only, r"^v1:rep:m:"),
        CallbackQueryHandler(unchanged, r"^v1:rep:nx:"),
        CallbackQueryHandler(change_confirmed, r"^v1:rep:cc:"),
        CallbackQueryHandler(change_refused, r"^v1:rep:cn:"),
        MessageHandler(text, typed),
        MessageHandler(filters.Document.ALL | filters.PHOTO, document),
    ]
    summary = [
        CallbackQueryHandler(edit_answer, r"^v1:rep:e:"),
        CallbackQueryHandler(submit, r"^v1:rep:send$"),
        CallbackQueryHandler(explain, r"^v1:rep:h:"),
        MessageHandler(text, in_summary_text),
    ]
    offer = [
        CallbackQueryHandler(correct_sent, r"^v1:rep:fix:"),
        CallbackQueryHandler(leave, r"^v1:rep:leave$"),
        MessageHandler(~LEAVING, offer_text),
    ]
    period = [
        CallbackQueryHandler(period_chosen, r"^v1:rep:per:"),
        MessageHandler(text, period_text),
    ]
    common = [
        CommandHandler("reporte", start_report),
        CallbackQueryHandler(stale),
        MessageHandler(filters.COMMAND & ~LEAVING, other_command),
        MessageHandler(~LEAVING, unexpected),
    ]
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=PTBUserWarning)
        conversation = ConversationHandler(
            name="report",
            persistent=True,
            entry_points=[
                CommandHandler("reporte", start_report),
                CallbackQueryHandler(period_chosen, r"^v1:rep:per:"),  # after a restart too
            ],
            states={
                ANSWERING: answering + common,
                SUMMARY: summary + common,
                OFFER: offer + common,
                PERIOD: period + common,
            },
            fallbacks=[CommandHandler("cancelar", cancel), CommandHandler("atras", back)],
            allow_reentry=False,
        )
    app.add_handler(conversation)
    app.add_handler(CommandHandler("mi_reporte", my_report))
    app.add_handler(CallbackQueryHandler(my_report, r"^v1:rep:ver:"))
    app.job_queue.run_repeating(expire_drafts_job, interval=EXPIRY_CHECK, first=5)
