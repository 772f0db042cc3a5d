"""What every page shares: the services, the signed-in staff member, rendering, the core called
off the event loop (the bot answers officers on the same loop)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from typing import Any, TypeVar

import aiohttp_jinja2
from aiohttp import web

from bot.services import Services

SERVICES = web.AppKey("services", Services)
NAV = web.AppKey("nav", tuple)
STAFF_ID = web.RequestKey("staff_id", int)
CSRF = web.RequestKey("csrf", str)
T = TypeVar("T")


def services(request: web.Request) -> Services:
    return request.app[SERVICES]


def staff_id(request: web.Request) -> int:
    """The signed-in staff member, checked by console/auth.py for this very request."""
    return request[STAFF_ID]


async def core(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """A core call (sync, owns its transaction) in a worker thread."""
    return await asyncio.to_thread(fn, *args, **kwargs)


_NUMBER = re.compile(r"[0-9]{1,9}")


def number(value: object, default: int | None = None) -> int | None:
    """A typed id or page number: ASCII digits only, at most 9 (str.isdigit takes «²» and
    int() then fails; 5,000 digits overflow the database), else `default`."""
    text = str(value if value is not None else "").strip()
    return int(text) if _NUMBER.fullmatch(text) else default


def render(request: web.Request, template: str, context: dict[str, Any], *,
           status: int = 200) -> web.Response:  # fmt: skip
    """The template with what base.html needs: the menu, who is signed in, the CSRF field."""
    from console.auth import csrf_field

    signed_in = STAFF_ID in request
    base = {
        "nav": request.app[NAV] if signed_in else (),
        "signed_in": signed_in,
        "staff_id": request.get(STAFF_ID),
        "csrf_field": lambda: csrf_field(request),
        "path": request.path,
    }
    return aiohttp_jinja2.render_template(template, request, {**base, **context}, status=status)


def not_found(request: web.Request, what: str = "La página") -> web.Response:
    return render(request, "error.html", {"title": "No encontrado",
                                         "message": f"{what} no existe."}, status=404)  # fmt: skip
