"""The technical-assistance log of R.M. 288-2023-MIMP: what MIMP staff did with an instancia or
its government, when, how, with whom, and what comes next; listed, filtered and exported.

A government is represented by its place (the district or provincial municipality, the regional
government of that ubigeo): an action names a place and a `scope`, "instancia" or "gobierno".
Every place can be chosen, whether or not an officer registered its instancia. Only what staff
typed is kept and exported: no officer's data is joined in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from bot import exports, priority
from bot.places import Place as PlaceInfo
from bot.services import Services
from bot.storage import assistance as store
from bot.storage import staff as staff_store
from bot.storage.assistance import Filters
from bot.storage.models import Place
from bot.storage.queries_data import place_info
from bot.storage.staff import audit

MODALITIES = ("presencial", "virtual", "telefono")
SCOPES = ("instancia", "gobierno")
EARLIEST = date(2015, 1, 1)
LIMITS = {"topic": 300, "participants": 500, "next_step": 500}
_DMY = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")  # what a browser's date field posts


def parse_day(text: str, today: date) -> tuple[date | None, str | None]:
    """dd/mm/aaaa (or the ISO date a browser's date field sends): the day, or the problem's
    message key."""
    match = _DMY.match(text or "")
    if match:
        d, m, y = (int(x) for x in match.groups())
    elif (match := _ISO.match(text or "")) is not None:
        y, m, d = (int(x) for x in match.groups())
    else:
        return None, "asistencia_error_fecha"
    try:
        day = date(y, m, d)
    except ValueError:
        return None, "asistencia_error_fecha"
    if day > today:
        return None, "asistencia_error_futura"
    if day < EARLIEST:
        return None, "asistencia_error_antigua"
    return day, None


@dataclass(frozen=True)
class Form:
    """The fields as typed in the console form."""

    place_id: int | None
    scope: str
    day: str
    modality: str
    topic: str
    participants: str = ""
    next_step: str = ""


@dataclass(frozen=True)
class Recorded:
    ok: bool
    errors: dict[str, str]  # field -> Spanish message
    action_id: int | None = None
    replay: bool = False


def record(svc: Services, actor: int, form: Form, *, request_key: str | None = None) -> Recorded:
    """Save one assistance action, with its audit entry, once per form."""
    m = svc.messages
    errors: dict[str, str] = {}
    day, problem = parse_day(form.day, svc.today())
    if problem:
        errors["day"] = m(problem, minimo=EARLIEST.strftime("%d/%m/%Y"))
    if form.scope not in SCOPES:
        errors["scope"] = m("asistencia_error_alcance")
    if form.modality not in MODALITIES:
        errors["modality"] = m("asistencia_error_modalidad")
    texts = {k: (getattr(form, k) or "").strip() for k in LIMITS}
    if not texts["topic"]:
        errors["topic"] = m("asistencia_error_tema")
    for key, limit in LIMITS.items():
        if len(texts[key]) > limit:
            errors[key] = m("asistencia_error_largo", maximo=limit, largo=len(texts[key]))
    with svc.db.session() as s:
        done = store.by_request_key(s, request_key)
        if done is not None:
            return Recorded(True, {}, done.id, replay=True)
        if form.place_id is None or s.get(Place, form.place_id) is None:
            errors["place"] = m("asistencia_error_lugar")
        if errors:
            return Recorded(False, errors)
        row = store.add(
            s, place_id=form.place_id, scope=form.scope, day=day, modality=form.modality,
            author_id=actor, request_key=request_key, created_at=svc.now(), **texts,
        )  # fmt: skip
        audit(s, actor, "assistance_add", f"action={row.id} place={form.place_id}", svc.now())
        return Recorded(True, {}, row.id)


@dataclass(frozen=True)
class Row:
    action_id: int
    place_id: int
    place: PlaceInfo
    scope: str
    day: date
    modality: str
    topic: str
    participants: str
    next_step: str
    author: str
    created_at: datetime


EVERYTHING = Filters()


def listing(svc: Services, filters: Filters = EVERYTHING, limit: int | None = None) -> list[Row]:
    """The log, newest first, with the place and who recorded each action."""
    with svc.db.session() as s:
        found = store.listing(s, filters, limit)
        ids = {a.author_id for a, _ in found}
        names = staff_store.names_of(s, ids)
        return [
            Row(a.id, p.id, place_info(p), a.scope, a.day, a.modality, a.topic, a.participants,
                a.next_step, names[a.author_id], a.created_at)
            for a, p in found
        ]  # fmt: skip




def labels(svc: Services) -> dict[str, dict[str, str]]:
    """How modalities and scopes are named (mensajes.yaml)."""
    return {
        "modality": svc.messages.section("asistencia_modalidades"),
        "scope": svc.messages.section("asistencia_alcances"),
    }


def table(svc: Services, rows: list[Row]) -> exports.Table:
    m = svc.messages
    cols = m.section("asistencia_columnas")
    names = labels(svc)
    t = exports.Table(m("asistencia_hoja"), [
        cols["fecha"], cols["ubigeo"], cols["departamento"], cols["nivel"], cols["lugar"],
        cols["alcance"], cols["modalidad"], cols["tema"], cols["participantes"],
        cols["siguiente_paso"], cols["registrado_por"],
    ])  # fmt: skip
    for r in rows:
        t.rows.append([
            r.day, exports.ubigeo(r.place), r.place.departamento,
            exports.level_name(r.place.level, m), r.place.label,
            names["scope"].get(r.scope, r.scope), names["modality"].get(r.modality, r.modality),
            r.topic, r.participants, r.next_step, r.author,
        ])  # fmt: skip
    return t


def find_places(svc: Services, query: str, limit: int = 8) -> list[tuple[int, PlaceInfo]]:
    """Places matching what staff typed (the registration's accent- and typo-tolerant search),
    with their ids, to choose the target of an action."""
    found = svc.places.search(query, limit=limit) if query.strip() else []
    if not found:
        return []
    with svc.db.session() as s:
        ids = {
            (lv, code): pid
            for pid, lv, code in s.execute(
                select(Place.id, Place.level, Place.code)
                .where(Place.code.in_([p.code for p in found]))
            )
        }  # fmt: skip
    return [(ids[(p.level, p.code)], p) for p in found if (p.level, p.code) in ids]


def place_id(svc: Services, level: str, code: str) -> int | None:
    with svc.db.session() as s:
        return s.scalar(select(Place.id).where(Place.level == level, Place.code == code))


def place(svc: Services, place_id: int) -> PlaceInfo | None:
    with svc.db.session() as s:
        row = s.get(Place, place_id)
        return place_info(row) if row else None


@dataclass(frozen=True)
class File:
    data: bytes
    name: str
    mime: str


def export(svc: Services, actor: int, filters: Filters, fmt: str) -> File:
    """The filtered log as XLSX or CSV (bot/exports.py's writer), audited."""
    rows = listing(svc, filters)
    t = table(svc, rows)
    svc.audit(actor, "assistance_export", f"rows={len(rows)} format={fmt}")
    tag = svc.today().strftime("%Y-%m-%d")
    if fmt == "csv":
        return File(exports.to_csv(t), exports.filename("asistencia", tag, "csv"),
                    exports.CSV_MIME)
    return File(exports.to_xlsx([t]), exports.filename("asistencia", tag, "xlsx"),
                exports.XLSX_MIME)


@dataclass(frozen=True)
class PriorityList:
    ranked: list[priority.Ranked]
    criteria: list[tuple[str, int, bool]]  # (label, weight, on), in the file's order
    notice: str  # the file's own «aviso»: the official criteria were not verified


def priority_list(svc: Services, departamento: str | None = None,
                  level: str | None = None) -> PriorityList:
    """The instancias to assist first (bot/priority.py), by the criteria now loaded."""
    rules = svc.priority or priority.load_priority(svc.settings.knowledge_dir / "prioridad.yaml")
    with svc.db.session() as s:
        ranked = priority.rank(s, rules, svc.period(), svc.today(),
                               departamento=departamento, level=level)  # fmt: skip
    criteria = [(c.etiqueta.format(meses=getattr(c, "meses", "")), c.peso, c.activo)
                for _, c in rules.criterios]
    return PriorityList(ranked, criteria, rules.aviso)
