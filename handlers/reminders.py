"""/recordatorios (staff): list, create, pause, resume and delete scheduled reminders.

Reminders live in the database; a job checks them every minute (and right at start, to send a
slot missed while the bot was down) and hands due ones to the broadcast lane. What each action
does is bot/reminder_actions.py.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bot import reminder_actions as core
from bot.broadcast_actions import deadline
from bot.reminders import fire_due
from handlers.common import (
    buttons,
    cb,
    cb_parts,
    close_buttons,
    crisis_step,
    keyboard,
    send,
    staff_only,
    stale_button,
    svc,
    wake_lane,
)

log = logging.getLogger(__name__)

CHECK_EVERY = 60  # seconds


@staff_only
async def command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/recordatorios lists them; /recordatorios nuevo … creates one."""
    s = svc(context)
    m = s.messages
    args = context.args or []
    if args and args[0].lower() == "nuevo":
        await create(update, context)
        return
    items = core.listing(s)
    if not items:
        await send(update, context, m("recordatorios_vacio") + "\n\n" + m("recordatorios_uso"))
        return
    await send(update, context, m("recordatorios_titulo"))
    for item in items:
        await send(update, context, item.text, buttons([item.buttons]))
    await send(update, context, m("recordatorios_uso"))


async def create(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The reminder's text is a message to officers: crisis words in it get the writer the
    help lines, and the reminder is still created."""
    s = svc(context)
    message = update.effective_message
    first, _, rest = message.text_html.partition("\n")
    args = first.split()[2:]  # after "/recordatorios nuevo"
    created = core.create(s, update.effective_user.id, args, rest, update.update_id)
    if created is None:  # a replay: created and shown already
        return
    await crisis_step(update, context, message.text.partition("\n")[2])
    await send(update, context, created.text, buttons([created.buttons]))


BUTTON_ACTIONS = ("p", "r", "d", "y")
REMINDER_ID = re.compile(r"[0-9]{1,9}")


@staff_only
async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Pause, resume, delete (asked first): staff only, checked on every press."""
    s = svc(context)
    m = s.messages
    parts = cb_parts(update.callback_query.data, "rem") or []
    # Exactly one known action and a plain number: anything else (forged, from an older
    # version) changes nothing.
    if len(parts) != 2 or parts[0] not in BUTTON_ACTIONS or not REMINDER_ID.fullmatch(parts[1]):
        await stale_button(update, context)
        return
    action, rid = parts[0], int(parts[1])
    if action == "d":
        await close_buttons(update)
        await send(update, context, m("recordatorio_eliminar_pregunta", id=rid), keyboard(
            [[(m("recordatorio_boton_confirmar", id=rid), cb("rem", "y", str(rid)))]]
        ))
        return
    said = core.change(s, update.effective_user.id, action, rid, update.update_id)
    if said == core.STALE:  # deleted meanwhile
        await stale_button(update, context)
        return
    await close_buttons(update)
    if said is not None:
        await send(update, context, said)


async def check(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every minute, and at start: due reminders become broadcasts for the lane."""
    s = svc(context)
    now = s.now().astimezone(UTC)
    created = fire_due(s.db, now=now, tz=s.settings.tz, period=s.period(),
                       deadline=deadline(s))
    if created:
        log.info("reminders fired: broadcasts %s", created)
        wake_lane(context)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("recordatorios", command))
    app.add_handler(CallbackQueryHandler(pressed, r"^v1:rem:"))
    app.job_queue.run_repeating(check, interval=CHECK_EVERY, first=0.2, name="reminders")
