"""Staff exports: rows become tables, tables become XLSX bytes or CSV bytes.

No Telegram and no database here: `/exportar` in the chat and `python -m bot export` at a
desk both call `report_tables` and then `to_xlsx` / `to_csv`, so they give the same file.
Sheet names and headers come from mensajes.yaml ('exportes'), like every text staff read.

Values are kept typed where a spreadsheet can use them: whole numbers stay numbers and dates
are real dates shown as dd/mm/aaaa in Excel (and written as dd/mm/aaaa in CSV). Everything
else is the text the officer saw in the report's summary (Sí/No, option labels, the
document's file name), with several options joined by "; ".
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from bot.messages import Messages
from bot.places import Place as PlaceInfo
from bot.storage.queries_data import ReportRow, latest_per_instancia
from bot.storage.questions import REASONS
from bot.survey import FILE_MIMES, Question, Survey, column_values, display, items_of
from bot.telegram_html import plain_text

DATE_FORMAT = "%d/%m/%Y"
XLSX_DATE_FORMAT = "DD/MM/YYYY"
# Windows set to Spanish (Peru) uses "." for decimals and "," as its list separator, so Excel
# on a Peruvian PC splits a double-clicked CSV on commas; cells holding a comma are quoted.
CSV_DELIMITER = ","
LIST_JOIN = "; "
MAX_SHEET_TITLE = 31  # Excel's limit
MAX_COLUMN_WIDTH = 50

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"


def base_headers(messages: Messages) -> list[str]:
    """The columns every report row starts with, before the questions' columns."""
    t = messages.exports
    return [
        t.ubigeo, t.periodo, t.region, t.departamento, t.provincia, t.distrito, t.nivel,
        t.instancia, t.punto_focal, t.cargo, t.telefono, t.fecha_envio, t.version_encuesta,
        t.estado_revision,
    ]  # fmt: skip


def ubigeo(place) -> str:
    """The INEI code as six digits, the key to join INEI, CEM or map data: a district's own,
    a province's with "00", a department's with "0000"; Lima Metropolitana is the province
    of Lima (150100)."""
    if place.code == "LM":
        return "150100"
    return place.code.ljust(6, "0")


def level_name(level: str, messages: Messages) -> str:
    """"Distrital" for "distrital": the level as the registration buttons call it."""
    key = f"nivel_{level}"
    return messages(key) if messages.has(key) else level


@dataclass
class Table:
    """One sheet: a title, headers, rows of cells; notes are optional header comments."""

    title: str
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    notes: dict[int, str] = field(default_factory=dict)  # column index -> full text
    links: frozenset[int] = frozenset()  # columns of web addresses we made: links in XLSX


# --------------------------------------------------------------------------- cells


def local_day(moment: datetime, tz: tzinfo) -> date:
    """The calendar day of a stored UTC time where staff live (SQLite returns naive UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(tz).date()


def cell_value(q: Question, value: Any) -> Any:
    """An answer as a spreadsheet cell, worded like the report's summary (survey.display)."""
    if value is None:
        return display(q, value)
    if q.tipo == "entero" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if q.tipo == "fecha" and isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return display(q, value)  # "03/2018": only the month is known
    if q.tipo == "multiple" and isinstance(value, list):
        return LIST_JOIN.join(_label(q, v) for v in value)
    return display(q, value)


def _label(q: Question, valor: Any) -> str:
    option = q.option(valor) if isinstance(valor, str) else None
    return option.etiqueta if option else str(valor)


def column_label(q: Question) -> str:
    """The question's column header: its `etiqueta` in the survey, else from its id
    ("ordenanza_fecha" -> "Ordenanza fecha")."""
    return q.etiqueta or q.id.replace("_", " ").capitalize()


def _columns(q: Question) -> list[tuple[str, str | None]]:
    """(header, option valor) per column: one column per option of a multiple (Sí/No), so an
    analyst counts them without splitting "PDC; POI"; a grupo's `columnas` (counts and latest
    date computed from its repetitions, which have a sheet of their own); one column for
    every other question."""
    if q.group is not None:
        return [(c.etiqueta, None) for c in q.group.columnas]
    if q.tipo == "multiple":
        return [(f"{column_label(q)}: {o.etiqueta}", o.valor) for o in q.opciones]
    return [(column_label(q), None)]


def _cells(q: Question, answers: Mapping[str, Any], messages: Messages) -> list[Any]:
    if q.id not in answers:
        return ["" for _ in _columns(q)]  # not asked
    value = answers[q.id]
    if q.group is not None:
        cells = []
        for column, computed in zip(q.group.columnas, column_values(q, value), strict=True):
            if computed is None:
                cells.append("")
            elif column.ultima:  # a stored fecha: a date cell, or "03/2026" (month only)
                cells.append(cell_value(q.group.question(column.ultima), computed))
            else:
                cells.append(computed)
        return cells
    if q.tipo != "multiple":
        return [cell_value(q, value)]
    t = messages.exports
    chosen = value if isinstance(value, list) else []
    return [
        display(q, None) if value is None else (t.si if valor in chosen else t.no)
        for _, valor in _columns(q)
    ]


def _unknown_value(value: Any) -> Any:
    """An answer to a question the current survey no longer has: shown, never dropped."""
    if value is None or isinstance(value, int | str):
        return value
    if isinstance(value, list):
        return LIST_JOIN.join(str(v) for v in value)
    if isinstance(value, Mapping):
        return str(value.get("name") or value)
    return str(value)


# --------------------------------------------------------------------------- tables


def instancia_name(level: str, label: str, messages: Messages) -> str:
    nivel = level_name(level, messages)
    return messages.exports.nombre_instancia.format(nivel=nivel, lugar=label)


def report_tables(
    rows: Sequence[ReportRow],
    survey: Survey,
    tz: tzinfo,
    messages: Messages,
    unreported: Sequence[tuple[str, PlaceInfo, tuple[str, str, str] | None]] = (),
    document_urls: Mapping[tuple[int, str], str] | None = None,
) -> list[Table]:
    """[current reports (one row per instancia: its latest sent one), their documents (one
    row each), one sheet per grupo of the survey (one row per repetition, e.g. per session),
    every sent report].

    `rows`: every report sent in a period (`queries_data.sent_reports`). Answers to questions
    a newer survey dropped get columns at the end, headed by their id, so nothing is lost.
    `unreported`: (period, place, contact) of instancias without a report to list too (the
    console's filtered list): place columns and their officers' names, cargos and phones
    (queries_data.contacts_of) filled, the rest empty, after the reports.
    `document_urls`: (report id, question id) -> the console address that opens the document
    (console_actions.document_urls); the documents sheet's reference is then that link.
    """
    current = latest_per_instancia(rows)
    extra: list[str] = []
    known = {q.id for q in survey.questions}
    for row in rows:
        for qid in row.answers:
            if qid not in known and qid not in extra:
                extra.append(qid)
    t = messages.exports
    review_states = messages.section("revision_estados")
    base = base_headers(messages)
    headers = list(base)
    notes: dict[int, str] = {}
    for q in survey.questions:
        for header, _ in _columns(q):
            notes[len(headers)] = plain_text(q.texto)
            headers.append(header)
    headers += extra
    current_ids = {r.report_id for r in current}

    def where(p: PlaceInfo, period: str) -> list[Any]:
        return [
            ubigeo(p),
            period,
            p.region,
            p.departamento,
            p.provincia if p.level != "regional" else "",
            p.name if p.level == "distrital" else "",
            level_name(p.level, messages),
            instancia_name(p.level, p.label, messages),
        ]

    def line(row: ReportRow) -> list[Any]:
        deleted = row.officer_name is None
        cells: list[Any] = [
            *where(row.place, row.period),
            t.datos_borrados if deleted else row.officer_name,
            "" if deleted else row.officer_cargo,
            "" if deleted else (row.officer_phone or ""),
            local_day(row.sent_at, tz),
            row.survey_version,
            review_states.get(row.review_state, row.review_state),
        ]
        for q in survey.questions:
            cells += _cells(q, row.answers, messages)
        cells += [_unknown_value(row.answers.get(qid, "")) for qid in extra]
        return cells

    urls = document_urls or {}
    documents = Table(
        t.hoja_documentos,
        [*base[:8], t.pregunta, t.archivo, t.tipo_archivo, t.tamano_kb,
         t.enlace_consola if urls else t.referencia],
        links=frozenset({len(base[:8]) + 4}) if urls else frozenset(),
    )  # fmt: skip
    for row in current:
        for qid, value in row.answers.items():
            if not (isinstance(value, Mapping) and value.get("file_id")):
                continue
            q = survey.question(qid)
            size = value.get("size")
            documents.rows.append([
                *where(row.place, row.period),
                column_label(q) if q else qid,
                str(value.get("name") or ""),
                FILE_MIMES.get(str(value.get("mime") or ""), str(value.get("mime") or "")),
                round(size / 1024, 1) if isinstance(size, int | float) else "",
                urls.get((row.report_id, qid), f"{row.report_id}/{qid}"),
            ])
    empty = [""] * (len(headers) - 11)
    unreported_rows = [
        [*where(place, period), *(contact or ("", "", "")), *empty]
        for period, place, contact in unreported
    ]
    repeated = [group_table(q, current, where, messages) for q in survey.questions if q.group]
    history = Table(t.hoja_historial, [*headers, t.vigente], notes=dict(notes))
    history.rows = [[*line(r), t.si if r.report_id in current_ids else t.no] for r in rows]
    vigentes = [line(r) for r in current] + unreported_rows
    return [Table(t.hoja_vigentes, headers, vigentes, notes), documents, *repeated, history]


def group_table(group: Question, current: Sequence[ReportRow], where, messages: Messages
                ) -> Table:
    """A grupo's sheet, named by its etiqueta ("Sesiones"): where, the repetition's number,
    then one column per question of the grupo, typed like the main sheet's cells."""
    assert group.group is not None
    subs = group.group.questions
    table = Table(
        column_label(group),
        [*base_headers(messages)[:8], messages.exports.numero, *(column_label(q) for q in subs)],
        notes={9 + i: plain_text(q.texto) for i, q in enumerate(subs)},
    )
    for row in current:
        for n, item in enumerate(items_of(row.answers.get(group.id)), start=1):
            table.rows.append([
                *where(row.place, row.period), n,
                *(cell_value(q, item[q.id]) if q.id in item else "" for q in subs),
            ])
    return table


def pending_table(pending: Sequence, tz: tzinfo, messages: Messages) -> Table:
    """`queries_data.PendingInstancia`s: the instancias staff should chase this period, each
    started («en borrador») or not, with its last activity (as /pendientes shows them)."""
    t = messages.exports
    states = messages.section("publico_statuses")
    table = Table(
        t.hoja_pendientes,
        [t.region, t.nivel, t.instancia, t.puntos_focales, t.nombres, t.estado,
         t.ultima_actividad],
    )  # fmt: skip
    for p in pending:
        table.rows.append([
            p.place.region,
            level_name(p.place.level, messages),
            p.place.label,
            len(p.officers),
            LIST_JOIN.join(p.officers),
            states["draft" if p.draft else "none"],
            local_day(p.last_activity, tz) if p.last_activity else "",
        ])
    return table


def unanswered_tables(
    unanswered: Sequence,
    rated: Sequence,
    titles: Mapping[str, str],
    tz: tzinfo,
    messages: Messages,
) -> list[Table]:
    """`queries_data.Unanswered` and `RatedDown` rows; `titles`: entry id -> its titulo."""
    t = messages.exports
    questions = Table(
        t.hoja_sin_respuesta, [t.pregunta_normalizada, t.veces, t.ultima_vez],
        [[u.text_norm, u.count, local_day(u.last_seen, tz)] for u in unanswered],
    )  # fmt: skip
    reasons = messages.section("motivos_corto")
    answers = Table(
        t.hoja_no_utiles,
        [t.entrada, t.titulo, t.no_me_sirvio, t.util, t.ultimo_no]
        + [f"👎 {reasons[key]}" for key in (*REASONS, "ninguno")],
        [
            [r.entry_id, titles.get(r.entry_id, ""), r.down, r.up, local_day(r.last_down, tz),
             *r.reasons, r.down - sum(r.reasons)]
            for r in rated
        ],
    )  # fmt: skip
    return [questions, answers]


def filename(kind: str, tag: str, ext: str) -> str:
    """concerta-reportes-2026-S2.xlsx: what it holds and which period (or day)."""
    return f"concerta-{kind}-{tag}.{ext}"


# --------------------------------------------------------------------------- formats


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_formula_like(value: Any) -> bool:
    """Text a spreadsheet would run as a formula: anyone can register, so anyone could plant
    one for staff to open (OWASP, CSV injection)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def to_xlsx(tables: Iterable[Table]) -> bytes:
    """A workbook with one sheet per table: bold frozen header, filters, sensible widths."""
    # Imported here, like matplotlib in bot/stats.py: only exports need it.
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for table in tables:
        ws = wb.create_sheet(table.title[:MAX_SHEET_TITLE])
        ws.append(table.headers)
        for row in table.rows:
            ws.append(row)
        bold = Font(bold=True)
        for col in range(1, len(table.headers) + 1):
            cell = ws.cell(row=1, column=col)
            cell.font = bold
            note = table.notes.get(col - 1)
            if note:
                cell.comment = Comment(note, "Concerta")
        widths = [len(h) for h in table.headers]
        for r, row in enumerate(table.rows, start=2):
            for c, value in enumerate(row):
                if _is_formula_like(value):
                    ws.cell(row=r, column=c + 1).data_type = "s"  # shown as typed, never run
                if c in table.links and str(value).startswith(("https://", "http://")):
                    ws.cell(row=r, column=c + 1).hyperlink = str(value)
                if isinstance(value, date):
                    ws.cell(row=r, column=c + 1).number_format = XLSX_DATE_FORMAT
                    widths[c] = max(widths[c], 10)
                else:
                    widths[c] = max(widths[c], len(str(value)))
        for c, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(c)].width = min(width + 2, MAX_COLUMN_WIDTH)
        ws.freeze_panes = "A2"
        if table.rows:
            ws.auto_filter.ref = ws.dimensions
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _csv_cell(value: Any) -> Any:
    if isinstance(value, date):
        return value.strftime(DATE_FORMAT)
    if _is_formula_like(value):
        return "'" + value  # OWASP: a leading quote makes Excel show the text as text
    return value


def to_csv(table: Table) -> bytes:
    """UTF-8 with a BOM, so Excel shows accents and ñ right when the file is double-clicked."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([_csv_cell(v) for v in row])
    return out.getvalue().encode("utf-8-sig")
