"""The console's composition root: every page is listed once here, and its menu entry.

A page is a module of console/pages/ with `setup(app)` adding its routes; its templates extend
base.html. Handlers read the signed-in staff id as `console.web.staff_id(request)` (checked
by console/auth.py for that very request), call one core function through `console.web.core`
and render with `console.web.render`; forms put `{{ csrf_field() }}` inside.

Hooks other pages fill in their `setup` (console/app_keys.py): FICHA_SECTIONS (the Ficha's
«Revisiones» and «Asistencia técnica» data) and REVIEW_STATES (the Instancias list's review
column and filter; unset, every instancia shows «sin revisar»).
"""

from __future__ import annotations

from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web

from bot.services import Services
from console import auth
from console.app_keys import FICHA_SECTIONS, REVIEW_STATES
from console.pages import (
    asistencia,
    cobertura,
    difusiones,
    documentos,
    ficha,
    instancias,
    preguntas,
    prioridad,
    revision,
)
from console.web import NAV as NAV_KEY
from console.web import SERVICES

TEMPLATES = Path(__file__).with_name("templates")
STATIC = Path(__file__).with_name("static")

# Every page module, in the order their routes are added.
PAGES = (
    cobertura, instancias, ficha, documentos, revision, asistencia, prioridad, preguntas,
    difusiones,
)
# The menu: (label, path), in the order shown.
NAV: tuple[tuple[str, str], ...] = (
    ("Cobertura", "/"),
    ("Instancias", "/instancias"),
    ("Revisión", "/revision"),
    ("Asistencia técnica", "/asistencia"),
    ("Prioridad", "/prioridad"),
    ("Preguntas sin respuesta", "/preguntas"),
    ("Difusiones", "/difusiones"),
)


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
    # «1 reporte», «3 reportes»: the form for the number, never «reporte(s)».
    env.globals["plural"] = lambda n, one, many: one if n == 1 else many
    app.router.add_static("/static/", STATIC, follow_symlinks=False)
    auth.setup(app)
    for page in PAGES:
        page.setup(app)
    return app

