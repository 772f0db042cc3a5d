"""Questions and answers in Telegram: crisis first, answers with sources, /temas, feedback.

The crisis check runs in group -1, before every conversation, so a person in danger gets the
help lines at any step of any conversation, registered or not.
"""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot import metrics
from bot.answers import MAX_QUESTION
from bot.knowledge import Entry, answer_messages
from bot.storage.questions import log_unanswered, record_crisis, record_feedback
from handlers.common import (
    button_label,
    cb,
    cb_parts,
    close_buttons,
    keyboard,
    offer_button,
    send,
    stale_button,
    svc,
)

PRIVATE_TEXT = filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND
MAX_BUTTON_TEXT = 60
HELP_ENTRY = "bot-como-usar"


def _short(text: str) -> str:
    return text if len(text) <= MAX_BUTTON_TEXT else text[: MAX_BUTTON_TEXT - 1] + "…"


async def crisis_check(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any private text (or caption) that discloses danger gets the help lines, then stops.

    If the same message is also a question the bot can answer with confidence, the answer
    follows the help lines, so a false alarm never leaves an officer without a reply. Nothing
    else happens: a crisis text is never logged, and no conversation takes it as an answer.
    """
    s = svc(context)
    message = update.effective_message
    text = message.text or message.caption or ""
    crisis = s.answers.crisis(text) if text else None
    if crisis is None:
        return
    key = "crisis_autolesion" if crisis.kind == "self_harm" else "crisis"
    await send(update, context, s.messages(key))
    with s.db.session() as session:
        record_crisis(session, crisis.kind, s.now())
    metrics.inc("concerta_crisis_replies_total")
    entry_id = s.answers.respond(text).entry_id
    if entry_id:
        await send_entry(update, context, s.answers.kb.entries[entry_id])
    raise ApplicationHandlerStop


async def question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Free text outside a conversation is a question."""
    s = svc(context)
    m = s.messages
    text = update.message.text
    if len(text) > MAX_QUESTION:
        await send(update, context, m("pregunta_muy_larga", maximo=MAX_QUESTION))
        return
    reply = s.answers.respond(text)
    match = reply.match
    metrics.inc("concerta_answers_total", band=match.band)
    if reply.entry_id:
        await send_entry(update, context, s.answers.kb.entries[reply.entry_id])
    elif match.band == "smalltalk":
        key = f"charla_{match.smalltalk}"
        await send(update, context, m(key) if m.has(key) else m("charla_otro"))
    elif match.band == "suggest" and match.suggestions:
        await send_suggestions(update, context, match.suggestions)
    else:
        await send_unknown(update, context, reply.question_norm, match.suggestions)


async def send_entry(update: Update, context: ContextTypes.DEFAULT_TYPE, entry: Entry) -> None:
    """The answer with its source, split if long; feedback and related entries on the last part."""
    s = svc(context)
    m = s.messages
    chunks = answer_messages(entry)
    rows = [[
        (m("boton_util"), cb("fb", entry.id, "up")),
        (m("boton_no_util"), cb("fb", entry.id, "down")),
    ]]
    for rel_id in entry.relacionados[:3]:
        related = s.answers.kb.entries.get(rel_id)
        if related:
            rows.append([(f"➡️ {_short(related.titulo)}", cb("kb", "e", rel_id))])
    for chunk in chunks[:-1]:
        await send(update, context, chunk)
    await send(update, context, chunks[-1], keyboard(rows))


async def send_suggestions(update, context, suggestions) -> None:
    s = svc(context)
    entries = s.answers.kb.entries
    rows = [
        [(_short(entries[i].titulo), cb("kb", "e", i))] for i in suggestions[:3] if i in entries
    ]
    rows.append([(s.messages("ninguna"), cb("kb", "none"))])
    await send(update, context, s.messages("quiso_decir"), keyboard(rows))


async def send_unknown(update, context, question_norm: str | None, suggestions=()) -> None:
    """Admit it, log the question anonymously, offer the topics (and a specialist, if any)."""
    s = svc(context)
    if question_norm:
        with s.db.session() as session:
            log_unanswered(session, question_norm, s.now())
    rows = [[(s.messages("boton_ver_temas"), cb("kb", "home"))]]
    specialist = offer_button(update, context)
    if specialist:
        rows.append([specialist])
    await send(update, context, s.messages("no_se"), keyboard(rows))


async def entry_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A suggestion, a related entry or a topic from /temas."""
    s = svc(context)
    parts = cb_parts(update.callback_query.data, "kb")
    action = parts[0] if parts else None
    if action == "e" and len(parts) == 2 and parts[1] in s.answers.kb.entries:
        await close_buttons(update, button_label(update, update.callback_query.data))
        await send_entry(update, context, s.answers.kb.entries[parts[1]])
    elif action == "none":
        await close_buttons(update, button_label(update, update.callback_query.data))
        await send_unknown(update, context, None)
    elif action == "home":
        await update.callback_query.answer()
        await show_categories(update, context, edit=True)
    elif action == "c" and len(parts) == 2 and s.answers.kb.category(parts[1]):
        await update.callback_query.answer()
        await show_category(update, context, parts[1])
    else:
        await stale_button(update, context)


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
    rows = [[(_short(e.titulo), cb("kb", "e", e.id))] for e in s.answers.kb.by_category(cat_id)]
    rows.append([(s.messages("boton_volver_temas"), cb("kb", "home"))])
    text = s.messages("tema_categoria", titulo=escape(category.titulo))
    await _show(update, context, text, rows, edit=True)


async def _show(update, context, text: str, rows, *, edit: bool) -> None:
    """Navigate in place when coming from a button, so the chat does not fill with menus."""
    query = update.callback_query
    if edit and query is not None and query.message is not None:
        try:
            await query.message.edit_text(text, parse_mode="HTML", reply_markup=keyboard(rows))
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
    with s.db.session() as session:
        record_feedback(session, entry_id, verdict == "up", s.now())
    await query.answer(s.messages("gracias_util" if verdict == "up" else "gracias_no_util"))
    rest = [[(b.text, b.callback_data) for b in row] for row in rows[1:]]
    try:
        await message.edit_reply_markup(reply_markup=keyboard(rest) if rest else None)
    except (BadRequest, Forbidden):
        pass


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, voice… outside a conversation: say we read text."""
    await send(update, context, svc(context).messages("solo_texto"))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/ayuda: the knowledge base's own entry on how to use the bot."""
    await send_entry(update, context, svc(context).answers.kb.entries[HELP_ENTRY])


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command we do not have (a typo, or one from an old menu)."""
    await send(update, context, svc(context).messages("comando_desconocido"))


async def reload_knowledge(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/recargar (staff): reload the knowledge base; a broken file keeps the old one serving."""
    s = svc(context)
    m = s.messages
    if not s.is_staff(update.effective_user.id):
        await send(update, context, m("solo_personal"))
        return
    problems = s.answers.reload()
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
    """Crisis in group -1; questions in group 0 after the conversations registered before."""
    app.add_handler(CommandHandler("temas", topics))
    app.add_handler(CommandHandler(["ayuda", "help"], help_command))
    app.add_handler(CommandHandler("recargar", reload_knowledge))
    app.add_handler(CallbackQueryHandler(entry_button, pattern=r"^v1:kb:"))
    app.add_handler(CallbackQueryHandler(feedback, pattern=r"^v1:fb:"))
    app.add_handler(MessageHandler(PRIVATE_TEXT, question))


def register_fallbacks(app: Application) -> None:
    """Last in group 0: non-text messages and unknown buttons outside any conversation."""
    other = filters.ChatType.PRIVATE & ~filters.TEXT & ~filters.StatusUpdate.ALL
    app.add_handler(MessageHandler(other, not_text))
    app.add_handler(MessageHandler(filters.ChatType.PRIVATE & filters.COMMAND, unknown_command))
    app.add_handler(CallbackQueryHandler(stale_button))
