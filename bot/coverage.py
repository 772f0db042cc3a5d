"""Coverage: where every possible instancia stands in a period, and the tallies of it.

The universe is the places list (knowledge/ubigeo.csv: every region, province and district,
about 2,100): a place nobody registered for still counts, as «sin registro». Two queries
answer a whole period, whatever the number of instancias: one for the state of every place
(officers, sent report, draft), one for the milestone answers of the current reports. The
web console (Cobertura, Instancias) and the chat's /resumen read the same numbers from here.
"""

from __future__ import annotations

import json
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from bot.places import LEVELS
from bot.places import Place as PlaceInfo
from bot.stats import MILESTONE_QUESTIONS, MILESTONES
from bot.storage.models import Instancia, Officer, Place, Report, ReportAnswer
from bot.storage.reports import DRAFT, SENT

# A place's state in a period, each place in exactly one.
SENT_STATE, DRAFT_STATE, REGISTERED, UNREGISTERED = (
    "enviado", "borrador", "registrado", "sin_registro",
)  # fmt: skip
STATES = (SENT_STATE, DRAFT_STATE, REGISTERED, UNREGISTERED)
STATE_LABELS = {
    SENT_STATE: "Reporte enviado",
    DRAFT_STATE: "En borrador",
    REGISTERED: "Sin empezar",
    UNREGISTERED: "Sin registro",
}
MILESTONE_KEYS = tuple(m.key for m in MILESTONES[1:])  # "reportaron" is the sent state itself
REGIONAL_GROUP = "Gobierno regional"  # a region's own instancia, in the per-province view


@dataclass(frozen=True)
class PlaceState:
    """One possible instancia in one period."""

    place_id: int
    instancia_id: int | None  # None: nobody ever registered for this place
    info: PlaceInfo
    officers: int  # registered officers (those who blocked the bot included)
    active_officers: int
    state: str  # one of STATES
    sent_at: datetime | None  # of the current report
    milestones: frozenset[str] = frozenset()  # MILESTONE_KEYS the current report reached

    @property
    def missing(self) -> tuple[str, ...]:
        """Milestones not reached (all of them when nothing was sent)."""
        return tuple(k for k in MILESTONE_KEYS if k not in self.milestones)


def place_states(s: Session, period: str) -> list[PlaceState]:
    """Every place with its state in the period, in the places list's order.

    Kept while nothing it reads changed (`_fingerprint`): every page and every staff member
    reads the same ~2,100 states, which change only when an officer registers, a report is
    written or sent. A tuple of frozen rows: callers filter it, never change it."""
    key = _fingerprint(s, period)
    with _lock:
        kept = _cache.get(period)
        if kept is not None and kept[0] == key:
            _cache.move_to_end(period)
            return kept[1]
    states = tuple(_states(s, period))
    with _lock:
        _cache[period] = (key, states)
        _cache.move_to_end(period)
        while len(_cache) > CACHED_PERIODS:
            _cache.popitem(last=False)
    return states


CACHED_PERIODS = 8
_cache: OrderedDict[str, tuple[tuple, tuple[PlaceState, ...]]] = OrderedDict()
_lock = threading.Lock()


def forget() -> None:
    """Drop the kept states (benchmarks/console.py measures pages without them)."""
    with _lock:
        _cache.clear()


def _fingerprint(s: Session, period: str) -> tuple:
    """Changes whenever a state could: a report of the period written, sent or deleted; an
    officer registered, changed, blocked or deleted; a place or instancia added. Two
    aggregate queries (a database shared by several processes sees the same)."""
    reports = s.execute(
        select(func.count(Report.id), func.max(Report.id), func.max(Report.updated_at),
               func.sum(case((Report.status == SENT, 1), else_=0)))
        .where(Report.period == period)
    ).one()  # fmt: skip
    officers = s.execute(
        select(func.count(Officer.id), func.max(Officer.id), func.max(Officer.updated_at),
               func.sum(case((Officer.active.is_(True), 1), else_=0)),
               select(func.count(Instancia.id)).scalar_subquery(),
               select(func.count(Place.id)).scalar_subquery())
    ).one()  # fmt: skip
    return (s.get_bind().url.render_as_string(), *reports, *officers)


def _states(s: Session, period: str) -> list[PlaceState]:
    officers = (
        select(
            Officer.instancia_id.label("iid"),
            func.count().label("n"),
            func.sum(case((Officer.active.is_(True), 1), else_=0)).label("active"),
        )
        .group_by(Officer.instancia_id)
        .subquery()
    )
    reports = (
        select(
            Report.instancia_id.label("iid"),
            func.max(case((Report.status == SENT, 1), else_=0)).label("sent"),
            func.max(case((Report.status == DRAFT, 1), else_=0)).label("draft"),
            func.max(Report.sent_at).label("sent_at"),
        )
        .where(Report.period == period)
        .group_by(Report.instancia_id)
        .subquery()
    )
    query = (
        select(
            Place.id, Place.level, Place.code, Place.name, Place.provincia, Place.departamento,
            Place.region, Instancia.id, officers.c.n, officers.c.active, reports.c.sent,
            reports.c.draft, reports.c.sent_at,
        )
        .outerjoin(Instancia, Instancia.place_id == Place.id)
        .outerjoin(officers, officers.c.iid == Instancia.id)
        .outerjoin(reports, reports.c.iid == Instancia.id)
        .order_by(Place.id)
    )  # fmt: skip
    reached = _milestones(s, period)
    out = []
    # Core rows (connection, not the ORM's loading): two thousand plain tuples.
    for (pid, level, code, name, prov, dep, region, iid, n, active, sent, draft,
         sent_at) in s.connection().execute(query):  # fmt: skip
        n, active = int(n or 0), int(active or 0)
        state = state_of(bool(sent), bool(draft), n)
        info = PlaceInfo(level=level, code=code, name=name, provincia=prov, departamento=dep,
                         region=region)  # fmt: skip
        out.append(PlaceState(
            pid, iid, info, n, active, state, sent_at if sent else None,
            reached.get(iid, frozenset()) if sent else frozenset(),
        ))  # fmt: skip
    return out


def state_of(sent: bool, draft: bool, officers: int) -> str:
    """The one rule: a sent report wins, then a draft, then a registered officer."""
    if sent:
        return SENT_STATE
    if draft:
        return DRAFT_STATE
    return REGISTERED if officers else UNREGISTERED


def _milestones(s: Session, period: str) -> dict[int, frozenset[str]]:
    """instancia id -> milestones its current report (its latest sent one) reached."""
    ranked = (
        select(
            Report.id.label("rid"),
            Report.instancia_id.label("iid"),
            func.row_number()
            .over(partition_by=Report.instancia_id,
                  order_by=(Report.sent_at.desc(), Report.id.desc()))
            .label("rn"),
        )
        .where(Report.period == period, Report.status == SENT)
        .subquery()
    )  # fmt: skip
    query = (
        select(ranked.c.iid, ReportAnswer.question_id, ReportAnswer.value)
        .join(ReportAnswer, ReportAnswer.report_id == ranked.c.rid)
        .where(ranked.c.rn == 1, ReportAnswer.question_id.in_(MILESTONE_QUESTIONS))
    )
    answers: dict[int, dict] = {}
    for iid, qid, value in s.connection().execute(query):
        answers.setdefault(iid, {})[qid] = json.loads(value)
    return {
        iid: frozenset(m.key for m in MILESTONES[1:] if m.reached(a))
        for iid, a in answers.items()
    }


# --------------------------------------------------------------------------- tallies


@dataclass
class Tally:
    """Counts over a set of places."""

    total: int = 0
    with_officer: int = 0
    states: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATES, 0))
    milestones: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MILESTONE_KEYS, 0))

    def add(self, p: PlaceState) -> None:
        self.total += 1
        self.with_officer += p.officers > 0
        self.states[p.state] += 1
        for key in p.milestones:
            self.milestones[key] += 1

    @property
    def sent(self) -> int:
        return self.states[SENT_STATE]

    @property
    def drafts(self) -> int:
        return self.states[DRAFT_STATE]

    def share(self) -> float:
        """Sent reports of all possible instancias: what the map colours."""
        return self.sent / self.total if self.total else 0.0

    def share_of_registered(self) -> float:
        """Sent reports of the instancias with an officer (a report needs one)."""
        return self.sent / self.with_officer if self.with_officer else 0.0


@dataclass
class Coverage:
    """Tallies of a period: overall, by level, and by a grouping (region or province)."""

    period: str
    total: Tally = field(default_factory=Tally)
    levels: dict[str, Tally] = field(default_factory=lambda: {lv: Tally() for lv in LEVELS})
    groups: dict[str, Tally] = field(default_factory=dict)


def by_region(p: PlaceState) -> str:
    return p.info.region


def by_province(p: PlaceState) -> str:
    """Inside one region: a region's own instancia apart, the rest by their province."""
    return REGIONAL_GROUP if p.info.level == "regional" else (p.info.provincia or p.info.name)


def tally(
    period: str,
    states: Iterable[PlaceState],
    group: Callable[[PlaceState], str] = by_region,
    order: Iterable[str] = (),
) -> Coverage:
    """The counts of these places, grouped; groups in `order` first, the rest by name."""
    out = Coverage(period)
    groups: dict[str, Tally] = {}
    for p in states:
        out.total.add(p)
        out.levels[p.info.level].add(p)
        groups.setdefault(group(p), Tally()).add(p)
    rank = {name: i for i, name in enumerate(order)}
    for name in sorted(groups, key=lambda g: (rank.get(g, len(rank)), spanish_key(g))):
        out.groups[name] = groups[name]
    return out


@lru_cache(maxsize=8192)  # place names: a few thousand, sorted on every list
def spanish_key(text: str) -> str:
    """Alphabetical as Spanish sorts: Áncash beside Amazonas, not after Z."""
    bare = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in bare if not unicodedata.combining(c) or c == "\u0303")


@dataclass(frozen=True)
class Comparison:
    """A period next to the one before, grouped the same way."""

    now: Coverage
    before: Coverage


def compare(
    s: Session,
    period: str,
    previous: str,
    *,
    where: Callable[[PlaceState], bool] | None = None,
    group: Callable[[PlaceState], str] = by_region,
    order: Iterable[str] = (),
) -> tuple[Comparison, list[PlaceState]]:
    """Both periods' tallies over the places `where` keeps; the current states too (for a
    list or a map). Four queries in all."""
    order = list(order)
    now_states = [p for p in place_states(s, period) if where is None or where(p)]
    before_states = [p for p in place_states(s, previous) if where is None or where(p)]
    return (
        Comparison(tally(period, now_states, group, order),
                   tally(previous, before_states, group, order)),
        now_states,
    )  # fmt: skip


@dataclass(frozen=True)
class Overview:
    """What the Cobertura page shows: a period against the one before, per region or, inside
    one region, per province."""

    comparison: Comparison
    region: str | None  # None: the whole country, by region
    regions: tuple[str, ...]  # every region, in the places list's order
    by_region: Coverage  # the whole country by region (for the map, even inside a region)


def overview(services, period: str, region: str | None = None) -> Overview:
    """`services`: bot.services.Services (one read transaction)."""
    from bot.periods import previous_period

    regions = tuple(p.name for p in services.places.regions())
    if region not in regions:
        region = None
    with services.db.session() as s:
        now = place_states(s, period)
        before = place_states(s, previous_period(period))
    country = tally(period, now, by_region, regions)
    if region is None:
        comparison = Comparison(country, tally(previous_period(period), before, by_region,
                                               regions))  # fmt: skip
    else:
        inside = [p for p in now if p.info.region == region]
        inside_before = [p for p in before if p.info.region == region]
        comparison = Comparison(
            tally(period, inside, by_province, [REGIONAL_GROUP]),
            tally(previous_period(period), inside_before, by_province, [REGIONAL_GROUP]),
        )
    return Overview(comparison, region, regions, country)
