"""«Difusiones»: the broadcasts and reminders sent, with their delivery figures, and the pending
list with «Recordar a estos»: a confirmation step (the message, the live count), then the
reminder is queued on the broadcast lane, which sends it. The console never calls Telegram.
"""

from __future__ import annotations

import secrets

from aiohttp import web

from bot import broadcast_actions, pending_actions
from console.web import core, number, render, services, staff_id

BASE = "/difusiones"
REMIND = f"{BASE}/recordar"
SHOWN_ROWS = 300  # pending instancias listed on the page; the count and the reminder take all
KINDS = {"difusion": "Difusión", "recordatorio": "Recordatorio programado",
         "pendientes": "Recordar a pendientes",
         "observacion": "Observación de un reporte"}  # fmt: skip
STATUSES = {"sending": "enviando", "done": "terminada", "cancelled": "detenida"}


def _filters(data) -> pending_actions.Filters:
    return pending_actions.Filters.of(data.get("estado"), data.get("region"))


def _local_time(s):
    def shown(moment) -> str:
        return moment.astimezone(s.settings.tz).strftime("%d/%m/%Y %H:%M") if moment else ""

    return shown


async def _page(request, filters, result=None, *, status: int = 200) -> web.StreamResponse:
    s = services(request)
    pending = await core(pending_actions.pending, s, filters)
    history = await core(broadcast_actions.history, s)
    return render(request, "difusiones.html", {
        "title": "Difusiones", "pending": pending, "rows": pending.rows[:SHOWN_ROWS],
        "history": history, "filters": filters, "result": result, "kinds": KINDS,
        "statuses": STATUSES, "local_time": _local_time(s),
        "state_labels": s.messages.section("publico_statuses"),
    }, status=status)  # fmt: skip


async def page(request: web.Request) -> web.StreamResponse:
    return await _page(request, _filters(request.query))


def _confirm(request, filters, preview, text, result=None, *, status=200) -> web.StreamResponse:
    """The confirmation, with a one-time key: the same form sent twice (a reload, a double
    click, a retyped space) queues one reminder."""
    return render(request, "recordar.html", {
        "title": "Recordar a estos", "filters": filters, "preview": preview, "text": text,
        "result": result, "clave": secrets.token_urlsafe(16),
    }, status=status)  # fmt: skip


async def confirm_page(request: web.Request) -> web.StreamResponse:
    s = services(request)
    filters = _filters(request.query)
    preview = await core(pending_actions.preview, s, filters)
    return _confirm(request, filters, preview, preview.text)


async def remind(request: web.Request) -> web.StreamResponse:
    s = services(request)
    form = await request.post()
    filters = _filters(form)
    text = str(form.get("texto", ""))
    expected = str(form.get("n", ""))
    key = str(form.get("clave", ""))[:64] or None
    sent = await core(pending_actions.remind, s, staff_id(request), filters, text,
                      number(expected, -1), key)  # fmt: skip
    if sent.ok:
        return await _page(request, filters, sent)
    preview = await core(pending_actions.preview, s, filters)
    return _confirm(request, filters, preview, text, sent, status=422)


def setup(app: web.Application) -> None:
    app.router.add_get(BASE, page)
    app.router.add_get(REMIND, confirm_page)
    app.router.add_post(REMIND, remind)
