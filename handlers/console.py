"""/panel (staff, private chat): a one-time link to the web console (bot/console_actions.py)."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes

from bot import console_actions as core
from handlers.common import send, staff_only, svc


@staff_only(private=True)
async def panel_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Only in a private chat: a link posted in the staff group would let anyone there in."""
    s = svc(context)
    if update.effective_chat.type != "private":
        await send(update, context, s.messages("panel_solo_privado"))
        return
    said = await asyncio.to_thread(core.panel, s, update.effective_user.id, update.update_id)
    if said is not None:
        await send(update, context, said)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("panel", panel_command))
