"""Who a broadcast or a reminder reaches: filters over active officers, as plain data.

An audience is four facets — regions, levels, report status this period, milestones not yet
reached. Within a facet any selected value matches ("Cusco or Puno"); facets combine with AND;
an empty facet does not restrict. Everything here is pure: the rows come from
bot/storage/broadcasts.py, so the rules are tested without a database.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from bot.places import LEVELS
from bot.textnorm import normalize

# Report status of an officer this period: the instancia's report was sent; else the officer
# has a draft; else none.
STATUSES = ("sent", "draft", "none")
# Milestone key -> survey question id (knowledge/encuesta.yaml) whose answer must be "si".
MILESTONES = {
    "ordenanza": "creada",
    "instalada": "instalada",
    "reglamento": "reglamento_interno",
    "plan": "plan_trabajo",
}
FACETS = ("regions", "levels", "statuses", "milestones")


@dataclass(frozen=True)
class Recipient:
    """One active officer as the filters see them."""

    officer_id: int
    telegram_id: int
    region: str
    level: str
    status: str  # one of STATUSES
    answers: dict[str, Any] = field(default_factory=dict, compare=False)  # current sent report
    instancia_id: int = field(default=0, compare=False)

    def lacks(self, milestone: str) -> bool:
        """Not reached: no sent report, or its answer is anything but "si"."""
        return self.status != "sent" or self.answers.get(MILESTONES[milestone]) != "si"


@dataclass(frozen=True)
class Audience:
    regions: frozenset[str] = frozenset()
    levels: frozenset[str] = frozenset()
    statuses: frozenset[str] = frozenset()
    milestones: frozenset[str] = frozenset()  # milestones NOT reached ("sin ordenanza")

    @property
    def is_everyone(self) -> bool:
        return not any(getattr(self, f) for f in FACETS)

    def matches(self, r: Recipient) -> bool:
        return (
            (not self.regions or r.region in self.regions)
            and (not self.levels or r.level in self.levels)
            and (not self.statuses or r.status in self.statuses)
            and (not self.milestones or any(r.lacks(m) for m in self.milestones))
        )

    def toggle(self, facet: str, value: str) -> Audience:
        """The audience with `value` added to or removed from one facet."""
        if facet not in FACETS:
            raise ValueError(f"unknown facet {facet!r}")
        current: frozenset[str] = getattr(self, facet)
        return replace(self, **{facet: current ^ {value}})

    def to_json(self) -> str:
        return json.dumps({f: sorted(getattr(self, f)) for f in FACETS if getattr(self, f)})

    @classmethod
    def from_json(cls, text: str | None) -> Audience:
        data = json.loads(text) if text else {}
        return cls(**{f: frozenset(data.get(f, ())) for f in FACETS})

    def check(self, regions: Iterable[str]) -> str | None:
        """A problem with a stored or typed audience (an unknown value), or None."""
        known = {
            "regions": set(regions), "levels": set(LEVELS),
            "statuses": set(STATUSES), "milestones": set(MILESTONES),
        }  # fmt: skip
        for facet in FACETS:
            unknown = getattr(self, facet) - known[facet]
            if unknown:
                return f"{facet}: {', '.join(sorted(unknown))}"
        return None


NOT_SENT = Audience(statuses=frozenset({"draft", "none"}))  # the reminders' default


def select(rows: Iterable[Recipient], audience: Audience) -> list[Recipient]:
    """The matching officers, once each, in officer id order (the order deliveries go out)."""
    seen: set[int] = set()
    chosen = []
    for r in sorted(rows, key=lambda r: r.officer_id):
        if r.officer_id not in seen and audience.matches(r):
            seen.add(r.officer_id)
            chosen.append(r)
    return chosen


def count(rows: Iterable[Recipient], audience: Audience) -> int:
    return len(select(rows, audience))


def describe(audience: Audience, labels: dict[str, dict[str, str]]) -> str:
    """One Spanish line naming the filters, from the labels in mensajes.yaml.

    `labels` maps a facet to {value: label}, plus "facets" {facet: name} and "todos".
    """
    if audience.is_everyone:
        return labels["todos"]["todos"]
    parts = []
    for facet in FACETS:
        values = sorted(getattr(audience, facet))
        if values:
            shown = " o ".join(labels.get(facet, {}).get(v, v) for v in values)
            parts.append(f"{labels['facets'][facet]}: {shown}")
    return " · ".join(parts)


# Words staff type for an audience (e.g. in /recordatorios nuevo … sin-reporte distrital).
WORDS = {
    "sin-reporte": ("statuses", ("draft", "none")),
    "enviado": ("statuses", ("sent",)),
    "borrador": ("statuses", ("draft",)),
    "sin-borrador": ("statuses", ("none",)),
    "sin-ordenanza": ("milestones", ("ordenanza",)),
    "sin-instalar": ("milestones", ("instalada",)),
    "sin-reglamento": ("milestones", ("reglamento",)),
    "sin-plan": ("milestones", ("plan",)),
    **{level: ("levels", (level,)) for level in LEVELS},
}


def parse_words(words: Iterable[str], regions: Iterable[str]) -> Audience:
    """Typed words → an audience; "todos" alone means everyone. Raises ValueError(word).

    Region names are typed with hyphens for spaces and need no accents ("madre-de-dios").
    """
    by_key = {normalize(r).replace(" ", "-"): r for r in regions}
    chosen: dict[str, set[str]] = {f: set() for f in FACETS}
    for word in words:
        key = normalize(word).replace(" ", "-")
        if key == "todos":
            continue
        if key in WORDS:
            facet, values = WORDS[key]
            chosen[facet].update(values)
        elif key in by_key:
            chosen["regions"].add(by_key[key])
        else:
            raise ValueError(word)
    return Audience(**{f: frozenset(v) for f, v in chosen.items()})
