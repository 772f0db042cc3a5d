"""Hand-off to a human specialist: /especialista, the staff group thread, /consultas, /cerrar.

An officer's consulta is posted in the staff group (settings.staff_group_chat_id). Whoever can
write in that group is MIMP staff: their reply to any message of a thread reaches the officer,
and the officer's answer goes back into the same thread. Admins (settings.admins) may also use
/consultas and /cerrar in private. Logs carry consulta numbers only: never texts or names.
"""

from __future__ import annotations

import logging
import secrets
import warnings
from html import escape

from telegram import Message, ReplyParameters, Update
from telegram.constants import ParseMode, ReactionEmoji
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.handoff import (
    ANSWERED_LISTED,
    IN,
    MAX_LISTED,
    MAX_TEXT,
    MIN_TEXT,
    OUT,
    after_officer_message,
    after_staff_reply,
    answered_since,
    parse_number,
    recall,
    remember,
    reopens,
    text_problem,
)
from bot.places import Place
from bot.services import Services
from bot.storage.handoffs import (
    add_message,
    by_group_message,
    by_officer_message,
    close,
    discard,
    for_staff,
    get_for_officer,
    group_copies_of,
    open_handoff,
    set_group_message,
    set_status,
    thread_anchor,
)
from bot.storage.models import Officer
from bot.storage.officers import get_officer
from bot.telegram_html import split_message
from handlers.common import (
    button_label,
    cb,
    cb_parts,
    close_buttons,
    describe_unexpected,
    keyboard,
    repeat_after,
    say_resuming,
    send,
    stale_button,
    svc,
)
from handlers.registration import CANCEL_WORDS, LEAVING_COMMANDS, delete_ask

log = logging.getLogger(__name__)

# Conversation states.
ASK, CONFIRM, REPLY = "ask", "confirm", "reply"
END = ConversationHandler.END

DRAFT_KEY = "handoff_draft"  # user_data: a consulta not sent yet (kept across restarts)
REPLY_KEY = "handoff_reply"  # user_data: the consulta the officer is answering
# chat_data is never persisted (see handlers/persistence.py): the last unanswered question
# stays in memory only, for bot.handoff.PREFILL_TTL at most.
PREFILL_KEY = "handoff_question"
SCRUB_KEY = "handoff_scrub"  # chat_data: group messages to blank once the officer is deleted

PRIVATE = filters.ChatType.PRIVATE
NEW_TEXT = filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND


# --- helpers -------------------------------------------------------------------------------


def staff_group(context: ContextTypes.DEFAULT_TYPE) -> int | None:
    return svc(context).settings.staff_group_chat_id


def is_staff(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Admins anywhere; anyone acting inside the staff group (only members can write there)."""
    user = update.effective_user
    chat = update.effective_chat
    group = staff_group(context)
    if user is not None and not user.is_bot and svc(context).is_admin(user.id):
        return True
    if group is None or chat is None or chat.id != group:
        return False
    if update.callback_query is not None:
        return user is not None and not user.is_bot
    message = update.effective_message
    return message is not None and _from_staff(message, group)


def instancia_text(s: Services, officer: Officer) -> str:
    p = officer.instancia.place
    place = Place(
        level=p.level, code=p.code, name=p.name, provincia=p.provincia,
        departamento=p.departamento, region=p.region,
    )
    return s.messages(f"instancia_{place.level}", lugar=place.label)


def close_markup(s: Services, number: int):
    return keyboard([[(s.messages("boton_cerrar_consulta"), cb("ho", "close", str(number)))]])


def offer_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> tuple[str, str] | None:
    """The "talk to a specialist" button for the "no lo sé" reply, or None if not offered.

    The question is remembered under a random token carried by the button, so an older
    "no lo sé" button never offers a newer question.
    """
    s = svc(context)
    if s.settings.staff_group_chat_id is None:
        return None
    label = s.messages("boton_especialista")
    message = update.message
    text = message.text if message is not None else None
    if not text or text_problem(text) or context.chat_data is None:
        return label, cb("ho", "ask")
    token = secrets.token_hex(4)
    context.chat_data[PREFILL_KEY] = remember(token, text.strip(), s.now())
    return label, cb("ho", "ask", token)


def _draft(context: ContextTypes.DEFAULT_TYPE) -> str | None:
    text = context.user_data.get(DRAFT_KEY)
    return text if isinstance(text, str) and not text_problem(text) else None


# --- asking --------------------------------------------------------------------------------


async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE, state: str) -> str:
    """Send the question of a state and return that state."""
    m = svc(context).messages
    if state == CONFIRM and _draft(context) is None:
        state = ASK  # nothing left to confirm (sent or cancelled meanwhile)
    if state == ASK:
        await send(update, context, m("especialista_pedir", maximo=MAX_TEXT))
    elif state == CONFIRM:
        await send(update, context, m("especialista_confirmar", texto=escape(_draft(context))),
                   keyboard([[
                       (m("boton_enviar_consulta"), cb("ho", "send")),
                       (m("boton_escribir_otra"), cb("ho", "other")),
                   ]]))
    elif state == REPLY:
        n = context.user_data.get(REPLY_KEY)
        await send(update, context, m("especialista_pedir_respuesta", n=n))
    return state


async def begin_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    """/especialista."""
    return await begin(update, context, None)


async def begin_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    """The specialist button of the "no lo sé" reply (v1:ho:ask[:token])."""
    data = update.callback_query.data
    parts = cb_parts(data, "ho") or []
    await close_buttons(update, button_label(update, data))
    return await begin(update, context, parts[1] if len(parts) == 2 else None)


async def begin(update: Update, context, token: str | None) -> str | int:
    """Registered officers only; offer the remembered question or a saved draft, else ask."""
    s = svc(context)
    m = s.messages
    if staff_group(context) is None:
        await send(update, context, m("especialista_no_disponible"))
        return END
    with s.db.session() as session:
        registered = get_officer(session, update.effective_user.id) is not None
    if not registered:
        return await not_registered(update, context)
    stored = context.chat_data.get(PREFILL_KEY) if context.chat_data is not None else None
    question = recall(stored, token, s.now())
    if question:
        context.chat_data.pop(PREFILL_KEY, None)
        context.user_data[DRAFT_KEY] = question
    if _draft(context):
        return await ask(update, context, CONFIRM)
    context.user_data.pop(DRAFT_KEY, None)
    return await ask(update, context, ASK)


async def not_registered(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """A specialist needs to know who asks: offer registration, kindly."""
    m = svc(context).messages
    await send(update, context, m("especialista_sin_registro"), keyboard([
        [(m("boton_registrarme"), cb("reg", "start"))],
    ]))
    return END


async def begin_reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int | None:
    """"Responder" under a specialist's answer: only for the officer it was sent to."""
    s = svc(context)
    if staff_group(context) is None:
        await close_buttons(update)
        await send(update, context, s.messages("especialista_no_disponible"))
        return END
    parts = cb_parts(update.callback_query.data, "ho") or []
    n = parse_number(parts[1]) if len(parts) == 2 else None
    found = None
    if n is not None:
        with s.db.session() as session:
            found = get_for_officer(session, n, update.effective_user.id)
    if found is None:
        await stale_button(update, context)
        return None  # forged or gone: whatever step was running stays
    await update.callback_query.answer()
    context.user_data[REPLY_KEY] = n
    return await ask(update, context, REPLY)


# --- steps ---------------------------------------------------------------------------------


async def consulta_typed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    """The consulta, typed."""
    text = update.message.text
    if await _refused(update, context, text):
        return ASK
    return await deliver(update, context, text.strip())


async def send_confirmed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    """"Enviar" on the offered question or saved draft."""
    text = _draft(context)
    if text is None:  # an old confirmation after the draft was sent or cancelled
        await stale_button(update, context)
        return await ask(update, context, ASK)
    await close_buttons(update, button_label(update, update.callback_query.data))
    return await deliver(update, context, text)


async def write_other(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """"Escribir otra": forget the offered text."""
    await close_buttons(update, button_label(update, update.callback_query.data))
    context.user_data.pop(DRAFT_KEY, None)
    return await ask(update, context, ASK)


async def answer_typed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    """The officer's answer to a specialist, typed after "Responder"."""
    text = update.message.text
    if await _refused(update, context, text, minimum=1):
        return REPLY
    n = context.user_data.pop(REPLY_KEY, None)
    await post_answer(update, context, n, text.strip())
    return END


async def answer_by_reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A Telegram reply to a relayed answer, outside any conversation: same as "Responder"."""
    s = svc(context)
    message = update.message
    with s.db.session() as session:
        handoff = by_officer_message(
            session, update.effective_user.id, message.reply_to_message.message_id
        )
        n = handoff.id if handoff else None
    if n is None or await _refused(update, context, message.text, minimum=1):
        return
    await post_answer(update, context, n, message.text.strip())


async def _refused(update: Update, context, text: str | None, minimum: int = MIN_TEXT) -> bool:
    """Too short or too long: say so kindly (the step stays)."""
    m = svc(context).messages
    problem = text_problem(text, minimum)
    if problem == "short":
        await send(update, context, m("especialista_corta"))
    elif problem == "long":
        await send(update, context, m("especialista_larga", largo=len(text), maximo=MAX_TEXT))
    return problem is not None


# --- delivering ----------------------------------------------------------------------------


async def deliver(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> int:
    """Store the consulta, post it in the staff group; on any failure keep the text as a draft."""
    s = svc(context)
    m = s.messages
    group = staff_group(context)
    context.user_data[DRAFT_KEY] = text  # until the group has it
    if group is None:  # the service was switched off while the officer was typing
        await send(update, context, m("especialista_guardada"))
        return END
    own_id = update.message.message_id if update.message else None
    with s.db.session() as session:
        officer = get_officer(session, update.effective_user.id)
        if officer is None:  # deleted their data in the meantime
            context.user_data.pop(DRAFT_KEY, None)
            return await not_registered(update, context)
        handoff, first = open_handoff(session, officer, text, own_id, s.now())
        number, first_id = handoff.id, first.id
        post = m(
            "grupo_consulta",
            n=number,
            nombre=escape(officer.name),
            cargo=escape(officer.cargo),
            institucion=escape(officer.institution),
            instancia=escape(instancia_text(s, officer)),
            texto=escape(text),
        )
    try:
        posted = await context.bot.send_message(
            group, post, parse_mode=ParseMode.HTML, reply_markup=close_markup(s, number)
        )
    except TelegramError as exc:
        log.warning("consulta #%s did not reach the staff group: %s", number, type(exc).__name__)
        with s.db.session() as session:
            discard(session, number)
        await send(update, context, m("especialista_guardada"))
        return END
    with s.db.session() as session:
        set_group_message(session, first_id, group, posted.message_id)
    context.user_data.pop(DRAFT_KEY, None)
    log.info("consulta #%s sent to the staff group", number)
    await send(update, context, m("especialista_enviada", n=number))
    return END


async def post_answer(update: Update, context, n: int | None, text: str) -> None:
    """The officer's answer goes into the consulta's thread in the staff group."""
    s = svc(context)
    m = s.messages
    group = staff_group(context)
    user_id = update.effective_user.id
    with s.db.session() as session:
        handoff = get_for_officer(session, n, user_id) if n is not None else None
        anchor = thread_anchor(session, n, group) if handoff and group else None
        reopened = bool(handoff and reopens(handoff.status))
    if handoff is None:  # deleted with the officer's data, or not theirs
        await send(update, context, m("especialista_consulta_vencida"))
        return
    if group is None:
        await send(update, context, m("especialista_no_disponible"))
        return
    key = "grupo_respuesta_reabierta" if reopened else "grupo_respuesta_oficial"
    reply_to = ReplyParameters(anchor, allow_sending_without_reply=True) if anchor else None
    try:
        posted = await context.bot.send_message(
            group,
            m(key, n=n, texto=escape(text)),
            parse_mode=ParseMode.HTML,
            reply_parameters=reply_to,
            reply_markup=close_markup(s, n),
        )
    except TelegramError as exc:
        log.warning("answer to consulta #%s did not reach the staff group: %s",
                    n, type(exc).__name__)
        await send(update, context, m("especialista_respuesta_fallo"))
        return
    with s.db.session() as session:
        handoff = get_for_officer(session, n, user_id)
        if handoff is not None:
            add_message(session, handoff, IN, text, s.now(), group_chat_id=group,
                        group_message_id=posted.message_id,
                        officer_message_id=update.message.message_id)
            set_status(handoff, after_officer_message(handoff.status), s.now())
    log.info("officer answered in consulta #%s", n)
    await send(update, context, m("especialista_respuesta_enviada", n=n))


# --- the staff group -----------------------------------------------------------------------


def _from_staff(message: Message, group: int) -> bool:
    """A person writing in the staff group, or an admin posting anonymously as the group."""
    if message.is_automatic_forward:
        return False
    if message.sender_chat is not None:
        return message.sender_chat.id == group
    return message.from_user is not None and not message.from_user.is_bot


def _unreachable(exc: TelegramError) -> bool:
    """Blocked the bot (403), or the account is gone: retrying will not help."""
    if isinstance(exc, Forbidden):
        return True
    text = str(exc).lower()
    return isinstance(exc, BadRequest) and ("chat not found" in text or "deactivated" in text)


async def staff_reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A reply in the staff group: to a message of a thread, it is relayed to the officer."""
    s = svc(context)
    m = s.messages
    message = update.message
    group = message.chat.id
    target = message.reply_to_message
    if not _from_staff(message, group):
        return
    with s.db.session() as session:
        handoff = by_group_message(session, group, target.message_id)
        n = handoff.id if handoff else None
        officer_chat = handoff.officer.telegram_id if handoff else None
    if n is None:
        # Replies to people are ordinary group talk; a reply to the bot deserves an answer.
        if target.from_user is not None and target.from_user.id == context.bot.id:
            await message.reply_html(m("grupo_consulta_desconocida"))
        return
    if not message.text:
        await message.reply_html(m("grupo_solo_texto"))
        return
    chunks = split_message(m("respuesta_especialista", n=n, texto=message.text_html))
    markup = keyboard([[(m("boton_responder"), cb("ho", "reply", str(n)))]])
    try:
        for chunk in chunks[:-1]:
            await context.bot.send_message(officer_chat, chunk, parse_mode=ParseMode.HTML)
        relayed = await context.bot.send_message(
            officer_chat, chunks[-1], parse_mode=ParseMode.HTML, reply_markup=markup
        )
    except TelegramError as exc:
        if _unreachable(exc):
            log.info("consulta #%s: the officer is unreachable (%s)", n, type(exc).__name__)
            await message.reply_html(m("grupo_no_entregado", n=n))
            return
        log.warning("consulta #%s: relaying failed (%s)", n, type(exc).__name__)
        await message.reply_html(m("grupo_no_entregado_reintentar", n=n))
        return
    with s.db.session() as session:
        handoff = by_group_message(session, group, target.message_id)
        if handoff is not None:
            add_message(session, handoff, OUT, message.text, s.now(), group_chat_id=group,
                        group_message_id=message.message_id,
                        officer_message_id=relayed.message_id)
            set_status(handoff, after_staff_reply(handoff.status), s.now())
    log.info("consulta #%s: staff reply relayed", n)
    try:  # a quiet "delivered" mark instead of one more message in a busy group
        await context.bot.set_message_reaction(group, message.message_id, ReactionEmoji.THUMBS_UP)
    except TelegramError:
        pass


async def list_consultas(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/consultas (staff): open consultas, then the recently answered ones."""
    s = svc(context)
    m = s.messages
    if not is_staff(update, context):
        await send(update, context, m("solo_personal"))
        return
    days = ANSWERED_LISTED.days
    with s.db.session() as session:
        rows, total = for_staff(session, answered_since(s.now()), MAX_LISTED)
        items = [
            m(
                "consultas_item",
                n=h.id,
                estado=m(f"estado_{h.status}"),
                fecha=s.local_date(h.created_at),
                nombre=escape(h.officer.name),
                lugar=escape(instancia_text(s, h.officer)),
            )
            for h in rows
        ]
    if not items:
        await send(update, context, m("consultas_vacio", dias=days))
        return
    parts = [m("consultas_titulo", dias=days, total=total), *items]
    if total > len(items):
        parts.append(m("consultas_mas", resto=total - len(items)))
    parts.append(m("consultas_ayuda"))
    for chunk in split_message("\n\n".join(parts)):
        await send(update, context, chunk)


async def close_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/cerrar N (staff); in the group, /cerrar as a reply to a thread message also works."""
    s = svc(context)
    m = s.messages
    if not is_staff(update, context):
        await send(update, context, m("solo_personal"))
        return
    n = parse_number(" ".join(context.args or ()))
    target = update.message.reply_to_message if update.message else None
    if n is None and target is not None:
        with s.db.session() as session:
            handoff = by_group_message(session, update.effective_chat.id, target.message_id)
            n = handoff.id if handoff else None
    if n is None:
        await send(update, context, m("cerrar_uso"))
        return
    with s.db.session() as session:
        result = close(session, n, s.now())
    if result == "closed":
        log.info("consulta #%s closed", n)
    key = {"closed": "cerrar_listo", "already": "cerrar_ya"}.get(result, "cerrar_no_existe")
    await send(update, context, m(key, n=n))


async def close_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """"Cerrar consulta" under a thread message in the staff group."""
    s = svc(context)
    query = update.callback_query
    parts = cb_parts(query.data, "ho") or []
    n = parse_number(parts[1]) if len(parts) == 2 else None
    if n is None or not is_staff(update, context):
        await stale_button(update, context)  # forged, or pressed outside the staff group
        return
    with s.db.session() as session:
        result = close(session, n, s.now())
    if result is None:
        await stale_button(update, context)
    elif result == "already":
        try:
            await query.answer(s.messages("cerrar_ya", n=n))
            await query.message.edit_reply_markup(reply_markup=None)
        except TelegramError:
            pass
    else:
        log.info("consulta #%s closed", n)
        await close_buttons(update, s.messages("consulta_cerrada_eco"))


# --- deletion and small things -------------------------------------------------------------


async def note_group_copies(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Before /borrar_mis_datos is carried out: note where this officer's words sit in the
    staff group (ids only, in memory), since their rows are about to go."""
    s = svc(context)
    with s.db.session() as session:
        copies = group_copies_of(session, update.effective_user.id)
    if copies and context.chat_data is not None:
        context.chat_data[SCRUB_KEY] = copies


async def scrub_group_copies(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """After it: if the officer is really gone, blank the bot's messages with their data."""
    s = svc(context)
    copies = context.chat_data.pop(SCRUB_KEY, None) if context.chat_data is not None else None
    if not copies:
        return
    with s.db.session() as session:
        if get_officer(session, update.effective_user.id) is not None:
            return  # the deletion did not happen (e.g. an old button)
    blanked = 0
    for n, chat_id, message_id in copies:
        try:
            await context.bot.edit_message_text(
                s.messages("grupo_datos_borrados", n=n), chat_id=chat_id,
                message_id=message_id, parse_mode=ParseMode.HTML,
            )
            blanked += 1
        except TelegramError as exc:
            log.info("could not blank a staff-group message: %s", type(exc).__name__)
    log.info("blanked %s of %s staff-group message(s) of a deleted officer", blanked, len(copies))


async def added_to_group(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log a group's chat id when the bot joins it: what staff.group_chat_id needs."""
    change = update.my_chat_member
    if change.chat.type in ("group", "supergroup") and change.new_chat_member.status in (
        "member", "administrator"
    ):
        known = change.chat.id == staff_group(context)
        log.info("bot added to group chat %s%s", change.chat.id,
                 " (the staff group)" if known else "; set staff.group_chat_id to use it")


def unexpected_in(state: str):
    """A sticker, photo, voice… where text is needed: say so kindly, ask again, lose nothing."""

    async def handler(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
        await send(update, context, describe_unexpected(update, context))
        if state == CONFIRM:
            await send(update, context, svc(context).messages("especialista_confirmar_esperado"))
        return await ask(update, context, state)

    return handler


resume_in = repeat_after(say_resuming, ask)
stale_in = repeat_after(stale_button, ask)


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/cancelar: nothing is sent, the draft is forgotten."""
    context.user_data.pop(DRAFT_KEY, None)
    context.user_data.pop(REPLY_KEY, None)
    await send(update, context, svc(context).messages("cancelado"))
    return END


async def delete_instead(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/borrar_mis_datos in the middle: leave, then ask to confirm the deletion."""
    context.user_data.pop(DRAFT_KEY, None)
    context.user_data.pop(REPLY_KEY, None)
    await delete_ask(update, context)
    return END


# --- wiring --------------------------------------------------------------------------------


class _RepliesToRelayed(filters.MessageFilter):
    """A private message replying to a specialist's answer that the bot relayed."""

    def __init__(self, services: Services) -> None:
        super().__init__(name="RepliesToRelayed")
        self.services = services

    def filter(self, message: Message) -> bool:
        target = message.reply_to_message
        if target is None or target.from_user is None or not target.from_user.is_bot:
            return False
        with self.services.db.session() as session:
            found = by_officer_message(session, message.chat.id, target.message_id)
            return found is not None


def _step(state: str, *handlers) -> list:
    return [
        MessageHandler(CANCEL_WORDS, cancel),  # "cancelar" typed is not a consulta
        *handlers,
        CallbackQueryHandler(begin_reply, pattern=r"^v1:ho:reply:\d+$"),  # another answer
        CallbackQueryHandler(stale_in(state)),
        MessageHandler(filters.COMMAND & ~LEAVING_COMMANDS, resume_in(state)),
        MessageHandler(~LEAVING_COMMANDS, unexpected_in(state)),
    ]


def register(app: Application) -> None:
    """Register before the other flows, so /cancelar inside a consulta reaches this one."""
    services: Services = app.bot_data["services"]
    with warnings.catch_warnings():
        # per_message=False is intended: steps mix typed answers and buttons.
        warnings.filterwarnings("ignore", category=PTBUserWarning)
        conversation = ConversationHandler(
            name="handoff",
            persistent=True,
            entry_points=[
                CommandHandler("especialista", begin_command, filters=PRIVATE),
                CallbackQueryHandler(begin_button, pattern=r"^v1:ho:ask(:[0-9a-f]+)?$"),
                CallbackQueryHandler(begin_reply, pattern=r"^v1:ho:reply:\d+$"),
            ],
            states={
                ASK: _step(ASK, MessageHandler(NEW_TEXT, consulta_typed)),
                CONFIRM: _step(
                    CONFIRM,
                    CallbackQueryHandler(send_confirmed, pattern=r"^v1:ho:send$"),
                    CallbackQueryHandler(write_other, pattern=r"^v1:ho:other$"),
                ),
                REPLY: _step(REPLY, MessageHandler(NEW_TEXT, answer_typed)),
            },
            fallbacks=[
                CommandHandler("cancelar", cancel),
                CommandHandler("borrar_mis_datos", delete_instead),
            ],
            allow_reentry=False,
        )
    app.add_handler(conversation)
    relayed = PRIVATE & NEW_TEXT & filters.REPLY & _RepliesToRelayed(services)
    app.add_handler(MessageHandler(relayed, answer_by_reply))
    group = services.settings.staff_group_chat_id
    if group is not None:
        in_group = filters.Chat(chat_id=group) & filters.UpdateType.MESSAGE
        app.add_handler(MessageHandler(
            in_group & filters.REPLY & ~filters.COMMAND & ~filters.StatusUpdate.ALL, staff_reply
        ))
    app.add_handler(CommandHandler("consultas", list_consultas))
    app.add_handler(CommandHandler("cerrar", close_command))
    app.add_handler(CallbackQueryHandler(close_button, pattern=r"^v1:ho:close:"))
    # Around registration's deletion (group 0): note before, blank the group copies after.
    app.add_handler(CallbackQueryHandler(note_group_copies, pattern=r"^v1:del:yes$"), group=-2)
    app.add_handler(CallbackQueryHandler(scrub_group_copies, pattern=r"^v1:del:yes$"), group=1)
    app.add_handler(
        ChatMemberHandler(added_to_group, ChatMemberHandler.MY_CHAT_MEMBER), group=2
    )
