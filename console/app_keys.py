"""Keys of what pages share through the application (set in console/app.py)."""

from __future__ import annotations

from aiohttp import web

# Functions (services, bot.instancia_file.Ficha) -> dict merged into the Ficha's template
# context, run in a worker thread: the «Revisiones» and «Asistencia técnica» blocks
# (templates ficha_revisiones.html, ficha_asistencia.html) get their data from these.
FICHA_SECTIONS = web.AppKey("ficha_sections", list)
# A function (services, period) -> {instancia_id: review state}, or None: «sin revisar».
REVIEW_STATES = web.AppKey("review_states", object)
