"""Singular or plural by the number, so the chat never writes «punto(s) focal(es)».

A text in knowledge/mensajes.yaml writes both forms after a number's name:
«{n} {n:punto focal activo|puntos focales activos}». Messages wraps every whole number it
fills in as a `Count`, whose format picks the form; without a «|» it prints as a number.
"""

from __future__ import annotations


class Count(int):
    """A whole number that can choose a word form in a format spec «singular|plural»."""

    def __format__(self, spec: str) -> str:
        if "|" in spec:
            one, many = spec.split("|", 1)
            return plural(int(self), one, many)
        return format(int(self), spec)


def plural(n: int, one: str, many: str) -> str:
    """`one` for exactly 1 (and -1), `many` otherwise: Spanish says «0 instancias»."""
    return one if abs(n) == 1 else many


def counted(values: dict) -> dict:
    """The same values with whole numbers (not booleans) as `Count`s."""
    return {
        k: Count(v) if isinstance(v, int) and not isinstance(v, bool) else v
        for k, v in values.items()
    }
