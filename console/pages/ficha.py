"""Ficha de la instancia: place, officers, the current report with every answer, the history,
the documents (opened from here: console/pages/documentos.py), and the blocks other pages
fill (console/app_keys.py FICHA_SECTIONS)."""

from __future__ import annotations

from aiohttp import web

from bot import instancia_file
from bot.places import LEVELS
from console import periods
from console.app_keys import FICHA_SECTIONS
from console.web import core, not_found, render, services


async def page(request: web.Request) -> web.StreamResponse:
    s = services(request)
    level, code = request.match_info["level"], request.match_info["code"]
    if level not in LEVELS:
        return not_found(request, "La instancia")
    period = periods.asked(request, s)
    found = await core(instancia_file.ficha, s, level, code, period)
    if found is None:
        return not_found(request, "La instancia")
    context = {
        "title": f"{found.level_name}: {found.place.label}",
        "ficha": found,
        "period": period,
        "periods": periods.choices(s),
    }
    for section in request.app[FICHA_SECTIONS]:
        context.update(await core(section, s, found))
    return render(request, "ficha.html", context)


def setup(app: web.Application) -> None:
    app.router.add_get(r"/instancia/{level}/{code:[0-9A-Z]{2,6}}", page)
