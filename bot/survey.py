"""The status self-report survey: `knowledge/encuesta.yaml` as data, and the engine around it.

Pure module (no Telegram, no database). The survey is XLSForm-like: typed questions with
optional skip logic (`relevante`) and constraints (`restriccion` + `mensaje_error`) written in
the small expression language of `bot.survey_expr`. The conversation handler keeps the
answers as a plain dict {question id: JSON value}; every method here takes that dict and
decides what comes next, so a half-finished report survives a restart and an edit of an
earlier answer is handled by `prune`.

Answer values (JSON-serialisable): si_no -> bool; opcion -> valor; multiple -> [valor, ...]
in option order; entero -> int; fecha -> "YYYY-MM-DD"; texto -> str; archivo -> the dict the
handler gives (file_id, name, size, mime). A skipped optional question is stored as None.

A `grupo` (XLSForm's repeat group) is asked once per repetition (`repeticiones`, e.g. the
number of sessions, listed up to `max_repeticiones`): its answer is a list with one dict per
repetition, {sub-question id: value}. Each repetition's question is a *step*, a Question
whose id is "<grupo>.<n>.<sub-question>" (`step_id`), so a cursor, a button and /atras name
it like any question; `stored` says under which key and value a step's answer is saved.

User-facing error messages are plain Spanish that is also safe inside Telegram HTML.
`display` returns plain text: escape it before putting it in an HTML message.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bot.messages import Messages, default_messages
from bot.periods import period_bounds
from bot.plural import plural
from bot.schemas.messages import SurveyTexts
from bot.schemas.survey import MAX_MAX_LARGO, REF_IN_TEXT, TIPOS, Checked, Column, read
from bot.schemas.survey import fold as _fold
from bot.schemas.survey import plain as _plain
from bot.survey_expr import PERIOD_END, PERIOD_START, Expression
from bot.yamlschema import Problem, YamlFile, line_at

__all__ = ["MAX_MAX_LARGO", "TIPOS", "Column"]

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "knowledge" / "encuesta.yaml"

DEFAULT_MAX_LARGO = 1000
MAX_FILE_BYTES = 20 * 1024 * 1024  # what a bot can download from Telegram
FILE_MIMES = {"application/pdf": "PDF", "image/jpeg": "JPG", "image/png": "PNG"}
_EXT_MIMES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}

_NUMBER_WORDS = {
    "cero": 0, "ninguna": 0, "ninguno": 0, "ningun": 0, "nada": 0,
    "un": 1, "una": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
    "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "trece": 13,
    "catorce": 14, "quince": 15, "dieciseis": 16, "diecisiete": 17, "dieciocho": 18,
    "diecinueve": 19, "veinte": 20,
}  # fmt: skip
_MONTHS = {
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "setiembre": 9, "septiembre": 9, "octubre": 10, "noviembre": 11,
    "diciembre": 12,
}  # fmt: skip
EXCLUSIVE = frozenset({"ninguno", "ninguna"})  # a multiple's "none yet": alone or not at all
_YES = frozenset({"si", "s", "sip", "yes", "true"})
_NO = frozenset({"no", "n", "false"})

_NUMERIC_DATE = re.compile(r"^(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{4}|\d{2})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORD_DATE = re.compile(r"^(\d{1,2})\s+(?:de\s+)?([a-z]+)\s+(?:de(?:l)?\s+)?(\d{4})$")
_MONTH_VALUE = re.compile(r"^\d{4}-\d{2}$")
_NUMERIC_MONTH = re.compile(r"^(\d{1,2})\s*[/\-.]\s*(\d{4})$")
_WORD_MONTH = re.compile(r"^([a-z]+)\s+(?:de(?:l)?\s+)?(\d{4})$")
# The day Ley 30364 entered into force (promulgated 23-nov-2015, in force the next day: the
# fact sheet, section 1.1). A milestone of an instancia cannot be earlier.
LAW_IN_FORCE = date(2015, 11, 24)
_INTEGER = re.compile(r"^([+-]?\d+)(?:\s+[a-zñ]+)?$")
_DECIMAL = re.compile(r"^[+-]?\d+[.,]\d+")
_LIST_SPLIT = re.compile(r"\s*(?:[,;/\n]|\by\b|\be\b)\s*", re.IGNORECASE)


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Option:
    valor: str
    etiqueta: str
    niveles: tuple[str, ...] | None = None  # None: every level


@dataclass(frozen=True)
class Question:
    id: str
    tipo: str
    texto: str
    opciones: tuple[Option, ...]  # for si_no: the two buttons Sí/No (valores "si"/"no")
    requerido: bool
    restriccion: Expression | None
    mensaje_error: str | None
    relevante: Expression | None
    ayuda: str | None
    ejemplo: str | None
    max_largo: int
    line: int
    formato: str | None = None  # texto: "norma" (a number with its issuer) or "nombre"
    por_que: str | None = None  # why MIMP asks, shown under the question
    niveles: tuple[str, ...] | None = None  # asked only of these levels; None: every level
    antes_de_la_ley: bool = False  # fecha: may be before the law entered into force
    etiqueta: str | None = None  # the export's column header
    group: Group | None = None  # tipo grupo: what is asked per repetition
    parent: str | None = None  # a step of a grupo: the grupo's id
    n: int | None = None  # a step: its repetition, from 1
    sub: str | None = None  # a step: the id of the grupo's question it asks
    # What the officer is told (mensajes.yaml 'encuesta'); None: the repository's file.
    texts: SurveyTexts | None = field(default=None, compare=False, repr=False)

    @property
    def says(self) -> SurveyTexts:
        return self.texts or default_messages().survey

    def option(self, valor: str) -> Option | None:
        return next((o for o in self.opciones if o.valor == valor), None)

    def tick(self, ticked: list[str], valor: str) -> list[str]:
        """Ticks after ticking or unticking `valor`: «Ninguno» (an EXCLUSIVE valor) clears
        the others, and any other option clears «Ninguno»."""
        if valor in ticked:
            return [v for v in ticked if v != valor]
        if valor in EXCLUSIVE:
            return [valor]
        return [v for v in ticked if v not in EXCLUSIVE] + [valor]


@dataclass(frozen=True)
class Group:
    repeticiones: Expression
    max_repeticiones: int
    rotulo: str  # "Sesión {n}"
    questions: tuple[Question, ...]
    columnas: tuple[Column, ...] = ()

    def question(self, sub: str) -> Question | None:
        return next((q for q in self.questions if q.id == sub), None)


def step_id(group_id: str, n: int, sub: str) -> str:
    return f"{group_id}.{n}.{sub}"


def items_of(value: Any) -> list[dict[str, Any]]:
    """A grupo's stored answer as its repetitions (anything malformed reads as empty)."""
    if not isinstance(value, list):
        return []
    return [dict(item) if isinstance(item, Mapping) else {} for item in value]


@dataclass(frozen=True)
class Parsed:
    value: Any = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class SurveyError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(str(p) for p in problems[:50])
        more = f"\n... y {len(problems) - 50} más" if len(problems) > 50 else ""
        count = f"{len(problems)} {plural(len(problems), 'problema', 'problemas')}"
        super().__init__(f"{count} en la encuesta:\n{shown}{more}")


Answers = Mapping[str, Any]


@dataclass(frozen=True)
class Survey:
    version: str
    titulo: str
    questions: tuple[Question, ...]
    source: str
    period: tuple[date, date] | None = None  # the semester reported: period-start(), -end()
    _by_id: Mapping[str, Question] = field(init=False, repr=False, compare=False)
    _index: Mapping[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {q.id: q for q in self.questions})
        object.__setattr__(self, "_index", {q.id: i for i, q in enumerate(self.questions)})

    def question(self, qid: str | None) -> Question | None:
        """A question, or a grupo's step by its step id ("sesiones.2.fecha")."""
        if qid is None:
            return None
        if qid in self._by_id:
            return self._by_id[qid]
        parts = qid.split(".")
        if len(parts) != 3 or not parts[1].isdigit():
            return None
        group = self._by_id.get(parts[0])
        if group is None or group.group is None:
            return None
        n = int(parts[1])
        sub = group.group.question(parts[2])
        if sub is None or not 1 <= n <= group.group.max_repeticiones:
            return None
        return _step(group, n, sub)

    def for_level(self, level: str | None) -> Survey:
        """The survey an instancia of `level` answers: its questions and its options only.

        Answers to questions of other levels are not questions of the result, so `prune`
        keeps them untouched.
        """
        if level is None:
            return self
        cache = self.__dict__.setdefault("_levels", {})
        if level not in cache:
            questions = []
            for q in self.questions:
                if q.niveles is not None and level not in q.niveles:
                    continue
                options = tuple(o for o in q.opciones if o.niveles is None or level in o.niveles)
                questions.append(replace(q, opciones=options) if options != q.opciones else q)
            cache[level] = Survey(
                self.version, self.titulo, tuple(questions), self.source, self.period
            )
        return cache[level]

    def for_period(self, period: str | None) -> Survey:
        """The survey of a report of `period` ("2026-S1"): period-start() and period-end()
        are its first and last day. Without one they are the widest that makes sense (the
        law's entry into force, today), so reading a report never drops an answer."""
        if period is None:
            return self
        cache = self.__dict__.setdefault("_periods", {})
        if period not in cache:
            cache[period] = Survey(
                self.version, self.titulo, self.questions, self.source, period_bounds(period)
            )
        return cache[period]

    # ------------------------------------------------------------------ relevance

    def _relevance(self, answers: Answers, today: date | None) -> dict[str, bool]:
        """Question id -> relevant now. One pass in order: references only point backwards."""
        today = today or date.today()
        relevant: dict[str, bool] = {}
        lookup = self._lookup(answers, relevant, today)
        for q in self.questions:
            relevant[q.id] = q.relevante is None or q.relevante.test(None, lookup, today)
        return relevant

    def _lookup(self, answers: Answers, relevant: Mapping[str, bool], today: date | None = None):
        def lookup(qid: str) -> Any:
            if qid == PERIOD_START:
                return self.period[0] if self.period else LAW_IN_FORCE
            if qid == PERIOD_END:
                return self.period[1] if self.period else (today or date.today())
            q = self._by_id.get(qid)
            if q is None or not relevant.get(qid):
                return None
            return _runtime(q, answers.get(qid))

        return lookup

    def _inner(self, group: Question, item: Mapping[str, Any], outer):
        """Within one repetition: its own answers first, then the survey's."""
        assert group.group is not None

        def lookup(qid: str) -> Any:
            sub = group.group.question(qid)
            if sub is not None:
                return _runtime(sub, item.get(qid))
            return outer(qid)

        return lookup

    def repetitions(self, group: Question, answers: Answers, *, today: date | None = None,
                    lookup=None) -> tuple[int, int]:
        """(listed, declared): how many repetitions a grupo asks (at most max_repeticiones)
        and how many its `repeticiones` says (e.g. 20 sessions declared, 12 listed)."""
        assert group.group is not None
        today = today or date.today()
        if lookup is None:
            lookup = self._lookup(answers, self._relevance(answers, today), today)
        value = group.group.repeticiones.evaluate(None, lookup, today)
        declared = value if isinstance(value, int) and not isinstance(value, bool) else 0
        declared = max(declared, 0)
        return min(declared, group.group.max_repeticiones), declared

    def _group_steps(
        self, group: Question, answers: Answers, lookup, today: date
    ) -> list[tuple[Question, bool]]:
        """The grupo's steps asked now, in order, each with whether it is answered."""
        assert group.group is not None
        listed, _ = self.repetitions(group, answers, today=today, lookup=lookup)
        items = items_of(answers.get(group.id))
        steps = []
        for n in range(1, listed + 1):
            item = items[n - 1] if n <= len(items) else {}
            inner = self._inner(group, item, lookup)
            for sub in group.group.questions:
                if sub.relevante is None or sub.relevante.test(None, inner, today):
                    steps.append((_step(group, n, sub), sub.id in item))
        return steps

    def _steps(self, answers: Answers, today: date | None) -> list[tuple[Question, bool]]:
        """Everything asked now, in order, a grupo as its steps; each with whether it is
        answered (a skipped optional question counts as answered)."""
        today = today or date.today()
        relevant = self._relevance(answers, today)
        lookup = self._lookup(answers, relevant, today)
        steps: list[tuple[Question, bool]] = []
        for q in self.questions:
            if not relevant[q.id]:
                continue
            if q.group is not None:
                steps += self._group_steps(q, answers, lookup, today)
            else:
                steps.append((q, q.id in answers))
        return steps

    def is_relevant(self, q: Question, answers: Answers, *, today: date | None = None) -> bool:
        if q.parent is not None:
            return any(s.id == q.id for s, _ in self._steps(answers, today))
        return self._relevance(answers, today).get(q.id, False)

    # ------------------------------------------------------------------ navigation

    def next_question(self, answers: Answers, *, today: date | None = None) -> Question | None:
        """The first relevant question not yet answered (a skipped one is stored as None); in
        a grupo, the first unanswered step."""
        return next((q for q, done in self._steps(answers, today) if not done), None)

    def previous_question(
        self, qid: str | None, answers: Answers, *, today: date | None = None
    ) -> Question | None:
        """The relevant answered question before `qid` (None: before the summary), for /atras.

        Questions skipped by skip logic are passed over; an optional question the officer
        skipped (stored as None) counts as answered, so /atras reaches it. Inside a grupo
        the previous step is the one before, down to the first session's first question.
        """
        steps = self._steps(answers, today)
        ids = [q.id for q, _ in steps]
        if qid is None:
            end = len(steps)
        elif qid in ids:
            end = ids.index(qid)
        else:
            return None
        return next((q for q, done in reversed(steps[:end]) if done), None)

    def next_in_group(self, q: Question, answers: Answers, *, today: date | None = None
                      ) -> Question | None:
        """The grupo's step after step `q`, answered or not (None after its last step), so an
        edit from the summary walks the whole grupo."""
        if q.parent is None:
            return None
        steps = [s for s, _ in self._steps(answers, today) if s.parent == q.parent]
        ids = [s.id for s in steps]
        if q.id not in ids or ids.index(q.id) + 1 >= len(ids):
            return None
        return steps[ids.index(q.id) + 1]

    def first_step(self, group: Question, answers: Answers, *, today: date | None = None
                   ) -> Question | None:
        """Where editing a grupo from the summary starts: its first step."""
        return next(
            (s for s, _ in self._steps(answers, today) if s.parent == group.id), None
        )

    def progress(
        self, q: Question, answers: Answers, *, today: date | None = None
    ) -> tuple[int, int]:
        """(position, total) for "Pregunta 4 de 11".

        Counts the questions relevant now plus those whose relevance still depends on an
        unanswered question (they may come), so the total only shrinks as answers arrive,
        but for a grupo: it counts its steps once its number of repetitions is answered.
        """
        today = today or date.today()
        status: dict[str, str] = {}  # "yes" | "no" | "maybe"
        known_relevant: dict[str, bool] = {}
        lookup = self._lookup(answers, known_relevant, today)
        counted: list[str] = []
        for question in self.questions:
            rel = question.relevante
            if rel is None:
                status[question.id] = "yes"
            elif any(
                status[r] == "maybe" or (status[r] == "yes" and r not in answers)
                for r in rel.ref_ids
            ):
                status[question.id] = "maybe"
            else:
                status[question.id] = "yes" if rel.test(None, lookup, today) else "no"
            known_relevant[question.id] = status[question.id] == "yes"
            if status[question.id] == "no":
                continue
            if question.group is not None:
                counted += [s.id for s, _ in self._group_steps(question, answers, lookup, today)]
            else:
                counted.append(question.id)
        if q.id in counted:
            before = counted.index(q.id)
        else:
            mine = self._index.get(q.parent or q.id, 0)
            before = sum(
                1 for x in counted if self._index.get(x.split(".")[0], 0) < mine
            )
        return before + 1, max(len(counted), before + 1)

    # ------------------------------------------------------------------ answers

    def stored(self, q: Question, value: Any, answers: Answers) -> tuple[str, Any]:
        """(key, value) to save an answer under: a step's answer goes into its grupo's list,
        in its repetition's dict (earlier repetitions are padded with empty ones)."""
        if q.parent is None or q.n is None or q.sub is None:
            return q.id, value
        items = items_of(answers.get(q.parent))
        while len(items) < q.n:
            items.append({})
        items[q.n - 1] = {**items[q.n - 1], q.sub: value}
        return q.parent, items

    def prune(
        self, answers: Answers, *, today: date | None = None, keep_hidden: bool = False
    ) -> dict[str, Any]:
        """A copy of `answers` without what no longer fits, e.g. after an earlier edit.

        Drops, in question order: answers to questions that are no longer relevant (unless
        `keep_hidden`: a draft keeps them, so that changing an answer back brings them back),
        answers whose restriccion now fails (e.g. an installation date now before a corrected
        ordenanza date) and values of the wrong shape (an option removed in a new version).
        A grupo is pruned the same way inside: repetitions beyond its count (kept when
        `keep_hidden`), and each repetition's answers.
        Keys that are not questions of this survey are kept untouched.
        """
        today = today or date.today()
        kept: dict[str, Any] = dict(answers)
        relevant: dict[str, bool] = {}
        lookup = self._lookup(kept, relevant, today)

        def fits(q: Question, value: Any, lookup=lookup) -> bool:
            if not _valid_shape(q, value):
                return False
            return q.restriccion is None or q.restriccion.test(_runtime(q, value), lookup, today)

        for q in self.questions:
            relevant[q.id] = q.relevante is None or q.relevante.test(None, lookup, today)
            if q.id not in kept:
                continue
            value = kept[q.id]
            if not relevant[q.id]:
                if not keep_hidden:
                    del kept[q.id]
            elif q.group is not None and value is not None:
                if not _valid_shape(q, value):
                    del kept[q.id]
                    continue
                kept[q.id] = self._prune_group(q, kept, lookup, today, keep_hidden, fits)
            elif value is not None and not fits(q, value):
                del kept[q.id]
        return kept

    def _prune_group(self, group: Question, answers: Answers, lookup, today: date,
                     keep_hidden: bool, fits) -> list[dict[str, Any]]:
        assert group.group is not None
        listed, _ = self.repetitions(group, answers, today=today, lookup=lookup)
        items = items_of(answers.get(group.id))
        if not keep_hidden:
            items = items[:listed]
        for n, item in enumerate(items[:listed], start=1):
            inner = self._inner(group, item, lookup)
            for sub in group.group.questions:
                if sub.id not in item:
                    continue
                if sub.relevante is not None and not sub.relevante.test(None, inner, today):
                    if not keep_hidden:
                        del item[sub.id]
                elif item[sub.id] is not None and not fits(sub, item[sub.id], inner):
                    del item[sub.id]
            items[n - 1] = item
        return items

    def hidden(self, answers: Answers, *, today: date | None = None) -> list[Question]:
        """The answered questions that skip logic no longer asks (their answers set aside);
        a grupo's repetitions beyond its count show as one step each, named by its rotulo."""
        today = today or date.today()
        relevant = self._relevance(answers, today)
        lookup = self._lookup(answers, relevant, today)
        found = []
        for q in self.questions:
            if q.id not in answers:
                continue
            if not relevant[q.id]:
                found.append(q)
            elif q.group is not None and q.group.questions:
                listed, _ = self.repetitions(q, answers, today=today, lookup=lookup)
                for n, item in enumerate(items_of(answers[q.id]), start=1):
                    if n > listed and item:  # named as a whole: "Sesión 3"
                        step = _step(q, n, q.group.questions[0])
                        found.append(replace(step, texto=q.group.rotulo.format(n=n)))
        return found

    def is_complete(self, answers: Answers, *, today: date | None = None) -> bool:
        """Every relevant question answered, and every relevant required one not skipped."""
        steps = self._steps(answers, today)
        for q, done in steps:
            if not done:
                return False
            if q.requerido and self._value(q, answers) is None:
                return False
        return True

    def _value(self, q: Question, answers: Answers) -> Any:
        if q.parent is None or q.n is None:
            return answers.get(q.id)
        items = items_of(answers.get(q.parent))
        return items[q.n - 1].get(q.sub) if q.n <= len(items) else None

    def value_of(self, q: Question, answers: Answers) -> Any:
        """The stored answer of a question or a step (None if none)."""
        return self._value(q, answers)

    def answered(self, q: Question, answers: Answers) -> bool:
        """Whether a question or a step has an answer stored (None, skipped, counts)."""
        if q.parent is None or q.n is None:
            return q.id in answers
        items = items_of(answers.get(q.parent))
        return q.n <= len(items) and q.sub in items[q.n - 1]

    def summary(self, answers: Answers, *, today: date | None = None) -> list[tuple[Question, str]]:
        """The relevant questions with their answer as plain text ("—" when skipped); a grupo
        shows its listed repetitions, one line each."""
        today = today or date.today()
        relevant = self._relevance(answers, today)
        lookup = self._lookup(answers, relevant, today)
        shown = []
        for q in self.questions:
            if not relevant[q.id]:
                continue
            value = answers.get(q.id)
            if q.group is not None:
                listed, _ = self.repetitions(q, answers, today=today, lookup=lookup)
                value = items_of(value)[:listed]
            shown.append((q, display(q, value)))
        return shown


def _step(group: Question, n: int, sub: Question) -> Question:
    """Question `sub` of a grupo, asked for repetition `n`."""
    return replace(sub, id=step_id(group.id, n, sub.id), parent=group.id, n=n, sub=sub.id)


def _runtime(q: Question, value: Any) -> Any:
    """A stored answer as the expression language sees it: dates become dates (a month
    without its day, "2024-03", is the first of that month)."""
    if q.tipo == "fecha" and isinstance(value, str):
        return as_date(value)
    return value


def as_date(value: str) -> date | None:
    """A stored fecha ("2024-03-15", or "2024-03" when only the month is known) as a date."""
    try:
        if _MONTH_VALUE.match(value):
            return date(int(value[:4]), int(value[5:7]), 1)
        return date.fromisoformat(value)
    except ValueError:
        return None


def _valid_shape(q: Question, value: Any) -> bool:
    valores = {o.valor for o in q.opciones}
    match q.tipo:
        case "si_no":
            return isinstance(value, bool)
        case "opcion":
            return isinstance(value, str) and value in valores
        case "multiple":
            return isinstance(value, list) and bool(value) and set(value) <= valores
        case "entero":
            return isinstance(value, int) and not isinstance(value, bool)
        case "fecha":
            return isinstance(value, str) and _runtime(q, value) is not None
        case "texto":
            return isinstance(value, str)
        case "archivo":
            return isinstance(value, dict) and "file_id" in value
        case "grupo":
            return isinstance(value, list) and all(isinstance(v, dict) for v in value)
    return False


# --------------------------------------------------------------------------- answers


def _safe(text: str, limit: int = 40) -> str:
    """User text echoed in a message: short and without HTML-significant characters."""
    cleaned = re.sub(r"[<>&]", "", text).strip()
    return cleaned[:limit] + ("…" if len(cleaned) > limit else "")


def _labels(q: Question) -> str:
    return ", ".join(o.etiqueta for o in q.opciones)


def _example(q: Question) -> str:
    default = {"entero": q.says.ejemplo_entero, "fecha": q.says.ejemplo_fecha}
    return q.ejemplo or default.get(q.tipo, "")


def _with_example(q: Question, message: str) -> str:
    return f"{message} {q.says.ejemplo_es.format(ejemplo=q.ejemplo)}" if q.ejemplo else message


def _match_option(q: Question, text: str) -> Option | None:
    wanted = _fold(text)
    if not wanted:
        return None
    for o in q.opciones:
        short = re.search(r"\(([^)]+)\)\s*$", o.etiqueta)  # "Plan ... (PDC)" -> "PDC"
        names = {_fold(o.valor), _fold(o.etiqueta), _fold(short.group(1)) if short else None}
        if wanted in names:
            return o
    return None


def parse_answer(q: Question, raw: Any, *, today: date) -> Parsed:
    """Turn what the officer typed or pressed into a stored value, or a kind error message.

    `raw` is the typed text, an option valor (a list of valores for `multiple`), or for
    `archivo` the dict built by the handler. Never raises.
    """
    try:
        return _PARSERS[q.tipo](q, raw, today)
    except Exception:  # bad input must never break the conversation
        return Parsed(error=_generic_error(q))


def _generic_error(q: Question) -> str:
    if q.tipo in ("opcion", "multiple"):
        return q.says.opcion.format(opciones=_labels(q))
    key = {"si_no": "si_no", "entero": "entero", "fecha": "fecha", "archivo": "archivo_falta"}
    return getattr(q.says, key.get(q.tipo, "texto_vacio")).format(ejemplo=_example(q))


def _parse_si_no(q: Question, raw: Any, today: date) -> Parsed:
    if isinstance(raw, bool):
        return Parsed(raw)
    word = _fold(raw) if isinstance(raw, str) else ""
    if word in _YES:
        return Parsed(True)
    if word in _NO:
        return Parsed(False)
    return Parsed(error=q.says.si_no)


def _parse_opcion(q: Question, raw: Any, today: date) -> Parsed:
    option = _match_option(q, raw) if isinstance(raw, str) else None
    if option is None:
        return Parsed(error=q.says.opcion.format(opciones=_labels(q)))
    return Parsed(option.valor)


def _parse_multiple(q: Question, raw: Any, today: date) -> Parsed:
    if isinstance(raw, str):
        pieces = [p for p in _LIST_SPLIT.split(raw.strip()) if _fold(p)]
    elif isinstance(raw, list | tuple):
        pieces = [p for p in raw if isinstance(p, str)]
        if len(pieces) != len(raw):
            return Parsed(error=q.says.opcion.format(opciones=_labels(q)))
    else:
        pieces = []
    if not pieces:
        return Parsed(error=q.says.multiple_vacio.format(opciones=_labels(q)))
    chosen: set[str] = set()
    for piece in pieces:
        option = _match_option(q, piece)
        if option is None:
            return Parsed(
                error=q.says.multiple_desconocida.format(
                    texto=_safe(piece), opciones=_labels(q)
                )
            )
        chosen.add(option.valor)
    return Parsed([o.valor for o in q.opciones if o.valor in chosen])


def _parse_entero(q: Question, raw: Any, today: date) -> Parsed:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return Parsed(raw)
    text = _plain(raw) if isinstance(raw, str) else ""
    if text in _NUMBER_WORDS:
        return Parsed(_NUMBER_WORDS[text])
    match = _INTEGER.match(text)
    if match:
        return Parsed(int(match.group(1)))
    key = "entero_decimal" if _DECIMAL.match(text) else "entero"
    return Parsed(error=getattr(q.says, key).format(ejemplo=_example(q)))


def _parse_fecha(q: Question, raw: Any, today: date) -> Parsed:
    error = Parsed(error=q.says.fecha.format(ejemplo=_example(q)))
    if not isinstance(raw, str):
        return error
    text = _plain(raw)
    month_only = None
    if text == "hoy":
        day, month, year = today.day, today.month, today.year
    elif text == "ayer":
        yesterday = today - timedelta(days=1)
        day, month, year = yesterday.day, yesterday.month, yesterday.year
    elif m := _NUMERIC_DATE.match(text):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
        if len(m[3]) == 2:  # "15/03/24": officers mean this century
            year += 2000
    elif m := _ISO_DATE.match(text):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif (m := _WORD_DATE.match(text)) and m[2] in _MONTHS:
        day, month, year = int(m[1]), _MONTHS[m[2]], int(m[3])
    elif (m := _NUMERIC_MONTH.match(text)) and 1 <= int(m[1]) <= 12:
        day, month, year, month_only = 1, int(m[1]), int(m[2]), True
    elif (m := _WORD_MONTH.match(text)) and m[1] in _MONTHS:
        day, month, year, month_only = 1, _MONTHS[m[1]], int(m[2]), True
    else:
        return error
    try:
        found = date(year, month, day)
    except ValueError:
        shown = f"{day:02d}/{month:02d}/{year:04d}" if month <= 12 else _safe(raw)
        return Parsed(error=q.says.fecha_imposible.format(texto=shown, ejemplo=_example(q)))
    shown = f"{month:02d}/{year:04d}" if month_only else found.strftime("%d/%m/%Y")
    if found > today:
        return Parsed(error=q.says.fecha_futura.format(texto=shown))
    floor = LAW_IN_FORCE.replace(day=1) if month_only else LAW_IN_FORCE
    if not q.antes_de_la_ley and found < floor:
        return Parsed(error=q.says.fecha_antes_ley.format(
            texto=shown, ley=LAW_IN_FORCE.strftime("%d/%m/%Y")
        ))
    return Parsed(f"{year:04d}-{month:02d}" if month_only else found.isoformat())


def _parse_texto(q: Question, raw: Any, today: date) -> Parsed:
    text = raw.strip() if isinstance(raw, str) else ""
    if not text:
        return Parsed(error=q.says.texto_vacio)
    if len(text) > q.max_largo:
        return Parsed(error=q.says.texto_largo.format(largo=len(text), maximo=q.max_largo))
    letters = sum(c.isalpha() for c in text)
    digits = sum(c.isdigit() for c in text)
    if q.formato == "norma":
        # "003-2018-MPCH", "Ordenanza 014-2018-MPS", "Ord. 237-MDP/C": a number and its issuer.
        if digits == 0 or letters < 2:
            return Parsed(error=_with_example(q, q.says.texto_norma))
        return Parsed(text)
    if letters < 2:
        # "🙂", "👍👍", "123 456", "x": not an answer a person reading the report can use.
        return Parsed(error=_with_example(q, q.says.texto_palabras))
    return Parsed(text)


def _parse_archivo(q: Question, raw: Any, today: date) -> Parsed:
    if not isinstance(raw, Mapping) or not raw.get("file_id"):
        return Parsed(error=q.says.archivo_falta)
    value = dict(raw)
    mime = str(value.get("mime") or "").lower().split(";")[0].strip()
    if not mime:  # documents without a type: trust the extension
        mime = _EXT_MIMES.get(Path(str(value.get("name") or "")).suffix.lower(), "")
    if mime not in FILE_MIMES:
        return Parsed(error=q.says.archivo_tipo)
    value["mime"] = mime
    size = value.get("size")
    if isinstance(size, int | float) and size > MAX_FILE_BYTES:
        mb = f"{size / (1024 * 1024):.1f}".replace(".", ",")
        return Parsed(error=q.says.archivo_grande.format(mb=mb))
    return Parsed(value)


_PARSERS = {
    "si_no": _parse_si_no,
    "opcion": _parse_opcion,
    "multiple": _parse_multiple,
    "entero": _parse_entero,
    "fecha": _parse_fecha,
    "texto": _parse_texto,
    "archivo": _parse_archivo,
}


def check_answer(
    survey: Survey, q: Question, value: Any, answers: Answers, *, today: date
) -> str | None:
    """The question's mensaje_error if `value` breaks its restriccion, else None.

    `value` is a parsed value (see parse_answer); None means "skipped", which only a
    required question refuses. `${id}` in mensaje_error is replaced by that answer. A grupo's
    step reads its own repetition's answers first.
    """
    if value is None:
        return q.says.requerido if q.requerido else None
    if q.restriccion is None:
        return None
    relevant = survey._relevance(answers, today)
    lookup = survey._lookup(answers, relevant, today)
    group = survey.question(q.parent) if q.parent else None
    item: dict[str, Any] = {}
    if group is not None and group.group is not None and q.n is not None:
        items = items_of(answers.get(group.id))
        item = items[q.n - 1] if q.n <= len(items) else {}
        lookup = survey._inner(group, item, lookup)
    if q.restriccion.test(_runtime(q, value), lookup, today):
        return None
    return _fill(survey, q.mensaje_error or "", answers, relevant, group, item)


def _fill(survey: Survey, message: str, answers: Answers, relevant: Mapping[str, bool],
          group: Question | None = None, item: Mapping[str, Any] | None = None) -> str:
    def repl(m: re.Match[str]) -> str:
        sub = group.group.question(m[1]) if group is not None and group.group else None
        if sub is not None:
            return display(sub, (item or {}).get(sub.id))
        ref = survey.question(m[1])
        if ref is None or not relevant.get(ref.id):
            return survey.questions[0].says.sin_respuesta
        return display(ref, answers.get(ref.id))

    return REF_IN_TEXT.sub(repl, message)


def display(q: Question, value: Any) -> str:
    """An answer as plain text for the summary: "Sí", labels, dd/mm/aaaa, "—" when skipped."""
    if value is None:
        return q.says.sin_respuesta
    if q.tipo == "si_no":
        return q.says.si if value else q.says.no
    if q.tipo == "opcion":
        option = q.option(value) if isinstance(value, str) else None
        return option.etiqueta if option else str(value)
    if q.tipo == "multiple" and isinstance(value, list):
        labels = ", ".join((q.option(v).etiqueta if q.option(v) else str(v)) for v in value)
        return labels or q.says.sin_respuesta
    if q.tipo == "fecha":
        parsed = _runtime(q, value)
        if parsed and isinstance(value, str) and _MONTH_VALUE.match(value):
            return parsed.strftime("%m/%Y")
        return parsed.strftime("%d/%m/%Y") if parsed else str(value)
    if q.tipo == "archivo" and isinstance(value, Mapping):
        return str(value.get("name") or q.says.archivo_adjunto)
    if q.group is not None:
        return "\n".join(_repetition(q, n, item) for n, item in
                         enumerate(items_of(value), start=1)) or q.says.sin_respuesta
    return str(value)


def column_values(group: Question, value: Any, *, today: date | None = None) -> list[Any]:
    """A grupo's `columnas` for its stored repetitions: a count (int) per `cuenta`, the
    latest date per `ultima` (its stored value, "2026-03-15" or "2026-03"; None if none)."""
    assert group.group is not None
    today = today or date.today()
    items = items_of(value)
    subs = {q.id: q for q in group.group.questions}
    out: list[Any] = []
    for column in group.group.columnas:
        if column.cuenta is not None:
            out.append(sum(
                1 for item in items
                if column.cuenta.test(None, _item_lookup(subs, item), today)
            ))
        else:
            dated = [
                (d, item[column.ultima]) for item in items
                if isinstance(item.get(column.ultima), str)
                and (d := as_date(item[column.ultima])) is not None
            ]
            out.append(max(dated)[1] if dated else None)
    return out


def _item_lookup(subs: Mapping[str, Question], item: Mapping[str, Any]):
    def lookup(qid: str) -> Any:
        sub = subs.get(qid)
        return _runtime(sub, item.get(qid)) if sub is not None else None

    return lookup


def _repetition(group: Question, n: int, item: Mapping[str, Any]) -> str:
    """One repetition on one line: "Sesión 2: 12/05/2026 · Extraordinaria · Acta: Sí" (a
    Sí/No answer is named by its etiqueta, alone it would say nothing)."""
    assert group.group is not None
    parts = []
    for sub in group.group.questions:
        if sub.id not in item:
            continue
        shown = display(sub, item[sub.id])
        parts.append(f"{sub.etiqueta}: {shown}" if sub.tipo == "si_no" and sub.etiqueta
                     else shown)
    name = group.group.rotulo.format(n=n)
    return f"{name}: {' · '.join(parts)}" if parts else name


# --------------------------------------------------------------------------- loading


def _build(
    found: YamlFile, kb_ids: set[str] | None, texts: SurveyTexts
) -> Survey | None:
    top, checked = read(found, kb_ids)
    if top is None or found.problems:
        return None
    questions = tuple(_question(found, c, texts) for c in checked)
    return Survey(top.version, top.titulo, questions, found.file)


DEFAULT_MAX_REPETICIONES = 12  # a grupo lists at most this many repetitions unless it says


def _question(found: YamlFile, c: Checked, texts: SurveyTexts) -> Question:
    q = c.model
    if q.tipo == "si_no":
        opciones = (Option("si", texts.si), Option("no", texts.no))
    else:
        opciones = tuple(
            Option(o.valor, o.etiqueta, tuple(o.niveles) if o.niveles else None)
            for o in q.opciones or ()
        )
    group = None
    if q.tipo == "grupo" and c.repeticiones is not None and q.rotulo is not None:
        group = Group(
            repeticiones=c.repeticiones,
            max_repeticiones=q.max_repeticiones or DEFAULT_MAX_REPETICIONES,
            rotulo=q.rotulo,
            questions=tuple(_question(found, sub, texts) for sub in c.subs),
            columnas=c.columnas,
        )
    return Question(
        id=q.id,
        tipo=q.tipo,
        texto=q.texto,
        opciones=opciones,
        requerido=q.requerido,
        restriccion=c.restriccion,
        mensaje_error=q.mensaje_error,
        relevante=c.relevante,
        ayuda=q.ayuda,
        ejemplo=q.ejemplo,
        max_largo=q.max_largo or DEFAULT_MAX_LARGO,
        line=line_at(found.root, c.loc or ("preguntas", c.index)),
        texts=texts,
        formato=q.formato,
        por_que=q.por_que,
        niveles=tuple(q.niveles) if q.niveles else None,
        antes_de_la_ley=q.antes_de_la_ley,
        etiqueta=q.etiqueta,
        group=group,
    )


def check_survey(
    path: Path = DEFAULT_PATH, kb_ids: set[str] | None = None, messages: Messages | None = None
) -> tuple[Survey | None, list[Problem]]:
    """Check the survey file; the Survey is returned only when there is no problem.

    `kb_ids` (the ids of the knowledge base) lets the checker verify each 'ayuda';
    `messages` gives what officers are told (the repository's mensajes.yaml if None).
    """
    found = YamlFile.read(Path(path), as_written=True)
    survey = _build(found, kb_ids, (messages or default_messages()).survey)
    problems = sorted(found.problems, key=lambda p: (p.line, p.message))
    return (survey if not problems else None), problems


def load_survey(
    path: Path = DEFAULT_PATH, kb_ids: set[str] | None = None, messages: Messages | None = None
) -> Survey:
    """The survey, or SurveyError listing every problem found."""
    survey, problems = check_survey(path, kb_ids, messages)
    if survey is None:
        raise SurveyError(problems)
    return survey


PAST_DIR = DEFAULT_PATH.parent / "encuestas_anteriores"


@functools.cache
def past_survey(version: str) -> Survey | None:
    """An earlier version of the survey (knowledge/encuestas_anteriores/), to show a report
    answered under it with its own questions; None if that version's file is not there."""
    path = PAST_DIR / f"encuesta-{version}.yaml"
    if not re.fullmatch(r"[\w.\-]+", version) or not path.is_file():
        return None
    survey, _ = check_survey(path)
    return survey


def main(argv: list[str] | None = None) -> int:
    """`python -m bot.survey [FILE]`: check the survey against the knowledge base ids."""
    from bot.knowledge import check_knowledge

    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else DEFAULT_PATH
    kb, _ = check_knowledge()
    kb_ids = set(kb.entries) if kb is not None else None
    survey, problems = check_survey(path, kb_ids)
    for problem in problems:
        print(problem)
    if survey is None:
        print(f"{len(problems)} {plural(len(problems), 'problema', 'problemas')}", file=sys.stderr)
        return 1
    note = "" if kb_ids is not None else " (sin base de conocimiento: 'ayuda' no revisada)"
    print(f"OK: encuesta {survey.version}, {len(survey.questions)} preguntas{note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
