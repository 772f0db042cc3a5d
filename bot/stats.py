"""What counts as each milestone of an instancia, and /resumen's phone-sized table and PNG chart
of a period's coverage (the counts themselves: bot/coverage.py). Pure apart from matplotlib
(Agg, no pyplot: safe to run in a worker thread). Headers and labels come from mensajes.yaml
('resumen_cuadro').
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.messages import Messages
from bot.plural import counted

if TYPE_CHECKING:
    from bot.coverage import Coverage, Tally


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


# --------------------------------------------------------------------------- table

NAME_WIDTH = 12


def _short(name: str) -> str:
    return name if len(name) <= NAME_WIDTH else name[: NAME_WIDTH - 1] + "."


def percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def table_text(cov: Coverage, levels: Sequence[tuple[str, str]], messages: Messages) -> str:
    """Reported of registered (with an officer) by level, then by region, then the total: a
    monospace table of 24 characters, for a 360 px phone (plain text: escape it before
    wrapping it in <pre>). `levels`: (level, its name) in order."""
    t = messages.chart
    rows: list[tuple[str, Tally]] = [(name, cov.levels[key]) for key, name in levels]
    regions = list(cov.groups.items())
    cells = [f"{x.sent}/{x.with_officer}" for _, x in [*rows, *regions, ("", cov.total)]]
    width = max(len(f"{t.reportaron_corto}/{t.registradas_corto}"), *(len(c) for c in cells))

    def fmt(name: str, tally: Tally) -> str:
        cell = f"{tally.sent}/{tally.with_officer}"
        share = str(percent(tally.sent, tally.with_officer)) if tally.with_officer else "-"
        return f"{_short(name).ljust(NAME_WIDTH)} {cell.rjust(width)} {share.rjust(3)}"

    header = f"{t.nivel_region.ljust(NAME_WIDTH)} " \
        f"{(t.reportaron_corto + '/' + t.registradas_corto).rjust(width)}   %"  # fmt: skip
    rule = "-" * len(header)
    out = [header, rule, *(fmt(n, x) for n, x in rows), rule]
    out += [fmt(n, x) for n, x in regions]
    out += [rule, fmt(t.total, cov.total)]
    return "\n".join(out)


# --------------------------------------------------------------------------- chart

REACHED_COLOR = "#2E7D32"
MISSING_COLOR = "#D9D9D9"
REGION_COLOR = "#5C6BC0"
REGISTERED_COLOR = "#C5CAE9"


def chart_png(cov: Coverage, title: str, messages: Messages) -> bytes:
    """Two panels, tall for a phone: each milestone as reached / not reached among the
    instancias that reported, then per region the instancias with an officer and, over them,
    those that reported."""
    # Imported here: matplotlib costs memory and start-up time in every bot process, and
    # only /resumen draws charts.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    milestones = MILESTONES[1:]  # every reporting instancia "reported": the base, not a bar
    regions = list(cov.groups)
    total = cov.total.sent
    height = 3.2 + 0.32 * max(len(regions), 3)
    fig = Figure(figsize=(7.2, height), dpi=150)
    FigureCanvasAgg(fig)
    ax1, ax2 = fig.subplots(
        2, 1, gridspec_kw={"height_ratios": [len(milestones), max(len(regions), 3)]}
    )
    fig.suptitle(title, fontsize=13, fontweight="bold")

    texts = messages.chart
    labels = [m.label(messages) for m in milestones][::-1]
    reached = [cov.total.milestones[m.key] for m in milestones][::-1]
    missing = [total - n for n in reached]
    ax1.barh(labels, reached, color=REACHED_COLOR)
    ax1.barh(labels, missing, left=reached, color=MISSING_COLOR)
    for y, n in enumerate(reached):
        ax1.text(total * 1.01 if total else 0.1, y, f"{n} ({percent(n, total)} %)",
                 va="center", fontsize=9)  # fmt: skip
    ax1.set_xlim(0, max(total, 1) * 1.22)
    ax1.set_title(texts.grafico_pasos.format(**counted({"total": total})), fontsize=10)
    ax1.tick_params(axis="y", labelsize=9)
    ax1.set_xlabel(texts.grafico_eje, fontsize=9)

    registered = [cov.groups[r].with_officer for r in regions][::-1]
    sent = [cov.groups[r].sent for r in regions][::-1]
    ax2.barh(regions[::-1], registered, color=REGISTERED_COLOR, label=texts.registradas)
    ax2.barh(regions[::-1], sent, color=REGION_COLOR, label=texts.reportaron)
    top = max(registered, default=1) or 1
    for y, (n, g) in enumerate(zip(sent, registered, strict=True)):
        ax2.text(g + top * 0.01, y, f"{n}/{g}", va="center", fontsize=8)
    ax2.set_xlim(0, top * 1.18)
    ax2.set_title(texts.grafico_regiones, fontsize=10)
    ax2.tick_params(axis="y", labelsize=8)
    ax2.legend(fontsize=8, loc="lower right", frameon=False)
    for ax in (ax1, ax2):
        ax.spines[["top", "right"]].set_visible(False)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.margins(y=0.02)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
