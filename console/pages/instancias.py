"""Instancias: every possible instancia, filtered, sorted, paginated, and its export in
/exportar's columns (bot/instancia_list.py)."""

from __future__ import annotations

from urllib.parse import urlencode

from aiohttp import web

from bot import coverage, instancia_list
from bot.exports import level_name
from bot.places import LEVELS
from bot.stats import MILESTONES
from console import periods
from console.app_keys import REVIEW_STATES
from console.web import core, render, services, staff_id

SORT_LABELS = {"lugar": "Lugar", "region": "Región", "nivel": "Nivel", "estado": "Estado",
               "envio": "Enviado", "faltan": "Pasos faltantes"}  # fmt: skip


async def page(request: web.Request) -> web.StreamResponse:
    s = services(request)
    period = periods.asked(request, s)
    filters = instancia_list.Filters.from_query(request.query)
    found = await core(instancia_list.listing, s, period, filters, request.app[REVIEW_STATES])
    f = found.filters

    def link(**changes) -> str:
        return "/instancias?" + urlencode({"periodo": period, **f.query(**changes)})

    def sort_link(key: str) -> str:
        desc = f.orden == key and not f.desc
        return link(orden=key, desc=desc, pagina=1)

    milestone_labels = {m.key: m.label(s.messages) for m in MILESTONES[1:]}
    return render(request, "instancias.html", {
        "title": "Instancias",
        "period": period,
        "periods": periods.choices(s),
        "found": found,
        "f": f,
        "regions": [p.name for p in s.places.regions()],
        "levels": [(lv, level_name(lv, s.messages)) for lv in LEVELS],
        "states": coverage.STATE_LABELS,
        "milestones": milestone_labels,
        "sorts": SORT_LABELS,
        "link": link,
        "sort_link": sort_link,
        "export_query": urlencode({"periodo": period, **f.query(pagina=1)}),
    })  # fmt: skip


async def download(request: web.Request) -> web.StreamResponse:
    fmt = request.match_info["fmt"]
    s = services(request)
    period = periods.asked(request, s)
    filters = instancia_list.Filters.from_query(request.query)
    out = await core(instancia_list.export, s, staff_id(request), period, filters, fmt,
                     request.app[REVIEW_STATES])  # fmt: skip
    return web.Response(body=out.data, headers={
        "Content-Type": out.mime,
        "Content-Disposition": f'attachment; filename="{out.name}"',
    })  # fmt: skip


def setup(app: web.Application) -> None:
    app.router.add_get("/instancias", page)
    app.router.add_get(r"/instancias/exportar.{fmt:csv|xlsx}", download)
