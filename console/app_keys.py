"""Keys of what pages share through the application (set in console/app.py)."""

from __future__ import annotations

from aiohttp import web

# Functions (services, place state) -> dict merged into the Ficha's template context, so the
# «Revisiones» and «Asistencia técnica» blocks get their data (helper pages append theirs).
FICHA_SECTIONS = web.AppKey("ficha_sections", list)
# A function (services, period) -> {instancia_id: review state}, or None: «sin revisar».
REVIEW_STATES = web.AppKey("review_states", object)
