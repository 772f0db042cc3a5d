"""knowledge/faq/*.yaml: one file per category, its entries, and the checks across entries.

The models say what one file holds; `cross_checks` covers what a model cannot see alone
(ids across files, the same question in two entries, 'relacionados', the answer as sent).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
)
from pydantic import Strict as _Strict

from bot.telegram_html import find_error
from bot.yamlschema import YamlFile, line_at, suggest, validate

MIN_QUESTIONS = 8
NUMERACIONES = ("Ley", "TUO", "Reglamento")

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# An `articulo` of Ley 30364, its TUO or its Reglamento must say which numbering it uses.
ARTICLE_RE = re.compile(r"\b(art[íi]?culos?|arts?)\b\.?\s*\d", re.IGNORECASE)


def _id(value: str) -> str:
    if not _ID_RE.match(value):
        raise ValueError(
            f"{value!r} no sirve como id; use solo minúsculas, cifras y guiones simples, "
            "como 'ley-30364-objeto'"
        )
    return value


def _url(value: str | None) -> str | None:
    if value is not None and not value.startswith(("https://", "http://")):
        raise ValueError(f"{value!r} no es una dirección web; debe empezar con https://")
    return value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Id = Annotated[str, AfterValidator(_id)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceModel(_Model):
    norma: Text = Field(description="escriba la norma, como \"Ley N° 30364\"")
    articulo: Text | None = Field(
        description="escriba el artículo, como \"art. 1\", o null si cita la norma entera"
    )
    numeracion: Literal["Ley", "TUO", "Reglamento"] | None = Field(
        description="escriba Ley, TUO o Reglamento (la numeración del artículo), o null"
    )
    url: Annotated[str | None, AfterValidator(_url)] = None


class EntryModel(_Model):
    id: Id = Field(description="un id en minúsculas con guiones, como 'ley-30364-objeto'")
    categoria: Text = Field(description="escriba el id de la categoría de este archivo")
    titulo: Text = Field(description="escriba un título corto")
    preguntas: list[Text] = Field(
        min_length=MIN_QUESTIONS,
        description=f"escriba al menos {MIN_QUESTIONS} formas distintas de hacer la pregunta",
    )
    palabras_clave: list[Text] = []
    sinonimos: list[Text] = []
    respuesta: Text = Field(description="escriba la respuesta (HTML de Telegram)")
    fuentes: list[SourceModel] = Field(
        min_length=1, description="agregue al menos una fuente con norma y artículo"
    )
    revisado: Annotated[date, _Strict()] = Field(
        description="escriba la fecha de revisión como AAAA-MM-DD, sin comillas"
    )
    relacionados: list[Id] = []
    verificacion: Literal["verificado", "secundaria", "parcial"] | None = Field(
        None, description="escriba verificado, secundaria o parcial"
    )
    linea_de_ayuda: StrictBool = Field(
        False, description="escriba true o false: una línea de ayuda va sin 👍/👎"
    )
    lista_completa: Text | None = Field(
        None, description="escriba la lista completa (HTML de Telegram) o quite la clave"
    )


class CategoryModel(_Model):
    id: Id = Field(description="el id de la categoría, igual al nombre del archivo")
    titulo: Text = Field(description="escriba el título de la categoría")
    orden: StrictInt | None = Field(None, description="un número entero: su lugar en el menú")


class FaqFile(_Model):
    categoria: CategoryModel = Field(
        description="escriba categoria: {id: ..., titulo: \"...\"} al inicio del archivo"
    )
    # Each item is an EntryModel, validated one by one (`validate(..., prefix=...)`) so that
    # one broken entry does not hide the checks of the others.
    entradas: list[Any] = Field(min_length=1, description="agregue al menos una entrada")


# Lists whose items are named in problems ("entrada 'x', fuente 2, clave 'norma'").
NOUNS = {"entradas": "entrada", "fuentes": "fuente", "preguntas": "pregunta"}


def check_sources(found: YamlFile, index: int, entry: EntryModel) -> None:
    """Numbering rules a single source cannot be typed with."""
    for s, src in enumerate(entry.fuentes):
        loc = ("entradas", index, "fuentes", s, "numeracion")
        named = f"entrada {entry.id!r}, fuente {s + 1}, clave 'numeracion'"
        # Only Ley 30364 has competing numberings (Ley, TUO, Reglamento); an article of
        # another norma (an R.M., Ley 31621...) is unambiguous.
        if (
            src.articulo
            and src.numeracion is None
            and ARTICLE_RE.search(src.articulo)
            and "30364" in src.norma
        ):
            found.at(
                loc,
                f"{named}: {src.articulo!r} cita un artículo; diga de qué numeración es "
                "(Ley, TUO o Reglamento).",
            )
        if src.articulo is None and src.numeracion is not None:
            found.at(
                loc,
                f"{named}: dice {src.numeracion!r} pero 'articulo' es null; escriba el "
                "artículo o ponga numeracion: null.",
            )


def check_html(found: YamlFile, index: int, entry: EntryModel) -> None:
    """The answer must be Telegram HTML; the problem points at the line inside the block."""
    error = find_error(entry.respuesta)
    if error is None:
        return
    loc = ("entradas", index, "respuesta")
    node = found.node(loc)
    # In a literal block (|) the HTML's lines map 1:1 onto the file's, from the next line.
    offset = error.line if node is not None and getattr(node, "style", None) == "|" else 0
    found.at(
        loc,
        f"entrada {entry.id!r}, clave 'respuesta': no es HTML válido de Telegram: "
        f"{error.reason}.",
        offset=offset,
    )


def read(found: YamlFile) -> tuple[CategoryModel | None, list[EntryModel | None]]:
    """One file's category and entries (None where broken); problems go to `found`."""
    if found.problems:
        return None, []
    top = validate(found, FaqFile, NOUNS)
    if top is None:
        return None, []
    entries = [
        validate(found, EntryModel, NOUNS, prefix=("entradas", i))
        for i in range(len(top.entradas))
    ]
    return top.categoria, entries


def cross_checks(files: list[tuple[YamlFile, CategoryModel | None, list[EntryModel | None]]]):
    """Checks across entries and files; problems go to each file's list."""
    seen_cats: dict[str, str] = {}
    seen_ids: dict[str, str] = {}
    valid: list[tuple[YamlFile, int, EntryModel]] = []
    for found, cat, entries in files:
        if cat is not None:
            if found.path.stem != cat.id:
                found.at(
                    ("categoria", "id"),
                    f"categoría {cat.id!r}: está en {found.path.name}; cambie el nombre del "
                    f"archivo a {cat.id}.yaml.",
                )
            if cat.id in seen_cats:
                found.at(
                    ("categoria",),
                    f"categoría {cat.id!r}: ya está definida en {seen_cats[cat.id]}; "
                    "use otro id.",
                )
            seen_cats.setdefault(cat.id, f"{found.file}:{line_at(found.root, ('categoria',))}")
        for i, entry in enumerate(entries):
            where = f"{found.file}:{line_at(found.root, ('entradas', i))}"
            if entry is None:
                # Still count a broken entry's id, so 'relacionados' is not wrong twice.
                raw = found.data["entradas"][i]
                if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                    seen_ids.setdefault(raw["id"], where)
                continue
            if cat is not None and entry.categoria != cat.id:
                found.at(
                    ("entradas", i, "categoria"),
                    f"entrada {entry.id!r}, clave 'categoria': dice {entry.categoria!r} pero "
                    f"este archivo es {cat.id!r}; mueva la entrada a {entry.categoria}.yaml o "
                    "corrija 'categoria'.",
                )
            if entry.id in seen_ids:
                found.at(
                    ("entradas", i, "id"),
                    f"entrada {entry.id!r}: el id se repite (ya está en {seen_ids[entry.id]}); "
                    "cambie uno de los dos.",
                )
                continue
            seen_ids[entry.id] = where
            check_sources(found, i, entry)
            check_html(found, i, entry)
            valid.append((found, i, entry))

    all_ids = list(seen_ids)
    # A file that is not even YAML hides its ids: "does not exist" would be a guess.
    ids_known = all(found.root is not None for found, _, _ in files)
    seen_questions: dict[str, tuple[str, str]] = {}  # normalised -> (entry id, file:line)
    for found, i, entry in valid:
        for j, question in enumerate(entry.preguntas):
            loc = ("entradas", i, "preguntas", j)
            key = normalize_question(question)
            if not key:
                found.at(loc, f"entrada {entry.id!r}: la pregunta {question!r} no tiene palabras.")
                continue
            if key in seen_questions:
                other, where = seen_questions[key]
                in_ = f"en {other!r} ({where})"
                if other == entry.id:
                    in_ = "antes en esta misma entrada"
                found.at(
                    loc,
                    f"entrada {entry.id!r}: la pregunta {question!r} ya está {in_}; déjela en "
                    "una sola entrada.",
                )
            else:
                seen_questions[key] = (entry.id, f"{found.file}:{line_at(found.root, loc)}")
        for j, rel in enumerate(entry.relacionados):
            loc = ("entradas", i, "relacionados", j)
            if rel == entry.id:
                found.at(loc, f"entrada {entry.id!r}, clave 'relacionados': se nombra a sí misma.")
            elif rel not in seen_ids and ids_known:
                found.at(
                    loc,
                    f"entrada {entry.id!r}, clave 'relacionados': {rel!r} no existe"
                    f"{suggest(rel, all_ids)}.",
                )


def normalize_question(text: str) -> str:
    """Lowercase, no accents, no punctuation, single spaces: how duplicates are compared."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    no_marks = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", no_marks).split())
