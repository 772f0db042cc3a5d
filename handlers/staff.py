"""/staff (admins): who is MIMP staff; /mi_id (anyone): the id an admin needs to add you."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bot import staff as core
from handlers.common import (
    buttons,
    cb_parts,
    close_buttons,
    publish_menu,
    send,
    staff_only,
    stale_button,
    svc,
)


async def my_id(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/mi_id: an officer or a new staff member needs their numeric id to be added."""
    await send(update, context, svc(context).messages("mi_id", id=update.effective_user.id))


@staff_only(admin=True, private=True)
async def staff_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/staff, /staff agregar ID Nombre, /staff quitar ID."""
    s = svc(context)
    actor = update.effective_user.id
    args = context.args or []
    said = None
    if len(args) >= 3 and args[0].lower() == "agregar" and core.user_id(args[1]):
        said = core.add(s, actor, int(args[1]), " ".join(args[2:]), update.update_id)
        said = await _with_menu(context, int(args[1]), said)
    elif len(args) == 2 and args[0].lower() == "quitar" and core.user_id(args[1]):
        said = core.remove(s, actor, int(args[1]), update.update_id)
        await publish_menu(context.bot, s, int(args[1]))
    elif args:
        said = s.messages("staff_uso")
    else:
        listing = core.listing(s)
        await send(update, context, listing.text, buttons(listing.buttons))
        return
    if said is not None:
        await send(update, context, said)


async def _with_menu(context, member_id: int, said: str | None) -> str | None:
    """The new staff member's own menu; if they never wrote to the bot, the admin is told
    when they will see it. Set again on a replay too: it changes nothing twice."""
    if await publish_menu(context.bot, svc(context), member_id) or said is None:
        return said
    return said + "\n" + svc(context).messages("staff_menu_despues")


@staff_only(admin=True)
async def remove_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """"Quitar": checked again on the server; a forged or replayed press does nothing."""
    s = svc(context)
    parts = cb_parts(update.callback_query.data, "staff")
    if not parts or len(parts) != 2 or parts[0] != "rm" or not core.user_id(parts[1]):
        await stale_button(update, context)
        return
    await close_buttons(update)
    said = core.remove(s, update.effective_user.id, int(parts[1]), update.update_id)
    await publish_menu(context.bot, s, int(parts[1]))  # back to the officers' menu
    if said is not None:
        await send(update, context, said)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("mi_id", my_id))
    app.add_handler(CommandHandler("staff", staff_command))
    app.add_handler(CallbackQueryHandler(remove_button, pattern=r"^v1:staff:"))
