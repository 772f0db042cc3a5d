"""How far the instancias have come: milestone counts per region, a phone-sized table and a
PNG chart. Pure apart from matplotlib (Agg, no pyplot: safe to run in a worker thread).
Headers and labels come from mensajes.yaml ('resumen_cuadro').
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.messages import Messages


def _yes(value: Any) -> bool:
    return value is True or value == "si"


@dataclass(frozen=True)
class Milestone:
    key: str  # its name and short header in mensajes.yaml: resumen_cuadro.<key>[_corto]
    reached: Callable[[Mapping[str, Any]], bool]
    questions: tuple[str, ...] = ()  # what `reached` reads: all bot/coverage.py loads

    def short(self, messages: Messages) -> str:
        """Column header in the chat table (monospace on a phone)."""
        return getattr(messages.chart, f"{self.key}_corto")

    def label(self, messages: Messages) -> str:
        """For the legend and the chart."""
        return getattr(messages.chart, self.key)


GOAL_INSTRUMENTS = ("pdc", "poi", "pp")

MILESTONES: tuple[Milestone, ...] = (
    Milestone("reportaron", lambda a: True),
    Milestone("creada", lambda a: a.get("creada") == "si", ("creada",)),
    Milestone("instalada", lambda a: _yes(a.get("instalada")), ("instalada",)),
    Milestone("reglamento", lambda a: _yes(a.get("reglamento_interno")), ("reglamento_interno",)),
    Milestone("plan", lambda a: _yes(a.get("plan_trabajo")), ("plan_trabajo",)),
    Milestone(
        "sesiones",
        lambda a: isinstance(a.get("sesiones_semestre"), int) and a["sesiones_semestre"] > 0,
        ("sesiones_semestre",),
    ),
    Milestone(
        "metas",
        lambda a: isinstance(a.get("metas_instrumentos"), list)
        and any(v in GOAL_INSTRUMENTS for v in a["metas_instrumentos"]),
        ("metas_instrumentos",),
    ),
)
MILESTONE_QUESTIONS = tuple(q for m in MILESTONES for q in m.questions)


@dataclass
class Summary:
    """Counts of instancias per milestone key, per region and in total."""

    regions: dict[str, dict[str, int]] = field(default_factory=dict)
    total: dict[str, int] = field(default_factory=lambda: {m.key: 0 for m in MILESTONES})

    @property
    def reported(self) -> int:
        return self.total["reportaron"]


def summarize(
    reports: Iterable[tuple[str, Mapping[str, Any]]], region_order: Sequence[str] = ()
) -> Summary:
    """(region, answers) of each instancia's current report -> counts.

    Regions appear in `region_order` (e.g. the 26 of the places list), unknown ones after, and
    only regions with at least one report.
    """
    counts: dict[str, dict[str, int]] = {}
    summary = Summary()
    for region, answers in reports:
        row = counts.setdefault(region, {m.key: 0 for m in MILESTONES})
        for m in MILESTONES:
            if m.reached(answers):
                row[m.key] += 1
                summary.total[m.key] += 1
    rank = {name: i for i, name in enumerate(region_order)}
    for region in sorted(counts, key=lambda r: (rank.get(r, len(rank)), r)):
        summary.regions[region] = counts[region]
    return summary


# --------------------------------------------------------------------------- table

REGION_WIDTH = 10


def _short_region(name: str) -> str:
    return name if len(name) <= REGION_WIDTH else name[: REGION_WIDTH - 1] + "."


def table_text(summary: Summary, messages: Messages) -> str:
    """A monospace table (plain text: escape it before wrapping it in <pre>)."""
    total_label = messages.chart.total
    shorts = [m.short(messages) for m in MILESTONES]
    keys = [m.key for m in MILESTONES]
    lines = [(_short_region(r), [row[k] for k in keys]) for r, row in summary.regions.items()]
    lines.append((total_label, [summary.total[k] for k in keys]))
    widths = [
        max(len(short), *(len(str(values[i])) for _, values in lines))
        for i, short in enumerate(shorts)
    ]
    region_width = max(REGION_WIDTH, len(total_label))

    def fmt(name: str, cells: Sequence[Any]) -> str:
        body = " ".join(str(c).rjust(w) for c, w in zip(cells, widths, strict=True))
        return f"{name.ljust(region_width)} {body}".rstrip()

    out = [fmt(messages.chart.region, shorts)]
    out.append("-" * len(out[0]))
    out += [fmt(name, values) for name, values in lines[:-1]]
    out.append("-" * len(out[0]))
    out.append(fmt(*lines[-1]))
    return "\n".join(out)


def legend_text(messages: Messages) -> str:
    return "; ".join(f"{m.short(messages)} = {m.label(messages).lower()}" for m in MILESTONES)


# --------------------------------------------------------------------------- chart

REACHED_COLOR = "#2E7D32"
MISSING_COLOR = "#D9D9D9"
REGION_COLOR = "#5C6BC0"


def chart_png(summary: Summary, title: str, messages: Messages) -> bytes:
    """Two panels, tall for a phone: each milestone as reached / not reached among the
    instancias that reported, then how many instancias reported in each region."""
    # Imported here: matplotlib costs memory and start-up time in every bot process, and
    # only /resumen draws charts.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    milestones = MILESTONES[1:]  # every reporting instancia "reported": the base, not a bar
    regions = list(summary.regions)
    total = summary.reported
    height = 3.2 + 0.32 * max(len(regions), 3)
    fig = Figure(figsize=(7.2, height), dpi=150)
    FigureCanvasAgg(fig)
    ax1, ax2 = fig.subplots(
        2, 1, gridspec_kw={"height_ratios": [len(milestones), max(len(regions), 3)]}
    )
    fig.suptitle(title, fontsize=13, fontweight="bold")

    texts = messages.chart
    labels = [m.label(messages) for m in milestones][::-1]
    reached = [summary.total[m.key] for m in milestones][::-1]
    missing = [total - n for n in reached]
    ax1.barh(labels, reached, color=REACHED_COLOR)
    ax1.barh(labels, missing, left=reached, color=MISSING_COLOR)
    for y, n in enumerate(reached):
        pct = round(100 * n / total) if total else 0
        ax1.text(total * 1.01 if total else 0.1, y, f"{n} ({pct} %)", va="center", fontsize=9)
    ax1.set_xlim(0, max(total, 1) * 1.22)
    ax1.set_title(texts.grafico_pasos.format(total=total), fontsize=10)
    ax1.tick_params(axis="y", labelsize=9)
    ax1.set_xlabel(texts.grafico_eje, fontsize=9)

    counts = [summary.regions[r]["reportaron"] for r in regions][::-1]
    ax2.barh(regions[::-1], counts, color=REGION_COLOR)
    for y, n in enumerate(counts):
        ax2.text(n + max(counts, default=1) * 0.01, y, str(n), va="center", fontsize=8)
    ax2.set_xlim(0, max(counts, default=1) * 1.15)
    ax2.set_title(texts.grafico_regiones, fontsize=10)
    ax2.tick_params(axis="y", labelsize=8)
    for ax in (ax1, ax2):
        ax.spines[["top", "right"]].set_visible(False)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.margins(y=0.02)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
