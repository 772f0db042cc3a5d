"""The period a page shows: ?periodo=2026-S1, else the open one."""

from __future__ import annotations

from aiohttp import web

from bot.periods import parse_period, period_label, previous_period
from bot.services import Services

SHOWN = 6  # periods offered in a page's selector, the open one first


def asked(request: web.Request, s: Services) -> str:
    period = request.query.get("periodo", "").strip().upper()
    try:
        parse_period(period)
    except ValueError:
        return s.period()
    return period


def choices(s: Services) -> list[tuple[str, str]]:
    """(period, "segundo semestre de 2026") for the selector."""
    out, period = [], s.period()
    for _ in range(SHOWN):
        out.append((period, period_label(period, s.messages)))
        period = previous_period(period)
    return out
