"""Cobertura: per region (a click: per province) how many instancias have an officer, a sent
report, a draft, nothing; the milestones; by level; against the period before; the map."""

from __future__ import annotations

from aiohttp import web

from bot import coverage
from bot.exports import level_name
from bot.periods import period_label, previous_period
from bot.stats import MILESTONES
from console import periods, tilemap
from console.web import core, render, services

# The table's order: the places list's (""), or by the share sent, lowest or highest first.
ORDERS = ("", "pct", "pct_desc")
MEASURES = {
    "posibles": "de las instancias posibles",
    "registradas": "de las que tienen punto focal",
}


async def page(request: web.Request) -> web.StreamResponse:
    s = services(request)
    period = periods.asked(request, s)
    region = request.query.get("region") or None
    measure = request.query.get("medida")
    if measure not in MEASURES:
        measure = "posibles"
    order = request.query.get("orden")
    if order not in ORDERS:
        order = ""
    found = await core(coverage.overview, s, period, region)
    country = found.by_region.groups

    def fraction(t: coverage.Tally) -> tuple[int, int]:
        return (t.sent, t.total if measure == "posibles" else t.with_officer)

    def share(item: tuple[str, coverage.Tally]) -> float:
        sent, of = fraction(item[1])
        return sent / of if of else -1.0  # nothing to measure: first, as the lowest

    rows = list(found.comparison.now.groups.items())
    if order:
        rows.sort(key=share, reverse=order == "pct_desc")

    tiles = tilemap.tiles({r: fraction(t) for r, t in country.items()}, found.region)
    width, height = tilemap.size()
    now, before = found.comparison.now, found.comparison.before
    return render(request, "cobertura.html", {
        "title": f"Cobertura de {found.region}" if found.region else "Cobertura",
        "period": period,
        "period_label": period_label(period, s.messages),
        "previous": previous_period(period),
        "periods": periods.choices(s),
        "region": found.region,
        "regions": found.regions,
        "now": now,
        "rows": rows,
        "fraction": fraction,  # the table's % is the map's measure
        "order": order,
        "before": before,
        "measure": measure,
        "measures": MEASURES,
        "tiles": tiles,
        "map_size": (width, height),
        "legend": tilemap.legend(),
        "milestones": [(m.key, m.label(s.messages)) for m in MILESTONES[1:]],
        "levels": [(lv, level_name(lv, s.messages)) for lv in now.levels],
        "states": coverage.STATE_LABELS,
    })  # fmt: skip


def setup(app: web.Application) -> None:
    app.router.add_get("/", page)
