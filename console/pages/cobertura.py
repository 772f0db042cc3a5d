"""Cobertura: how many instancias have an officer, a sent report, a draft, nothing."""

from __future__ import annotations

from aiohttp import web

from console.web import render, services


async def page(request: web.Request) -> web.StreamResponse:
    s = services(request)
    return render(request, "cobertura.html", {"title": "Cobertura", "period": s.period()})


def setup(app: web.Application) -> None:
    app.router.add_get("/", page)
