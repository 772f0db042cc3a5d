"""Report periods are semesters: "2026-S1" (January–June) and "2026-S2" (July–December)."""

from __future__ import annotations

import re
from datetime import date

from bot.messages import Messages, default_messages

_PERIOD = re.compile(r"^(\d{4})-S([12])$")


def period_of(day: date) -> str:
    return f"{day.year}-S{1 if day.month <= 6 else 2}"


def parse_period(period: str) -> tuple[int, int]:
    match = _PERIOD.match(period)
    if not match:
        raise ValueError(f"{period!r} is not a period; use e.g. 2026-S2")
    return int(match.group(1)), int(match.group(2))


def period_bounds(period: str) -> tuple[date, date]:
    year, half = parse_period(period)
    return (
        (date(year, 1, 1), date(year, 6, 30))
        if half == 1
        else (date(year, 7, 1), date(year, 12, 31))
    )


def is_open(period: str, today: date) -> bool:
    return period_of(today) == period


def period_label(period: str, messages: Messages | None = None) -> str:
    """For messages: "segundo semestre de 2026" (mensajes.yaml 'periodo_s1' / 'periodo_s2';
    the repository's file when `messages` is None)."""
    year, half = parse_period(period)
    return (messages or default_messages())(f"periodo_s{half}", anio=year)


def previous_period(period: str) -> str:
    """The semester before: 2026-S1 -> 2025-S2."""
    year, half = parse_period(period)
    return f"{year}-S1" if half == 2 else f"{year - 1}-S2"
