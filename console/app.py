"""The console's composition root: every page is listed once here, and its menu entry.

A page is a module of console/pages/ with `setup(app)` adding its routes; its templates extend
base.html. Handlers read the signed-in staff id as `console.web.staff_id(request)` (checked
by console/auth.py for that very request), call one core function through `console.web.core`
and render with `console.web.render`; forms put `{{ csrf_field() }}` inside.

Hooks other pages fill (set in their `setup`):
- `app[FICHA_SECTIONS]`: functions (services, place row) -> dict merged into the Ficha's
  template context, so its «Revisiones» and «Asistencia técnica» blocks get their data.
- `app[REVIEW_STATES]`: a function (services, period) -> {instancia_id: review state label}
  for the Instancias list and its filter; none set: every instancia shows «sin revisar».
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web

from bot.services import Services
from console import auth
from console.pages import cobertura, difusiones, preguntas
from console.web import NAV as NAV_KEY
from console.web import SERVICES

TEMPLATES = Path(__file__).with_name("templates")
STATIC = Path(__file__).with_name("static")

# Every page module, in the order their routes are added.
PAGES = (cobertura, preguntas, difusiones)
# The menu: (label, path), in the order shown.
NAV: tuple[tuple[str, str], ...] = (
    ("Cobertura", "/"),
    ("Preguntas sin respuesta", "/preguntas"),
    ("Difusiones", "/difusiones"),
)

FICHA_SECTIONS = web.AppKey("ficha_sections", list)
REVIEW_STATES = web.AppKey("review_states", object)
NOT_REVIEWED = "sin revisar"


def build_console(services: Services) -> web.Application:
    """The console over these services: their settings (section `console`), their database,
    and their documents folder (settings.files_dir), the only folder it serves files from."""
    app = web.Application(
        middlewares=[auth.security_headers, auth.require_session],
        client_max_size=64 * 1024,  # forms only; nothing is uploaded here
    )
    app[SERVICES] = services
    app[NAV_KEY] = NAV
    app[FICHA_SECTIONS] = []
    app[REVIEW_STATES] = None
    env = aiohttp_jinja2.setup(
        app,
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(default=True),
        undefined=jinja2.StrictUndefined,
    )
    env.globals["local_date"] = services.local_date
    env.globals["static"] = lambda name: f"/static/{name}"
    app.router.add_static("/static/", STATIC, follow_symlinks=False)
    auth.setup(app)
    for page in PAGES:
        page.setup(app)
    return app


def review_states(app: web.Application) -> Callable[[Services, str], dict[int, str]] | None:
    return app[REVIEW_STATES]
