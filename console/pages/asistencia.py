"""Asistencia técnica: record an action (per instancia or per its government), list the log
with filters, export it as XLSX or CSV; the Ficha's «Asistencia técnica» section."""

from __future__ import annotations

import secrets
from collections import defaultdict
from urllib.parse import urlencode

from aiohttp import web

from bot import assistance_actions as core_actions
from bot.exports import level_name
from bot.places import LEVELS
from bot.storage.assistance import Filters
from console.app_keys import FICHA_SECTIONS
from console.web import core, number, render, services, staff_id

SHOWN = 200  # rows on the page; the export has them all
FILTER_KEYS = ("departamento", "nivel", "modalidad", "desde", "hasta")


def _filters(s, query) -> tuple[Filters, dict[str, str], list[str]]:
    """The list's filters from the query string, what to show back in the fields, problems."""
    raw = {k: str(query.get(k, "")).strip()[:60] for k in FILTER_KEYS}
    problems = []
    days = {}
    for key in ("desde", "hasta"):
        if raw[key]:
            day, problem = core_actions.parse_day(raw[key], s.today())
            if problem:
                problems.append(f"«{raw[key]}»: " + s.messages(problem, minimo="01/01/2015"))
            days[key] = day
    f = Filters(
        departamento=raw["departamento"] or None,
        level=raw["nivel"] if raw["nivel"] in LEVELS else None,
        modality=raw["modalidad"] if raw["modalidad"] in core_actions.MODALITIES else None,
        since=days.get("desde"), until=days.get("hasta"),
    )  # fmt: skip
    return f, raw, problems


def _place_id(value) -> int | None:
    return number(value)


async def page(request: web.Request, *, form=None, errors=None, status=200):
    s = services(request)
    f, raw, problems = _filters(s, request.query)
    rows = await core(core_actions.listing, s, f, SHOWN + 1)
    form = defaultdict(str, form or {})  # an empty field reads "" in the template
    chosen_id = _place_id(form.get("lugar") or request.query.get("lugar"))
    chosen = await core(core_actions.place, s, chosen_id) if chosen_id else None
    search = str(request.query.get("buscar", ""))[:80]
    found = await core(core_actions.find_places, s, search) if search and not chosen else []
    query = urlencode({k: v for k, v in raw.items() if v})
    return render(request, "asistencia.html", {
        "title": "Asistencia técnica",
        "rows": rows[:SHOWN], "more": len(rows) > SHOWN, "raw": raw, "problems": problems,
        "query": query, "labels": core_actions.labels(s),
        "departamentos": sorted({p.departamento for p in s.places.regions()}),
        "levels": LEVELS, "level_name": lambda lv: level_name(lv, s.messages),
        "chosen": chosen, "chosen_id": chosen_id, "search": search, "found": found,
        "form": form, "errors": defaultdict(str, errors or {}), "key": secrets.token_urlsafe(16),
        "saved": request.query.get("registrado") == "1",
        "today": s.today().strftime("%d/%m/%Y"),
    }, status=status)  # fmt: skip


async def list_page(request: web.Request) -> web.StreamResponse:
    return await page(request)


async def record(request: web.Request) -> web.StreamResponse:
    s = services(request)
    data = await request.post()
    form = {k: str(data.get(k, ""))[:1000] for k in (
        "lugar", "alcance", "fecha", "modalidad", "tema", "participantes", "siguiente")}
    result = await core(
        core_actions.record, s, staff_id(request),
        core_actions.Form(
            place_id=_place_id(form["lugar"]), scope=form["alcance"], day=form["fecha"],
            modality=form["modalidad"], topic=form["tema"], participants=form["participantes"],
            next_step=form["siguiente"],
        ),
        request_key=str(data.get("clave", ""))[:64] or None,
    )  # fmt: skip
    if result.ok:
        raise web.HTTPSeeOther("/asistencia?registrado=1")
    return await page(request, form=form, errors=result.errors, status=400)


async def export(request: web.Request) -> web.StreamResponse:
    s = services(request)
    fmt = request.match_info["fmt"]
    f, _, _ = _filters(s, request.query)
    file = await core(core_actions.export, s, staff_id(request), f, fmt)
    return web.Response(body=file.data, content_type=file.mime, headers={
        "Content-Disposition": f'attachment; filename="{file.name}"'})


def ficha_section(s, ficha) -> dict:
    """The Ficha's «Asistencia técnica» block (templates/asistencia_panel.html): every action
    with the instancia or its government (bot/instancia_file.py Ficha)."""
    place_id = core_actions.place_id(s, ficha.place.level, ficha.place.code)
    rows = core_actions.listing(s, Filters(place_id=place_id)) if place_id else []
    return {"asistencia": {"rows": rows, "place_id": place_id,
                           "labels": core_actions.labels(s)}}


def setup(app: web.Application) -> None:
    app.router.add_get("/asistencia", list_page)
    app.router.add_post("/asistencia", record)
    app.router.add_get(r"/asistencia/exportar.{fmt:(xlsx|csv)}", export)
    app[FICHA_SECTIONS].append(ficha_section)
