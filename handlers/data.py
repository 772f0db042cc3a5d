"""/exportar, /resumen, /pendientes, /sin_respuesta (staff): the data out of the bot.

The role is checked on every command and button press (`staff_only`); what each command reads,
audits and builds is bot/data_actions.py, run in a worker thread (openpyxl and matplotlib are
slow), then sent from here.
"""

from __future__ import annotations

import asyncio

from telegram import InputFile, Update
from telegram.constants import ChatAction
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bot import data_actions as core
from handlers.common import answer_query, buttons, cb_parts, send, staff_only, stale_button, svc


async def _send(update: Update, context, out: core.Out | None) -> None:
    if out is None:  # a replay: sent already
        return
    chat = update.effective_chat.id
    for i, text in enumerate(out.texts):
        await send(update, context, text, buttons(out.buttons) if i == len(out.texts) - 1 else None)
    for f in out.files:
        await context.bot.send_document(
            chat_id=chat, document=InputFile(f.data, filename=f.name), caption=f.caption
        )
    if out.photo is not None:
        await context.bot.send_photo(
            chat_id=chat, photo=InputFile(out.photo.data, filename=out.photo.name),
            caption=out.photo.caption,
        )  # fmt: skip


def _by_period(action, chat_action: str | None):
    """A command taking an optional period (e.g. 2026-S1): refused if mistyped, else run."""

    @staff_only(private=True)
    async def command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        s = svc(context)
        period, problem = core.period_asked(s, context.args or [])
        if problem is not None:
            await send(update, context, problem)
            return
        if chat_action:  # "sending a file…" while it is built
            await context.bot.send_chat_action(update.effective_chat.id, chat_action)
        out = await asyncio.to_thread(
            action, s, update.effective_user.id, period, update.update_id
        )
        await _send(update, context, out)

    command.__doc__ = action.__doc__
    return command


export_command = _by_period(core.export, ChatAction.UPLOAD_DOCUMENT)
summary_command = _by_period(core.summary, ChatAction.UPLOAD_PHOTO)
pending_command = _by_period(core.pending, None)


@staff_only
async def unanswered_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/sin_respuesta [exportar]: what the knowledge base is missing, most frequent first."""
    s = svc(context)
    as_file = bool(context.args) and context.args[0].lower() in ("exportar", "excel", "xlsx")
    action = core.unanswered_file if as_file else core.unanswered
    out = await asyncio.to_thread(action, s, update.effective_user.id, update.update_id)
    await _send(update, context, out)


@staff_only(private=True)
async def data_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The "Exportar" button: the role is checked again; a forged press is refused."""
    query = update.callback_query
    if cb_parts(query.data, "data") != [core.EXPORT_UNANSWERED]:
        await stale_button(update, context)
        return
    await answer_query(update)
    out = await asyncio.to_thread(
        core.unanswered_file, svc(context), update.effective_user.id, update.update_id
    )
    await _send(update, context, out)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("exportar", export_command))
    app.add_handler(CommandHandler("resumen", summary_command))
    app.add_handler(CommandHandler("pendientes", pending_command))
    app.add_handler(CommandHandler("sin_respuesta", unanswered_command))
    app.add_handler(CallbackQueryHandler(data_button, pattern=r"^v1:data:"))
