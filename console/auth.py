"""Sign-in by the one-time link from /panel, sessions, CSRF and logout.

Every request but the sign-in page asks the core for its session (bot/console_actions.py),
which asks `Services.is_staff` again: whoever is no longer staff is out at their next request.
Every request that changes anything carries the session's CSRF token (a hidden field that
`csrf_field()` puts in each form, or the X-CSRF-Token header); the cookie is HttpOnly and
SameSite=Strict besides.
"""

from __future__ import annotations

import hmac
import logging
import time

from aiohttp import web
from markupsafe import Markup, escape

from bot import console_actions
from console.web import CSRF, STAFF_ID, core, not_found, render, services

log = logging.getLogger(__name__)

COOKIE = "concerta_consola"
CSRF_FIELD = "csrf"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PUBLIC = frozenset({console_actions.SIGN_IN_PATH})
PUBLIC_PREFIXES = ("/static/",)
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",  # the sign-in link never leaks to another site
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
}


def _public(path: str) -> bool:
    return path in PUBLIC or path.startswith(PUBLIC_PREFIXES)


@web.middleware
async def security_headers(request: web.Request, handler) -> web.StreamResponse:
    """The headers every response carries, a failure's page included (aiohttp's own 500 has
    none of them), and its server time (Server-Timing, which benchmarks/console.py reads)."""
    started = time.perf_counter()
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        response = exc
    except Exception:
        # The path holds ids only; SQL parameters are hidden by bot.logs' formatter.
        log.exception("console page failed: %s %s", request.method, request.path)
        response = render(request, "error.html", {
            "title": "Algo falló",
            "message": "No pudimos mostrar esta página. Inténtelo de nuevo en un momento; "
                       "si vuelve a pasar, avise al equipo técnico.",
        }, status=500)  # fmt: skip
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers["Server-Timing"] = f"app;dur={1000 * (time.perf_counter() - started):.1f}"
    if isinstance(response, web.HTTPException):
        raise response
    return response


@web.middleware
async def require_session(request: web.Request, handler) -> web.StreamResponse:
    """No page without a session of someone who is staff now; no change without the token."""
    if _public(request.path):
        return await handler(request)
    s = services(request)
    found = await core(console_actions.current, s, request.cookies.get(COOKIE))
    if found is None:
        response = render(request, "sin_sesion.html", {"title": "Entrar"}, status=401)
        if COOKIE in request.cookies:
            response.del_cookie(COOKIE, path="/")
        return response
    request[STAFF_ID] = found.staff_id
    request[CSRF] = found.csrf
    if request.method not in SAFE_METHODS:
        given = request.headers.get(CSRF_HEADER)
        if given is None and request.content_type in (
            "application/x-www-form-urlencoded", "multipart/form-data"
        ):
            given = (await request.post()).get(CSRF_FIELD)
        if not isinstance(given, str) or not hmac.compare_digest(given, found.csrf):
            return render(request, "error.html", {
                "title": "Solicitud rechazada",
                "message": "La solicitud no trae la verificación de la sesión. Vuelva a la "
                           "página, recárguela e inténtelo de nuevo.",
            }, status=403)  # fmt: skip
    try:
        return await handler(request)
    except web.HTTPNotFound:  # an address no page has: said in Spanish, in the console's frame
        return not_found(request)


def csrf_field(request: web.Request) -> Markup:
    """The hidden field every form that changes something carries."""
    token = request.get(CSRF, "")
    return Markup(f'<input type="hidden" name="{CSRF_FIELD}" value="{escape(token)}">')


async def sign_in_page(request: web.Request) -> web.StreamResponse:
    """GET: a button, not a sign-in: link previews and scanners that open the link must not
    spend it. The POST below spends it."""
    token = request.query.get("t", "")
    return render(request, "entrar.html", {"title": "Entrar", "token": token})


def _same_origin(request: web.Request) -> bool:
    """Another site's form cannot sign anyone in (the sign-in is the one POST without a
    session token to check). Browsers say where a request comes from in Sec-Fetch-Site, and
    in Origin (which no-referrer turns into "null" for our own forms)."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None and site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("Origin")
    ours = {f"{request.scheme}://{request.host}", services(request).settings.console.base_url}
    return origin in (None, "null") or origin in ours


async def sign_in(request: web.Request) -> web.StreamResponse:
    if not _same_origin(request):
        return render(request, "entrar.html", {"title": "Entrar", "refused": True}, status=403)
    form = await request.post()
    token = form.get("t")
    s = services(request)
    signed = await core(console_actions.redeem, s, token if isinstance(token, str) else "")
    if signed is None:
        return render(request, "entrar.html", {"title": "Entrar", "refused": True}, status=403)
    response = web.Response(status=303, headers={"Location": "/"})
    response.set_cookie(
        COOKIE, signed.cookie, path="/", httponly=True, samesite="Strict",
        secure=s.settings.console.secure_cookie,
    )  # fmt: skip
    return response


async def sign_out(request: web.Request) -> web.StreamResponse:
    await core(console_actions.sign_out, services(request), request.cookies.get(COOKIE))
    del request[STAFF_ID], request[CSRF]
    response = render(request, "salida.html", {"title": "Sesión cerrada"})
    response.del_cookie(COOKIE, path="/")
    return response


def setup(app: web.Application) -> None:
    app.router.add_get(console_actions.SIGN_IN_PATH, sign_in_page)
    app.router.add_post(console_actions.SIGN_IN_PATH, sign_in)
    app.router.add_post("/salir", sign_out)
