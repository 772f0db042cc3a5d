"""knowledge/encuesta.yaml: the survey's questions, and the checks between them.

The models say what each question holds. `check_questions` covers what depends on the tipo
or on other questions: options, skip logic (`relevante`), constraints (`restriccion`) and
their references, 'ayuda' ids of the knowledge base.

Read with `YamlFile.read(path, as_written=True)`: plain scalars stay the text the editor typed,
so `no`, `2026.10` or `4` are labels, not YAML's boolean or number; the models type them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from bot.survey_expr import ExprError, Expression, parse
from bot.telegram_html import find_error
from bot.yamlschema import YamlFile, line_at, suggest, validate

TIPOS = ("si_no", "opcion", "multiple", "entero", "fecha", "texto", "archivo", "grupo")
# What a question inside a grupo may be: one answer per repetition, typed or pressed (a file
# or a multiple-choice question per repetition is too much for a phone).
TIPOS_EN_GRUPO = ("si_no", "opcion", "entero", "fecha", "texto")
GROUP_ONLY = ("repeticiones", "max_repeticiones", "rotulo", "preguntas", "columnas")
MAX_REPETICIONES = 30  # a chat of more repetitions than this is not answered on a phone
TYPED = ("entero", "fecha", "texto")  # answers written by hand, where an example helps
MAX_MAX_LARGO = 4000  # a Telegram message holds 4096 characters

_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_VALOR_RE = re.compile(r"^[a-z0-9_]+$")
_KB_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REF_IN_TEXT = re.compile(r"\$\{([a-z][a-z0-9_]*)\}")


def plain(text: str) -> str:
    """Lowercase, no accents, single spaces, no edge punctuation (a leading '-' stays)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(text.strip(" \t\n.,;:!¡?¿\"'«»()").split())


def fold(text: str) -> str:
    """`plain` with '_' and '-' as spaces: how typed option names compare ("en_tramite")."""
    return plain(re.sub(r"[_\-]+", " ", text))


def _matches(pattern: re.Pattern[str], fix: str):
    def check(value: str) -> str:
        if not pattern.match(value):
            raise ValueError(f"{value!r} no sirve; {fix}")
        return value

    return AfterValidator(check)


def _html(value: str) -> str:
    error = find_error(value)
    if error is not None:
        raise ValueError(f"no es HTML válido de Telegram: {error}")
    return value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


NIVELES = ("distrital", "provincial", "regional")
Niveles = list[Literal["distrital", "provincial", "regional"]]
_NIVELES_FIX = "una lista con distrital, provincial o regional, como [provincial, regional]"


class OptionModel(_Model):
    valor: Annotated[Text, _matches(_VALOR_RE, "use minúsculas, cifras y _, como 'en_tramite'")]
    etiqueta: Text = Field(description="escriba lo que ve la persona en el botón")
    niveles: Niveles | None = Field(None, min_length=1, description=_NIVELES_FIX)


class ColumnModel(_Model):
    """A grupo's column in the export's main sheet, computed from its repetitions."""

    etiqueta: Text = Field(description="escriba el encabezado de la columna")
    cuenta: Text | None = Field(None, description="una condición: se cuentan las que la cumplen")
    ultima: Text | None = Field(None, description="el id de una pregunta fecha del grupo")


class QuestionModel(_Model):
    id: Annotated[Text, _matches(_ID_RE, "use minúsculas, cifras y _, como 'ordenanza_fecha'")]
    tipo: Literal[
        "si_no", "opcion", "multiple", "entero", "fecha", "texto", "archivo", "grupo"
    ] = Field(
        description=f"use uno de: {', '.join(TIPOS)}"
    )
    texto: Annotated[Text, AfterValidator(_html)] = Field(description="escriba la pregunta")
    opciones: list[OptionModel] | None = Field(
        None, description="una lista de {valor: ..., etiqueta: \"...\"}"
    )
    requerido: bool = Field(True, description="escriba true o false")
    restriccion: Text | None = None
    mensaje_error: Text | None = None
    relevante: Text | None = None
    ayuda: Annotated[
        Text, _matches(_KB_ID_RE, "escriba el id de una entrada, como 'instancia-que-es'")
    ] | None = None
    ejemplo: Text | None = None
    max_largo: int | None = Field(
        None, ge=1, le=MAX_MAX_LARGO, description=f"un número entero de 1 a {MAX_MAX_LARGO}"
    )
    formato: Literal["norma", "nombre"] | None = Field(
        None, description="use norma (número de ordenanza o resolución) o nombre"
    )
    por_que: Text | None = Field(None, description="escriba por qué el MIMP lo pregunta")
    etiqueta: Text | None = Field(None, description="escriba el encabezado corto de la columna")
    niveles: Niveles | None = Field(None, min_length=1, description=_NIVELES_FIX)
    antes_de_la_ley: bool = Field(False, description="escriba true o false")
    # grupo: its questions are asked once per repetition (XLSForm's repeat group).
    repeticiones: Text | None = None
    max_repeticiones: int | None = Field(
        None, ge=1, le=MAX_REPETICIONES,
        description=f"un número entero de 1 a {MAX_REPETICIONES}",
    )
    rotulo: Text | None = Field(None, description="escriba el nombre de cada repetición")
    preguntas: list[Any] | None = Field(
        None, description="una lista de preguntas, como las de la encuesta"
    )
    columnas: list[ColumnModel] | None = Field(
        None, description="una lista de {etiqueta: \"...\", cuenta: ...} o {etiqueta, ultima}"
    )


class SurveyFile(_Model):
    version: Text = Field(description="escriba la versión entre comillas, como \"2026.1\"")
    titulo: Text = Field(description="escriba el título de la encuesta")
    # Each item is a QuestionModel, validated one by one so that one broken question does not
    # hide the checks of the others.
    preguntas: list[Any] = Field(min_length=1, description="agregue al menos una pregunta")


NOUNS = {"preguntas": "pregunta", "opciones": "opción", "columnas": "columna"}

Loc = tuple[str | int, ...]
Pos = tuple[int, ...]  # (i,) for a question, (i, j) for question j of the grupo at i


@dataclass(frozen=True)
class Column:
    """A grupo's export column: count the repetitions where `cuenta` holds, or the latest
    answer to the fecha question `ultima`."""

    etiqueta: str
    cuenta: Expression | None = None
    ultima: str | None = None


@dataclass(frozen=True)
class Checked:
    """A question that passed every check, with its expressions parsed."""

    index: int
    model: QuestionModel
    restriccion: Expression | None
    relevante: Expression | None
    loc: Loc = ()
    repeticiones: Expression | None = None
    subs: tuple[Checked, ...] = ()
    columnas: tuple[Column, ...] = ()


def read(found: YamlFile, kb_ids: set[str] | None) -> tuple[SurveyFile | None, list[Checked]]:
    """The file's header and its questions; every problem goes to `found`."""
    if found.problems:
        return None, []
    top = validate(found, SurveyFile, NOUNS)
    raw = found.data.get("preguntas") if isinstance(found.data, dict) else None
    if not isinstance(raw, list):
        return top, []
    models = [
        validate(found, QuestionModel, NOUNS, prefix=("preguntas", i)) for i in range(len(raw))
    ]
    return top, check_questions(found, raw, models, kb_ids)


@dataclass
class _Scope:
    """Every id of the file: where it is, and for a grupo's question, which grupo."""

    pos: dict[str, Pos]
    loc: dict[str, Loc]
    group_of: dict[str, str]


def _raw_id(model: QuestionModel | None, item: Any) -> str | None:
    if model is not None:
        return model.id
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        return item["id"]
    return None


def check_questions(
    found: YamlFile, raw: list[Any], models: list[QuestionModel | None], kb_ids: set[str] | None
) -> list[Checked]:
    # Ids and positions first (a grupo's questions too), so references can be checked both
    # ways.
    scope = _Scope({}, {}, {})
    inner: dict[int, list[QuestionModel | None]] = {}

    def claim(qid: str | None, pos: Pos, loc: Loc) -> bool:
        if qid is None:
            return True
        if qid in scope.pos:
            first = line_at(found.root, scope.loc[qid])
            found.at(
                (*loc, "id"),
                f"pregunta {qid!r}: el id se repite (la primera está en la línea {first}); "
                "cambie uno de los dos.",
            )
            return False
        scope.pos[qid], scope.loc[qid] = pos, loc
        return True

    for i, item in enumerate(raw):
        if not claim(_raw_id(models[i], item), (i,), ("preguntas", i)):
            models[i] = None
        q = models[i]
        if q is None or q.tipo != "grupo" or not q.preguntas:
            continue
        subs = []
        for j, sub_item in enumerate(q.preguntas):
            loc = ("preguntas", i, "preguntas", j)
            sub = validate(found, QuestionModel, NOUNS, prefix=loc)
            if not claim(_raw_id(sub, sub_item), (i, j), loc):
                sub = None
            elif (sid := _raw_id(sub, sub_item)) is not None:
                scope.group_of[sid] = q.id
            subs.append(sub)
        inner[i] = subs
    checked = []
    for i, q in enumerate(models):
        if q is not None:
            before = len(found.problems)
            result = _question(found, (i,), q, scope, kb_ids)
            if q.tipo == "grupo":
                result = _group(found, i, q, result, inner.get(i, []), scope, kb_ids)
            if len(found.problems) == before:
                checked.append(result)
    return checked


def _question(
    found: YamlFile, pos: Pos, q: QuestionModel, scope: _Scope, kb_ids: set[str] | None
) -> Checked:
    loc = scope.loc.get(q.id, ("preguntas", *pos))
    group = scope.group_of.get(q.id)
    name = f"pregunta {q.id!r}" + (f" del grupo {group!r}" if group else "")

    def at(key: str, message: str) -> None:
        found.at((*loc, key), f"{name}, clave {key!r}: {message}")

    if q.tipo in ("opcion", "multiple"):
        if q.opciones is None:
            found.at(
                loc,
                f"{name}: el tipo {q.tipo} necesita 'opciones'; agregue una lista de "
                "{valor: ..., etiqueta: \"...\"}.",
            )
        elif len(q.opciones) < 2:
            at("opciones", "tiene menos de 2 opciones; agregue al menos 2.")
        else:
            _options(found, loc, name, q.opciones)
    elif q.opciones is not None:
        built_in = " (Sí y No ya vienen incluidos)" if q.tipo == "si_no" else ""
        at("opciones", f"solo es para los tipos opcion y multiple{built_in}; bórrela.")
    if q.ejemplo is not None and q.tipo not in TYPED:
        at("ejemplo", f"solo es para preguntas {', '.join(TYPED)} (respuestas escritas); bórrelo.")
    if q.max_largo is not None and q.tipo != "texto":
        at("max_largo", "solo es para preguntas texto; bórrelo.")
    if q.formato is not None and q.tipo != "texto":
        at("formato", "solo es para preguntas texto; bórrelo.")
    if q.antes_de_la_ley and q.tipo != "fecha":
        at("antes_de_la_ley", "solo es para preguntas fecha; bórrelo.")
    if q.tipo != "grupo":
        for key in GROUP_ONLY:
            if getattr(q, key) is not None:
                at(key, "solo es para preguntas grupo; bórrela.")
    elif q.restriccion is not None:
        at("restriccion", "un grupo no tiene respuesta propia; póngala en sus preguntas.")
    if group is not None and q.tipo not in TIPOS_EN_GRUPO:
        found.at(
            (*loc, "tipo"),
            f"{name}, clave 'tipo': {q.tipo} no se puede usar dentro de un grupo; use uno "
            f"de: {', '.join(TIPOS_EN_GRUPO)}.",
        )
    if group is not None and q.niveles is not None:
        at("niveles", "dentro de un grupo no se usa; póngala en el grupo.")

    restriccion = _expression(found, loc, name, "restriccion", q.restriccion, q.id, scope)
    relevante = _expression(found, loc, name, "relevante", q.relevante, q.id, scope)
    if relevante is not None and relevante.uses_current:
        at(
            "relevante",
            "no puede usar '.' (esta pregunta aún no tiene respuesta); use ${id} de una "
            "pregunta anterior.",
        )
    if q.mensaje_error is not None and q.restriccion is None:
        at("mensaje_error", "no hay 'restriccion'; agregue la restriccion o borre el mensaje.")
    elif q.mensaje_error is not None:
        for m in REF_IN_TEXT.finditer(q.mensaje_error):
            _reference(found, loc, name, "mensaje_error", m[1], q.id, scope)
    elif q.restriccion is not None:
        at("restriccion", "falta su 'mensaje_error'; escriba qué debe corregir la persona.")
    if q.ayuda is not None and kb_ids is not None and q.ayuda not in kb_ids:
        at(
            "ayuda",
            f"{q.ayuda!r} no está en la base de conocimiento{suggest(q.ayuda, sorted(kb_ids))}.",
        )
    return Checked(pos[0] if len(pos) == 1 else pos[1], q, restriccion, relevante, loc)


def _group(
    found: YamlFile,
    i: int,
    q: QuestionModel,
    checked: Checked,
    subs: list[QuestionModel | None],
    scope: _Scope,
    kb_ids: set[str] | None,
) -> Checked:
    """A grupo: how many times it is asked, its name per repetition, its questions (each
    checked like any question; they may use the grupo's earlier questions and those before
    the grupo) and its export columns."""
    loc = ("preguntas", i)
    name = f"pregunta {q.id!r}"

    def at(key: str, message: str) -> None:
        found.at((*loc, key), f"{name}, clave {key!r}: {message}")

    repeticiones = None
    if q.repeticiones is None:
        found.at(
            loc,
            f"{name}: un grupo necesita 'repeticiones', cuántas veces se pregunta, como "
            "${sesiones_semestre} (una pregunta entero anterior).",
        )
    else:
        repeticiones = _expression(found, loc, name, "repeticiones", q.repeticiones, q.id, scope)
        if repeticiones is not None and repeticiones.uses_current:
            at("repeticiones", "no puede usar '.'; use ${id} de una pregunta entero anterior.")
    if q.rotulo is None:
        found.at(loc, f"{name}: un grupo necesita 'rotulo', como \"Sesión {{n}}\".")
    elif "{n}" not in q.rotulo or re.search(r"\{(?!n\})", q.rotulo):
        at("rotulo", "escriba {n} donde va el número de la repetición, como \"Sesión {n}\".")
    if not q.preguntas:
        found.at(loc, f"{name}: un grupo necesita 'preguntas'; agregue al menos una.")
    inner = []
    for j, sub in enumerate(subs):
        if sub is None:
            continue
        if sub.tipo == "grupo":
            continue  # refused by _question: not a tipo inside a grupo
        before = len(found.problems)
        result = _question(found, (i, j), sub, scope, kb_ids)
        if len(found.problems) == before:
            inner.append(result)
    sub_ids = {s.id: s for s in subs if s is not None}
    columnas = []
    for k, column in enumerate(q.columnas or ()):
        cloc = (*loc, "columnas", k)
        cname = f"{name}, columna {k + 1}"
        if (column.cuenta is None) == (column.ultima is None):
            found.at(cloc, f"{cname}: escriba 'cuenta' (una condición) o 'ultima' (una fecha), "
                     "una de las dos.")
        elif column.ultima is not None:
            sub = sub_ids.get(column.ultima)
            if sub is None or sub.tipo != "fecha":
                fechas = [s.id for s in sub_ids.values() if s.tipo == "fecha"]
                found.at((*cloc, "ultima"), f"{cname}, clave 'ultima': {column.ultima!r} no es "
                         f"una pregunta fecha del grupo{suggest(column.ultima, fechas)}.")
            else:
                columnas.append(Column(column.etiqueta, ultima=column.ultima))
        else:
            try:
                expr = parse(column.cuenta)
            except ExprError as exc:
                found.at((*cloc, "cuenta"), f"{cname}, clave 'cuenta': {column.cuenta!r}: {exc}.")
                continue
            bad = [r.id for r in expr.refs if r.id not in sub_ids]
            if bad:
                found.at((*cloc, "cuenta"), f"{cname}, clave 'cuenta': ${{{bad[0]}}} no es una "
                         f"pregunta del grupo{suggest(bad[0], list(sub_ids))}.")
            else:
                columnas.append(Column(column.etiqueta, cuenta=expr))
    return replace(checked, repeticiones=repeticiones, subs=tuple(inner),
                   columnas=tuple(columnas))


def _options(found: YamlFile, qloc: Loc, name: str, options: list[OptionModel]) -> None:
    seen_valor: dict[str, int] = {}
    seen_label: dict[str, int] = {}
    for j, option in enumerate(options):
        loc = (*qloc, "opciones", j)
        if option.valor in seen_valor:
            found.at(
                (*loc, "valor"),
                f"{name}, opción {j + 1}: el valor {option.valor!r} se repite (línea "
                f"{seen_valor[option.valor]}); cambie uno de los dos.",
            )
        seen_valor.setdefault(option.valor, line_at(found.root, (*loc, "valor")))
        folded = fold(option.etiqueta)
        if folded in seen_label:
            found.at(
                (*loc, "etiqueta"),
                f"{name}, opción {j + 1}: la etiqueta {option.etiqueta!r} repite la de la "
                f"línea {seen_label[folded]}; cambie una de las dos.",
            )
        seen_label.setdefault(folded, line_at(found.root, (*loc, "etiqueta")))


def _expression(
    found: YamlFile,
    loc: Loc,
    name: str,
    key: str,
    text: str | None,
    qid: str,
    scope: _Scope,
) -> Expression | None:
    if text is None:
        return None
    try:
        expr = parse(text)
    except ExprError as exc:
        found.at((*loc, key), f"{name}, clave {key!r}: {text!r}: {exc}.")
        return None
    for ref in expr.refs:
        _reference(found, loc, name, key, ref.id, qid, scope)
    return expr


def _reference(
    found: YamlFile, loc: Loc, name: str, key: str, ref: str, qid: str, scope: _Scope
) -> None:
    def at(message: str) -> None:
        found.at((*loc, key), f"{name}, clave {key!r}: {message}")

    pos = scope.pos.get(qid)
    ref_pos = scope.pos.get(ref)
    ref_group = scope.group_of.get(ref)
    if ref_pos is None:
        at(f"${{{ref}}} no es una pregunta{suggest(ref, list(scope.pos))}.")
    elif ref == qid:
        at("se refiere a su propia pregunta; use '.' para esta respuesta.")
    elif ref_group is not None and ref_group != scope.group_of.get(qid):
        at(
            f"${{{ref}}} es una pregunta del grupo {ref_group!r} y solo se puede usar dentro "
            "de ese grupo."
        )
    elif ref == scope.group_of.get(qid):
        at(f"${{{ref}}} es el grupo de esta pregunta; use una pregunta del grupo o una anterior.")
    elif pos is not None and ref_pos > pos:
        line = line_at(found.root, scope.loc[ref])
        at(
            f"${{{ref}}} viene después (línea {line}); solo se pueden usar respuestas "
            "anteriores."
        )
