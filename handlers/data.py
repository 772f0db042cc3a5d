"""/exportar, /resumen, /pendientes, /sin_respuesta (staff): the data out of the bot.

The role is checked on every command and button press, and every use is audited (ids and
counts only). Building files and the chart runs in a worker thread, so the event loop (and
with it any broadcast in progress) is never held up by openpyxl or matplotlib.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from html import escape

from telegram import InputFile, Update
from telegram.constants import ChatAction, ParseMode
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bot import exports, stats
from bot.periods import parse_period, period_label
from bot.services import Services
from bot.storage.queries_data import (
    current_reports,
    pending_instancias,
    rated_down,
    sent_reports,
    top_unanswered,
)
from bot.telegram_html import split_message
from handlers.common import cb, cb_parts, keyboard, send, stale_button, svc

PENDING_AS_FILE = 50  # more rows than this are easier to read as a spreadsheet
TOP = 15
EXPORT_UNANSWERED = "unans"


async def _staff(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Services | None:
    s = svc(context)
    if s.is_staff(update.effective_user.id):
        return s
    await send(update, context, s.messages("solo_personal"))
    return None


async def _staff_and_period(
    update: Update, context: ContextTypes.DEFAULT_TYPE
) -> tuple[Services, str] | tuple[None, None]:
    """Staff only; the period named after the command (e.g. 2026-S1), else the open one."""
    s = await _staff(update, context)
    if s is None:
        return None, None
    args = context.args or []
    if not args:
        return s, s.period()
    period = args[0].strip().upper()
    try:
        parse_period(period)
    except ValueError:
        await send(update, context, s.messages("datos_periodo_invalido", texto=escape(args[0])))
        return None, None
    return s, period


async def _period_rows(update, context, query, action: str, empty: str):
    """Staff only: `query(session, period)` for the period asked, audited (counts only).

    Returns (services, period, rows), or None when refused, mistyped or empty (already said).
    """
    s, period = await _staff_and_period(update, context)
    if s is None:
        return None
    def run():
        with s.db.session() as session:
            return query(session, period)

    rows = await asyncio.to_thread(run)
    s.audit(update.effective_user.id, action, f"period={period} rows={len(rows)}")
    if not rows:
        await send(update, context, s.messages(empty, periodo=_label(period)))
        return None
    return s, period, rows


def _label(period: str) -> str:
    return f"{period_label(period)} ({period})"


async def _send_file(update, context, data: bytes, name: str, caption: str) -> None:
    await context.bot.send_document(
        chat_id=update.effective_chat.id,
        document=InputFile(data, filename=name),
        caption=caption,
        parse_mode=ParseMode.HTML,
    )


async def _send_long(update, context, html: str, markup=None) -> None:
    parts = split_message(html)
    for i, part in enumerate(parts):
        await send(update, context, part, markup if i == len(parts) - 1 else None)


async def export_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/exportar [2026-S1]: the current reports as XLSX (with the history sheet) and CSV."""
    found = await _period_rows(update, context, sent_reports, "data_export", "datos_sin_reportes")
    if found is None:
        return
    s, period, rows = found
    await context.bot.send_chat_action(update.effective_chat.id, ChatAction.UPLOAD_DOCUMENT)

    def build():
        tables = exports.report_tables(rows, s.survey, s.settings.tz, s.messages)
        return len(tables[0].rows), exports.to_xlsx(tables), exports.to_csv(tables[0])

    count, xlsx, csv = await asyncio.to_thread(build)
    caption = s.messages(
        "exportar_xlsx", periodo=_label(period), instancias=count, reportes=len(rows)
    )
    name = exports.filename("reportes", period, "xlsx")
    await _send_file(update, context, xlsx, name, caption)
    name = exports.filename("reportes", period, "csv")
    await _send_file(update, context, csv, name, s.messages("exportar_csv"))


async def summary_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/resumen [2026-S1]: milestones per region as a phone-sized table, then a chart."""
    found = await _period_rows(
        update, context, current_reports, "data_summary", "datos_sin_reportes"
    )
    if found is None:
        return
    s, period, current = found
    m = s.messages
    summary = stats.summarize(
        ((r.region, r.answers) for r in current), [p.name for p in s.places.regions()]
    )
    text = (
        m("resumen_titulo", periodo=_label(period), instancias=summary.reported)
        + f"\n<pre>{escape(stats.table_text(summary, m))}</pre>\n"
        + m("resumen_leyenda")
    )
    await _send_long(update, context, text)
    await context.bot.send_chat_action(update.effective_chat.id, ChatAction.UPLOAD_PHOTO)
    title = m("resumen_grafico", periodo=period)
    png = await asyncio.to_thread(stats.chart_png, summary, title, m)
    await context.bot.send_photo(
        chat_id=update.effective_chat.id,
        photo=InputFile(png, filename=exports.filename("resumen", period, "png")),
        caption=escape(title),
    )


async def pending_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/pendientes [2026-S1]: instancias with registered officers and no report sent."""
    found = await _period_rows(
        update, context, pending_instancias, "data_pending", "pendientes_vacio"
    )
    if found is None:
        return
    s, period, pending = found
    m = s.messages
    if len(pending) > PENDING_AS_FILE:
        xlsx = await asyncio.to_thread(exports.to_xlsx, [exports.pending_table(pending, m)])
        await _send_file(
            update, context, xlsx, exports.filename("pendientes", period, "xlsx"),
            m("pendientes_archivo", n=len(pending), periodo=_label(period)),
        )  # fmt: skip
        return
    by_region: dict[str, list[str]] = defaultdict(list)
    for p in pending:
        by_region[p.place.region].append(
            m(
                "pendientes_item",
                nivel=exports.level_name(p.place.level, m),
                lugar=escape(p.place.label),
                nombres=escape(exports.LIST_JOIN.join(p.officers)),
            )
        )
    lines = [m("pendientes_titulo", periodo=_label(period), n=len(pending))]
    for region, items in by_region.items():
        lines += ["", f"<b>{escape(region)}</b> ({len(items)})", *items]
    await _send_long(update, context, "\n".join(lines))


async def unanswered_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/sin_respuesta [exportar]: what the knowledge base is missing, most frequent first."""
    s = await _staff(update, context)
    if s is None:
        return
    if context.args and context.args[0].lower() in ("exportar", "excel", "xlsx"):
        await _export_unanswered(update, context, s)
        return
    m = s.messages
    with s.db.session() as session:
        questions, rated = top_unanswered(session), rated_down(session)
    s.audit(
        update.effective_user.id, "data_unanswered",
        f"questions={len(questions)} rated_down={len(rated)}",
    )  # fmt: skip
    if not questions and not rated:
        await send(update, context, m("sin_respuesta_vacio"))
        return
    entries = s.answers.kb.entries
    lines = [m("sin_respuesta_preguntas", n=len(questions))]
    lines += [
        m("sin_respuesta_pregunta", i=i, texto=escape(q.text_norm), veces=q.count,
          fecha=s.local_date(q.last_seen))
        for i, q in enumerate(questions[:TOP], start=1)
    ] or [m("sin_respuesta_ninguna")]  # fmt: skip
    lines += ["", m("sin_respuesta_respuestas", n=len(rated))]
    lines += [
        m("sin_respuesta_respuesta", i=i, id=escape(r.entry_id), no=r.down, si=r.up,
          titulo=escape(entries[r.entry_id].titulo) if r.entry_id in entries else "")
        for i, r in enumerate(rated[:TOP], start=1)
    ] or [m("sin_respuesta_ninguna")]  # fmt: skip
    lines += ["", m("sin_respuesta_pie")]
    button = keyboard([[(m("boton_exportar_sin_respuesta"), cb("data", EXPORT_UNANSWERED))]])
    await _send_long(update, context, "\n".join(lines), button)


async def _export_unanswered(update: Update, context, s: Services) -> None:
    def build():
        with s.db.session() as session:
            questions, rated = top_unanswered(session), rated_down(session)
        titles = {e.id: e.titulo for e in s.answers.kb.entries.values()}
        tables = exports.unanswered_tables(questions, rated, titles, s.settings.tz, s.messages)
        return len(questions), len(rated), exports.to_xlsx(tables)

    questions, rated, xlsx = await asyncio.to_thread(build)
    s.audit(
        update.effective_user.id, "data_unanswered_export",
        f"questions={questions} rated_down={rated}",
    )  # fmt: skip
    name = exports.filename("sin-respuesta", s.today().strftime("%Y-%m-%d"), "xlsx")
    await _send_file(update, context, xlsx, name, s.messages("sin_respuesta_archivo"))


async def data_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The "Exportar" button: the role is checked again; a forged press is refused."""
    s = svc(context)
    query = update.callback_query
    if not s.is_staff(update.effective_user.id):
        await query.answer(s.messages("solo_personal"), show_alert=True)
        return
    if cb_parts(query.data, "data") != [EXPORT_UNANSWERED]:
        await stale_button(update, context)
        return
    await query.answer()
    await _export_unanswered(update, context, s)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("exportar", export_command))
    app.add_handler(CommandHandler("resumen", summary_command))
    app.add_handler(CommandHandler("pendientes", pending_command))
    app.add_handler(CommandHandler("sin_respuesta", unanswered_command))
    app.add_handler(CallbackQueryHandler(data_button, pattern=r"^v1:data:"))
