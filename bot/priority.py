"""The priority list for technical assistance: instancias ranked by the criteria staff write in
knowledge/prioridad.yaml (schema: bot/schemas/priority.py).

The official criteria of R.M. 288-2023-MIMP's annex were not verified; the shipped file holds
sensible defaults and says so. Each criterion the file can name is computed here, for every
place at once from a handful of queries (2,100 possible instancias), never place by place.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.places import LEVELS
from bot.places import Place as PlaceInfo
from bot.schemas.priority import CRITERIA, PriorityFile
from bot.stats import _yes as is_yes
from bot.storage.assistance import last_contact
from bot.storage.models import Place, ReportAnswer
from bot.storage.queries_data import place_info
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


def meets(key: str, f: Facts, rules: PriorityFile, today: date) -> bool:
    """Whether the place meets criterion `key` (one of CRITERIA)."""
    a = f.answers
    if key == "sin_reporte":
        return not f.reported
    if key == "sin_ordenanza":
        return f.reported and a.get("creada") in ("no", "en_tramite")
    if key == "creada_no_instalada":
        return f.reported and a.get("creada") == "si" and a.get("instalada") is False
    if key == "sin_sesiones":
        return f.reported and is_yes(a.get("instalada")) and a.get("sesiones_semestre") == 0
    if key == "observacion_sin_responder":
        return f.observed
    if key == "pide_asistencia":
        asked = a.get("asistencia_tecnica")
        return f.reported and isinstance(asked, str) and bool(asked.strip())
    if key == "sin_contacto":
        months = rules.criterios.sin_contacto.meses
        return f.last_contact is None or f.last_contact < _months_before(today, months)
    raise KeyError(key)


def _months_before(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    return date(year, month + 1, min(day.day, 28))


@dataclass(frozen=True)
class Ranked:
    place_id: int
    place: PlaceInfo
    score: int
    reasons: tuple[str, ...]  # the labels of the criteria it meets, heaviest first


def score(facts: Facts, rules: PriorityFile, today: date) -> tuple[int, tuple[str, ...]]:
    met = []
    for key in CRITERIA:
        c = getattr(rules.criterios, key)
        if c.activo and c.peso > 0 and meets(key, facts, rules, today):
            met.append((c.peso, c.etiqueta.format(meses=getattr(c, "meses", ""))))
    met.sort(key=lambda x: -x[0])
    return sum(w for w, _ in met), tuple(label for _, label in met)


def rank(
    s: Session, rules: PriorityFile, period: str, today: date,
    *, departamento: str | None = None, level: str | None = None,
) -> list[Ranked]:  # fmt: skip
    """Every place with a score above 0, highest first (then by department, level, name)."""
    query = select(Place)
    if departamento:
        query = query.where(Place.departamento == departamento)
    if level:
        query = query.where(Place.level == level)
    places = list(s.scalars(query))
    current = {r.place_id: r for r in current_in_period(s, period)}
    answers: dict[int, dict[str, Any]] = {}
    report_place = {r.report_id: r.place_id for r in current.values()}
    if report_place:
        for report_id, qid, value in s.execute(
            select(ReportAnswer.report_id, ReportAnswer.question_id, ReportAnswer.value).where(
                ReportAnswer.report_id.in_(list(report_place)),
                ReportAnswer.question_id.in_(QUESTIONS),
            )
        ):
            answers.setdefault(report_place[report_id], {})[qid] = json.loads(value)
    contact = last_contact(s)
    ranked = []
    for p in places:
        r = current.get(p.id)
        facts = Facts(r is not None, answers.get(p.id, {}), r is not None and r.state == OBSERVADO,
                      contact.get(p.id))
        total, reasons = score(facts, rules, today)
        if total > 0:
            ranked.append(Ranked(p.id, place_info(p), total, reasons))
    ranked.sort(key=lambda x: (-x.score, x.place.departamento, _LEVEL_RANK.get(x.place.level, 9),
                               x.place.label))
    return ranked

