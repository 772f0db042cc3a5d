"""The FAQ knowledge base: load `knowledge/faq/*.yaml` and check it thoroughly.

Pure module (no Telegram imports). The checker reports every problem at once, each with the
file and line of the offending YAML node, so an editor can fix the whole file in one pass;
`load_knowledge` refuses to return a half-valid knowledge base.

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
import re
import sys
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from bot.telegram_html import find_error, split_message, visible_length
from bot.yamlcheck import (
    NodeChecker,
    Problem,
    display_path,
    line_of,
    suggest,
)

DEFAULT_DIR = Path(__file__).resolve().parents[1] / "knowledge" / "faq"
TELEGRAM_LIMIT = 4096
MIN_QUESTIONS = 8
NUMERACIONES = ("Ley", "TUO", "Reglamento")

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# An `articulo` of Ley 30364, its TUO or its Reglamento must say which numbering it uses.
_ARTICLE_RE = re.compile(r"\b(art[íi]?culos?|arts?)\b\.?\s*\d", re.IGNORECASE)

_ENTRY_REQUIRED = ("id", "categoria", "titulo", "preguntas", "respuesta", "fuentes", "revisado")
_ENTRY_OPTIONAL = ("palabras_clave", "sinonimos", "relacionados")
_ENTRY_OPTIONAL_SCALARS = ("verificacion", "linea_de_ayuda", "lista_completa")
VERIFICACIONES = {
    "verificado": "verificado",
    "secundaria": "fuente secundaria",
    "parcial": "verificación parcial",
}
_SOURCE_REQUIRED = ("norma", "articulo", "numeracion")
_SOURCE_OPTIONAL = ("url",)
_CATEGORY_REQUIRED = ("id", "titulo")
_CATEGORY_OPTIONAL = ("orden",)
_TOP_KEYS = ("categoria", "entradas")

_NUMERACION_LABEL = {
    "Ley": "numeración de la Ley",
    "TUO": "numeración del TUO",
    "Reglamento": "numeración del Reglamento",
}


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
    verificacion: str | None = None  # a key of VERIFICACIONES
    linea_de_ayuda: bool = False
    lista_completa: str | None = None


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
        more = f"\n... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s) in the knowledge base:\n{shown}{more}")


# --------------------------------------------------------------------------- formatting


def format_source(src: Source) -> str:
    """One source as Telegram HTML, e.g. 'Ley N° 30364, art. 1 (numeración de la Ley)'."""
    norma = html.escape(src.norma, quote=False)
    if src.url:
        norma = f'<a href="{html.escape(src.url, quote=True)}">{norma}</a>'
    text = norma
    if src.articulo:
        text += f", {html.escape(src.articulo, quote=False)}"
        # The Reglamento's own name already tells the numbering; Ley vs TUO never does.
        label = _NUMERACION_LABEL.get(src.numeracion or "")
        if label and not (src.numeracion == "Reglamento" and "reglamento" in src.norma.lower()):
            text += f" ({label})"
    return text


def format_answer(entry: Entry) -> str:
    """The answer exactly as the bot sends it: the text plus a final line with its sources."""
    body = entry.respuesta.strip()
    if not entry.fuentes:
        return body
    return f"{body}\n\n{source_line(entry)}"


def source_line(entry: Entry) -> str:
    """'📖 Fuente: … — verificación parcial', the footnote closing every answer and list."""
    label = "Fuente" if len(entry.fuentes) == 1 else "Fuentes"
    sources = "; ".join(format_source(s) for s in entry.fuentes)
    state = VERIFICACIONES.get(entry.verificacion or "")
    if state:
        sources += f" — {state}"
    return f"📖 <i>{label}: {sources}</i>"


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


def normalize_question(text: str) -> str:
    """Lowercase, no accents, no punctuation, single spaces: how duplicates are compared."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    no_marks = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", no_marks).split())


# --------------------------------------------------------------------------- checking


class _FileChecker(NodeChecker):
    """Checks one YAML file and turns it into entries; collects problems as it goes."""

    def text(self, node: yaml.Node, what: str, *, allow_null: bool = False) -> str | None:
        """A non-empty string scalar, or None after reporting."""
        if isinstance(node, yaml.ScalarNode):
            val = self.value(node)
            if val is None and allow_null:
                return None
            if isinstance(val, str) and val.strip():
                return val
            if isinstance(val, str):
                self.add(line_of(node), f"{what} is empty")
                return None
        self.add(line_of(node), f"{what} must be text (quote it if needed)")
        return None

    def text_list(self, node: yaml.Node, what: str) -> list[tuple[str, yaml.Node]] | None:
        if not isinstance(node, yaml.SequenceNode):
            self.add(line_of(node), f"{what} must be a list")
            return None
        items = []
        for item in node.value:
            val = self.text(item, f"an item of {what}")
            if val is not None:
                items.append((val.strip(), item))
        return items

    # ------------------------------------------------------------------ file level

    def check(self) -> tuple[dict[str, Any] | None, list[tuple[dict[str, Any], bool]]]:
        """Returns (category info, [(entry fields, whether the entry is complete)])."""
        root = self.compose("'categoria' and 'entradas'")
        if root is None:
            return None, []
        top = self.mapping(root, "the file", _TOP_KEYS, ())
        if top is None:
            return None, []
        category = self.check_category(top.get("categoria"))
        entries: list[tuple[dict[str, Any], bool]] = []
        entradas = top.get("entradas")
        if entradas is not None:
            if not isinstance(entradas, yaml.SequenceNode) or not entradas.value:
                self.add(line_of(entradas), "'entradas' must be a non-empty list of entries")
            else:
                cat_id = category["id"] if category else None
                for node in entradas.value:
                    entry = self.check_entry(node, cat_id)
                    if entry is not None:
                        entries.append(entry)
        return category, entries

    def check_category(self, node: yaml.Node | None) -> dict[str, Any] | None:
        if node is None:
            return None
        keys = self.mapping(node, "'categoria'", _CATEGORY_REQUIRED, _CATEGORY_OPTIONAL)
        if keys is None or "id" not in keys or "titulo" not in keys:
            return None
        cat_id = self.text(keys["id"], "category 'id'")
        titulo = self.text(keys["titulo"], "category 'titulo'")
        orden = None
        if "orden" in keys:
            orden = self.value(keys["orden"])
            if not isinstance(orden, int) or isinstance(orden, bool):
                self.add(line_of(keys["orden"]), "category 'orden' must be a whole number")
                orden = None
        if cat_id is None or titulo is None:
            return None
        if not _ID_RE.match(cat_id):
            self.add(line_of(keys["id"]), f"category id {cat_id!r}: use lowercase, digits, hyphens")
        if self.path.stem != cat_id:
            self.add(
                line_of(keys["id"]),
                f"category {cat_id!r} is in {self.path.name}; rename the file to {cat_id}.yaml",
            )
        return {"id": cat_id, "titulo": titulo.strip(), "orden": orden, "line": line_of(node)}

    # ------------------------------------------------------------------ entry level

    def check_entry(self, node: yaml.Node, cat_id: str | None):
        what = "an entry"
        if isinstance(node, yaml.MappingNode):
            # Name the entry in messages about its keys when its id is readable.
            for k, v in node.value:
                if getattr(k, "value", None) == "id" and isinstance(v, yaml.ScalarNode):
                    what = f"entry {v.value!r}"
        keys = self.mapping(node, what, _ENTRY_REQUIRED, _ENTRY_OPTIONAL + _ENTRY_OPTIONAL_SCALARS)
        if keys is None:
            return None
        line = line_of(node)
        fields: dict[str, Any] = {"line": line}
        ok = True

        entry_id = self.text(keys["id"], "'id'") if "id" in keys else None
        if entry_id is not None and not _ID_RE.match(entry_id):
            self.add(
                line_of(keys["id"]),
                f"id {entry_id!r}: use only lowercase letters, digits and single hyphens",
            )
            entry_id = None
        fields["id"] = entry_id
        label = f"entry {entry_id!r}" if entry_id else "entry"
        ok &= entry_id is not None

        if "categoria" in keys:
            cat = self.text(keys["categoria"], f"{label}: 'categoria'")
            if cat is not None and cat_id is not None and cat != cat_id:
                self.add(
                    line_of(keys["categoria"]),
                    f"{label} has categoria {cat!r} but this file is {cat_id!r}; "
                    f"move it to {cat}.yaml or fix 'categoria'",
                )
            fields["categoria"] = cat_id
        ok &= cat_id is not None

        fields["titulo"] = None
        if "titulo" in keys:
            fields["titulo"] = self.text(keys["titulo"], f"{label}: 'titulo'")
        ok &= fields["titulo"] is not None

        questions = None
        if "preguntas" in keys:
            questions = self.text_list(keys["preguntas"], f"{label}: 'preguntas'")
            if questions is not None and len(questions) < MIN_QUESTIONS:
                self.add(
                    line_of(keys["preguntas"]),
                    f"{label} has {len(questions)} preguntas; write at least {MIN_QUESTIONS} "
                    "different wordings",
                )
        fields["preguntas"] = questions
        ok &= questions is not None

        for key in _ENTRY_OPTIONAL:
            items = self.text_list(keys[key], f"{label}: {key!r}") if key in keys else []
            fields[key] = items
            ok &= items is not None

        fields["respuesta"] = None
        if "respuesta" in keys:
            answer = self.text(keys["respuesta"], f"{label}: 'respuesta'")
            if answer is not None:
                self.check_html(answer, keys["respuesta"], label)
            fields["respuesta"] = answer
        ok &= fields["respuesta"] is not None

        sources = None
        if "fuentes" in keys:
            sources = self.check_sources(keys["fuentes"], label)
        fields["fuentes"] = sources
        ok &= sources is not None

        fields["revisado"] = None
        if "revisado" in keys:
            rev_node = keys["revisado"]
            rev = self.value(rev_node) if isinstance(rev_node, yaml.ScalarNode) else None
            if isinstance(rev, datetime) or not isinstance(rev, date):
                self.add(
                    line_of(keys["revisado"]),
                    f"{label}: 'revisado' must be a date written as YYYY-MM-DD, without quotes",
                )
            else:
                fields["revisado"] = rev
        ok &= fields["revisado"] is not None

        self.check_extras(keys, label, fields)

        fields["_nodes"] = keys
        # Returned even when incomplete so that its id still counts for duplicate and
        # 'relacionados' checks; only complete entries become Entry objects.
        return (fields, ok) if entry_id is not None else None

    def check_extras(self, keys: dict[str, yaml.Node], label: str, fields: dict) -> None:
        """The optional scalar keys; a bad one is reported and left at its default."""
        fields["verificacion"] = None
        if "verificacion" in keys:
            state = self.value(keys["verificacion"])
            if state in VERIFICACIONES:
                fields["verificacion"] = state
            else:
                self.add(
                    line_of(keys["verificacion"]),
                    f"{label}: verificacion {state!r} must be one of "
                    f"{', '.join(VERIFICACIONES)}{suggest(str(state), tuple(VERIFICACIONES))}",
                )
        fields["linea_de_ayuda"] = False
        if "linea_de_ayuda" in keys:
            flag = self.value(keys["linea_de_ayuda"])
            if isinstance(flag, bool):
                fields["linea_de_ayuda"] = flag
            else:
                self.add(
                    line_of(keys["linea_de_ayuda"]),
                    f"{label}: linea_de_ayuda must be true or false",
                )
        fields["lista_completa"] = None
        if "lista_completa" in keys:
            text = self.text(keys["lista_completa"], f"{label}: 'lista_completa'")
            if text is not None:
                self.check_html(text, keys["lista_completa"], label, "lista_completa")
                fields["lista_completa"] = text.strip()

    def check_html(
        self, answer: str, node: yaml.Node, label: str, key: str = "respuesta"
    ) -> None:
        error = find_error(answer)
        if error is None:
            return
        line = line_of(node)
        # In a block scalar (| or >-style) the text starts on the line after the indicator;
        # for literal blocks the HTML line maps 1:1 onto file lines.
        if isinstance(node, yaml.ScalarNode) and node.style == "|":
            line += error.line
        self.add(line, f"{label}: {key!r} is not valid Telegram HTML: {error.reason}")

    def check_sources(self, node: yaml.Node, label: str) -> list[Source] | None:
        if not isinstance(node, yaml.SequenceNode):
            self.add(line_of(node), f"{label}: 'fuentes' must be a list of sources")
            return None
        if not node.value:
            self.add(line_of(node), f"{label} has no fuentes; cite at least one norma or page")
            return None
        sources: list[Source] = []
        ok = True
        for item in node.value:
            keys = self.mapping(item, f"a source of {label}", _SOURCE_REQUIRED, _SOURCE_OPTIONAL)
            if keys is None or any(k not in keys for k in _SOURCE_REQUIRED):
                ok = False
                continue
            norma = self.text(keys["norma"], f"{label}: source 'norma'")
            articulo = self.text(keys["articulo"], f"{label}: source 'articulo'", allow_null=True)
            numeracion = self.value(keys["numeracion"])
            url = None
            if "url" in keys:
                url = self.text(keys["url"], f"{label}: source 'url'", allow_null=True)
                if url is not None and not url.startswith(("https://", "http://")):
                    self.add(line_of(keys["url"]), f"{label}: source url must start with https://")
                    ok = False
            if numeracion is not None and numeracion not in NUMERACIONES:
                self.add(
                    line_of(keys["numeracion"]),
                    f"{label}: numeracion {numeracion!r} must be one of "
                    f"{', '.join(NUMERACIONES)} or null{suggest(str(numeracion), NUMERACIONES)}",
                )
                ok = False
                continue
            # Only Ley 30364 has competing numberings (Ley, TUO, Reglamento); an article of
            # another norma (an R.M., Ley 31621...) is unambiguous.
            if (
                articulo
                and numeracion is None
                and _ARTICLE_RE.search(articulo)
                and "30364" in (norma or "")
            ):
                self.add(
                    line_of(keys["numeracion"]),
                    f"{label}: {articulo!r} names an article; say its numeracion "
                    "(Ley, TUO or Reglamento)",
                )
                ok = False
            if articulo is None and numeracion is not None:
                self.add(
                    line_of(keys["numeracion"]),
                    f"{label}: numeracion {numeracion!r} given but 'articulo' is null",
                )
                ok = False
            if norma is None:
                ok = False
                continue
            sources.append(Source(norma.strip(), articulo, numeracion, url))
        return sources if ok else None


def check_knowledge(directory: Path = DEFAULT_DIR) -> tuple[KnowledgeBase | None, list[Problem]]:
    """Check every *.yaml in `directory`; return the knowledge base only if there is no problem."""
    directory = Path(directory)
    problems: list[Problem] = []
    if not directory.is_dir():
        return None, [Problem(display_path(directory), 0, "knowledge directory not found")]
    files = sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    if not files:
        return None, [Problem(display_path(directory), 0, "no .yaml files in the directory")]

    categories: list[tuple[dict[str, Any], str, list[str]]] = []
    entries: dict[str, Entry] = {}
    raw_entries: list[tuple[_FileChecker, dict[str, Any]]] = []
    seen_cats: dict[str, str] = {}
    seen_ids: dict[str, str] = {}

    for path in files:
        checker = _FileChecker(path, problems)
        category, file_entries = checker.check()
        if category is not None:
            if category["id"] in seen_cats:
                checker.add(
                    category["line"],
                    f"category {category['id']!r} is also defined in {seen_cats[category['id']]}",
                )
            else:
                seen_cats[category["id"]] = f"{checker.file}:{category['line']}"
        ids: list[str] = []
        for fields, complete in file_entries:
            eid = fields["id"]
            if eid in seen_ids:
                checker.add(
                    line_of(fields["_nodes"]["id"]),
                    f"duplicate id {eid!r} (first defined at {seen_ids[eid]}); rename one",
                )
                continue
            seen_ids[eid] = f"{checker.file}:{fields['line']}"
            ids.append(eid)
            if complete:
                raw_entries.append((checker, fields))
        if category is not None:
            categories.append((category, checker.file, ids))

    # Cross-entry checks need every id first.
    all_ids = list(seen_ids)
    seen_questions: dict[str, tuple[str, str]] = {}  # normalised -> (entry id, file:line)
    for checker, fields in raw_entries:
        eid = fields["id"]
        for question, node in fields["preguntas"]:
            key = normalize_question(question)
            if not key:
                checker.add(line_of(node), f"entry {eid!r}: question {question!r} has no words")
                continue
            if key in seen_questions:
                other, where = seen_questions[key]
                where_msg = "earlier in this entry" if other == eid else f"in {other!r} ({where})"
                checker.add(
                    line_of(node),
                    f"entry {eid!r}: question {question!r} is already {where_msg}; "
                    "keep it in one entry only",
                )
            else:
                seen_questions[key] = (eid, f"{checker.file}:{line_of(node)}")
        for rel, node in fields["relacionados"]:
            if rel == eid:
                checker.add(line_of(node), f"entry {eid!r} lists itself in 'relacionados'")
            elif rel not in seen_ids:
                checker.add(
                    line_of(node),
                    f"'relacionados' names {rel!r}, which does not exist{suggest(rel, all_ids)}",
                )
        entry = Entry(
            id=eid,
            categoria=fields["categoria"],
            titulo=fields["titulo"].strip(),
            preguntas=tuple(q for q, _ in fields["preguntas"]),
            palabras_clave=tuple(q for q, _ in fields["palabras_clave"]),
            sinonimos=tuple(q for q, _ in fields["sinonimos"]),
            respuesta=fields["respuesta"].strip(),
            fuentes=tuple(fields["fuentes"]),
            revisado=fields["revisado"],
            relacionados=tuple(r for r, _ in fields["relacionados"]),
            file=checker.file,
            line=fields["line"],
            verificacion=fields["verificacion"],
            linea_de_ayuda=fields["linea_de_ayuda"],
            lista_completa=fields["lista_completa"],
        )
        formatted = format_answer(entry)
        # A broken respuesta was already reported with its own line; only sources remain.
        error = find_error(formatted) if find_error(entry.respuesta) is None else None
        if error is not None:
            checker.add(entry.line, f"entry {eid!r}: formatted answer is not valid HTML: {error}")
        length = visible_length(formatted)
        if length > TELEGRAM_LIMIT:
            checker.add(
                line_of(fields["_nodes"]["respuesta"]),
                f"entry {eid!r}: answer is {length} characters with its sources; Telegram allows "
                f"{TELEGRAM_LIMIT}: shorten it or split it into two entries",
            )
        entries[eid] = entry

    problems.sort(key=lambda p: (p.file, p.line, p.message))
    if problems:
        return None, problems
    categories.sort(key=lambda c: (c[0]["orden"] is None, c[0]["orden"] or 0, c[1]))
    kb = KnowledgeBase(
        categories=tuple(Category(c["id"], c["titulo"], tuple(ids)) for c, _, ids in categories),
        entries=MappingProxyType(entries),
    )
    return kb, []


def load_knowledge(directory: Path = DEFAULT_DIR) -> KnowledgeBase:
    """The knowledge base, or KnowledgeError listing every problem found."""
    kb, problems = check_knowledge(directory)
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
        print(f"{len(problems)} problem(s)", file=sys.stderr)
        return 1
    counts = ", ".join(f"{c.id} {len(c.entries)}" for c in kb.categories)
    print(f"OK: {len(kb.entries)} entries ({counts})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
