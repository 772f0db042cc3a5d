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
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from bot.survey_expr import ExprError, Expression, parse
from bot.telegram_html import find_error
from bot.yamlschema import YamlFile, line_at, suggest, validate

TIPOS = ("si_no", "opcion", "multiple", "entero", "fecha", "texto", "archivo")
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


class QuestionModel(_Model):
    id: Annotated[Text, _matches(_ID_RE, "use minúsculas, cifras y _, como 'ordenanza_fecha'")]
    tipo: Literal["si_no", "opcion", "multiple", "entero", "fecha", "texto", "archivo"] = Field(
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


class SurveyFile(_Model):
    version: Text = Field(description="escriba la versión entre comillas, como \"2026.1\"")
    titulo: Text = Field(description="escriba el título de la encuesta")
    # Each item is a QuestionModel, validated one by one so that one broken question does not
    # hide the checks of the others.
    preguntas: list[Any] = Field(min_length=1, description="agregue al menos una pregunta")


NOUNS = {"preguntas": "pregunta", "opciones": "opción"}


@dataclass(frozen=True)
class Checked:
    """A question that passed every check, with its expressions parsed."""

    index: int
    model: QuestionModel
    restriccion: Expression | None
    relevante: Expression | None


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


def check_questions(
    found: YamlFile, raw: list[Any], models: list[QuestionModel | None], kb_ids: set[str] | None
) -> list[Checked]:
    # Ids and positions first, so references can be checked both ways.
    order: dict[str, int] = {}
    for i, item in enumerate(raw):
        qid = models[i].id if models[i] is not None else (
            item.get("id") if isinstance(item, dict) and isinstance(item.get("id"), str) else None
        )
        if qid is None:
            continue
        if qid in order:
            first = line_at(found.root, ("preguntas", order[qid]))
            found.at(
                ("preguntas", i, "id"),
                f"pregunta {qid!r}: el id se repite (la primera está en la línea {first}); "
                "cambie uno de los dos.",
            )
            models[i] = None
        else:
            order[qid] = i
    checked = []
    for i, q in enumerate(models):
        if q is not None:
            before = len(found.problems)
            result = _question(found, i, q, order, kb_ids)
            if len(found.problems) == before:
                checked.append(result)
    return checked


def _question(
    found: YamlFile, i: int, q: QuestionModel, order: dict[str, int], kb_ids: set[str] | None
) -> Checked:
    name = f"pregunta {q.id!r}"

    def at(key: str, message: str) -> None:
        found.at(("preguntas", i, key), f"{name}, clave {key!r}: {message}")

    if q.tipo in ("opcion", "multiple"):
        if q.opciones is None:
            found.at(
                ("preguntas", i),
                f"{name}: el tipo {q.tipo} necesita 'opciones'; agregue una lista de "
                "{valor: ..., etiqueta: \"...\"}.",
            )
        elif len(q.opciones) < 2:
            at("opciones", "tiene menos de 2 opciones; agregue al menos 2.")
        else:
            _options(found, i, name, q.opciones)
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

    restriccion = _expression(found, i, name, "restriccion", q.restriccion, q.id, order)
    relevante = _expression(found, i, name, "relevante", q.relevante, q.id, order)
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
            _reference(found, i, name, "mensaje_error", m[1], q.id, order)
    elif q.restriccion is not None:
        at("restriccion", "falta su 'mensaje_error'; escriba qué debe corregir la persona.")
    if q.ayuda is not None and kb_ids is not None and q.ayuda not in kb_ids:
        at(
            "ayuda",
            f"{q.ayuda!r} no está en la base de conocimiento{suggest(q.ayuda, sorted(kb_ids))}.",
        )
    return Checked(i, q, restriccion, relevante)


def _options(found: YamlFile, i: int, name: str, options: list[OptionModel]) -> None:
    seen_valor: dict[str, int] = {}
    seen_label: dict[str, int] = {}
    for j, option in enumerate(options):
        loc = ("preguntas", i, "opciones", j)
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
    i: int,
    name: str,
    key: str,
    text: str | None,
    qid: str,
    order: dict[str, int],
) -> Expression | None:
    if text is None:
        return None
    try:
        expr = parse(text)
    except ExprError as exc:
        found.at(("preguntas", i, key), f"{name}, clave {key!r}: {text!r}: {exc}.")
        return None
    for ref in expr.refs:
        _reference(found, i, name, key, ref.id, qid, order)
    return expr


def _reference(
    found: YamlFile, i: int, name: str, key: str, ref: str, qid: str, order: dict[str, int]
) -> None:
    def at(message: str) -> None:
        found.at(("preguntas", i, key), f"{name}, clave {key!r}: {message}")

    if ref not in order:
        at(f"${{{ref}}} no es una pregunta{suggest(ref, list(order))}.")
    elif ref == qid:
        at("se refiere a su propia pregunta; use '.' para esta respuesta.")
    elif order[ref] > i:
        line = line_at(found.root, ("preguntas", order[ref]))
        at(
            f"${{{ref}}} viene después (línea {line}); solo se pueden usar respuestas "
            "anteriores."
        )
