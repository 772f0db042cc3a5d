"""The console's list of instancias: every possible instancia of a period (bot/coverage.py),
filtered, sorted and cut into pages; and its export, the same rows in /exportar's columns.

Filtering and sorting run over the ~2,100 places in memory after the two coverage queries;
the free text goes through the officers' own place search (bot/places.py), so «cusco»,
«Cuzco» and «santa rosa puno» find what they find in the chat.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from bot import coverage, exports
from bot.console_actions import document_urls
from bot.coverage import PlaceState
from bot.places import LEVELS
from bot.services import Services
from bot.storage.queries_data import contacts_of, latest_per_instancia, sent_reports
from bot.storage.staff import audit

PAGE_SIZE = 50
SEARCH_LIMIT = 200  # place matches taken from the search, best first
NOT_REVIEWED = "sin revisar"
SORTS = ("lugar", "region", "nivel", "estado", "envio", "faltan")
STATE_RANK = {state: i for i, state in enumerate(coverage.STATES)}
LEVEL_RANK = {level: i for i, level in enumerate(LEVELS)}

ReviewStates = Callable[[Services, str], Mapping[int, str]]


@dataclass(frozen=True)
class Filters:
    region: str = ""
    provincia: str = ""
    nivel: str = ""
    estado: str = ""  # one of coverage.STATES
    revision: str = ""  # a review state, or NOT_REVIEWED
    falta: str = ""  # a milestone key not reached
    texto: str = ""
    orden: str = ""  # one of SORTS; "" = the search's order with text, else by region
    desc: bool = False
    pagina: int = 1

    @classmethod
    def from_query(cls, q: Mapping[str, str]) -> Filters:
        """From a page's query string; what is not understood is left out."""
        def pick(key: str, allowed) -> str:
            value = (q.get(key) or "").strip()
            return value if value in allowed else ""

        try:
            page = max(1, int(q.get("pagina") or 1))
        except ValueError:
            page = 1
        return cls(
            region=(q.get("region") or "").strip()[:120],
            provincia=(q.get("provincia") or "").strip()[:120],
            nivel=pick("nivel", LEVELS),
            estado=pick("estado", coverage.STATES),
            revision=(q.get("revision") or "").strip()[:40],
            falta=pick("falta", coverage.MILESTONE_KEYS),
            texto=(q.get("texto") or "").strip()[:120],
            orden=pick("orden", SORTS),
            desc=q.get("desc") == "1",
            pagina=page,
        )

    def query(self, **changes) -> dict[str, str]:
        """As query-string pairs (empty ones left out), with `changes` applied."""
        f = replace(self, **changes)
        pairs = {
            "region": f.region, "provincia": f.provincia, "nivel": f.nivel, "estado": f.estado,
            "revision": f.revision, "falta": f.falta, "texto": f.texto, "orden": f.orden,
            "desc": "1" if f.desc else "", "pagina": str(f.pagina) if f.pagina > 1 else "",
        }  # fmt: skip
        return {k: v for k, v in pairs.items() if v}


@dataclass(frozen=True)
class Row:
    place: PlaceState
    review: str


@dataclass(frozen=True)
class Listing:
    period: str
    filters: Filters
    rows: list[Row]  # this page's
    total: int  # rows matching, all pages
    pages: int
    review_choices: list[str]
    provinces: list[str]  # of the region filtered, for the province selector


def _matching(s: Services, period: str, f: Filters, review: Mapping[int, str]) -> list[Row]:
    with s.db.session() as session:
        states = coverage.place_states(session, period)
    # Only a sent report is reviewed: the rest have no review state ("").
    rows = [
        Row(p, review.get(p.instancia_id, NOT_REVIEWED) if p.state == coverage.SENT_STATE else "")
        for p in states
    ]
    if f.texto:
        found = s.places.search(f.texto, level=f.nivel or None, limit=SEARCH_LIMIT)
        rank = {(p.level, p.code): i for i, p in enumerate(found)}
        rows = [r for r in rows if (r.place.info.level, r.place.info.code) in rank]
        rows.sort(key=lambda r: rank[(r.place.info.level, r.place.info.code)])

    def keep(r: Row) -> bool:
        p = r.place
        return (
            (not f.region or p.info.region == f.region)
            and (not f.provincia or coverage.by_province(p) == f.provincia)
            and (not f.nivel or p.info.level == f.nivel)
            and (not f.estado or p.state == f.estado)
            and (not f.revision or r.review == f.revision)
            and (not f.falta or f.falta in p.missing)
        )

    rows = [r for r in rows if keep(r)]
    if f.orden or not f.texto:
        rows.sort(key=_sort_key(f.orden or "region"), reverse=f.desc)
    return rows


def _sort_key(order: str):
    def place(r: Row):
        i = r.place.info
        return (coverage.spanish_key(i.region), LEVEL_RANK[i.level],
                coverage.spanish_key(i.provincia or ""), coverage.spanish_key(i.name))  # fmt: skip

    keys = {
        "lugar": lambda r: (coverage.spanish_key(r.place.info.name), place(r)),
        "region": place,
        "nivel": lambda r: (LEVEL_RANK[r.place.info.level], place(r)),
        "estado": lambda r: (STATE_RANK[r.place.state], place(r)),
        "envio": lambda r: (r.place.sent_at is None, str(r.place.sent_at or ""), place(r)),
        "faltan": lambda r: (len(r.place.missing), place(r)),
    }
    return keys[order]


def listing(
    s: Services, period: str, f: Filters, reviews: ReviewStates | None = None
) -> Listing:
    review = dict(reviews(s, period)) if reviews is not None else {}
    rows = _matching(s, period, f, review)
    pages = max(1, math.ceil(len(rows) / PAGE_SIZE))
    page = min(f.pagina, pages)
    start = (page - 1) * PAGE_SIZE
    choices = sorted({NOT_REVIEWED, *review.values()})
    provinces = _provinces(s, f.region) if f.region else []
    return Listing(period, replace(f, pagina=page), rows[start:start + PAGE_SIZE], len(rows),
                   pages, choices, provinces)  # fmt: skip


def _provinces(s: Services, region: str) -> list[str]:
    """The groups of a region as Cobertura names them (coverage.by_province), for the selector."""
    names = {
        coverage.REGIONAL_GROUP if p.level == "regional" else (p.provincia or p.name)
        for p in s.places.regions() + s.places.provinces()
        if p.region == region
    }
    return sorted(names, key=coverage.spanish_key)


@dataclass(frozen=True)
class ExportFile:
    data: bytes
    name: str
    mime: str
    rows: int


def export(
    s: Services, actor: int, period: str, f: Filters, fmt: str,
    reviews: ReviewStates | None = None,
) -> ExportFile:
    """The filtered list, every page, in /exportar's columns (bot/exports.py): the current
    report of each instancia that sent one, the place alone for the rest. XLSX carries the
    documents and history sheets too, as /exportar's does. Audited like /exportar."""
    rows = _matching(s, period, f, dict(reviews(s, period)) if reviews is not None else {})
    sent_ids = {r.place.instancia_id for r in rows if r.place.state == coverage.SENT_STATE}
    with s.db.session() as session:
        reports = sent_reports(session, period, sent_ids) if sent_ids else []
        waiting = [r.place for r in rows if r.place.state != coverage.SENT_STATE]
        contacts = contacts_of(session, {p.instancia_id for p in waiting if p.instancia_id})
        urls = document_urls(s, session, [r.report_id for r in reports])
        audit(session, actor, "console_export",
              f"period={period} format={fmt} rows={len(rows)}", s.now())  # fmt: skip
    unreported = [(period, p.info, contacts.get(p.instancia_id)) for p in waiting]
    tables = exports.report_tables(reports, s.survey, s.settings.tz, s.messages, unreported,
                                   document_urls=urls)  # fmt: skip
    # The filtered order, not the export's usual one: the file reads like the page.
    order = {(r.place.info.level, r.place.info.code): i for i, r in enumerate(rows)}
    current = tables[0]
    keyed = list(zip(_places_of(reports, unreported), current.rows, strict=True))
    keyed.sort(key=lambda pair: order.get((pair[0].level, pair[0].code), len(order)))
    current.rows = [row for _, row in keyed]
    if fmt == "csv":
        return ExportFile(exports.to_csv(current), exports.filename("instancias", period, "csv"),
                          exports.CSV_MIME, len(rows))  # fmt: skip
    return ExportFile(exports.to_xlsx(tables), exports.filename("instancias", period, "xlsx"),
                      exports.XLSX_MIME, len(rows))  # fmt: skip


def _places_of(reports, unreported):
    """The place of each row of the current sheet, in the sheet's order."""
    return [r.place for r in latest_per_instancia(reports)] + [p for _, p, _ in unreported]
