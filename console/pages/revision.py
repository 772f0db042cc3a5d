"""Revisión: the queue of reports waiting for review (oldest first), and each instancia's
review panel with the «Validado» / «Observado» form, the history and what a correction changed.
The same panel is the Ficha's «Revisiones» section (app[FICHA_SECTIONS])."""

from __future__ import annotations

import re
import secrets

from aiohttp import web

from bot import review_actions
from bot.exports import level_name
from console import periods
from console.app_keys import FICHA_SECTIONS, REVIEW_STATES
from console.web import core, not_found, number, render, services, staff_id

PER_PAGE = 50
STATE_CLASSES = {"sin_revisar": "sin_registro", "validado": "enviado", "observado": "borrador",
                 "corregido": "registrado"}  # the stylesheet's tag colours  # fmt: skip


def back_to(value: object, default: str) -> str:
    """Where a form returns: a path of this console only (never another site)."""
    if (isinstance(value, str) and value.startswith("/") and not value.startswith("//")
            and "\\" not in value and value.isprintable() and " " not in value):
        return value  # isprintable: no tab or newline, which URL parsers drop («/\t/evil»)
    return default


def _context(s, panel: review_actions.Panel, instancia_id: int) -> dict:
    return {
        "panel": panel,
        "instancia_id": instancia_id,
        "state_labels": review_actions.state_labels(s),
        "state_classes": STATE_CLASSES,
        "review_key": secrets.token_urlsafe(16),
        "review_error": None,
        "review_comment": "",
        "review_choice": "",
    }


def ficha_section(s, ficha) -> dict:
    """The Ficha's «Revisiones» block (templates/revision_panel.html), for the period the Ficha
    shows (bot/instancia_file.py Ficha)."""
    if ficha.instancia_id is None:
        return {"revision": None}
    panel = review_actions.panel(s, ficha.instancia_id, ficha.period)
    return {"revision": _context(s, panel, ficha.instancia_id)}


async def queue_page(request: web.Request) -> web.StreamResponse:
    s = services(request)
    period = periods.asked(request, s)
    raw = request.query.get("pagina", "1")
    page = min(number(raw, 1) or 1, 9999)
    state = request.query.get("estado", "")
    state = state if state in review_actions.WAITING else ""
    found = await core(review_actions.queue, s, period, (page - 1) * PER_PAGE, PER_PAGE,
                       state or None)  # fmt: skip
    pages = max(1, -(-found.total // PER_PAGE))
    if page > pages:  # past the end (the queue shrank): the last page
        page = pages
        found = await core(review_actions.queue, s, period, (page - 1) * PER_PAGE, PER_PAGE,
                           state or None)  # fmt: skip
    return render(request, "revision.html", {
        "title": "Revisión", "period": period, "periods": periods.choices(s),
        "items": found.items, "total": found.total, "first": (page - 1) * PER_PAGE,
        "page": page, "pages": pages, "state": state, "by_state": found.by_state,
        "state_labels": review_actions.state_labels(s), "state_classes": STATE_CLASSES,
        "level_name": lambda lv: level_name(lv, s.messages),
    })  # fmt: skip


def _instancia_id(request: web.Request) -> int | None:
    raw = request.match_info["instancia_id"]
    return number(raw)


async def panel_page(request: web.Request) -> web.StreamResponse:
    s = services(request)
    instancia_id = _instancia_id(request)
    period = periods.asked(request, s)
    panel = await core(review_actions.panel, s, instancia_id, period) if instancia_id else None
    if panel is None or panel.place is None:
        return not_found(request, "La instancia")
    done = request.query.get("hecho")
    return render(request, "revision_instancia.html", {
        "title": f"Revisión · {panel.place.label}", "revision": _context(s, panel, instancia_id),
        "done": done if done in review_actions.STATES else None,
        "back": request.path_qs.split("&hecho=")[0].split("?hecho=")[0],
    })  # fmt: skip


async def review_post(request: web.Request) -> web.StreamResponse:
    s = services(request)
    instancia_id = _instancia_id(request)
    if instancia_id is None:
        return not_found(request, "La instancia")
    form = await request.post()
    report = str(form.get("reporte", ""))
    state = str(form.get("estado", ""))
    comment = str(form.get("comentario", ""))
    key = str(form.get("clave", ""))[:64] or None
    default = f"/revision/{instancia_id}"
    back = back_to(form.get("volver"), default)
    report_id = number(report)
    if report_id is None:
        return not_found(request, "El reporte")
    result = await core(review_actions.review, s, staff_id(request), report_id, state, comment,
                        request_key=key, instancia_id=instancia_id)  # fmt: skip
    if result.ok:
        sep = "&" if "?" in back else "?"
        raise web.HTTPSeeOther(f"{back}{sep}hecho={result.state}#revisiones")
    period = str(form.get("periodo", ""))
    period = period if re.fullmatch(r"\d{4}-S[12]", period) else s.period()
    panel = await core(review_actions.panel, s, instancia_id, period)
    context = _context(s, panel, instancia_id)
    context.update(review_error=result.error, review_comment=comment, review_choice=state)
    return render(request, "revision_instancia.html", {
        "title": "Revisión", "revision": context, "done": None, "back": back,
    }, status=400)  # fmt: skip


def review_states(s, period: str) -> dict[int, str]:
    """For the Instancias list: instancia id -> the review state, worded as that list words
    «sin revisar» (lower case; a report never reviewed is left out, it is that default)."""
    labels = review_actions.state_labels(s)
    return {i: labels[state].lower()
            for i, state in review_actions.review_states(s, period).items()
            if state != review_actions.SIN_REVISAR}


def setup(app: web.Application) -> None:
    app.router.add_get("/revision", queue_page)
    app.router.add_get("/revision/{instancia_id}", panel_page)
    app.router.add_post("/revision/{instancia_id}", review_post)
    app[FICHA_SECTIONS].append(ficha_section)
    app[REVIEW_STATES] = review_states
