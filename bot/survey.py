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

User-facing error messages are plain Spanish that is also safe inside Telegram HTML.
`display` returns plain text: escape it before putting it in an HTML message.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from bot.survey_expr import ExprError, Expression, parse
from bot.telegram_html import find_error
from bot.yamlcheck import NodeChecker, Problem, display_path, line_of, suggest

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "knowledge" / "encuesta.yaml"

TIPOS = ("si_no", "opcion", "multiple", "entero", "fecha", "texto", "archivo")
DEFAULT_MAX_LARGO = 1000
MAX_MAX_LARGO = 4000  # a Telegram message holds 4096 characters
MAX_FILE_BYTES = 20 * 1024 * 1024  # what a bot can download from Telegram
FILE_MIMES = {"application/pdf": "PDF", "image/jpeg": "JPG", "image/png": "PNG"}
_EXT_MIMES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}

_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_VALOR_RE = re.compile(r"^[a-z0-9_]+$")
_KB_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TOP_REQUIRED = ("version", "titulo", "preguntas")
_Q_REQUIRED = ("id", "tipo", "texto")
_Q_OPTIONAL = (
    "opciones",
    "requerido",
    "restriccion",
    "mensaje_error",
    "relevante",
    "ayuda",
    "ejemplo",
    "max_largo",
)
_TYPED = ("entero", "fecha", "texto")  # answers written by hand, where an example helps

# Every message an officer can get from this module, in one place so wording is easy to review.
MESSAGES = {
    "si_no": "Responda «Sí» o «No».",
    "opcion": "Elija una de las opciones: {opciones}.",
    "multiple_vacio": "Marque al menos una opción: {opciones}.",
    "multiple_desconocida": "No reconozco «{texto}». Las opciones son: {opciones}.",
    "entero": "Escriba un número entero con cifras, por ejemplo: {ejemplo}.",
    "entero_decimal": "Escriba un número entero, sin decimales, por ejemplo: {ejemplo}.",
    "fecha": "Escriba la fecha como dd/mm/aaaa, por ejemplo: {ejemplo}.",
    "fecha_imposible": (
        "La fecha {texto} no existe. Escríbala como dd/mm/aaaa, por ejemplo: {ejemplo}."
    ),
    "texto_vacio": "Escriba su respuesta, por favor.",
    "texto_largo": (
        "Su respuesta tiene {largo} caracteres y el máximo es {maximo}. Resúmala, por favor."
    ),
    "archivo_falta": "Envíe el documento como archivo PDF o como foto (JPG o PNG).",
    "archivo_tipo": "Ese tipo de archivo no se acepta. Envíe un PDF o una foto (JPG o PNG).",
    "archivo_grande": "El archivo pesa {mb} MB y el máximo es 20 MB. Envíe uno más liviano.",
    "requerido": "Esta pregunta es obligatoria; escriba su respuesta, por favor.",
}
_DEFAULT_EXAMPLE = {"entero": "4", "fecha": "15/03/2024"}

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
_YES = frozenset({"si", "s", "sip", "yes", "true"})
_NO = frozenset({"no", "n", "false"})

_NUMERIC_DATE = re.compile(r"^(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{4}|\d{2})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORD_DATE = re.compile(r"^(\d{1,2})\s+(?:de\s+)?([a-z]+)\s+(?:de(?:l)?\s+)?(\d{4})$")
_INTEGER = re.compile(r"^([+-]?\d+)(?:\s+[a-zñ]+)?$")
_DECIMAL = re.compile(r"^[+-]?\d+[.,]\d+")
_LIST_SPLIT = re.compile(r"\s*(?:[,;/\n]|\by\b|\be\b)\s*", re.IGNORECASE)


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Option:
    valor: str
    etiqueta: str


SI_NO_OPTIONS = (Option("si", "Sí"), Option("no", "No"))


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

    def option(self, valor: str) -> Option | None:
        return next((o for o in self.opciones if o.valor == valor), None)


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
        more = f"\n... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s) in the survey:\n{shown}{more}")


Answers = Mapping[str, Any]


@dataclass(frozen=True)
class Survey:
    version: str
    titulo: str
    questions: tuple[Question, ...]
    source: str
    _by_id: Mapping[str, Question] = field(init=False, repr=False, compare=False)
    _index: Mapping[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {q.id: q for q in self.questions})
        object.__setattr__(self, "_index", {q.id: i for i, q in enumerate(self.questions)})

    def question(self, qid: str | None) -> Question | None:
        return self._by_id.get(qid) if qid is not None else None

    # ------------------------------------------------------------------ relevance

    def _relevance(self, answers: Answers, today: date | None) -> dict[str, bool]:
        """Question id -> relevant now. One pass in order: references only point backwards."""
        today = today or date.today()
        relevant: dict[str, bool] = {}
        lookup = self._lookup(answers, relevant)
        for q in self.questions:
            relevant[q.id] = q.relevante is None or q.relevante.test(None, lookup, today)
        return relevant

    def _lookup(self, answers: Answers, relevant: Mapping[str, bool]):
        def lookup(qid: str) -> Any:
            q = self._by_id.get(qid)
            if q is None or not relevant.get(qid):
                return None
            return _runtime(q, answers.get(qid))

        return lookup

    def is_relevant(self, q: Question, answers: Answers, *, today: date | None = None) -> bool:
        return self._relevance(answers, today).get(q.id, False)

    # ------------------------------------------------------------------ navigation

    def next_question(self, answers: Answers, *, today: date | None = None) -> Question | None:
        """The first relevant question not yet answered (a skipped one is stored as None)."""
        relevant = self._relevance(answers, today)
        return next((q for q in self.questions if relevant[q.id] and q.id not in answers), None)

    def previous_question(
        self, qid: str | None, answers: Answers, *, today: date | None = None
    ) -> Question | None:
        """The relevant answered question before `qid` (None: before the summary), for /atras.

        Questions skipped by skip logic are passed over; an optional question the officer
        skipped (stored as None) counts as answered, so /atras reaches it.
        """
        if qid is None:
            end = len(self.questions)
        elif qid in self._index:
            end = self._index[qid]
        else:
            return None
        relevant = self._relevance(answers, today)
        for q in reversed(self.questions[:end]):
            if relevant[q.id] and q.id in answers:
                return q
        return None

    def progress(
        self, q: Question, answers: Answers, *, today: date | None = None
    ) -> tuple[int, int]:
        """(position, total) for "Pregunta 4 de 11".

        Counts the questions relevant now plus those whose relevance still depends on an
        unanswered question (they may come), so the total only shrinks as answers arrive.
        """
        today = today or date.today()
        status: dict[str, str] = {}  # "yes" | "no" | "maybe"
        known_relevant: dict[str, bool] = {}
        lookup = self._lookup(answers, known_relevant)
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
        counted = [x.id for x in self.questions if status[x.id] != "no"]
        before = [x for x in counted if self._index[x] < self._index.get(q.id, 0)]
        return len(before) + 1, max(len(counted), len(before) + 1)

    # ------------------------------------------------------------------ answers

    def prune(self, answers: Answers, *, today: date | None = None) -> dict[str, Any]:
        """A copy of `answers` without what no longer fits, e.g. after an earlier edit.

        Drops, in question order: answers to questions that are no longer relevant, answers
        whose restriccion now fails (e.g. an installation date now before a corrected
        ordenanza date) and values of the wrong shape (an option removed in a new version).
        Keys that are not questions of this survey are kept untouched.
        """
        today = today or date.today()
        kept: dict[str, Any] = dict(answers)
        relevant: dict[str, bool] = {}
        lookup = self._lookup(kept, relevant)

        def fits(q: Question, value: Any) -> bool:
            if not _valid_shape(q, value):
                return False
            return q.restriccion is None or q.restriccion.test(_runtime(q, value), lookup, today)

        for q in self.questions:
            relevant[q.id] = q.relevante is None or q.relevante.test(None, lookup, today)
            if q.id not in kept:
                continue
            value = kept[q.id]
            if not relevant[q.id] or (value is not None and not fits(q, value)):
                del kept[q.id]
        return kept

    def is_complete(self, answers: Answers, *, today: date | None = None) -> bool:
        """Every relevant question answered, and every relevant required one not skipped."""
        relevant = self._relevance(answers, today)
        return all(
            q.id in answers and (answers[q.id] is not None or not q.requerido)
            for q in self.questions
            if relevant[q.id]
        )

    def summary(self, answers: Answers, *, today: date | None = None) -> list[tuple[Question, str]]:
        """The relevant questions with their answer as plain text ("—" when skipped)."""
        relevant = self._relevance(answers, today)
        return [(q, display(q, answers.get(q.id))) for q in self.questions if relevant[q.id]]


def _runtime(q: Question, value: Any) -> Any:
    """A stored answer as the expression language sees it: dates become dates."""
    if q.tipo == "fecha" and isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return value


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
    return False


# --------------------------------------------------------------------------- answers


def _plain(text: str) -> str:
    """Lowercase, no accents, single spaces, no edge punctuation (a leading '-' stays)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(text.strip(" \t\n.,;:!¡?¿\"'«»()").split())


def _fold(text: str) -> str:
    """`_plain` with '_' and '-' as spaces: how typed option names compare ("en_tramite")."""
    return _plain(re.sub(r"[_\-]+", " ", text))


def _safe(text: str, limit: int = 40) -> str:
    """User text echoed in a message: short and without HTML-significant characters."""
    cleaned = re.sub(r"[<>&]", "", text).strip()
    return cleaned[:limit] + ("…" if len(cleaned) > limit else "")


def _labels(q: Question) -> str:
    return ", ".join(o.etiqueta for o in q.opciones)


def _example(q: Question) -> str:
    return q.ejemplo or _DEFAULT_EXAMPLE.get(q.tipo, "")


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
        return MESSAGES["opcion"].format(opciones=_labels(q))
    key = {"si_no": "si_no", "entero": "entero", "fecha": "fecha", "archivo": "archivo_falta"}
    return MESSAGES[key.get(q.tipo, "texto_vacio")].format(ejemplo=_example(q))


def _parse_si_no(q: Question, raw: Any, today: date) -> Parsed:
    if isinstance(raw, bool):
        return Parsed(raw)
    word = _fold(raw) if isinstance(raw, str) else ""
    if word in _YES:
        return Parsed(True)
    if word in _NO:
        return Parsed(False)
    return Parsed(error=MESSAGES["si_no"])


def _parse_opcion(q: Question, raw: Any, today: date) -> Parsed:
    option = _match_option(q, raw) if isinstance(raw, str) else None
    if option is None:
        return Parsed(error=MESSAGES["opcion"].format(opciones=_labels(q)))
    return Parsed(option.valor)


def _parse_multiple(q: Question, raw: Any, today: date) -> Parsed:
    if isinstance(raw, str):
        pieces = [p for p in _LIST_SPLIT.split(raw.strip()) if _fold(p)]
    elif isinstance(raw, list | tuple):
        pieces = [p for p in raw if isinstance(p, str)]
        if len(pieces) != len(raw):
            return Parsed(error=MESSAGES["opcion"].format(opciones=_labels(q)))
    else:
        pieces = []
    if not pieces:
        return Parsed(error=MESSAGES["multiple_vacio"].format(opciones=_labels(q)))
    chosen: set[str] = set()
    for piece in pieces:
        option = _match_option(q, piece)
        if option is None:
            return Parsed(
                error=MESSAGES["multiple_desconocida"].format(
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
    return Parsed(error=MESSAGES[key].format(ejemplo=_example(q)))


def _parse_fecha(q: Question, raw: Any, today: date) -> Parsed:
    error = Parsed(error=MESSAGES["fecha"].format(ejemplo=_example(q)))
    if not isinstance(raw, str):
        return error
    text = _plain(raw)
    if text == "hoy":
        return Parsed(today.isoformat())
    if text == "ayer":
        return Parsed((today - timedelta(days=1)).isoformat())
    if m := _NUMERIC_DATE.match(text):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
        if len(m[3]) == 2:  # "15/03/24": officers mean this century
            year += 2000
    elif m := _ISO_DATE.match(text):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif (m := _WORD_DATE.match(text)) and m[2] in _MONTHS:
        day, month, year = int(m[1]), _MONTHS[m[2]], int(m[3])
    else:
        return error
    try:
        return Parsed(date(year, month, day).isoformat())
    except ValueError:
        shown = f"{day:02d}/{month:02d}/{year:04d}" if month <= 12 else _safe(raw)
        return Parsed(error=MESSAGES["fecha_imposible"].format(texto=shown, ejemplo=_example(q)))


def _parse_texto(q: Question, raw: Any, today: date) -> Parsed:
    text = raw.strip() if isinstance(raw, str) else ""
    if not text:
        return Parsed(error=MESSAGES["texto_vacio"])
    if len(text) > q.max_largo:
        return Parsed(error=MESSAGES["texto_largo"].format(largo=len(text), maximo=q.max_largo))
    return Parsed(text)


def _parse_archivo(q: Question, raw: Any, today: date) -> Parsed:
    if not isinstance(raw, Mapping) or not raw.get("file_id"):
        return Parsed(error=MESSAGES["archivo_falta"])
    value = dict(raw)
    mime = str(value.get("mime") or "").lower().split(";")[0].strip()
    if not mime:  # documents without a type: trust the extension
        mime = _EXT_MIMES.get(Path(str(value.get("name") or "")).suffix.lower(), "")
    if mime not in FILE_MIMES:
        return Parsed(error=MESSAGES["archivo_tipo"])
    value["mime"] = mime
    size = value.get("size")
    if isinstance(size, int | float) and size > MAX_FILE_BYTES:
        mb = f"{size / (1024 * 1024):.1f}".replace(".", ",")
        return Parsed(error=MESSAGES["archivo_grande"].format(mb=mb))
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
    required question refuses. `${id}` in mensaje_error is replaced by that answer.
    """
    if value is None:
        return MESSAGES["requerido"] if q.requerido else None
    if q.restriccion is None:
        return None
    relevant = survey._relevance(answers, today)
    lookup = survey._lookup(answers, relevant)
    if q.restriccion.test(_runtime(q, value), lookup, today):
        return None
    return _fill(survey, q.mensaje_error or "", answers, relevant)


_REF_IN_TEXT = re.compile(r"\$\{([a-z][a-z0-9_]*)\}")


def _fill(survey: Survey, message: str, answers: Answers, relevant: Mapping[str, bool]) -> str:
    def repl(m: re.Match[str]) -> str:
        ref = survey.question(m[1])
        if ref is None or not relevant.get(ref.id):
            return "—"
        return display(ref, answers.get(ref.id))

    return _REF_IN_TEXT.sub(repl, message)


def display(q: Question, value: Any) -> str:
    """An answer as plain text for the summary: "Sí", labels, dd/mm/aaaa, "—" when skipped."""
    if value is None:
        return "—"
    if q.tipo == "si_no":
        return "Sí" if value else "No"
    if q.tipo == "opcion":
        option = q.option(value) if isinstance(value, str) else None
        return option.etiqueta if option else str(value)
    if q.tipo == "multiple" and isinstance(value, list):
        return ", ".join((q.option(v).etiqueta if q.option(v) else str(v)) for v in value) or "—"
    if q.tipo == "fecha":
        parsed = _runtime(q, value)
        return parsed.strftime("%d/%m/%Y") if parsed else str(value)
    if q.tipo == "archivo" and isinstance(value, Mapping):
        return str(value.get("name") or "Archivo adjunto")
    return str(value)


# --------------------------------------------------------------------------- loading


class _Checker(NodeChecker):
    """Reads encuesta.yaml node by node, collecting every problem with its line."""

    def __init__(self, path: Path, kb_ids: set[str] | None):
        super().__init__(path)
        self.kb_ids = kb_ids

    def text(self, node: yaml.Node, what: str) -> str | None:
        """A non-empty scalar as text. Plain scalars keep their written form, so `no`,
        `2026.1` or `4` stay the text the editor typed instead of YAML's bool or number."""
        if isinstance(node, yaml.ScalarNode):
            value = self._constructor.construct_object(node, deep=True)
            if not isinstance(value, str) and node.style is None and value is not None:
                value = node.value
            if isinstance(value, str) and value.strip():
                return value.strip()
            if isinstance(value, str) or value is None:
                self.add(line_of(node), f"{what} is empty")
                return None
        self.add(line_of(node), f"{what} must be text")
        return None

    def check(self) -> Survey | None:
        root = self.compose("'version', 'titulo' and 'preguntas'")
        if root is None:
            return None
        top = self.mapping(root, "the file", _TOP_REQUIRED, ())
        if top is None:
            return None
        version = self.text(top["version"], "'version'") if "version" in top else None
        titulo = self.text(top["titulo"], "'titulo'") if "titulo" in top else None
        nodes = top.get("preguntas")
        if nodes is None:
            return None
        if not isinstance(nodes, yaml.SequenceNode) or not nodes.value:
            self.add(line_of(nodes), "'preguntas' must be a non-empty list of questions")
            return None

        # First pass: ids and their positions, so references can be checked both ways.
        order: dict[str, tuple[int, int]] = {}  # id -> (index, line)
        raw: list[tuple[dict[str, yaml.Node], str | None, str | None, yaml.Node]] = []
        for index, node in enumerate(nodes.value):
            what = "a question"
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if getattr(k, "value", None) == "id" and isinstance(v, yaml.ScalarNode):
                        what = f"question {v.value!r}"
            keys = self.mapping(node, what, _Q_REQUIRED, _Q_OPTIONAL)
            if keys is None:
                continue
            qid = self.text(keys["id"], "question 'id'") if "id" in keys else None
            name = qid  # kept for messages even when the id itself is rejected
            if qid is not None and not _ID_RE.match(qid):
                self.add(
                    line_of(keys["id"]),
                    f"id {qid!r}: use lowercase letters, digits and _ (snake_case)",
                )
                qid = None
            if qid is not None:
                if qid in order:
                    self.add(
                        line_of(keys["id"]),
                        f"duplicate id {qid!r} (first at line {order[qid][1]}); rename one",
                    )
                    qid = None
                else:
                    order[qid] = (index, line_of(node))
            raw.append((keys, qid, name, node))

        questions = [self.question(keys, qid, name, node, order) for keys, qid, name, node in raw]
        if self.problems or version is None or titulo is None:
            return None
        return Survey(version, titulo, tuple(q for q in questions if q), self.file)

    def question(
        self,
        keys: dict[str, yaml.Node],
        qid: str | None,
        name: str | None,
        node: yaml.Node,
        order: dict[str, tuple[int, int]],
    ) -> Question | None:
        label = f"question {name!r}" if name else "question"
        tipo = self.text(keys["tipo"], f"{label}: 'tipo'") if "tipo" in keys else None
        if tipo is not None and tipo not in TIPOS:
            hint = suggest(tipo, TIPOS) or f"; use one of {', '.join(TIPOS)}"
            self.add(line_of(keys["tipo"]), f"{label}: unknown tipo {tipo!r}{hint}")
            tipo = None

        texto = self.text(keys["texto"], f"{label}: 'texto'") if "texto" in keys else None
        if texto is not None and (error := find_error(texto)) is not None:
            message = f"{label}: 'texto' is not valid Telegram HTML: {error}"
            self.add(line_of(keys["texto"]), message)

        opciones = self.options(keys.get("opciones"), tipo, label, line_of(node))

        requerido = True
        if "requerido" in keys:
            value = self._constructor.construct_object(keys["requerido"], deep=True)
            if not isinstance(value, bool):
                self.add(line_of(keys["requerido"]), f"{label}: 'requerido' must be true or false")
            else:
                requerido = value

        index = order[qid][0] if qid in order else None
        restriccion = self.expression(
            keys.get("restriccion"), "restriccion", label, qid, index, order
        )
        relevante = self.expression(keys.get("relevante"), "relevante", label, qid, index, order)
        if relevante is not None and relevante.uses_current:
            self.add(
                line_of(keys["relevante"]),
                f"{label}: 'relevante' cannot use '.' (this question is not answered yet); "
                "use ${id} of an earlier question",
            )

        mensaje_error = None
        if "mensaje_error" in keys:
            mensaje_error = self.text(keys["mensaje_error"], f"{label}: 'mensaje_error'")
            if "restriccion" not in keys:
                self.add(
                    line_of(keys["mensaje_error"]),
                    f"{label}: 'mensaje_error' without "
                    "'restriccion'; add the restriccion or remove the message",
                )
            elif mensaje_error is not None:
                for m in _REF_IN_TEXT.finditer(mensaje_error):
                    self.reference(
                        m[1], keys["mensaje_error"], "mensaje_error", label, qid, index, order
                    )
        elif "restriccion" in keys:
            self.add(
                line_of(keys["restriccion"]),
                f"{label}: 'restriccion' needs a 'mensaje_error' telling the officer what to fix",
            )

        ayuda = self.text(keys["ayuda"], f"{label}: 'ayuda'") if "ayuda" in keys else None
        if ayuda is not None:
            if not _KB_ID_RE.match(ayuda):
                self.add(line_of(keys["ayuda"]), f"{label}: 'ayuda' {ayuda!r} is not an entry id")
            elif self.kb_ids is not None and ayuda not in self.kb_ids:
                self.add(
                    line_of(keys["ayuda"]),
                    f"{label}: 'ayuda' names {ayuda!r}, which is not in the knowledge base"
                    f"{suggest(ayuda, sorted(self.kb_ids))}",
                )

        ejemplo = self.text(keys["ejemplo"], f"{label}: 'ejemplo'") if "ejemplo" in keys else None
        if ejemplo is not None and tipo is not None and tipo not in _TYPED:
            self.add(
                line_of(keys["ejemplo"]),
                f"{label}: 'ejemplo' is only for "
                f"{', '.join(_TYPED)} questions (answers the officer types)",
            )

        max_largo = DEFAULT_MAX_LARGO
        if "max_largo" in keys:
            value = self._constructor.construct_object(keys["max_largo"], deep=True)
            line = line_of(keys["max_largo"])
            if tipo is not None and tipo != "texto":
                self.add(line, f"{label}: 'max_largo' is only for texto questions")
            elif (
                isinstance(value, bool)
                or not isinstance(value, int)
                or not (1 <= value <= MAX_MAX_LARGO)
            ):
                self.add(
                    line, f"{label}: 'max_largo' must be a whole number from 1 to {MAX_MAX_LARGO}"
                )
            else:
                max_largo = value

        if qid is None or tipo is None or texto is None or opciones is None:
            return None
        return Question(
            id=qid,
            tipo=tipo,
            texto=texto,
            opciones=opciones,
            requerido=requerido,
            restriccion=restriccion,
            mensaje_error=mensaje_error,
            relevante=relevante,
            ayuda=ayuda,
            ejemplo=ejemplo,
            max_largo=max_largo,
            line=line_of(node),
        )

    def options(
        self, node: yaml.Node | None, tipo: str | None, label: str, line: int
    ) -> tuple[Option, ...] | None:
        needs = tipo in ("opcion", "multiple")
        if node is None:
            if needs:
                self.add(line, f"{label}: tipo {tipo} needs 'opciones' (a list of valor/etiqueta)")
                return None
            return SI_NO_OPTIONS if tipo == "si_no" else ()
        if not needs:
            extra = " (Sí/No are built in)" if tipo == "si_no" else ""
            self.add(line_of(node), f"{label}: 'opciones' is only for opcion and multiple{extra}")
            return None
        if not isinstance(node, yaml.SequenceNode) or len(node.value) < 2:
            self.add(line_of(node), f"{label}: 'opciones' must be a list of at least 2 options")
            return None
        options: list[Option] = []
        seen_valor: dict[str, int] = {}
        seen_label: dict[str, int] = {}
        ok = True
        for item in node.value:
            keys = self.mapping(item, f"an option of {label}", ("valor", "etiqueta"), ())
            if keys is None or len(keys) < 2:
                ok = False
                continue
            valor = self.text(keys["valor"], f"{label}: option 'valor'")
            etiqueta = self.text(keys["etiqueta"], f"{label}: option 'etiqueta'")
            if valor is None or etiqueta is None:
                ok = False
                continue
            vline = line_of(keys["valor"])
            if not _VALOR_RE.match(valor):
                self.add(vline, f"{label}: valor {valor!r}: use lowercase letters, digits and _")
                ok = False
            elif valor in seen_valor:
                self.add(
                    vline, f"{label}: duplicate valor {valor!r} (first at line {seen_valor[valor]})"
                )
                ok = False
            seen_valor.setdefault(valor, vline)
            folded = _fold(etiqueta)
            if folded in seen_label:
                self.add(
                    line_of(keys["etiqueta"]),
                    f"{label}: etiqueta {etiqueta!r} repeats the one at line {seen_label[folded]}",
                )
                ok = False
            seen_label.setdefault(folded, line_of(keys["etiqueta"]))
            options.append(Option(valor, etiqueta))
        return tuple(options) if ok else None

    def expression(
        self,
        node: yaml.Node | None,
        key: str,
        label: str,
        qid: str | None,
        index: int | None,
        order: dict[str, tuple[int, int]],
    ) -> Expression | None:
        if node is None:
            return None
        text = self.text(node, f"{label}: {key!r}")
        if text is None:
            return None
        try:
            expr = parse(text)
        except ExprError as exc:
            self.add(line_of(node), f"{label}: {key} {text!r}: {exc}")
            return None
        for ref in expr.refs:
            self.reference(ref.id, node, key, label, qid, index, order)
        return expr

    def reference(
        self,
        ref: str,
        node: yaml.Node,
        key: str,
        label: str,
        qid: str | None,
        index: int | None,
        order: dict[str, tuple[int, int]],
    ) -> None:
        line = line_of(node)
        if ref not in order:
            self.add(
                line,
                f"{label}: {key} refers to ${{{ref}}}, which is not a question"
                f"{suggest(ref, list(order))}",
            )
        elif ref == qid:
            self.add(line, f"{label}: {key} refers to its own question; use '.' for this answer")
        elif index is not None and order[ref][0] > index:
            self.add(
                line,
                f"{label}: {key} refers to ${{{ref}}}, which comes later (line "
                f"{order[ref][1]}); only earlier answers can be used",
            )


def check_survey(
    path: Path = DEFAULT_PATH, kb_ids: set[str] | None = None
) -> tuple[Survey | None, list[Problem]]:
    """Check the survey file; the Survey is returned only when there is no problem.

    `kb_ids` (the ids of the knowledge base) lets the checker verify each 'ayuda'.
    """
    checker = _Checker(Path(path), kb_ids)
    survey = checker.check()
    problems = sorted(checker.problems, key=lambda p: (p.line, p.message))
    return (survey if not problems else None), problems


def load_survey(path: Path = DEFAULT_PATH, kb_ids: set[str] | None = None) -> Survey:
    """The survey, or SurveyError listing every problem found."""
    survey, problems = check_survey(path, kb_ids)
    if survey is None:
        raise SurveyError(problems or [Problem(display_path(Path(path)), 1, "not loaded")])
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
        print(f"{len(problems)} problem(s)", file=sys.stderr)
        return 1
    note = "" if kb_ids is not None else " (knowledge base not loaded: 'ayuda' not checked)"
    print(f"OK: survey {survey.version}, {len(survey.questions)} questions{note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
