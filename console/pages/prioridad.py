"""Prioridad: instancias ranked for technical assistance by knowledge/prioridad.yaml, with the
reasons per instancia and links to its Ficha and to record an assistance action."""

from __future__ import annotations

from urllib.parse import urlencode

from aiohttp import web

from bot import assistance_actions
from bot.exports import level_name
from bot.places import LEVELS
from console.web import core, number, render, services

PER_PAGE = 50


async def page(request: web.Request) -> web.StreamResponse:
    s = services(request)
    departamentos = sorted({p.departamento for p in s.places.regions()})
    dep = request.query.get("departamento", "")
    dep = dep if dep in departamentos else ""
    level = request.query.get("nivel", "")
    level = level if level in LEVELS else ""
    raw = request.query.get("pagina", "1")
    page = number(raw, 1) or 1
    first = (page - 1) * PER_PAGE
    found = await core(assistance_actions.priority_list, s, dep or None, level or None)
    pages = max(1, -(-len(found.ranked) // PER_PAGE))
    query = urlencode({k: v for k, v in (("departamento", dep), ("nivel", level)) if v})
    return render(request, "prioridad.html", {
        "title": "Prioridad", "period": s.period(), "notice": found.notice,
        "criteria": found.criteria, "ranked": found.ranked[first:first + PER_PAGE],
        "total": len(found.ranked),
        "first": first, "page": page, "pages": pages, "query": query,
        "departamentos": departamentos, "dep": dep,
        "level": level, "levels": LEVELS, "level_name": lambda lv: level_name(lv, s.messages),
    })  # fmt: skip


def setup(app: web.Application) -> None:
    app.router.add_get("/prioridad", page)
