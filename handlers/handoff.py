"""Hand-off to a human specialist, the Telegram side: /especialista, the staff group, /consultas.

An officer's consulta is posted in the staff group (settings.staff_group_chat_id); a staff
member's reply to any message of its thread reaches the officer, and the officer's answer goes
back into the same thread. Staff are one thing everywhere (`Services.is_staff`): a reply from
anyone else in the group is not relayed. What each step means lives in bot/handoff_actions.py;
this module turns updates into those calls and their results into messages. Logs carry
consulta numbers only: never texts or names.
"""

from __future__ import annotations

import logging
import warnings
from html import escape

from telegram import Message, ReplyParameters, Update
from telegram.constants import ReactionEmoji
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

from bot import handoff_actions as core
from bot.handoff import MAX_TEXT, MIN_TEXT, parse_number, recall, text_problem
from bot.services import Services
from handlers.common import (
    CANCEL_WORDS,
    LEAVING_COMMANDS,
    PREFILL_KEY,
    answer_query,
    button_label,
    buttons,
    cb,
    cb_parts,
    close_buttons,
    crisis_step,
    delete_ask,
    describe_unexpected,
    keyboard,
    mark_withdrawn,
    record_sent,
    repeat_after,
    say_resuming,
    send,
    staff_only,
    stale_button,
    svc,
)

log = logging.getLogger(__name__)

# Conversation states.
ASK, CONFIRM, REPLY = "ask", "confirm", "reply"
END = ConversationHandler.END

DRAFT_KEY = "handoff_draft"  # user_data: a consulta not sent yet (kept across restarts)
REPLY_KEY = "handoff_reply"  # user_data: the consulta the officer is answering
SCRUB_KEY = "handoff_scrub"  # chat_data: group messages to blank once the officer is deleted

PRIVATE = filters.ChatType.PRIVATE
NEW_TEXT = filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND


def staff_group(context: ContextTypes.DEFAULT_TYPE) -> int | None:
    return svc(context).settings.staff_group_chat_id


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
    if staff_group(context) is None:
        await send(update, context, s.messages("especialista_no_disponible"))
        return END
    if not core.is_registered(s, update.effective_user.id):
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
    if n is None or not core.owns(s, n, update.effective_user.id):
        await stale_button(update, context)
        return None  # forged or gone: whatever step was running stays
    await answer_query(update)
    context.user_data[REPLY_KEY] = n
    return await ask(update, context, REPLY)


# --- steps ---------------------------------------------------------------------------------


async def consulta_typed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    """The consulta, typed. Crisis words get the help lines, and the consulta still goes."""
    text = update.message.text
    if await _refused(update, context, text):
        return ASK
    return await deliver(update, context, text.strip(), typed=True)


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
    message = update.message
    n = core.relayed_consulta(
        svc(context), update.effective_user.id, message.reply_to_message.message_id
    )
    if n is None or await _refused(update, context, message.text, minimum=1):
        return
    await post_answer(update, context, n, message.text.strip())


async def _refused(update: Update, context, text: str | None, minimum: int = MIN_TEXT) -> bool:
    """Too short or too long: say so kindly (the step stays). Crisis words get the help lines
    even then."""
    m = svc(context).messages
    problem = text_problem(text, minimum)
    if problem is None:
        return False
    await crisis_step(update, context, text)
    if problem == "short":
        await send(update, context, m("especialista_corta"))
    else:
        await send(update, context, m("especialista_larga", largo=len(text), maximo=MAX_TEXT))
    return True


# --- delivering ----------------------------------------------------------------------------


async def _post(context, post: core.GroupPost) -> Message | None:
    """Into the staff group; None if Telegram would not take it."""
    reply_to = (
        ReplyParameters(post.reply_to, allow_sending_without_reply=True) if post.reply_to else None
    )
    try:
        return await context.bot.send_message(
            staff_group(context), post.text, reply_parameters=reply_to,
            reply_markup=buttons(post.buttons),
        )  # fmt: skip
    except TelegramError as exc:
        log.warning("consulta #%s: the staff group did not take a message (%s)",
                    post.number, type(exc).__name__)
        return None


async def deliver(update: Update, context, text: str, *, typed: bool = False) -> int:
    """Store the consulta, post it in the staff group; on any failure keep the text as a draft."""
    s = svc(context)
    m = s.messages
    context.user_data[DRAFT_KEY] = text  # until the group has it
    own_id = update.message.message_id if update.message else None
    post = core.open_consulta(s, update.effective_user.id, text, own_id, update.update_id)
    if post.kind == "unavailable":  # the service was switched off while the officer was typing
        await send(update, context, m("especialista_guardada"))
        return END
    if post.kind == "not_registered":
        context.user_data.pop(DRAFT_KEY, None)
        return await not_registered(update, context)
    if post.kind == "replay":  # posted and confirmed already
        context.user_data.pop(DRAFT_KEY, None)
        return END
    if typed and not post.resumed:
        await crisis_step(update, context, text)
    posted = await _post(context, post)
    if posted is None:
        await record_sent(core.consulta_not_posted, s, post.number)
        await send(update, context, m("especialista_guardada"))
        return END
    await record_sent(core.consulta_posted, s, post.row_id, posted.chat_id, posted.message_id)
    context.user_data.pop(DRAFT_KEY, None)
    log.info("consulta #%s sent to the staff group", post.number)
    await send(update, context, m("especialista_enviada", n=post.number))
    return END


async def plain_to_consulta(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A plain message while the officer's consulta waits for them: it goes to the consulta
    (crisis step first, once), and the reply says so with the ways out."""
    text = update.message.text
    if await _refused(update, context, text, minimum=1):  # too long for the group
        return
    await crisis_step(update, context, text)
    # None only if staff closed it a moment ago: the officer is told it is no longer there.
    n = core.waiting_consulta(svc(context), update.effective_user.id)
    await post_answer(update, context, n, text.strip(), routed=True)


async def post_answer(
    update: Update, context, n: int | None, text: str, *, routed: bool = False
) -> None:
    """The officer's answer goes into the consulta's thread in the staff group. `routed`: a
    plain message sent there by the bot's guess (its crisis step is done); the reply says so
    and offers to take it back."""
    s = svc(context)
    m = s.messages
    post = core.officer_answer(
        s, update.effective_user.id, n, text, update.message.message_id, update.update_id
    )
    if post.kind == "gone":  # deleted with the officer's data, or not theirs
        await send(update, context, m("especialista_consulta_vencida"))
        return
    if post.kind == "unavailable":
        await send(update, context, m("especialista_no_disponible"))
        return
    if post.kind == "replay":
        return
    if not post.resumed and not routed:
        await crisis_step(update, context, text)
    posted = await _post(context, post)
    if posted is None:
        await record_sent(core.not_sent, s, post.row_id)
        await send(update, context, m("especialista_respuesta_fallo"))
        return
    await record_sent(core.answer_posted, s, post.row_id, posted.chat_id, posted.message_id)
    log.info("officer answered in consulta #%s", n)
    if routed:
        said, rows = core.routed_reply(s, n, post.row_id)
        await send(update, context, said, buttons(rows))
        return
    await send(update, context, m("especialista_respuesta_enviada", n=n))


async def withdraw_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """"Retirar el mensaje": it leaves the consulta; what the officer types next is a
    question for the bot again, until the specialist writes."""
    s = svc(context)
    parts = cb_parts(update.callback_query.data, "ho") or []
    row_id = int(parts[1]) if len(parts) == 2 and parts[1].isdigit() else None
    withdrawn = (
        core.withdraw(s, update.effective_user.id, row_id, update.update_id)
        if row_id is not None else core.Withdrawn("gone")
    )  # fmt: skip
    if withdrawn.kind == "replay":
        return
    if withdrawn.kind != "withdrawn":
        await stale_button(update, context)
        return
    await close_buttons(update, button_label(update, update.callback_query.data))
    await mark_withdrawn(context, withdrawn)
    log.info("officer withdrew a message from consulta #%s", withdrawn.number)
    await send(update, context, s.messages("especialista_mensaje_retirado", n=withdrawn.number))


# --- the staff group -----------------------------------------------------------------------


def _unreachable(exc: TelegramError) -> bool:
    """Blocked the bot (403), or the account is gone: retrying will not help."""
    if isinstance(exc, Forbidden):
        return True
    text = str(exc).lower()
    return isinstance(exc, BadRequest) and ("chat not found" in text or "deactivated" in text)


def _group_message(update: Update, context) -> core.GroupMessage:
    message = update.message
    group = message.chat.id
    target = message.reply_to_message
    user = message.from_user
    anonymous = message.sender_chat is not None and message.sender_chat.id == group
    person = (
        not message.is_automatic_forward and message.sender_chat is None
        and user is not None and not user.is_bot
    )  # fmt: skip
    return core.GroupMessage(
        group=group, message_id=message.message_id, reply_to_id=target.message_id,
        reply_to_bot=target.from_user is not None and target.from_user.id == context.bot.id,
        user_id=user.id if person else None,
        anonymous=anonymous and not message.is_automatic_forward,
        text=message.text, html=message.text_html if message.text else None,
    )  # fmt: skip


async def staff_reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A reply in the staff group: to a message of a thread, from staff, it reaches the officer.

    Specialists quote cases here: their text is not a disclosure, so no crisis step.
    """
    s = svc(context)
    m = s.messages
    message = update.message
    relay = core.staff_reply(s, _group_message(update, context), update.update_id)
    n = relay.number
    if relay.kind in ("ignore", "replay"):
        return
    if relay.kind != "relay":
        key = {"unknown": "grupo_consulta_desconocida", "only_text": "grupo_solo_texto",
               "not_staff": "grupo_no_es_personal"}[relay.kind]
        await message.reply_html(m(key))
        return
    try:
        for chunk in relay.chunks[:-1]:
            await context.bot.send_message(relay.officer_chat, chunk)
        sent = await context.bot.send_message(
            relay.officer_chat, relay.chunks[-1], reply_markup=buttons(relay.buttons)
        )
    except TelegramError as exc:
        await record_sent(core.not_sent, s, relay.row_id)
        if _unreachable(exc):
            log.info("consulta #%s: the officer is unreachable (%s)", n, type(exc).__name__)
            await message.reply_html(m("grupo_no_entregado", n=n))
            return
        log.warning("consulta #%s: relaying failed (%s)", n, type(exc).__name__)
        await message.reply_html(m("grupo_no_entregado_reintentar", n=n))
        return
    await record_sent(core.relayed, s, relay.row_id, sent.message_id)
    log.info("consulta #%s: staff reply relayed", n)
    try:  # a quiet "delivered" mark instead of one more message in a busy group
        await context.bot.set_message_reaction(
            message.chat.id, message.message_id, ReactionEmoji.THUMBS_UP
        )
    except TelegramError:
        pass


@staff_only(private=True)
async def list_consultas(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/consultas (staff): open consultas, then the recently answered ones."""
    for chunk in core.listing(svc(context), update.effective_user.id):
        await send(update, context, chunk)


@staff_only
async def close_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/cerrar N (staff); in the group, /cerrar as a reply to a thread message also works."""
    s = svc(context)
    m = s.messages
    n = parse_number(" ".join(context.args or ()))
    target = update.message.reply_to_message if update.message else None
    if n is None and target is not None:
        n = core.thread_of(s, update.effective_chat.id, target.message_id)
    if n is None:
        await send(update, context, m("cerrar_uso"))
        return
    result = core.close(s, n, update.update_id, update.effective_user.id)
    if result is None:
        return
    if result == "closed":
        log.info("consulta #%s closed", n)
    key = {"closed": "cerrar_listo", "already": "cerrar_ya"}.get(result, "cerrar_no_existe")
    await send(update, context, m(key, n=n))


@staff_only
async def close_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """"Cerrar consulta" under a thread message in the staff group."""
    s = svc(context)
    query = update.callback_query
    parts = cb_parts(query.data, "ho") or []
    n = parse_number(parts[1]) if len(parts) == 2 else None
    if n is None:
        await stale_button(update, context)  # forged
        return
    result = core.close(s, n, update.update_id, update.effective_user.id)
    if result is None:
        return
    if result == "missing":
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
    copies = core.group_copies(svc(context), update.effective_user.id)
    if copies and context.chat_data is not None:
        context.chat_data[SCRUB_KEY] = copies


async def scrub_group_copies(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """After it: if the officer is really gone, blank the bot's messages with their data."""
    s = svc(context)
    copies = context.chat_data.pop(SCRUB_KEY, None) if context.chat_data is not None else None
    if not copies:
        return
    if core.is_registered(s, update.effective_user.id):
        return  # the deletion did not happen (e.g. an old button)
    blanked = 0
    for n, chat_id, message_id in copies:
        try:
            await context.bot.edit_message_text(
                s.messages("grupo_datos_borrados", n=n), chat_id=chat_id,
                message_id=message_id,
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


def register_plain_messages(app: Application) -> None:
    """After every conversation (an answer to a step stays the step's) and before questions:
    a plain message to a consulta that waits for the officer goes there."""
    waiting = PRIVATE & NEW_TEXT & ~CANCEL_WORDS & _ToWaitingConsulta(app.bot_data["services"])
    app.add_handler(MessageHandler(waiting, plain_to_consulta))


# --- wiring --------------------------------------------------------------------------------


class _ToWaitingConsulta(filters.MessageFilter):
    """A private message from an officer whose consulta waits for them (see
    bot.handoff.takes_plain_message)."""

    def __init__(self, services: Services) -> None:
        super().__init__(name="ToWaitingConsulta")
        self.services = services

    def filter(self, message: Message) -> bool:
        user = message.from_user
        if user is None:
            return False
        return core.waiting_consulta(self.services, user.id) is not None


class _RepliesToRelayed(filters.MessageFilter):
    """A private message replying to a specialist's answer that the bot relayed."""

    def __init__(self, services: Services) -> None:
        super().__init__(name="RepliesToRelayed")
        self.services = services

    def filter(self, message: Message) -> bool:
        target = message.reply_to_message
        if target is None or target.from_user is None or not target.from_user.is_bot:
            return False
        return core.relayed_consulta(self.services, message.chat.id, target.message_id) is not None


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
    app.add_handler(CallbackQueryHandler(withdraw_pressed, pattern=r"^v1:ho:wd:\d+$"))
    app.add_handler(CommandHandler("consultas", list_consultas))
    app.add_handler(CommandHandler("cerrar", close_command))
    app.add_handler(CallbackQueryHandler(close_button, pattern=r"^v1:ho:close:"))
    # Around registration's deletion (group 0): note before, blank the group copies after.
    app.add_handler(CallbackQueryHandler(note_group_copies, pattern=r"^v1:del:yes$"), group=-2)
    app.add_handler(CallbackQueryHandler(scrub_group_copies, pattern=r"^v1:del:yes$"), group=1)
    app.add_handler(
        ChatMemberHandler(added_to_group, ChatMemberHandler.MY_CHAT_MEMBER), group=2
    )
