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
from telegram.constants import ParseMode
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
    cb,
    cb_parts,
    close_buttons,
    keyboard,
    pacing_429_myself,
    send,
    stale_button,
    svc,
)

log = logging.getLogger(__name__)

COMPOSE, AUDIENCE, CONFIRM = "compose", "audience", "confirm"
END = ConversationHandler.END
DRAFT_KEY = "broadcast_draft"
LANE_KEY = "broadcast_lane"
FACET_CODES = {"r": "regions", "l": "levels", "s": "statuses", "m": "milestones"}
FACET_ICONS = {"regions": "🗺", "levels": "🏛", "statuses": "📝", "milestones": "🎯"}


# --- the lane's Telegram side ----------------------------------------------------------------


async def send_content(bot, chat_id: int, content: Content) -> Message:
    """The message exactly as officers get it (the preview uses this too)."""
    if content.document_file_id:
        return await bot.send_document(
            chat_id, content.document_file_id, caption=content.text or None,
            parse_mode=ParseMode.HTML,
        )  # fmt: skip
    return await bot.send_message(
        chat_id, content.text, parse_mode=ParseMode.HTML, disable_web_page_preview=True
    )


def sender(bot):
    """send(chat_id, content) -> Outcome, for the lane."""

    async def send_one(chat_id: int, content: Content) -> Outcome:
        try:
            with pacing_429_myself():  # the lane pauses everyone after a 429, not just this send
                await send_content(bot, chat_id, content)
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


def lane_of(context: ContextTypes.DEFAULT_TYPE) -> Lane | None:
    return context.application.bot_data.get(LANE_KEY)


def wake_lane(context: ContextTypes.DEFAULT_TYPE) -> None:
    lane = lane_of(context)
    if lane is not None:
        lane.wake()


async def start_lane(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Once the application runs: the lane resumes whatever was being sent before a restart."""
    app = context.application
    s: Services = app.bot_data["services"]

    async def progress(p: Progress) -> None:
        await show_progress(app.bot, s, p)

    lane = Lane(
        s.db, sender(app.bot), rate=s.settings.broadcast_rate, progress=progress,
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
            progress_text(s, p), chat_id=p.chat_id, message_id=p.message_id,
            parse_mode=ParseMode.HTML, reply_markup=markup,
        )  # fmt: skip
    except BadRequest as exc:  # "not modified", or the message is gone
        log.debug("progress not edited: %s", exc.message)
    if p.done:
        lines = [progress_text(s, p)]
        if p.counts.failed:
            with s.db.session() as session:
                reasons = store.failure_reasons(session, p.broadcast_id)
            lines += ["", s.messages("difundir_motivos")]
            lines += [f"• {escape(reason)}: {n}" for reason, n in reasons[:5]]
        await bot.send_message(p.chat_id, "\n".join(lines), parse_mode=ParseMode.HTML)


# --- audiences as staff see them -------------------------------------------------------------


def labels(s: Services) -> dict[str, dict[str, str]]:
    m = s.messages
    return {
        "todos": {"todos": m.section("publico_etiquetas")["todos"]},
        "facets": m.section("publico_facetas"),
        "levels": m.section("publico_levels"),
        "statuses": m.section("publico_statuses"),
        "milestones": m.section("publico_milestones"),
    }


def facet_values(s: Services, facet: str) -> list[str]:
    """The values a facet offers, in button order (indexes go in callback data)."""
    if facet == "regions":
        return sorted({p.region for p in s.places.regions()})
    return list(labels(s)[facet])


def recipients(s: Services, audience: aud.Audience) -> list[aud.Recipient]:
    with s.db.session() as session:
        return aud.select(store.audience_rows(session, s.period()), audience)


def audience_screen(s: Services, audience: aud.Audience, view: str = "main"):
    """(text, keyboard) of the audience chooser: the main menu, or one facet's toggles."""
    m = s.messages
    n = len(recipients(s, audience))
    head = m("difundir_publico", filtros=aud.describe(audience, labels(s)), n=n)
    if view in FACET_CODES.values():
        code = next(c for c, f in FACET_CODES.items() if f == view)
        chosen = getattr(audience, view)
        names = labels(s).get(view, {})
        buttons = [
            (("☑️ " if v in chosen else "⬜ ") + names.get(v, v), cb("bc", "t", code, str(i)))
            for i, v in enumerate(facet_values(s, view))
        ]
        rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
        rows.append([(m("difundir_boton_listo"), cb("bc", "v", "main"))])
        faceta = labels(s)["facets"][view]
        return head + "\n" + m("difundir_publico_faceta", faceta=faceta), keyboard(rows)
    todas = m("publico_todas")
    facet_buttons = []
    for code, facet in FACET_CODES.items():
        chosen = len(getattr(audience, facet))
        label = f"{FACET_ICONS[facet]} {labels(s)['facets'][facet]}: {chosen or todas}"
        facet_buttons.append((label, cb("bc", "v", code)))
    rows = [facet_buttons[:2], facet_buttons[2:]]
    if not audience.is_everyone:
        rows.append([(m("difundir_boton_todos"), cb("bc", "all"))])
    rows.append([(m("difundir_boton_vista_previa", n=n), cb("bc", "prev"))])
    return head, keyboard(rows)


# --- the conversation ------------------------------------------------------------------------


def draft_of(context) -> dict:
    return context.user_data.setdefault(DRAFT_KEY, {})


def audience_of(context) -> aud.Audience:
    return aud.Audience.from_json(draft_of(context).get("audience"))


async def refused(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """True (and the person told) when who pressed or typed is not staff: checked every time."""
    s = svc(context)
    if s.is_staff(update.effective_user.id):
        return False
    if update.callback_query:
        await update.callback_query.answer(s.messages("solo_personal"), show_alert=True)
    else:
        await send(update, context, s.messages("solo_personal"))
    return True


def staff_only(callback):
    """Every step re-checks the role on the server: a removed staff member or a forged button
    gets a refusal and nothing else happens."""

    async def wrapped(update: Update, context: ContextTypes.DEFAULT_TYPE):
        if await refused(update, context):
            context.user_data.pop(DRAFT_KEY, None)
            return END
        return await callback(update, context)

    wrapped.__doc__ = callback.__doc__
    return wrapped


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """/difundir: ask for the message."""
    context.user_data[DRAFT_KEY] = {}
    await send(update, context, svc(context).messages("difundir_inicio"))
    return COMPOSE


async def composed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """The message as typed, formatting kept (entities → HTML), or a document with caption."""
    msg = update.effective_message
    draft = context.user_data[DRAFT_KEY] = {}
    if msg.document:
        draft.update(text=msg.caption_html if msg.caption else "", doc=msg.document.file_id,
                     doc_name=msg.document.file_name or "documento")
    else:
        draft["text"] = msg.text_html
    return await show_audience(update, context)


async def not_composable(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """A sticker, photo, voice…: say what is accepted, lose nothing."""
    await send(update, context, svc(context).messages("difundir_solo_texto_o_doc"))
    return COMPOSE


async def show_audience(update: Update, context, view: str = "main") -> str:
    text, markup = audience_screen(svc(context), audience_of(context), view)
    query = update.callback_query
    if query is not None and isinstance(query.message, Message):
        await query.answer()
        try:
            await query.message.edit_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
        except BadRequest as exc:  # "not modified" after a double press
            log.debug("audience not edited: %s", exc.message)
    else:
        await send(update, context, text, markup)
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
        case ["v", code] if code in FACET_CODES:
            return await show_audience(update, context, FACET_CODES[code])
        case ["t", code, index] if code in FACET_CODES and index.isdigit():
            facet = FACET_CODES[code]
            values = facet_values(s, facet)
            if int(index) < len(values):
                draft_of(context)["audience"] = (
                    audience_of(context).toggle(facet, values[int(index)]).to_json()
                )
                return await show_audience(update, context, facet)
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
    m = s.messages
    audience = audience_of(context)
    n = len(recipients(s, audience))
    if n == 0:
        await update.callback_query.answer(m("difundir_nadie"), show_alert=True)
        return AUDIENCE
    await close_buttons(update)
    draft = draft_of(context)
    content = Content(draft["text"], draft.get("doc"), draft.get("doc_name"))
    await send_content(context.bot, update.effective_chat.id, content)
    await send(update, context, m(
        "difundir_vista_previa", n=n, filtros=aud.describe(audience, labels(s))
    ), keyboard([
        [(m("difundir_boton_enviar", n=n), cb("bc", "send"))],
        [(m("difundir_boton_cambiar"), cb("bc", "aud")), (m("difundir_boton_cancelar"),
                                                          cb("bc", "cancel"))],
    ]))  # fmt: skip
    return CONFIRM


async def confirmed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int | str:
    """"Enviar a N": every delivery row in one transaction, then the lane takes over."""
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
    await update.callback_query.answer()
    audience = audience_of(context)
    actor = update.effective_user.id
    message = update.callback_query.message
    # The confirmation becomes the progress message (the lane edits it): nothing else is sent
    # from here, so the lane's first message is the next one Telegram sees.
    await message.edit_text(s.messages("difundir_en_curso"), parse_mode=ParseMode.HTML)
    with s.db.session() as session:
        chosen = aud.select(store.audience_rows(session, s.period()), audience)
        b = store.create_broadcast(
            session, author_id=actor, text=draft["text"], audience_json=audience.to_json(),
            recipients=chosen, now=s.now(), document_file_id=draft.get("doc"),
            document_name=draft.get("doc_name"),
        )  # fmt: skip
        store.set_progress_message(session, b.id, message.chat_id, message.message_id)
        bid, total = b.id, b.total
    context.user_data.pop(DRAFT_KEY, None)
    s.audit(actor, "broadcast_send", f"broadcast={bid} recipients={total}")
    wake_lane(context)
    return END


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/cancelar: nothing is sent, the draft is forgotten."""
    context.user_data.pop(DRAFT_KEY, None)
    await send(update, context, svc(context).messages("cancelado"))
    return END


async def stop_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """"Detener envío" on a progress message; the deliveries not yet sent stay pending."""
    s = svc(context)
    query = update.callback_query
    if await refused(update, context):
        return
    parts = cb_parts(query.data, "bc") or []
    if len(parts) != 2 or parts[0] != "stop" or not parts[1].isdigit():
        await stale_button(update, context)
        return
    with s.db.session() as session:
        stopped = store.cancel(session, int(parts[1]), s.now())
    if stopped:
        s.audit(update.effective_user.id, "broadcast_stop", f"broadcast={parts[1]}")
    await query.answer(s.messages("difundir_detener_ok" if stopped else "difundir_detener_ya"))


async def foreign_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A /difundir button outside the conversation: refused (non-staff) or stale."""
    if not await refused(update, context):
        await stale_button(update, context)


def register(app: Application) -> None:
    text = filters.TEXT & ~filters.COMMAND
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=PTBUserWarning)
        conversation = ConversationHandler(
            name="broadcast",
            persistent=True,
            entry_points=[
                CommandHandler("difundir", staff_only(start), filters=filters.ChatType.PRIVATE)
            ],
            states={
                COMPOSE: [
                    MessageHandler(text | filters.Document.ALL, staff_only(composed)),
                    MessageHandler(~filters.COMMAND, staff_only(not_composable)),
                ],
                AUDIENCE: [
                    CallbackQueryHandler(staff_only(pressed), r"^v1:bc:(v|t|all|prev)"),
                    MessageHandler(text, staff_only(use_buttons)),
                ],
                CONFIRM: [
                    CallbackQueryHandler(staff_only(confirmed), r"^v1:bc:(send|aud|cancel)$"),
                    MessageHandler(text, staff_only(use_buttons)),
                ],
            },
            fallbacks=[CommandHandler("cancelar", cancel)],
            allow_reentry=True,
        )
    app.add_handler(conversation)
    app.add_handler(CallbackQueryHandler(stop_pressed, r"^v1:bc:stop:"))
    app.add_handler(CallbackQueryHandler(foreign_button, r"^v1:bc:"))
    app.job_queue.run_once(start_lane, when=0, name="broadcast-lane")
