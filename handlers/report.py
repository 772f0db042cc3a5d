"""/reporte: the status self-report, one question at a time, saved answer by answer.

The survey engine (bot/survey.py) decides which question comes next, validates answers and
builds the summary; the report row in the database is the only state that matters, so a lost
signal or a restart resumes at the same question.
"""

from __future__ import annotations

import logging
import re
import warnings
from datetime import timedelta
from html import escape
from pathlib import Path

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

from bot import metrics
from bot.periods import period_label
from bot.storage import reports as store
from bot.storage.officers import get_officer
from bot.survey import Question, check_answer, display, parse_answer
from handlers.common import (
    button_label,
    cb,
    cb_parts,
    close_buttons,
    describe_unexpected,
    keyboard,
    send,
    stale_button,
    svc,
)
from handlers.questions import send_entry

log = logging.getLogger(__name__)

ANSWERING, SUMMARY, OFFER = "answering", "summary", "offer"
END = ConversationHandler.END
MULTI_KEY = "report_multi"  # the ticks of a multiple-choice question before "Listo"
LEAVING = filters.Regex(r"^/(cancelar|atras)(@\w+)?(\s|$)")
MAX_TYPED = 3000
DRAFT_LIFETIME = timedelta(days=30)
EXPIRY_CHECK = timedelta(hours=6)


# --- state -----------------------------------------------------------------------------------


class NoDraft(Exception):
    """The draft vanished (expired, sent elsewhere, data deleted): the conversation ends."""


def _officer_and_draft(context, user_id: int, session):
    s = svc(context)
    officer = get_officer(session, user_id)
    if officer is None:
        raise NoDraft
    draft = store.current_draft(session, officer.id, s.period())
    if draft is None:
        raise NoDraft
    return officer, draft


def current_question(context, draft) -> Question | None:
    """The question to ask: the one set by /atras or "Editar", else the next unanswered."""
    survey = svc(context).survey
    answers = store.answers_of(draft)
    if draft.cursor:
        q = survey.question(draft.cursor)
        if q is not None and survey.is_relevant(q, answers, today=svc(context).today()):
            return q
    return survey.next_question(answers, today=svc(context).today())


# --- asking ----------------------------------------------------------------------------------


async def ask_question(update: Update, context, draft, q: Question) -> str:
    s = svc(context)
    m = s.messages
    survey = s.survey
    answers = store.answers_of(draft)
    position, total = survey.progress(q, answers, today=s.today())
    lines = [m("reporte_progreso", n=position, total=total), "", q.texto]
    if q.tipo in ("entero", "fecha", "texto") and q.ejemplo:
        lines.append(m("reporte_ejemplo", ejemplo=escape(q.ejemplo)))
    if q.tipo == "archivo":
        lines.append(m("reporte_archivo"))
    if q.id in answers:
        lines.append(m("reporte_respuesta_actual", valor=escape(display(q, answers[q.id]))))
    rows: list[list[tuple[str, str]]] = []
    if q.tipo == "si_no":
        rows.append([(m("si"), cb("rep", "a", q.id, "si")), (m("no"), cb("rep", "a", q.id, "no"))])
    elif q.tipo == "opcion":
        rows += [[(o.etiqueta, cb("rep", "a", q.id, o.valor))] for o in q.opciones]
    elif q.tipo == "multiple":
        ticked = context.user_data.get(MULTI_KEY, {}).get(q.id)
        if ticked is None:
            ticked = list(answers.get(q.id) or [])
            context.user_data.setdefault(MULTI_KEY, {})[q.id] = ticked
        rows += [
            [(("☑️ " if o.valor in ticked else "⬜ ") + o.etiqueta, cb("rep", "t", q.id, o.valor))]
            for o in q.opciones
        ]
        rows.append([(m("reporte_listo"), cb("rep", "d", q.id))])
    extra = []
    if not q.requerido:
        extra.append((m("reporte_omitir"), cb("rep", "s", q.id)))
    if q.ayuda and q.ayuda in s.answers.kb.entries:
        extra.append((m("reporte_ayuda"), cb("rep", "h", q.id)))
    if extra:
        rows.append(extra)
    await send(update, context, "\n".join(lines), keyboard(rows) if rows else None)
    return ANSWERING


async def ask_current(update: Update, context, draft) -> str:
    q = current_question(context, draft)
    if q is None:
        return await show_summary(update, context, draft)
    return await ask_question(update, context, draft, q)


async def show_summary(update: Update, context, draft) -> str:
    s = svc(context)
    m = s.messages
    items = s.survey.summary(store.answers_of(draft), today=s.today())
    lines = [m("reporte_resumen", periodo=period_label(draft.period)), ""]
    buttons = []
    for n, (q, shown) in enumerate(items, start=1):
        lines.append(f"<b>{n}.</b> {_plain(q.texto)}\n    → {escape(shown)}")
        buttons.append((f"✏️ {n}", cb("rep", "e", q.id)))
    rows = [buttons[i : i + 5] for i in range(0, len(buttons), 5)]
    rows.append([(m("reporte_enviar"), cb("rep", "send"))])
    await send(update, context, "\n".join(lines), keyboard(rows))
    return SUMMARY


def _plain(html: str) -> str:
    """A question's text without its tags, to list it in the summary."""
    return re.sub(r"<[^>]+>", "", html)


# --- entry -----------------------------------------------------------------------------------


async def start_report(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    """/reporte: resume a draft, offer to correct a sent report, or start a new one."""
    s = svc(context)
    m = s.messages
    period = s.period()
    with s.db.session() as session:
        officer = get_officer(session, update.effective_user.id)
        if officer is None:
            await send(update, context, m("reporte_no_registrado"))
            return END
        draft = store.current_draft(session, officer.id, period)
        sent = None if draft else store.latest_sent(session, officer.instancia_id, period)
        if draft is None and sent is None:
            draft = store.start_draft(session, officer, period, s.survey.version, s.now())
            context.user_data.pop(MULTI_KEY, None)
            await send(update, context, m(
                "reporte_inicio",
                periodo=period_label(period),
                lugar=escape(officer.instancia.place.name),
                total=len(s.survey.questions),
            ))
        elif draft is not None:
            await send(update, context, m("reporte_reanudar"))
    if draft is not None:
        return await ask_current(update, context, draft)
    with s.db.session() as session:
        officer = get_officer(session, update.effective_user.id)
        sent = store.latest_sent(session, officer.instancia_id, period)
        if sent is not None:
            who = m("reporte_usted") if sent.officer_id == officer.id else m("reporte_otro")
            await send(update, context, m(
                "reporte_ya_enviado",
                periodo=period_label(period),
                fecha=s.local_date(sent.sent_at),
                quien=who,
            ), keyboard([[
                (m("reporte_corregir"), cb("rep", "fix", str(sent.id))),
                (m("reporte_dejar"), cb("rep", "leave")),
            ]]))
            return OFFER
    return END


async def correct_sent(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    """"Corregir": a new draft with the sent answers, straight to the summary."""
    s = svc(context)
    parts = cb_parts(update.callback_query.data, "rep")
    with s.db.session() as session:
        officer = get_officer(session, update.effective_user.id)
        sent = store.get_report(session, int(parts[1])) if parts[1].isdigit() else None
        if (
            officer is None
            or sent is None
            or sent.instancia_id != officer.instancia_id
            or sent.period != s.period()
            or store.current_draft(session, officer.id, s.period()) is not None
        ):
            await stale_button(update, context)
            return END
        await close_buttons(update, button_label(update, update.callback_query.data))
        answers = s.survey.prune(store.answers_of(sent), today=s.today())
        draft = store.start_draft(session, officer, s.period(), s.survey.version, s.now(), answers)
    context.user_data.pop(MULTI_KEY, None)
    return await ask_current(update, context, draft)


async def offer_reminder(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """Anything but the two buttons while a sent report is on offer for correction."""
    await send(update, context, svc(context).messages("reporte_elija"))
    return OFFER


async def leave(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    await close_buttons(update, button_label(update, update.callback_query.data))
    await send(update, context, svc(context).messages("reporte_sin_cambios"))
    return END


# --- answering -------------------------------------------------------------------------------


async def accept(update: Update, context, q: Question, raw) -> str | int:
    """Parse, validate, save, move on: the one path every kind of answer goes through."""
    s = svc(context)
    today = s.today()
    with s.db.session() as session:
        _, draft = _officer_and_draft(context, update.effective_user.id, session)
        current = current_question(context, draft)
        if current is None or current.id != q.id:
            if update.callback_query:
                await stale_button(update, context)
            return await ask_current(update, context, draft)
        parsed = parse_answer(q, raw, today=today)
        error = parsed.error
        if error is None:
            error = check_answer(s.survey, q, parsed.value, store.answers_of(draft), today=today)
        if error is None:
            await _save(context, session, draft, q, parsed.value, today)
    if error:
        await send(update, context, f"⚠️ {escape(error)}")
        return await ask_question(update, context, draft, q)
    context.user_data.get(MULTI_KEY, {}).pop(q.id, None)
    return await ask_current(update, context, draft)


async def _save(context, session, draft, q: Question, value, today) -> None:
    """Store one valid answer and forget the ones an earlier change made irrelevant."""
    s = svc(context)
    if q.tipo == "archivo" and value is not None:
        path = await _download(context, draft.id, value)
        store.add_document(session, draft, q.id, value, path, s.now())
    store.save_answer(session, draft, q.id, value, s.now())
    kept = s.survey.prune(store.answers_of(draft), today=today)
    store.keep_only(session, draft, set(kept), s.now())
    store.set_cursor(draft, None, s.now())


async def typed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    """A typed answer (or a typed choice, e.g. "sí")."""
    s = svc(context)
    text = update.message.text
    with s.db.session() as session:
        _, draft = _officer_and_draft(context, update.effective_user.id, session)
        q = current_question(context, draft)
    if q is None:
        return await summary_reminder(update, context)
    if len(text) > MAX_TYPED:
        await send(update, context, s.messages("texto_muy_largo", largo=len(text)))
        with s.db.session() as session:
            _, draft = _officer_and_draft(context, update.effective_user.id, session)
            return await ask_question(update, context, draft, q)
    if q.tipo == "archivo":
        return await retry(update, context, q, s.messages("reporte_archivo_esperado"))
    return await accept(update, context, q, text)


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    """A choice button: v1:rep:a:<question>:<value>."""
    parts = cb_parts(update.callback_query.data, "rep")
    q = svc(context).survey.question(parts[1]) if len(parts) == 3 else None
    if q is None:
        await stale_button(update, context)
        return await reask(update, context)
    await close_buttons(update, button_label(update, update.callback_query.data))
    return await accept(update, context, q, parts[2])


async def toggled(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    """Tick or untick one option of a multiple-choice question; the message updates in place."""
    s = svc(context)
    parts = cb_parts(update.callback_query.data, "rep")
    q = s.survey.question(parts[1]) if len(parts) == 3 else None
    with s.db.session() as session:
        _, draft = _officer_and_draft(context, update.effective_user.id, session)
        current = current_question(context, draft)
    if q is None or current is None or current.id != q.id or q.tipo != "multiple":
        await stale_button(update, context)
        return await reask(update, context)
    if parts[2] not in {o.valor for o in q.opciones}:
        await stale_button(update, context)
        return ANSWERING
    ticked = context.user_data.setdefault(MULTI_KEY, {}).setdefault(q.id, [])
    if parts[2] in ticked:
        ticked.remove(parts[2])
    else:
        ticked.append(parts[2])
    await update.callback_query.answer()
    rows = [
        [(("☑️ " if o.valor in ticked else "⬜ ") + o.etiqueta, cb("rep", "t", q.id, o.valor))]
        for o in q.opciones
    ]
    old = update.callback_query.message.reply_markup.inline_keyboard
    rows += [[(b.text, b.callback_data) for b in row] for row in old[len(q.opciones) :]]
    try:
        await update.callback_query.message.edit_reply_markup(keyboard(rows))
    except TelegramError:
        pass
    return ANSWERING


async def multi_done(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    """"Listo" on a multiple-choice question."""
    s = svc(context)
    parts = cb_parts(update.callback_query.data, "rep")
    q = s.survey.question(parts[1]) if len(parts) == 2 else None
    if q is None or q.tipo != "multiple":
        await stale_button(update, context)
        return await reask(update, context)
    ticked = context.user_data.get(MULTI_KEY, {}).get(q.id, [])
    order = [o.valor for o in q.opciones]
    chosen = sorted(set(ticked), key=order.index)
    await close_buttons(update, ", ".join(display(q, [v]) for v in chosen) or None)
    return await accept(update, context, q, chosen)


async def skipped(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    """"Omitir" on an optional question: stored as skipped (None)."""
    s = svc(context)
    parts = cb_parts(update.callback_query.data, "rep")
    q = s.survey.question(parts[1]) if len(parts) == 2 else None
    if q is None or q.requerido:
        await stale_button(update, context)
        return await reask(update, context)
    await close_buttons(update, button_label(update, update.callback_query.data))
    with s.db.session() as session:
        _, draft = _officer_and_draft(context, update.effective_user.id, session)
        current = current_question(context, draft)
        if current is None or current.id != q.id:
            return await ask_current(update, context, draft)
        store.save_answer(session, draft, q.id, None, s.now())
        store.set_cursor(draft, None, s.now())
    return await ask_current(update, context, draft)


async def explain(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """"¿Qué significa?": the knowledge-base entry, then the same question again."""
    s = svc(context)
    parts = cb_parts(update.callback_query.data, "rep")
    q = s.survey.question(parts[1]) if len(parts) == 2 else None
    await update.callback_query.answer()
    if q is not None and q.ayuda in s.answers.kb.entries:
        await send_entry(update, context, s.answers.kb.entries[q.ayuda])
    return await reask(update, context)


async def document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    """A PDF or a photo for an "archivo" question; anything else is explained."""
    s = svc(context)
    with s.db.session() as session:
        _, draft = _officer_and_draft(context, update.effective_user.id, session)
        q = current_question(context, draft)
    if q is None or q.tipo != "archivo":
        return await unexpected(update, context)
    msg = update.message
    if msg.document:
        doc = msg.document
        meta = {
            "file_id": doc.file_id, "file_unique_id": doc.file_unique_id,
            "name": doc.file_name or "documento", "size": doc.file_size or 0,
            "mime": doc.mime_type or "application/octet-stream",
        }
    else:
        photo = msg.photo[-1]
        meta = {
            "file_id": photo.file_id, "file_unique_id": photo.file_unique_id,
            "name": f"foto-{photo.file_unique_id}.jpg", "size": photo.file_size or 0,
            "mime": "image/jpeg",
        }
    return await accept(update, context, q, meta)


async def _download(context, report_id: int, meta: dict) -> str | None:
    """Keep our own copy of the document; a failed download keeps the Telegram file id."""
    folder = Path(svc(context).settings.files_dir) / str(report_id)
    safe = re.sub(r"[^\w.\-]+", "_", meta.get("name") or "documento")[:120]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tg_file = await context.bot.get_file(meta["file_id"])
        target = folder / safe
        await tg_file.download_to_drive(custom_path=target)
        return str(target)
    except (TelegramError, OSError) as exc:
        log.warning("document download failed for report %s: %s", report_id, type(exc).__name__)
        return None


async def back(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    """/atras: the previous answered question, showing its current answer."""
    s = svc(context)
    with s.db.session() as session:
        _, draft = _officer_and_draft(context, update.effective_user.id, session)
        q = current_question(context, draft)
        prev = s.survey.previous_question(
            q.id if q else None, store.answers_of(draft), today=s.today()
        )
        if prev is None:
            await send(update, context, s.messages("reporte_primera"))
            return await ask_current(update, context, draft)
        store.set_cursor(draft, prev.id, s.now())
    context.user_data.get(MULTI_KEY, {}).pop(prev.id, None)
    return await ask_question(update, context, draft, prev)


async def edit_answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    """"✏️ n" on the summary: ask that question again."""
    s = svc(context)
    parts = cb_parts(update.callback_query.data, "rep")
    with s.db.session() as session:
        _, draft = _officer_and_draft(context, update.effective_user.id, session)
        answers = store.answers_of(draft)
        q = s.survey.question(parts[1]) if len(parts) == 2 else None
        if q is None or not s.survey.is_relevant(q, answers, today=s.today()):
            await stale_button(update, context)
            return await ask_current(update, context, draft)
        store.set_cursor(draft, q.id, s.now())
    await close_buttons(update)
    context.user_data.get(MULTI_KEY, {}).pop(q.id, None)
    return await ask_question(update, context, draft, q)


async def submit(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    """"Enviar": the report becomes the instancia's current one for the period."""
    s = svc(context)
    m = s.messages
    with s.db.session() as session:
        officer, draft = _officer_and_draft(context, update.effective_user.id, session)
        answers = store.answers_of(draft)
        if not s.survey.is_complete(answers, today=s.today()):
            await stale_button(update, context)
            return await ask_current(update, context, draft)
        store.send(draft, s.now())
        metrics.inc("concerta_reports_sent_total")
        place = officer.instancia.place.name
    await close_buttons(update, button_label(update, update.callback_query.data))
    items = s.survey.summary(answers, today=s.today())
    short = "\n".join(f"• {_plain(q.texto)[:60]} → {escape(shown)}" for q, shown in items[:6])
    await send(update, context, m(
        "reporte_enviado",
        fecha=s.local_date(s.now()),
        periodo=period_label(draft.period),
        lugar=escape(place),
        resumen=short,
    ))
    context.user_data.pop(MULTI_KEY, None)
    return END


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/cancelar: the draft stays; say how to resume."""
    await send(update, context, svc(context).messages("reporte_cancelado"))
    return END


# --- odd input -------------------------------------------------------------------------------


async def reask(update: Update, context) -> str | int:
    s = svc(context)
    with s.db.session() as session:
        _, draft = _officer_and_draft(context, update.effective_user.id, session)
        return await ask_current(update, context, draft)


async def retry(update: Update, context, q: Question, notice: str) -> str | int:
    await send(update, context, notice)
    return await reask(update, context)


async def unexpected(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    """A sticker, a voice note, a photo where text is needed…: say so, ask again."""
    await send(update, context, describe_unexpected(update, context))
    return await reask(update, context)


async def summary_reminder(update: Update, context) -> str | int:
    await send(update, context, svc(context).messages("reporte_en_resumen"))
    return await reask(update, context)


async def in_summary_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    return await summary_reminder(update, context)


async def resume_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    """/reporte while already reporting (e.g. after a restart): carry on where it was."""
    return await start_report(update, context)


async def other_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    await send(update, context, svc(context).messages("reporte_en_curso"))
    return await reask(update, context)


async def stale(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    await stale_button(update, context)
    return await reask(update, context)


async def expire_drafts_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Discard drafts untouched for 30 days and tell their officers."""
    s = svc(context)
    with s.db.session() as session:
        notify = store.expire_drafts(session, s.now() - DRAFT_LIFETIME)
    for telegram_id, period in notify:
        try:
            await context.bot.send_message(
                telegram_id,
                s.messages("reporte_borrador_descartado", periodo=period_label(period)),
            )
        except TelegramError as exc:  # blocked the bot, or gone: nothing more to do
            log.info("draft expiry notice not delivered: %s", type(exc).__name__)


# --- wiring ----------------------------------------------------------------------------------


def _guard(callback):
    """End the conversation with a notice when the draft is gone, instead of an error."""

    async def wrapped(update: Update, context: ContextTypes.DEFAULT_TYPE):
        try:
            return await callback(update, context)
        except NoDraft:
            if update.callback_query:
                await stale_button(update, context)
            await send(update, context, svc(context).messages("reporte_sin_borrador"))
            return END

    wrapped.__doc__ = callback.__doc__
    return wrapped


def register(app: Application) -> None:
    text = filters.TEXT & ~filters.COMMAND
    g = _guard
    answering = [
        CallbackQueryHandler(g(pressed), r"^v1:rep:a:"),
        CallbackQueryHandler(g(toggled), r"^v1:rep:t:"),
        CallbackQueryHandler(g(multi_done), r"^v1:rep:d:"),
        CallbackQueryHandler(g(skipped), r"^v1:rep:s:"),
        CallbackQueryHandler(g(explain), r"^v1:rep:h:"),
        MessageHandler(text, g(typed)),
        MessageHandler(filters.Document.ALL | filters.PHOTO, g(document)),
    ]
    summary = [
        CallbackQueryHandler(g(edit_answer), r"^v1:rep:e:"),
        CallbackQueryHandler(g(submit), r"^v1:rep:send$"),
        CallbackQueryHandler(g(explain), r"^v1:rep:h:"),
        MessageHandler(text, g(in_summary_text)),
    ]
    offer = [
        CallbackQueryHandler(g(correct_sent), r"^v1:rep:fix:"),
        CallbackQueryHandler(g(leave), r"^v1:rep:leave$"),
        MessageHandler(~LEAVING, offer_reminder),
    ]
    common = [
        CommandHandler("reporte", g(resume_command)),
        CallbackQueryHandler(g(stale)),
        MessageHandler(filters.COMMAND & ~LEAVING, g(other_command)),
        MessageHandler(~LEAVING, g(unexpected)),
    ]
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=PTBUserWarning)
        conversation = ConversationHandler(
            name="report",
            persistent=True,
            entry_points=[CommandHandler("reporte", start_report)],
            states={
                ANSWERING: answering + common,
                SUMMARY: summary + common,
                OFFER: offer + common,
            },
            fallbacks=[CommandHandler("cancelar", cancel), CommandHandler("atras", g(back))],
            allow_reentry=False,
        )
    app.add_handler(conversation)
    app.job_queue.run_repeating(expire_drafts_job, interval=EXPIRY_CHECK, first=5)
