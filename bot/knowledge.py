"""The FAQ knowledge base: load `knowledge/faq/*.yaml` and check it thoroughly.

Pure module (no Telegram imports). Each file is checked against bot/schemas/faq.py and every
problem is reported at once, in Spanish, with the file and line of the offending YAML node, so
an editor can fix the whole file in one pass; `load_knowledge` refuses to return a half-valid
knowledge base.

File format (one file per category, named after it)::

    categoria: {id: instancias, titulo: "Instancias de concertación", orden: 3}
    entradas:
      - id: instancia-que-es
        categoria: instancias
        titulo: "..."
        preguntas: ["...", ...]          # at least 8
        palabras_clave: [...]            # optional
        sinonimos: [...]                 # optional
        respuesta: |
          <b>...</b> (Telegram HTML)
        fuentes:
          - {norma: "...", articulo: "art. 1", numeracion: Ley, url: "https://..."}
        revisado: 2026-11-22
        relacionados: [...]              # optional
        verificacion: parcial            # optional: verificado | secundaria | parcial
        linea_de_ayuda: true             # optional, default false
        lista_completa: |                # optional
          <b>...</b> (Telegram HTML)

`verificacion` says how far the answer's facts were checked against the fact sheet; it is shown
at the end of the source line («— verificación parcial»), so a caution reads as a footnote and not
as doubt in the body. `linea_de_ayuda: true` marks help-line and emergency entries: they are sent
without 👍/👎. `lista_completa` holds a long list that the answer only summarises; the bot offers
it behind a "ver la lista completa" button instead of sending it whole.

`orden` (optional) fixes the position of the category in menus; without it, file-name order.
"""

from __future__ import annotations

import html
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from bot.messages import Messages, default_messages
from bot.plural import plural
from bot.schemas.faq import (
    MIN_QUESTIONS,
    NUMERACIONES,
    CategoryModel,
    EntryModel,
    cross_checks,
    normalize_question,
    read,
)
from bot.schemas.messages import SourceTexts
from bot.telegram_html import find_error, split_message, visible_length
from bot.yamlschema import Problem, YamlFile, display_path, line_at

__all__ = ["MIN_QUESTIONS", "NUMERACIONES", "Problem", "normalize_question"]

DEFAULT_DIR = Path(__file__).resolve().parents[1] / "knowledge" / "faq"
TELEGRAM_LIMIT = 4096


@dataclass(frozen=True)
class Source:
    norma: str
    articulo: str | None
    numeracion: str | None
    url: str | None = None


@dataclass(frozen=True)
class Entry:
    id: str
    categoria: str
    titulo: str
    preguntas: tuple[str, ...]
    palabras_clave: tuple[str, ...]
    sinonimos: tuple[str, ...]
    respuesta: str
    fuentes: tuple[Source, ...]
    revisado: date
    relacionados: tuple[str, ...]
    file: str
    line: int
    labels: SourceTexts | None = None  # from mensajes.yaml; None: the repository's file
    verificacion: str | None = None  # verificado | secundaria | parcial, shown in the source line
    linea_de_ayuda: bool = False  # a help line: no 👍/👎 under it, no doubt in its body
    lista_completa: str | None = None  # a long list offered behind "Ver la lista completa"


@dataclass(frozen=True)
class Category:
    id: str
    titulo: str
    entries: tuple[str, ...]  # entry ids in file order


@dataclass(frozen=True)
class KnowledgeBase:
    categories: tuple[Category, ...]
    entries: Mapping[str, Entry] = field(default_factory=dict)

    def by_category(self, cat_id: str) -> list[Entry]:
        """Entries of a category in file order; [] for an unknown category."""
        for cat in self.categories:
            if cat.id == cat_id:
                return [self.entries[e] for e in cat.entries]
        return []

    def category(self, cat_id: str) -> Category | None:
        return next((c for c in self.categories if c.id == cat_id), None)


class KnowledgeError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(str(p) for p in problems[:50])
        more = f"\n... y {len(problems) - 50} más" if len(problems) > 50 else ""
        count = f"{len(problems)} {plural(len(problems), 'problema', 'problemas')}"
        super().__init__(f"{count} en la base de conocimiento:\n{shown}{more}")


# --------------------------------------------------------------------------- formatting


def format_source(src: Source, labels: SourceTexts | None = None) -> str:
    """One source as Telegram HTML, e.g. 'Ley N° 30364, art. 1 (numeración de la Ley)'."""
    labels = labels or default_messages().sources
    norma = html.escape(src.norma, quote=False)
    if src.url:
        norma = f'<a href="{html.escape(src.url, quote=True)}">{norma}</a>'
    text = norma
    if src.articulo:
        text += f", {html.escape(src.articulo, quote=False)}"
        # The Reglamento's own name already tells the numbering; Ley vs TUO never does.
        label = {
            "Ley": labels.numeracion_ley,
            "TUO": labels.numeracion_tuo,
            "Reglamento": labels.numeracion_reglamento,
        }.get(src.numeracion or "")
        if label and not (src.numeracion == "Reglamento" and "reglamento" in src.norma.lower()):
            text += f" ({html.escape(label, quote=False)})"
    return text


def format_answer(entry: Entry) -> str:
    """The answer exactly as the bot sends it: the text plus a final line with its sources."""
    body = entry.respuesta.strip()
    if not entry.fuentes:
        return body
    return f"{body}\n\n{source_line(entry)}"


def source_line(entry: Entry) -> str:
    """'📖 Fuente: … — verificación parcial': the footnote under every answer and list, where
    a caution reads as a footnote, not as doubt in the answer."""
    labels = entry.labels or default_messages().sources
    label = labels.una if len(entry.fuentes) == 1 else labels.varias
    sources = "; ".join(format_source(s, labels) for s in entry.fuentes)
    if entry.verificacion:
        sources += " — " + html.escape(getattr(labels, entry.verificacion), quote=False)
    return f"📖 <i>{html.escape(label, quote=False)}: {sources}</i>"


@lru_cache(maxsize=256)
def list_messages(entry: Entry) -> tuple[str, ...]:
    """The entry's full list with its source line, as messages; () when it has none."""
    if not entry.lista_completa:
        return ()
    return tuple(split_message(f"{entry.lista_completa.strip()}\n\n{source_line(entry)}"))


@lru_cache(maxsize=2048)
def answer_messages(entry: Entry) -> tuple[str, ...]:
    """The answer as the Telegram messages that carry it, computed once per entry version.

    Splitting parses the HTML, which costs more than matching the question: entries are
    immutable, so a reload (new Entry objects) is the only thing that changes the result.
    """
    return tuple(split_message(format_answer(entry)))


# --------------------------------------------------------------------------- loading


def _entries(found: YamlFile, models: list[EntryModel], labels: SourceTexts) -> list[Entry]:
    """The validated entries of one file, with the checks that need the sent answer."""
    entries = []
    for i, e in enumerate(models):
        entry = Entry(
            id=e.id,
            categoria=e.categoria,
            titulo=e.titulo,
            preguntas=tuple(e.preguntas),
            palabras_clave=tuple(e.palabras_clave),
            sinonimos=tuple(e.sinonimos),
            respuesta=e.respuesta,
            fuentes=tuple(Source(s.norma, s.articulo, s.numeracion, s.url) for s in e.fuentes),
            revisado=e.revisado,
            relacionados=tuple(e.relacionados),
            file=found.file,
            line=line_at(found.root, ("entradas", i)),
            labels=labels,
            verificacion=e.verificacion,
            linea_de_ayuda=e.linea_de_ayuda,
            lista_completa=e.lista_completa,
        )
        if e.lista_completa and find_error(e.lista_completa) is not None:
            found.at(
                ("entradas", i, "lista_completa"),
                f"entrada {e.id!r}: 'lista_completa' no es HTML válido de Telegram: "
                f"{find_error(e.lista_completa)}.",
            )
        formatted = format_answer(entry)
        # A broken respuesta was already reported with its own line; only sources remain.
        error = find_error(formatted) if find_error(entry.respuesta) is None else None
        if error is not None:
            found.at(
                ("entradas", i),
                f"entrada {e.id!r}: la respuesta con sus fuentes no es HTML válido: {error}.",
            )
        length = visible_length(formatted)
        if length > TELEGRAM_LIMIT:
            found.at(
                ("entradas", i, "respuesta"),
                f"entrada {e.id!r}, clave 'respuesta': con sus fuentes tiene {length} "
                f"caracteres y Telegram permite {TELEGRAM_LIMIT}; acórtela o divídala en dos "
                "entradas.",
            )
        entries.append(entry)
    return entries


def check_knowledge(
    directory: Path = DEFAULT_DIR, messages: Messages | None = None
) -> tuple[KnowledgeBase | None, list[Problem]]:
    """Check every *.yaml in `directory`; return the knowledge base only if there is no problem.

    `messages` gives the labels of the sources line (the repository's mensajes.yaml if None).
    """
    directory = Path(directory)
    if not directory.is_dir():
        return None, [Problem(display_path(directory), 0, "no existe la carpeta de la base")]
    paths = sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    if not paths:
        return None, [Problem(display_path(directory), 0, "la carpeta no tiene archivos .yaml")]
    labels = (messages or default_messages()).sources
    files: list[tuple[YamlFile, CategoryModel | None, list[EntryModel | None]]] = []
    for path in paths:
        found = YamlFile.read(path)
        files.append((found, *read(found)))
    cross_checks(files)
    categories: list[tuple[int | None, str, Category]] = []
    entries: dict[str, Entry] = {}
    for found, cat, models in files:
        if cat is None or found.problems or None in models:
            continue
        file_entries = _entries(found, models, labels)
        entries.update((e.id, e) for e in file_entries)
        category = Category(cat.id, cat.titulo, tuple(e.id for e in file_entries))
        categories.append((cat.orden, found.file, category))
    problems = sorted(
        (p for found, _, _ in files for p in found.problems),
        key=lambda p: (p.file, p.line, p.message),
    )
    if problems:
        return None, problems
    categories.sort(key=lambda c: (c[0] is None, c[0] or 0, c[1]))
    kb = KnowledgeBase(
        categories=tuple(c for _, _, c in categories), entries=MappingProxyType(entries)
    )
    return kb, []


def load_knowledge(
    directory: Path = DEFAULT_DIR, messages: Messages | None = None
) -> KnowledgeBase:
    """The knowledge base, or KnowledgeError listing every problem found."""
    kb, problems = check_knowledge(directory, messages)
    if kb is None:
        raise KnowledgeError(problems)
    return kb


def main(argv: list[str] | None = None) -> int:
    """`python -m bot.knowledge [DIR]`: print every problem, exit 1 if any."""
    args = sys.argv[1:] if argv is None else argv
    directory = Path(args[0]) if args else DEFAULT_DIR
    kb, problems = check_knowledge(directory)
    for problem in problems:
        print(problem)
    if kb is None:
        print(f"{len(problems)} {plural(len(problems), 'problema', 'problemas')}", file=sys.stderr)
        return 1
    counts = ", ".join(f"{c.id} {len(c.entries)}" for c in kb.categories)
    print(f"OK: {len(kb.entries)} entradas ({counts})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
