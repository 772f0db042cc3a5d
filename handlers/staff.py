"""/staff (admins): who is MIMP staff; /mi_id (anyone): the id an admin needs to add you."""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.storage.staff import add_staff, list_staff, remove_staff
from handlers.common import cb, cb_parts, close_buttons, keyboard, send, stale_button, svc


async def my_id(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/mi_id: an officer or a new staff member needs their numeric id to be added."""
    await send(update, context, svc(context).messages("mi_id", id=update.effective_user.id))


async def staff_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/staff, /staff agregar ID Nombre, /staff quitar ID."""
    s = svc(context)
    m = s.messages
    actor = update.effective_user.id
    if not s.is_admin(actor):
        await send(update, context, m("solo_admin"))
        return
    args = context.args or []
    if len(args) >= 3 and args[0].lower() == "agregar" and _user_id(args[1]):
        member_id, name = int(args[1]), " ".join(args[2:])[:120]
        with s.db.session() as session:
            added = add_staff(session, member_id, name, actor, s.now())
        if added:
            s.audit(actor, "staff_add", f"telegram_id={member_id}")
        await send(update, context, m("staff_agregado" if added else "staff_ya", id=member_id))
        return
    if len(args) == 2 and args[0].lower() == "quitar" and _user_id(args[1]):
        await _remove(update, context, int(args[1]))
        return
    if args:
        await send(update, context, m("staff_uso"))
        return
    with s.db.session() as session:
        members = list_staff(session)
    lines = [m("staff_lista")]
    lines += [f"• {admin} (admin, configuración)" for admin in sorted(s.settings.admins)]
    lines += [f"• {escape(x.name)} — {x.telegram_id}" for x in members]
    rows = [[(f"Quitar a {x.name[:40]}", cb("staff", "rm", str(x.telegram_id)))] for x in members]
    await send(update, context, "\n".join(lines) + "\n\n" + m("staff_uso"), keyboard(rows))


async def remove_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """"Quitar": checked again on the server; a forged or replayed press does nothing."""
    s = svc(context)
    parts = cb_parts(update.callback_query.data, "staff")
    if not s.is_admin(update.effective_user.id):
        await update.callback_query.answer(s.messages("solo_admin"), show_alert=True)
        return
    if not parts or len(parts) != 2 or parts[0] != "rm" or not _user_id(parts[1]):
        await stale_button(update, context)
        return
    await close_buttons(update)
    await _remove(update, context, int(parts[1]))


def _user_id(text: str) -> int | None:
    """A Telegram user id: a positive number below 2**52 (what Telegram promises to fit)."""
    if not text.isdigit() or not 0 < int(text) < 2**52:
        return None
    return int(text)


async def _remove(update: Update, context, member_id: int) -> None:
    s = svc(context)
    with s.db.session() as session:
        removed = remove_staff(session, member_id)
    if removed:
        s.audit(update.effective_user.id, "staff_remove", f"telegram_id={member_id}")
    await send(update, context, s.messages(
        "staff_quitado" if removed else "staff_no_esta", id=member_id
    ))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("mi_id", my_id))
    app.add_handler(CommandHandler("staff", staff_command))
    app.add_handler(CallbackQueryHandler(remove_button, pattern=r"^v1:staff:"))
