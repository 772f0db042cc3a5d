"""/recordatorios (staff): list, create, pause, resume and delete scheduled reminders.

Reminders live in the database; a job checks them every minute (and right at start, to send a
slot missed while the bot was down) and hands due ones to the broadcast lane. What each action
does is bot/reminder_actions.py.
"""

from __future__ import annotations

import logging
import re
import warnings
from dataclasses import replace
from datetime import UTC

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

from bot import reminder_actions as core
from bot.audience import Audience
from bot.broadcast_actions import FACET_CODES as FACETS
from bot.broadcast_actions import deadline, reach, toggled
from bot.reminders import SEMESTER_END, fire_due
from handlers.common import (
    CANCEL_WORDS,
    LEAVING_COMMANDS,
    buttons,
    cb,
    cb_parts,
    close_buttons,
    crisis_step,
    keyboard,
    say_resuming,
    send,
    show_screen,
    staff_only,
    staff_step,
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
    new = keyboard([[(m("recordatorio_boton_nuevo"), cb(core.AREA, "new"))]])
    if not items:
        await send(update, context, m("recordatorios_vacio") + "\n\n" + m("recordatorios_uso"),
                   new)
        return
    await send(update, context, m("recordatorios_titulo"))
    for item in items:
        await send(update, context, item.text, buttons([item.buttons]))
    await send(update, context, m("recordatorios_uso"), new)


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


# --- /recordatorios nuevo, step by step (bot/reminder_actions.py Guided) -----------------------

GUIDED_KEY = "reminder_guided"  # user_data: the reminder being set up (kept across restarts)
SCREEN_KEY = "reminder_guided_screen"  # user_data: the message showing the current step
END = ConversationHandler.END


def guided(context) -> core.Guided:
    return core.Guided.from_json(context.user_data.get(GUIDED_KEY))


def keep(context, g: core.Guided) -> None:
    context.user_data[GUIDED_KEY] = g.to_json()


async def show_step(update: Update, context, step: str, view: str = "main") -> str:
    s = svc(context)
    g = guided(context)
    if step == "confirm":  # the reminder exactly as officers get it, then the question
        if update.callback_query is not None:
            await close_buttons(update)
        await send(update, context, core.guided_content(s, g).text)
        screen = core.guided_screen(s, g, step)
        shown = await send(update, context, screen.text, buttons(screen.buttons))
        context.user_data[SCREEN_KEY] = shown.message_id
        return step
    screen = core.guided_screen(s, g, step, view)
    shown = await show_screen(update, context, screen.text, buttons(screen.buttons))
    if shown is not None:
        context.user_data[SCREEN_KEY] = shown.message_id
    return step


async def retire_screen(update: Update, context) -> None:
    """Typed past a screen (the message, an hour): its buttons go, so an old «Atrás» is not
    pressed by mistake under the next step."""
    message_id = context.user_data.pop(SCREEN_KEY, None)
    if message_id is None:
        return
    try:
        await context.bot.edit_message_reply_markup(
            update.effective_chat.id, message_id, reply_markup=None
        )
    except TelegramError:  # already without buttons, or too old
        pass


async def begin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """/recordatorios nuevo (alone), or «Nuevo recordatorio» under the list."""
    if update.callback_query is not None:
        await close_buttons(update)  # the list stays as it was; the steps come below it
    keep(context, core.Guided())
    screen = core.guided_screen(svc(context), core.Guided(), "aud")
    shown = await send(update, context, screen.text, buttons(screen.buttons))
    context.user_data[SCREEN_KEY] = shown.message_id
    return "aud"


async def guided_pressed(update: Update, context, state: str) -> str | int:
    """Any button of the guided flow; a press that fits no step (forged, old) changes nothing."""
    s = svc(context)
    m = s.messages
    parts = cb_parts(update.callback_query.data, core.AREA) or []
    g = guided(context)
    match parts:
        case ["x"]:
            await close_buttons(update)
            return await guided_cancel(update, context)
        case ["b", step] if step in core.STEPS:
            return await show_step(update, context, step)
        case ["v", "main"]:
            return await show_step(update, context, "aud")
        case ["v", code] if code in FACETS:
            return await show_step(update, context, "aud", FACETS[code])
        case ["k", code, key]:  # ["t", code, index]: a button from before, stale
            audience = toggled(s, g.audience, code, key)
            if audience is not None:
                keep(context, replace(g, audience=audience))
                return await show_step(update, context, "aud", FACETS[code])
        case ["all"]:
            keep(context, replace(g, audience=Audience()))
            return await show_step(update, context, "aud")
        case ["next"]:
            if reach(s, g.audience) == 0:
                await update.callback_query.answer(m("difundir_nadie"), show_alert=True)
                return "aud"
            return await show_step(update, context, "text")
        case ["keep"] if g.text:
            return await show_step(update, context, "days")
        case ["d", day] if day.isdigit():
            keep(context, g.toggle_day(int(day)))
            return await show_step(update, context, "days")
        case ["dn"]:
            if not g.days:
                await update.callback_query.answer(m("recordatorio_guiado_falta_dia"),
                                                   show_alert=True)
                return "days"
            return await show_step(update, context, "months")
        case ["m", month] if month.isdigit():
            keep(context, g.toggle_month(int(month)))
            return await show_step(update, context, "months")
        case ["ms"]:
            keep(context, replace(g, months=SEMESTER_END))
            return await show_step(update, context, "months")
        case ["ma"]:
            keep(context, replace(g, months=()))
            return await show_step(update, context, "months")
        case ["mn"]:
            return await show_step(update, context, "hour")
        case ["h", hhmm] if len(hhmm) == 4 and hhmm.isdigit():
            chosen = g.at(f"{hhmm[:2]}:{hhmm[2:]}")
            if chosen is not None:
                keep(context, chosen)
                return await show_step(update, context, "hour")
        case ["hn"]:
            return await show_step(update, context, "confirm")
        case ["ok"]:
            return await guided_create(update, context)
    await stale_button(update, context)
    return state


async def guided_create(update: Update, context) -> int | str:
    """«Crear recordatorio»: created once (a replay shows nothing twice)."""
    s = svc(context)
    created = core.create_guided(s, update.effective_user.id, guided(context), update.update_id)
    await close_buttons(update, s.messages("recordatorio_guiado_crear"))
    context.user_data.pop(GUIDED_KEY, None)
    context.user_data.pop(SCREEN_KEY, None)
    if created is not None:
        await send(update, context, created.text, buttons([created.buttons]))
    return END


async def guided_typed(update: Update, context, state: str) -> str:
    """Text at the message step is the reminder (crisis step first: the writer gets the help
    lines, the text stays the reminder's); at the hour step, another hour; elsewhere, the
    step's screen again."""
    s = svc(context)
    message = update.effective_message
    if message.text.startswith("/"):  # another command: the step stays
        await say_resuming(update, context)
        await retire_screen(update, context)
        return await show_step(update, context, state)
    if state == "text":
        await crisis_step(update, context, message.text)
        g, problem = core.guided_text(s, guided(context), message.text_html)
        if problem is not None:
            await send(update, context, problem)
            return "text"
        keep(context, g)
        await retire_screen(update, context)
        return await show_step(update, context, "days")
    if state == "hour":
        chosen = guided(context).at(message.text)
        if chosen is None:
            await send(update, context, s.messages("recordatorio_guiado_hora_invalida"))
            return "hour"
        keep(context, chosen)
        await retire_screen(update, context)
        return await show_step(update, context, "confirm")
    await say_resuming(update, context)
    await retire_screen(update, context)
    return await show_step(update, context, state)


async def guided_cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/cancelar or «Cancelar»: nothing is created."""
    context.user_data.pop(GUIDED_KEY, None)
    context.user_data.pop(SCREEN_KEY, None)
    await send(update, context, svc(context).messages("cancelado"))
    return END


def _at(state: str, handler):
    """`handler(update, context, state)` as a step of that state."""

    async def step(update: Update, context: ContextTypes.DEFAULT_TYPE):
        return await handler(update, context, state)

    step.__doc__ = handler.__doc__
    return staff_step(step, draft_key=GUIDED_KEY)


ALONE_NEW = filters.Regex(re.compile(r"^/recordatorios(@\w+)?\s+nuevo\s*$", re.IGNORECASE))
TEXT = filters.TEXT & ~filters.COMMAND


def register(app: Application) -> None:
    def step(callback):
        return staff_step(callback, draft_key=GUIDED_KEY)

    def in_state(state: str) -> list:
        return [
            MessageHandler(CANCEL_WORDS, step(guided_cancel)),
            CallbackQueryHandler(_at(state, guided_pressed), rf"^v1:{core.AREA}:"),
            MessageHandler(TEXT | (filters.COMMAND & ~LEAVING_COMMANDS), _at(state, guided_typed)),
        ]

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=PTBUserWarning)
        conversation = ConversationHandler(
            name="reminder_new",
            persistent=True,
            entry_points=[
                CommandHandler("recordatorios", step(begin),
                               filters=filters.ChatType.PRIVATE & ALONE_NEW),
                CallbackQueryHandler(step(begin), rf"^v1:{core.AREA}:new$"),
            ],
            states={state: in_state(state) for state in core.STEPS},
            fallbacks=[CommandHandler("cancelar", step(guided_cancel))],
            allow_reentry=True,
        )
    app.add_handler(conversation)
    app.add_handler(CommandHandler("recordatorios", command))
    app.add_handler(CallbackQueryHandler(pressed, r"^v1:rem:"))
    app.job_queue.run_repeating(check, interval=CHECK_EVERY, first=0.2, name="reminders")
