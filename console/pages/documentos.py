"""A document an officer attached: opened in the browser (PDF, JPG, PNG) or downloaded; only
files inside the documents folder are ever served (bot/instancia_file.py `inside`)."""

from __future__ import annotations

import re
from urllib.parse import quote

from aiohttp import web

from bot import instancia_file
from bot.console_actions import DOCUMENT_PATH
from console.web import core, not_found, services, staff_id

# A document is someone else's content: nothing in it may run or reach out.
DOCUMENT_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
    "plugin-types application/pdf; sandbox",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
}


def disposition(kind: str, name: str) -> str:
    """The officer's file name, quoted so that no character of it can break the header."""
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "_", name)[:120] or "documento"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name[:200], safe='')}"


async def open_document(request: web.Request) -> web.StreamResponse:
    try:
        document_id = int(request.match_info["id"])
    except ValueError:
        return not_found(request, "El documento")
    found = await core(instancia_file.document, services(request), staff_id(request), document_id)
    if found is None:
        return not_found(request, "El documento")
    download = request.query.get("descargar") == "1" or not found.inline
    headers = {
        **DOCUMENT_HEADERS,
        "Content-Type": found.mime if found.inline else "application/octet-stream",
        "Content-Disposition": disposition("attachment" if download else "inline", found.name),
    }
    return web.FileResponse(found.path, headers=headers)


def setup(app: web.Application) -> None:
    app.router.add_get(DOCUMENT_PATH + r"{id:\d{1,12}}", open_document)
