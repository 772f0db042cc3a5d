"""Report periods are semesters: "2026-S1" (January–June) and "2026-S2" (July–December)."""

from __future__ import annotations

import re
from datetime import date

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


def period_label(period: str) -> str:
    """Spanish, for messages: "segundo semestre de 2026"."""
    year, half = parse_period(period)
    return f"{'primer' if half == 1 else 'segundo'} semestre de {year}"
