"""Questions and answers in Telegram: crisis first, answers with sources, /temas, feedback.

Every step that takes text, here and in each conversation, calls the crisis step first
(handlers/common.py `crisis_step`), so a person in danger gets the help lines at any step.
"""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot import handoff_actions, menus, question_actions
from bot.answers import MAX_QUESTION
from bot.knowledge import answer_messages, list_messages
from handlers.common import (
    answer_query,
    button_label,
    cb,
    cb_parts,
    close_buttons,
    crisis_step,
    keyboard,
    mark_withdrawn,
    offer_button,
    publish_menu,
    send,
    send_entry,
    short_label,
    staff_only,
    stale_button,
    svc,
)

PRIVATE_TEXT = filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND
HELP_ENTRY = "bot-como-usar"
# Questions behind the suggestion menus still open in a chat, by menu message id, so that
# «Ninguna de estas» can log the question. In memory only (chat_data is not persisted): never
# tied to a user on disk.
SUGGESTED = "suggested_questions"
MAX_SUGGESTED = 10


async def question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Free text outside a conversation is a question; the crisis step comes first, and a
    confident answer still follows the help lines."""
    text = update.message.text
    if await crisis_step(update, context, text, answer_too=True):
        return
    await answer(update, context, text)


async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    """The bot's answer to a question that has been through the crisis step."""
    s = svc(context)
    m = s.messages
    user = update.effective_user
    asked = question_actions.ask(s, text, (user.first_name, user.last_name, user.username))
    if asked.band == "too_long":
        await send(update, context, m("pregunta_muy_larga", maximo=MAX_QUESTION))
    elif asked.entry_id:
        await send_entry(update, context, s.answers.kb.entries[asked.entry_id])
        if asked.also:
            await send_also(update, context, asked.also)
    elif asked.band == "smalltalk":
        await send(update, context, m(asked.message_key))
    elif asked.band == "suggest":
        await send_suggestions(update, context, asked.suggestions, asked.question)
    elif asked.band == "elsewhere":
        rows = [[(s.messages("boton_ver_temas"), cb("kb", "home"))]]
        await send(update, context, m("otro_tema"), keyboard(rows))
    else:
        await send_unknown(update, context, asked.suggestions, asked.message_key or "no_se")
    if asked.help_lines:
        await send(update, context, m("lineas_de_ayuda_breve"))


async def send_suggestions(update, context, suggestions, question: str = "") -> None:
    s = svc(context)
    entries = s.answers.kb.entries
    rows = [
        [(short_label(entries[i].titulo), cb("kb", "e", i))]
        for i in suggestions[:3]
        if i in entries
    ]
    rows.append([(s.messages("ninguna"), cb("kb", "none"))])
    sent = await send(update, context, s.messages("quiso_decir"), keyboard(rows))
    if question and sent is not None and context.chat_data is not None:
        pending = context.chat_data.setdefault(SUGGESTED, {})
        pending[sent.message_id] = question
        while len(pending) > MAX_SUGGESTED:
            pending.pop(next(iter(pending)))


async def send_also(update, context, entry_ids) -> None:
    """A second question in the same message: offered as a button after the answer."""
    s = svc(context)
    entries = s.answers.kb.entries
    rows = [[(short_label(entries[i].titulo), cb("kb", "e", i))] for i in entry_ids if i in entries]
    if rows:
        await send(update, context, s.messages("tambien_pregunto"), keyboard(rows))


async def send_unknown(update, context, vague=(), key: str = "no_se") -> None:
    """Admit it and offer the entries that come vaguely close, the topics (and a specialist,
    if any)."""
    s = svc(context)
    entries = s.answers.kb.entries
    rows = [[(short_label(entries[i].titulo), cb("kb", "e", i))] for i in vague[:3] if i in entries]
    rows.append([(s.messages("boton_ver_temas"), cb("kb", "home"))])
    specialist = offer_button(update, context)
    if specialist:
        rows.append([specialist])
    await send(update, context, s.messages(key), keyboard(rows))


async def entry_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A suggestion, a related entry or a topic from /temas."""
    s = svc(context)
    parts = cb_parts(update.callback_query.data, "kb")
    action = parts[0] if parts else None
    if action == "e" and len(parts) == 2 and parts[1] in s.answers.kb.entries:
        await close_buttons(update, button_label(update, update.callback_query.data))
        await send_entry(update, context, s.answers.kb.entries[parts[1]])
    elif action == "l" and len(parts) == 2 and parts[1] in s.answers.kb.entries:
        await list_button(update, context, s.answers.kb.entries[parts[1]])
    elif action == "none":
        message = update.callback_query.message
        pending = (context.chat_data or {}).get(SUGGESTED, {})
        question = pending.pop(getattr(message, "message_id", None), None)
        if question:
            question_actions.none_fits(s, question)
        await close_buttons(update, button_label(update, update.callback_query.data))
        await send_unknown(update, context)
    elif action == "q" and len(parts) == 2 and parts[1].isdigit():
        await ask_instead(update, context, int(parts[1]))
    elif action == "home":
        await update.callback_query.answer()
        await show_categories(update, context, edit=True)
    elif action == "c" and len(parts) == 2 and s.answers.kb.category(parts[1]):
        await update.callback_query.answer()
        await show_category(update, context, parts[1])
    else:
        await stale_button(update, context)


async def ask_instead(update: Update, context: ContextTypes.DEFAULT_TYPE, row_id: int) -> None:
    """"Era una pregunta para el bot" under a message that went to a consulta: it leaves the
    consulta and is answered here (it went through the crisis step when it was typed)."""
    withdrawn = handoff_actions.withdraw(
        svc(context), update.effective_user.id, row_id, update.update_id
    )
    if withdrawn.kind == "replay":
        return
    if withdrawn.kind != "withdrawn":
        await stale_button(update, context)
        return
    await close_buttons(update, button_label(update, update.callback_query.data))
    await mark_withdrawn(context, withdrawn)
    await answer(update, context, withdrawn.text)


async def list_button(update: Update, context: ContextTypes.DEFAULT_TYPE, entry) -> None:
    """"Ver la lista completa": the list the answer only summarised; the button goes away."""
    await update.callback_query.answer()
    message = update.callback_query.message
    markup = getattr(message, "reply_markup", None)
    rest = [
        [(b.text, b.callback_data) for b in row]
        for row in getattr(markup, "inline_keyboard", ())
        if not any((b.callback_data or "").startswith("v1:kb:l:") for b in row)
    ]
    try:
        await message.edit_reply_markup(reply_markup=keyboard(rest) if rest else None)
    except (BadRequest, Forbidden):
        pass
    chunks = list_messages(entry) or answer_messages(entry)
    for chunk in chunks:
        await send(update, context, chunk)


async def topics(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/temas: categories as buttons."""
    await show_categories(update, context, edit=False)


async def show_categories(update, context, *, edit: bool) -> None:
    s = svc(context)
    rows = [
        [(f"{c.titulo} ({len(c.entries)})", cb("kb", "c", c.id))]
        for c in s.answers.kb.categories
    ]
    await _show(update, context, s.messages("temas_titulo"), rows, edit=edit)


async def show_category(update, context, cat_id: str) -> None:
    s = svc(context)
    category = s.answers.kb.category(cat_id)
    entries = s.answers.kb.by_category(cat_id)
    rows = [[(short_label(e.titulo), cb("kb", "e", e.id))] for e in entries]
    rows.append([(s.messages("boton_volver_temas"), cb("kb", "home"))])
    text = s.messages("tema_categoria", titulo=escape(category.titulo))
    await _show(update, context, text, rows, edit=True)


async def _show(update, context, text: str, rows, *, edit: bool) -> None:
    """Navigate in place when coming from a button, so the chat does not fill with menus."""
    query = update.callback_query
    if edit and query is not None and query.message is not None:
        try:
            await query.message.edit_text(text, reply_markup=keyboard(rows))
            return
        except BadRequest:  # too old to edit, or unchanged: send a fresh one instead
            pass
    await send(update, context, text, keyboard(rows))


async def feedback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """👍 / 👎: stored without the user; the two buttons go away so it counts once."""
    s = svc(context)
    parts = cb_parts(update.callback_query.data, "fb")
    if not parts or len(parts) != 2 or parts[0] not in s.answers.kb.entries:
        await stale_button(update, context)
        return
    entry_id, verdict = parts
    if verdict not in ("up", "down"):
        await stale_button(update, context)
        return
    query = update.callback_query
    message = query.message
    markup = getattr(message, "reply_markup", None)
    rows = [list(r) for r in getattr(markup, "inline_keyboard", ())]
    if not rows or not any((b.callback_data or "").startswith("v1:fb:") for b in rows[0]):
        await stale_button(update, context)  # already rated from this message
        return
    feedback_id = question_actions.rate(s, entry_id, verdict == "up", update.update_id)
    if feedback_id is not None:  # a 👎 is thanked by the question that follows
        await answer_query(update, s.messages("gracias_util") if verdict == "up" else None)
    rest = [[(b.text, b.callback_data) for b in row] for row in rows[1:]]
    try:
        await message.edit_reply_markup(reply_markup=keyboard(rest) if rest else None)
    except (BadRequest, Forbidden):
        pass
    if feedback_id is not None and verdict == "down":
        labels = s.messages.section("motivos")
        buttons = [(labels[r], cb("fbr", str(feedback_id), r)) for r in question_actions.REASONS]
        await send(update, context, s.messages("motivo_pregunta"), keyboard(
            [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
        ))


async def feedback_reason(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """What was wrong with an answer rated 👎; the first choice counts, a second press is
    thanked without counting."""
    s = svc(context)
    parts = cb_parts(update.callback_query.data, "fbr")
    if not parts or len(parts) != 2 or not parts[0].isdigit():
        await stale_button(update, context)
        return
    result = question_actions.give_reason(s, int(parts[0]), parts[1], update.update_id)
    if result == "unknown":
        await stale_button(update, context)
        return
    if result == "already":
        await answer_query(update, s.messages("motivo_ya"))
        try:
            await update.callback_query.message.edit_reply_markup(reply_markup=None)
        except (AttributeError, BadRequest, Forbidden):
            pass
        return
    await close_buttons(update, button_label(update, update.callback_query.data))


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, voice… outside a conversation: say we read text."""
    message = update.effective_message
    if message is not None and message.caption:
        await crisis_step(update, context, message.caption)
    await send(update, context, svc(context).messages("solo_texto"))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/ayuda: the knowledge base's own entry on how to use the bot; staff then get their
    tools, one line each, and their own menu again (someone added before they ever wrote to
    the bot gets it now)."""
    s = svc(context)
    await send_entry(update, context, s.answers.kb.entries[HELP_ENTRY])
    user_id = update.effective_user.id
    tools = menus.staff_help(s, user_id)
    if tools is not None:
        await send(update, context, tools)
        await publish_menu(context.bot, s, user_id)


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command we do not have (a typo, or one from an old menu)."""
    if await crisis_step(update, context, update.effective_message.text):
        return
    await send(update, context, svc(context).messages("comando_desconocido"))


@staff_only
async def reload_knowledge(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/recargar (staff): reload the knowledge base; a broken file keeps the old one serving."""
    s = svc(context)
    m = s.messages
    problems = s.reload()
    s.audit(update.effective_user.id, "kb_reload", "failed" if problems else "ok")
    if problems:
        shown = "\n".join(escape(p) for p in problems[:10])
        await send(update, context, m("recargar_error", n=len(problems), problemas=shown))
        return
    kb = s.answers.kb
    await send(update, context, m(
        "recargar_ok", entradas=len(kb.entries), categorias=len(kb.categories)
    ))


def register(app: Application) -> None:
    """Questions in group 0, after the conversations registered before."""
    app.add_handler(CommandHandler("temas", topics))
    app.add_handler(CommandHandler(["ayuda", "help"], help_command))
    app.add_handler(CommandHandler("recargar", reload_knowledge))
    app.add_handler(CallbackQueryHandler(entry_button, pattern=r"^v1:kb:"))
    app.add_handler(CallbackQueryHandler(feedback, pattern=r"^v1:fb:"))
    app.add_handler(CallbackQueryHandler(feedback_reason, pattern=r"^v1:fbr:"))
    app.add_handler(MessageHandler(PRIVATE_TEXT, question))


def register_fallbacks(app: Application) -> None:
    """Last in group 0: non-text messages and unknown buttons outside any conversation."""
    other = filters.ChatType.PRIVATE & ~filters.TEXT & ~filters.StatusUpdate.ALL
    app.add_handler(MessageHandler(other, not_text))
    app.add_handler(MessageHandler(filters.ChatType.PRIVATE & filters.COMMAND, unknown_command))
    app.add_handler(CallbackQueryHandler(stale_button))
