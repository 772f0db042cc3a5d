"""/exportar, /resumen, /pendientes, /sin_respuesta: the data staff take out of the bot.

Each command is one call: it reads what it needs and writes its audit entry (ids and counts
only) in one transaction, once per update, and returns the texts and file bytes to send. The
calls are synchronous and may be slow (openpyxl, matplotlib): the Telegram side runs them in a
worker thread, so the event loop (and any broadcast in progress) is never held up.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from html import escape

from bot import coverage, exports, stats
from bot.console_actions import document_urls
from bot.periods import parse_period, period_label
from bot.services import Services
from bot.storage.queries_data import (
    pending_instancias,
    rated_down,
    sent_reports,
    top_unanswered,
)
from bot.storage.questions import REASONS
from bot.storage.replay import first_time
from bot.storage.staff import audit
from bot.telegram_html import split_message

PENDING_AS_FILE = 50  # more rows than this are easier to read as a spreadsheet
TOP = 15
EXPORT_UNANSWERED = "unans"  # the "Exportar" button's callback part


@dataclass(frozen=True)
class File:
    data: bytes
    name: str
    caption: str


@dataclass(frozen=True)
class Out:
    """What a data command sends, in this order: texts (the last with `buttons`), files, and a
    chart."""

    texts: list[str] = field(default_factory=list)
    buttons: list[list[tuple[str, tuple[str, ...]]]] = field(default_factory=list)
    files: list[File] = field(default_factory=list)
    photo: File | None = None


def period_asked(s: Services, args: list[str]) -> tuple[str | None, str | None]:
    """The period named after the command (e.g. 2026-S1), else the open one; or what is wrong
    with it."""
    if not args:
        return s.period(), None
    period = args[0].strip().upper()
    try:
        parse_period(period)
    except ValueError:
        return None, s.messages("datos_periodo_invalido", texto=escape(args[0]))
    return period, None


def _label(period: str, messages) -> str:
    return f"{period_label(period, messages)} ({period})"


def _read(s: Services, query, action: str, detail, actor: int, update_id: int | None):
    """`query(session)` and its audit entry in one transaction; None on a replay."""
    with s.db.session() as session:
        if not first_time(session, update_id, action, s.now()):
            return None
        found = query(session)
        audit(session, actor, action, detail(found), s.now())
        return found


def export(s: Services, actor: int, period: str, update_id: int | None) -> Out | None:
    """/exportar: the current reports as XLSX (with the history sheet) and CSV."""
    def query(session):
        rows = sent_reports(session, period)
        return rows, document_urls(s, session, [r.report_id for r in rows])

    found = _read(s, query, "data_export", lambda r: f"period={period} rows={len(r[0])}",
                  actor, update_id)  # fmt: skip
    if found is None:
        return None
    rows, urls = found
    if not rows:
        return Out([s.messages("datos_sin_reportes", periodo=_label(period, s.messages))])
    tables = exports.report_tables(rows, s.survey, s.settings.tz, s.messages,
                                   document_urls=urls)  # fmt: skip
    caption = s.messages(
        "exportar_xlsx", periodo=_label(period, s.messages), instancias=len(tables[0].rows),
        reportes=len(rows),
    )  # fmt: skip
    return Out(files=[
        File(exports.to_xlsx(tables), exports.filename("reportes", period, "xlsx"), caption),
        File(exports.to_csv(tables[0]), exports.filename("reportes", period, "csv"),
             s.messages("exportar_csv")),
    ])  # fmt: skip


def summary(s: Services, actor: int, period: str, update_id: int | None) -> Out | None:
    """/resumen: the three key figures, reported of registered by level and by region (a
    table for a 360 px phone), then the chart (bot/coverage.py counts, as the console)."""
    m = s.messages
    def sent(states) -> int:
        return sum(p.state == coverage.SENT_STATE for p in states)

    states = _read(s, lambda x: coverage.place_states(x, period), "data_summary",
                   lambda r: f"period={period} rows={sent(r)}", actor, update_id)  # fmt: skip
    if states is None:
        return None
    cov = coverage.tally(period, states, coverage.by_region, [p.name for p in s.places.regions()])
    if not cov.total.sent and not cov.total.drafts:
        return Out([m("datos_sin_reportes", periodo=_label(period, s.messages))])
    t = cov.total
    levels = [(lv, exports.level_name(lv, s.messages)) for lv in cov.levels]
    text = "\n".join([
        m("resumen_titulo", periodo=_label(period, s.messages)),
        m("resumen_cifras", enviados=t.sent, registradas=t.with_officer,
          porcentaje=stats.percent(t.sent, t.with_officer), posibles=t.total,
          borradores=t.drafts, sin_empezar=t.states[coverage.REGISTERED]).rstrip(),
        f"<pre>{escape(stats.table_text(cov, levels, s.messages))}</pre>",
        m("resumen_leyenda"),
    ])  # fmt: skip
    title = m("resumen_grafico", periodo=period)
    png = stats.chart_png(cov, title, s.messages)
    return Out(split_message(text),
               photo=File(png, exports.filename("resumen", period, "png"), escape(title)))


def pending(s: Services, actor: int, period: str, update_id: int | None) -> Out | None:
    """/pendientes: instancias with registered officers and no report sent, each «en borrador»
    or «sin empezar» with its last activity; for the open period, «Recordar a estos» (the
    broadcast lane, after a preview with the count: bot/broadcast_actions.pending_reminder)."""
    m = s.messages
    found = _read(s, lambda x: pending_instancias(x, period), "data_pending",
                  lambda r: f"period={period} rows={len(r)}", actor, update_id)  # fmt: skip
    if found is None:
        return None
    if not found:
        return Out([m("pendientes_vacio", periodo=_label(period, s.messages))])
    drafts = sum(p.draft for p in found)
    head = [
        m("pendientes_titulo", n=len(found), periodo=_label(period, s.messages)),
        m("pendientes_estados", borrador=drafts, sin_empezar=len(found) - drafts),
    ]
    remind = []
    if period == s.period():
        officers = sum(p.reachable for p in found)
        if officers:
            remind = [[(m("boton_recordar_pendientes", n=officers), ("bc", "pend"))]]
    if len(found) > PENDING_AS_FILE:
        xlsx = exports.to_xlsx([exports.pending_table(found, s.settings.tz, s.messages)])
        return Out(["\n".join(head)], remind, files=[File(
            xlsx, exports.filename("pendientes", period, "xlsx"),
            m("pendientes_archivo", n=len(found), periodo=_label(period, s.messages)),
        )])  # fmt: skip
    by_region: dict[str, list[str]] = defaultdict(list)
    for p in found:
        by_region[p.place.region].append(
            m(
                "pendientes_item",
                nivel=exports.level_name(p.place.level, s.messages),
                lugar=escape(p.place.label),
                nombres=escape(exports.LIST_JOIN.join(p.officers)),
                estado=m("pendientes_en_borrador" if p.draft else "pendientes_sin_empezar",
                         fecha=s.local_date(p.last_activity)),
            )
            + ("" if p.reachable else "\n   " + m("pendientes_sin_alcance"))
        )
    lines = head
    for region, items in by_region.items():
        lines += ["", f"<b>{escape(region)}</b> ({len(items)})", *items]
    return Out(split_message("\n".join(lines)), remind)


def _unanswered(s: Services, action: str, actor: int, update_id: int | None):
    return _read(
        s, lambda x: (top_unanswered(x), rated_down(x)), action,
        lambda r: f"questions={len(r[0])} rated_down={len(r[1])}", actor, update_id,
    )  # fmt: skip


def unanswered(s: Services, actor: int, update_id: int | None) -> Out | None:
    """/sin_respuesta: what the knowledge base is missing, most frequent first."""
    m = s.messages
    found = _unanswered(s, "data_unanswered", actor, update_id)
    if found is None:
        return None
    questions, rated = found
    if not questions and not rated:
        return Out([m("sin_respuesta_vacio")])
    entries = s.answers.kb.entries
    lines = [m("sin_respuesta_preguntas", n=len(questions))]
    lines += [
        m("sin_respuesta_pregunta", i=i, texto=escape(q.text_norm), veces=q.count,
          fecha=s.local_date(q.last_seen))
        for i, q in enumerate(questions[:TOP], start=1)
    ] or [m("sin_respuesta_ninguna")]  # fmt: skip
    lines += ["", m("sin_respuesta_respuestas", n=len(rated))]
    for i, r in enumerate(rated[:TOP], start=1):
        lines.append(
            m("sin_respuesta_respuesta", i=i, id=escape(r.entry_id), no=r.down, si=r.up,
              titulo=escape(entries[r.entry_id].titulo) if r.entry_id in entries else "")
        )  # fmt: skip
        if any(r.reasons):
            lines.append(m("sin_respuesta_motivos", motivos=_reasons_line(r, m)))
    if not rated:
        lines.append(m("sin_respuesta_ninguna"))
    lines += ["", m("sin_respuesta_pie")]
    button = [[(m("boton_exportar_sin_respuesta"), ("data", EXPORT_UNANSWERED))]]
    return Out(split_message("\n".join(lines)), button)


def _reasons_line(r, m) -> str:
    """«muy largo 2 · otro 1 · sin motivo 1»: the reasons given for an entry's 👎."""
    names = m.section("motivos_corto")
    parts = [f"{names[key]} {n}" for key, n in zip(REASONS, r.reasons, strict=True) if n]
    if r.down > sum(r.reasons):
        parts.append(f"{names['ninguno']} {r.down - sum(r.reasons)}")
    return " · ".join(parts)


def unanswered_file(s: Services, actor: int, update_id: int | None) -> Out | None:
    """/sin_respuesta exportar, or its button: the same lists as a spreadsheet."""
    found = _unanswered(s, "data_unanswered_export", actor, update_id)
    if found is None:
        return None
    questions, rated = found
    titles = {e.id: e.titulo for e in s.answers.kb.entries.values()}
    tables = exports.unanswered_tables(questions, rated, titles, s.settings.tz, s.messages)
    name = exports.filename("sin-respuesta", s.today().strftime("%Y-%m-%d"), "xlsx")
    return Out(files=[File(exports.to_xlsx(tables), name, s.messages("sin_respuesta_archivo"))])
