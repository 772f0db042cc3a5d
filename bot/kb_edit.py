"""Write an approved proposal into knowledge/faq/*.yaml as text, keeping the file as staff wrote it.

PyYAML cannot write a file back with its comments, quoting and blank lines, so nothing here
dumps YAML: the change is a text insertion at a place the loader's own marks give (the line
after an entry's last question; after the category's last entry), and every other byte of the
file stays as it was. Before the file is replaced, the whole folder is checked on a temporary
copy with the check of `python -m bot kb check` (bot/knowledge.py `check_knowledge`); a problem
writes nothing and is returned as that check reports it, naming the real file. The file is then
replaced atomically (a new file beside it, renamed over it), so the bot, a reload or an editor
never sees half of it. One lock serialises edits within the process: two approvals at once
cannot lose one another's change.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import tempfile
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from bot.knowledge import KnowledgeBase, check_knowledge
from bot.messages import Messages
from bot.schemas.faq import NUMERACIONES
from bot.yamlschema import Problem, YamlFile, display_path

_LOCK = threading.Lock()
_PLAIN_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ITEM_PREFIX = re.compile(r"^[ ]*-[ ]+$")


class EditError(Exception):
    """The file has no place for the change (the entry is not there, a layout the insertion
    does not know); Spanish, shown to staff as a problem of that file."""


@dataclass(frozen=True)
class NewEntry:
    id: str
    categoria: str
    titulo: str
    preguntas: tuple[str, ...]
    respuesta: str  # Telegram HTML
    norma: str
    articulo: str | None
    numeracion: str | None  # Ley, TUO, Reglamento or None
    url: str | None
    revisado: date


@dataclass(frozen=True)
class Change:
    """One file's new text, and what the loaded result must show for the edit to be right."""

    path: Path
    before: str
    after: str
    entry_id: str
    question: str  # a question the entry must now hold


# --------------------------------------------------------------------------- text insertion


# What YAML reads as a line break besides \n and \r (JSON leaves them raw): escaped in a
# quoted scalar, a line of its own in a block, so typed text can never become file structure.
_YAML_BREAKS = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's), accents kept as written."""
    out = json.dumps(text, ensure_ascii=False)
    for raw, escaped in _YAML_BREAKS.items():
        out = out.replace(raw, escaped)
    return out


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _offset_after_line(text: str, line: int) -> int:
    """The index just past 0-based `line`, its line break included (one added if missing)."""
    return sum(len(x) for x in _lines(text)[: line + 1])


def _entry_index(found: YamlFile, entry_id: str) -> int | None:
    entries = (found.data or {}).get("entradas") if isinstance(found.data, dict) else None
    for i, raw in enumerate(entries or []):
        if isinstance(raw, dict) and raw.get("id") == entry_id:
            return i
    return None


def read(path: Path) -> YamlFile:
    found = YamlFile.read(path)
    if found.problems:
        raise EditError("; ".join(str(p) for p in found.problems))
    return found


def find_entry_file(faq_dir: Path, entry_id: str) -> Path | None:
    """The category file that holds `entry_id`."""
    for path in sorted(Path(faq_dir).glob("*.yaml")):
        if entry_id not in path.read_text(encoding="utf-8"):
            continue
        found = YamlFile.read(path)
        if not found.problems and _entry_index(found, entry_id) is not None:
            return path
    return None


def with_question(text: str, found: YamlFile, entry_id: str, question: str) -> str:
    """`text` with `question` added as the last item of the entry's `preguntas:` list, written
    the way its last item is (indentation, dash, quotes)."""
    index = _entry_index(found, entry_id)
    if index is None:
        raise EditError(f"la entrada {entry_id!r} no está en {found.file}")
    seq = found.node(("entradas", index, "preguntas"))
    if not isinstance(seq, yaml.SequenceNode):
        raise EditError(f"la entrada {entry_id!r} no tiene una lista 'preguntas' en {found.file}")
    if seq.flow_style:  # preguntas: ["a", "b"]
        if seq.value:
            at = seq.value[-1].end_mark.index
            return text[:at] + ", " + quoted(question) + text[at:]
        at = seq.end_mark.index - 1  # the "]" of "[]"
        return text[:at] + quoted(question) + text[at:]
    if not seq.value:
        raise EditError(f"la lista 'preguntas' de {entry_id!r} está vacía en {found.file}")
    last = seq.value[-1]
    line = _lines(text)[last.start_mark.line]
    prefix = line[: last.start_mark.column]
    if not _ITEM_PREFIX.match(prefix):
        prefix = " " * max(0, last.start_mark.column - 2) + "- "
    value = quoted(question)
    if last.style == "'" and not any(c in question for c in _YAML_BREAKS):
        value = "'" + question.replace("'", "''") + "'"
    end_line = last.end_mark.line - (1 if last.end_mark.column == 0 else 0)
    at = _offset_after_line(text, end_line)
    newline = "\r\n" if line.endswith("\r\n") else "\n"
    head = text[:at]
    if not head.endswith("\n"):  # the question was the file's last line, without a break
        head += newline
    return head + prefix + value + newline + text[at:]


def _literal_block(text: str, indent: str) -> list[str]:
    """Telegram HTML as a `|` block: lines without trailing spaces, blank lines kept empty."""
    # splitlines: every break YAML knows (\x85, U+2028, U+2029 too) ends a line of the block.
    lines = [ln.replace("\t", " ").rstrip() for ln in text.strip().splitlines()]
    return [f"{indent}{ln}" if ln else "" for ln in lines]


def entry_block(entry: NewEntry, item_prefix: str, indent: str) -> str:
    """The entry as the shipped files write one (see knowledge/faq/bot.yaml)."""
    ident = entry.id if _PLAIN_ID.match(entry.id) else quoted(entry.id)
    cat = entry.categoria if _PLAIN_ID.match(entry.categoria) else quoted(entry.categoria)
    source = [f"norma: {quoted(entry.norma)}"]
    source.append(f"articulo: {quoted(entry.articulo) if entry.articulo else 'null'}")
    numeracion = entry.numeracion if entry.numeracion in NUMERACIONES else None
    source.append(f"numeracion: {numeracion or 'null'}")
    if entry.url:
        source.append(f"url: {quoted(entry.url)}")
    inner = indent + "  "
    out = [
        f"{item_prefix}id: {ident}",
        f"{indent}categoria: {cat}",
        f"{indent}titulo: {quoted(entry.titulo)}",
        f"{indent}preguntas:",
        *(f"{inner}- {quoted(q)}" for q in entry.preguntas),
        f"{indent}respuesta: |",
        *_literal_block(entry.respuesta, inner),
        f"{indent}fuentes:",
        f"{inner}- {{{', '.join(source)}}}",
        f"{indent}revisado: {entry.revisado.isoformat()}",
    ]
    return "\n".join(out) + "\n"


def with_entry(text: str, found: YamlFile, entry: NewEntry) -> str:
    """`text` with the entry appended after the file's last entry, one blank line before it,
    indented as the file's first entry is."""
    root = found.root
    if not isinstance(root, yaml.MappingNode):
        raise EditError(f"{found.file} no es un archivo de categoría")
    keys = [k.value for k, _ in root.value]
    if "entradas" not in keys:
        raise EditError(f"{found.file} no tiene 'entradas'")
    position = keys.index("entradas")
    seq = root.value[position][1]
    if not isinstance(seq, yaml.SequenceNode) or seq.flow_style or not seq.value:
        raise EditError(f"'entradas' de {found.file} no es una lista de entradas en bloque")
    first = seq.value[0]
    line = _lines(text)[first.start_mark.line]
    item_prefix = line[: first.start_mark.column]
    if not _ITEM_PREFIX.match(item_prefix):
        item_prefix = " " * max(0, first.start_mark.column - 2) + "- "
    indent = " " * len(item_prefix)
    if position + 1 < len(keys):  # a top-level key after the entries: insert before its line
        at = _offset_after_line(text, root.value[position + 1][0].start_mark.line - 1)
    else:
        at = len(text)
    head, tail = text[:at], text[at:]
    if head and not head.endswith("\n"):
        head += "\n"
    if not head.endswith("\n\n"):
        head += "\n"
    block = entry_block(entry, item_prefix, indent)
    return head + block + ("\n" + tail if tail else "")


# --------------------------------------------------------------------------- checking, writing


def question_change(faq_dir: Path, entry_id: str, question: str) -> Change:
    path = find_entry_file(faq_dir, entry_id)
    if path is None:
        raise EditError(f"la entrada {entry_id!r} no existe en la base de conocimiento")
    found = read(path)
    before = path.read_text(encoding="utf-8")
    return Change(path, before, with_question(before, found, entry_id, question), entry_id,
                  question)  # fmt: skip


def entry_change(faq_dir: Path, entry: NewEntry) -> Change:
    path = Path(faq_dir) / f"{entry.categoria}.yaml"
    if not path.is_file():
        raise EditError(f"no existe la categoría {entry.categoria!r} ({path.name})")
    found = read(path)
    before = path.read_text(encoding="utf-8")
    first = entry.preguntas[0] if entry.preguntas else ""
    return Change(path, before, with_entry(before, found, entry), entry.id, first)


def _shown(problems: list[Problem], copy: Path, faq_dir: Path) -> list[Problem]:
    """The copy's problems as the real files': kb check on the folder says the same."""
    real = display_path(faq_dir)
    return [
        Problem(p.file.replace(str(copy), real), p.line, p.message.replace(str(copy), real))
        for p in problems
    ]


def check(change: Change, messages: Messages | None) -> tuple[KnowledgeBase | None, list[Problem]]:
    """The knowledge base the folder would load with the change, or the check's problems."""
    faq_dir = change.path.parent
    with tempfile.TemporaryDirectory(prefix="concerta-kb-") as tmp:
        copy = Path(tmp) / "faq"
        shutil.copytree(faq_dir, copy, ignore=shutil.ignore_patterns(".*"))
        (copy / change.path.name).write_text(change.after, encoding="utf-8")
        kb, problems = check_knowledge(copy, messages)
        problems = _shown(problems, copy, faq_dir)
    if kb is not None:
        entry = kb.entries.get(change.entry_id)
        if entry is None or (change.question and change.question not in entry.preguntas):
            # The text insertion did not produce what it meant to: never write that.
            wrong = "el cambio no quedó como se esperaba; edite el archivo a mano"
            return None, [Problem(display_path(change.path), 0, wrong)]
    return kb, problems


def write(change: Change, messages: Messages | None) -> list[Problem]:
    """Check the change on a copy and, only if clean, replace the file atomically. Problems
    (nothing written) or []. Refused as well when the file changed since `change` was made."""
    with _LOCK:
        current = change.path.read_text(encoding="utf-8")
        if current != change.before:
            return [Problem(display_path(change.path), 0,
                            "el archivo cambió mientras tanto; vuelva a intentarlo")]  # fmt: skip
        kb, problems = check(change, messages)
        if kb is None:
            return problems
        _replace(change.path, change.after)
        return []


def _replace(path: Path, text: str) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
