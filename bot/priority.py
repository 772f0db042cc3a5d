"""The priority list for technical assistance: instancias ranked by the criteria staff write in
knowledge/prioridad.yaml (schema: bot/schemas/priority.py).

The official criteria of R.M. 288-2023-MIMP's annex were not verified; the shipped file holds
sensible defaults and says so. Each criterion the file can name is computed here, for every
place at once from a handful of queries (2,100 possible instancias), never place by place.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.places import LEVELS
from bot.places import Place as PlaceInfo
from bot.schemas.priority import PriorityFile
from bot.stats import _yes as is_yes
from bot.storage.assistance import last_contact
from bot.storage.models import Instancia, Place, Report, ReportAnswer
from bot.storage.models_review import AssistanceAction, ReportReview
from bot.storage.reviews import OBSERVADO, current_in_period
from bot.yamlschema import Problem, YamlFile, validate

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "knowledge" / "prioridad.yaml"
# The survey questions the criteria read (knowledge/encuesta.yaml, versions 2026.1 and 2026.2).
QUESTIONS = ("creada", "instalada", "sesiones_semestre", "asistencia_tecnica")
_LEVEL_RANK = {level: i for i, level in enumerate(LEVELS)}


class PriorityError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def check_priority(path: Path = DEFAULT_PATH) -> tuple[PriorityFile | None, list[Problem]]:
    found = YamlFile.read(Path(path))
    parsed = validate(found, PriorityFile) if not found.problems else None
    if parsed is not None:
        for key, criterion in parsed.criterios:
            try:
                criterion.etiqueta.format(meses=getattr(criterion, "meses", ""))
            except (KeyError, IndexError, ValueError):
                found.at(("criterios", key, "etiqueta"),
                         f"criterio {key!r}, clave 'etiqueta': solo puede usar {{meses}}; "
                         "quite las otras llaves.")  # fmt: skip
    return (parsed if not found.problems else None), found.problems


def load_priority(path: Path = DEFAULT_PATH) -> PriorityFile:
    parsed, problems = check_priority(path)
    if parsed is None:
        raise PriorityError(problems)
    return parsed


@dataclass(frozen=True)
class Facts:
    """What the criteria look at for one place."""

    reported: bool
    answers: dict[str, Any]
    observed: bool  # its current report's observation is unanswered
    last_contact: date | None


def _asked_for_help(f: Facts) -> bool:
    asked = f.answers.get("asistencia_tecnica")
    return f.reported and isinstance(asked, str) and bool(asked.strip())


# Criterion -> whether a place meets it, given its facts and the «sin contacto» cutoff day.
TESTS: dict[str, Any] = {
    "sin_reporte": lambda f, cutoff: not f.reported,
    "sin_ordenanza": lambda f, cutoff: f.reported
    and f.answers.get("creada") in ("no", "en_tramite"),
    "creada_no_instalada": lambda f, cutoff: f.reported and f.answers.get("creada") == "si"
    and f.answers.get("instalada") is False,
    "sin_sesiones": lambda f, cutoff: f.reported and is_yes(f.answers.get("instalada"))
    and f.answers.get("sesiones_semestre") == 0,
    "observacion_sin_responder": lambda f, cutoff: f.observed,
    "pide_asistencia": lambda f, cutoff: _asked_for_help(f),
    "sin_contacto": lambda f, cutoff: f.last_contact is None or f.last_contact < cutoff,
}


def months_before(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    return date(year, month + 1, min(day.day, 28))


@dataclass(frozen=True)
class Ranked:
    place_id: int
    place: PlaceInfo
    score: int
    reasons: tuple[str, ...]  # the labels of the criteria it meets, heaviest first


def active(rules: PriorityFile) -> list[tuple[Any, int, str]]:
    """(test, weight, label) of the criteria that count, heaviest first."""
    found = [
        (TESTS[key], c.peso, c.etiqueta.format(meses=getattr(c, "meses", "")))
        for key, c in rules.criterios
        if c.activo and c.peso > 0
    ]
    found.sort(key=lambda x: -x[1])
    return found


def score(facts: Facts, rules: PriorityFile, today: date) -> tuple[int, tuple[str, ...]]:
    cutoff = months_before(today, rules.criterios.sin_contacto.meses)
    met = [(w, label) for test, w, label in active(rules) if test(facts, cutoff)]
    return sum(w for w, _ in met), tuple(label for _, label in met)


def rank(
    s: Session, rules: PriorityFile, period: str, today: date,
    *, departamento: str | None = None, level: str | None = None,
) -> list[Ranked]:  # fmt: skip
    """Every place with a score above 0, highest first (then by department, level, name).

    The whole ranking is kept while nothing it reads changed (`_fingerprint`), like
    bot/coverage.py's states: every staff member and every filter reads the same list."""
    key = (_fingerprint(s, period), rules, today)
    with _lock:
        kept = _cache.get(period)
    if kept is not None and kept[0] == key:
        ranked = kept[1]
    else:
        ranked = tuple(_rank_all(s, rules, period, today))
        with _lock:
            _cache[period] = (key, ranked)
            while len(_cache) > CACHED_PERIODS:
                _cache.pop(next(iter(_cache)))
    return [
        r for r in ranked
        if (not departamento or r.place.departamento == departamento)
        and (not level or r.place.level == level)
    ]


CACHED_PERIODS = 4
_cache: dict[str, tuple[tuple, tuple[Ranked, ...]]] = {}
_lock = threading.Lock()


def _fingerprint(s: Session, period: str) -> tuple:
    """Changes whenever a criterion could: a report of the period written or sent, a review,
    an assistance action, a place or instancia added. One aggregate query."""
    row = s.execute(
        select(
            select(func.count(Report.id)).where(Report.period == period).scalar_subquery(),
            select(func.max(Report.updated_at)).where(Report.period == period)
            .scalar_subquery(),
            select(func.max(ReportReview.id)).scalar_subquery(),
            select(func.count(ReportReview.id)).scalar_subquery(),
            select(func.max(AssistanceAction.id)).scalar_subquery(),
            select(func.count(AssistanceAction.id)).scalar_subquery(),
            select(func.count(Instancia.id)).scalar_subquery(),
            select(func.count(Place.id)).scalar_subquery(),
        )
    ).one()  # fmt: skip
    return (s.get_bind().url.render_as_string(), *row)


def _rank_all(s: Session, rules: PriorityFile, period: str, today: date) -> list[Ranked]:
    places = s.execute(
        select(Place.id, Place.level, Place.code, Place.name, Place.provincia,
               Place.departamento, Place.region)
    ).all()  # fmt: skip
    current = {r.place_id: r for r in current_in_period(s, period)}
    answers: dict[int, dict[str, Any]] = {}
    report_place = {r.report_id: r.place_id for r in current.values()}
    if report_place:
        for report_id, qid, value in s.execute(
            select(ReportAnswer.report_id, ReportAnswer.question_id, ReportAnswer.value)
            .join(Report, Report.id == ReportAnswer.report_id)
            .where(Report.period == period, ReportAnswer.question_id.in_(QUESTIONS))
        ):
            if report_id in report_place:  # the current report, not an earlier one
                answers.setdefault(report_place[report_id], {})[qid] = json.loads(value)
    contact = last_contact(s)
    tests = active(rules)
    cutoff = months_before(today, rules.criterios.sin_contacto.meses)
    none: dict[str, Any] = {}
    ranked = []
    for pid, lv, code, name, provincia, dep, region in places:
        r = current.get(pid)
        facts = Facts(r is not None, answers.get(pid, none),
                      r is not None and r.state == OBSERVADO, contact.get(pid))  # fmt: skip
        met = [(w, label) for test, w, label in tests if test(facts, cutoff)]
        if met:
            info = PlaceInfo(level=lv, code=code, name=name, provincia=provincia,
                             departamento=dep, region=region)  # fmt: skip
            ranked.append(Ranked(pid, info, sum(w for w, _ in met),
                                 tuple(label for _, label in met)))  # fmt: skip
    keys = {id(x): (-x.score, x.place.departamento, _LEVEL_RANK.get(x.place.level, 9),
                    x.place.name, x.place.provincia or "") for x in ranked}  # fmt: skip
    ranked.sort(key=lambda x: keys[id(x)])
    return ranked
