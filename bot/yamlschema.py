"""The one reporter for every YAML file: a pydantic error's `loc` becomes file:line, key, fix.

Each YAML file (config.yaml, knowledge/faq/*.yaml, encuesta.yaml, lenguaje.yaml,
mensajes.yaml) has one declared schema (bot/schemas/). A file is read once into its data and
its node tree (which keeps line marks); pydantic validates the data; the reporter walks the
error's `loc` through the node tree to find the line. Checks pydantic cannot express (skip
logic, references between entries) report a `loc` through the same reporter.

Messages for the files staff edit are Spanish and end with the fix, taken from the field's
`description` in the schema, e.g.
`knowledge/faq/ley.yaml:42: entrada 'ley-objeto', clave 'fuentes': falta; agregue al menos
una fuente con norma y artículo.`
"""

from __future__ import annotations

import contextlib
import copy
import difflib
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

Loc = tuple[str | int, ...]
# Another wording (the configuration's English): (error, model holding the key, its field).
Say = Callable[[Mapping[str, Any], Any, Any], str]
# C composer when libyaml is there; the constructor below is PyYAML's either way.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


def display_path(path: Path) -> str:
    """The path as the person typing commands in the repo sees it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def suggest(word: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (¿quiso decir {close[0]!r}?)" if close else ""


class _AsWritten(yaml.constructor.SafeConstructor):
    """Plain scalars stay the text the editor typed (`no`, `2026.1`, `4`); the schema types
    them. Used where a value that looks like a number or a boolean is still a label."""

    def construct_yaml_as_written(self, node: yaml.Node) -> str:
        return self.construct_scalar(node)


for _tag in ("bool", "int", "float", "timestamp"):
    _AsWritten.add_constructor(
        f"tag:yaml.org,2002:{_tag}", _AsWritten.construct_yaml_as_written
    )


class YamlFile:
    """One file read for checking: its data, its node tree and the problems found so far."""

    def __init__(self, path: Path, root: yaml.Node | None, data: Any) -> None:
        self.path = path
        self.file = display_path(path)
        self.root = root
        self.data = data
        self.problems: list[Problem] = []
        self.error: yaml.YAMLError | None = None  # why the file is not YAML, if it is not

    @classmethod
    def read(cls, path: Path, *, as_written: bool = False) -> YamlFile:
        """Compose and construct `path`; an unreadable or malformed file yields no data and
        one problem (check `problems`)."""
        path = Path(path)
        found = cls(path, None, None)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            found.add(1, "no existe el archivo")
            return found
        except (OSError, UnicodeDecodeError) as exc:
            found.add(1, f"no se puede leer el archivo: {exc}")
            return found
        try:
            root = yaml.compose(text, Loader=_LOADER)
        except yaml.MarkedYAMLError as exc:
            found.error = exc
            found.add(*_syntax_problem(exc))
            return found
        except yaml.YAMLError as exc:
            found.error = exc
            found.add(1, f"YAML inválido: {exc}")
            return found
        constructor = (_AsWritten if as_written else yaml.constructor.SafeConstructor)()
        found.root = root
        _repeated_keys(found, root)
        found.data = None if root is None else constructor.construct_document(root)
        return found

    def add(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.file, line, message))

    def at(self, loc: Loc, message: str, *, offset: int = 0) -> None:
        """A problem found by a check outside pydantic, placed like a validation error."""
        self.add(line_at(self.root, loc) + offset, message)

    def node(self, loc: Loc) -> yaml.Node | None:
        """The value node at `loc`, or None if the path does not exist."""
        node = self.root
        for step in loc:
            node = _child(node, step)
            if node is None:
                return None
        return node[1] if isinstance(node, tuple) else node


def _repeated_keys(found: YamlFile, root: yaml.Node | None) -> None:
    """YAML keeps the last of two equal keys without a word; an editor means one of them."""
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in node.value:
                line = key.start_mark.line + 1
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        found.add(
                            line,
                            f"clave {key.value!r}: se repite (ya está en la línea "
                            f"{seen[key.value]}); deje solo una.",
                        )
                    seen.setdefault(key.value, line)
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _syntax_problem(exc: yaml.MarkedYAMLError) -> tuple[int, str]:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 1
    reason = exc.problem or "YAML inválido"
    if exc.context and exc.context_mark and exc.context_mark.line + 1 != line:
        # e.g. an unclosed quote: the parser fails far below where the quote opened.
        reason += f" {exc.context} (empieza en la línea {exc.context_mark.line + 1})"
    elif exc.context:
        reason += f" {exc.context}"
    return line, f"error de sintaxis YAML: {reason}; revise sangría, dos puntos y comillas."


def _child(node: Any, step: str | int) -> tuple[yaml.Node, yaml.Node] | yaml.Node | None:
    """(key node, value node) for a mapping key, the item node for a list index."""
    if isinstance(node, tuple):
        node = node[1]
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(step):
                return key, value
    elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
        return node.value[step] if 0 <= step < len(node.value) else None
    return None


def line_at(root: yaml.Node | None, loc: Loc) -> int:
    """Line (1-based) of what `loc` names: a key's line, a list item's first line; for a
    missing key, the line of the closest thing that exists (the entry that lacks it)."""
    if root is None:
        return 1
    node: Any = root
    line = root.start_mark.line + 1
    for step in loc:
        child = _child(node, step)
        if child is None:
            if isinstance(step, str) and not isinstance(node, yaml.SequenceNode):
                continue  # a union's branch name or a key that is missing: stay here
            break
        node = child
        line = (child[0] if isinstance(child, tuple) else child).start_mark.line + 1
    return line


# --------------------------------------------------------------------------- wording


def _unwrap(tp: Any) -> Any:
    """The model or container inside Optional[...] / Annotated[...]."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return tp
            tp = args[0]
        else:
            return tp


def field_at(model: type[BaseModel], loc: Loc) -> tuple[type[BaseModel] | None, Any]:
    """(the model holding the last key of `loc`, that key's FieldInfo or None)."""
    tp: Any = model
    holder, info = None, None
    for step in loc:
        tp = _unwrap(tp)
        origin = typing.get_origin(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            holder, info = tp, tp.model_fields.get(str(step))
            tp = info.annotation if info is not None else Any
        elif origin in (list, tuple, Sequence):
            args = typing.get_args(tp)
            tp = args[0] if args else Any
            holder, info = None, None
        elif origin in (dict, Mapping):
            args = typing.get_args(tp)
            tp = args[1] if len(args) == 2 else Any
            holder, info = None, None
        else:
            holder, info = None, None
    return holder, info


def spanish(error: Mapping[str, Any], holder: type[BaseModel] | None) -> tuple[str, str]:
    """(what is wrong, the usual fix) in plain Spanish for one pydantic error; the field's
    own `description`, when it has one, replaces the usual fix."""
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    key = str(error["loc"][-1]) if error["loc"] else ""
    if kind == "missing":
        return "falta", ""
    if kind == "extra_forbidden":
        allowed = list(holder.model_fields) if holder else []
        hint = suggest(key, allowed)
        return "clave desconocida" + hint, "" if hint or not allowed else (
            f"válidas: {', '.join(allowed)}"
        )
    if kind in ("value_error", "assertion_error"):
        return str(ctx.get("error", error["msg"])), ""
    if kind == "string_too_short":
        return "está vacío", ""
    if kind == "too_short":
        if not value:
            return "está vacía", ""
        return f"tiene {ctx.get('actual_length')}", f"se necesitan al menos {ctx.get('min_length')}"
    if kind == "string_too_long":
        return f"tiene {len(str(value))} caracteres", f"use como máximo {ctx.get('max_length')}"
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace(" or ", " o ")
        return f"{value!r} no es válido", f"use uno de: {expected}"
    if kind == "string_type":
        return "debe ser un texto", "póngalo entre comillas"
    if kind.startswith("string_"):
        return f"{value!r} no tiene la forma pedida", ""
    if kind.startswith("int_"):
        return "debe ser un número entero", ""
    if kind.startswith("bool_"):
        return "debe ser true o false", ""
    if kind.startswith("date") or kind.startswith("datetime"):
        return "debe ser una fecha", "escríbala AAAA-MM-DD, sin comillas"
    if kind in ("list_type", "tuple_type", "set_type"):
        return "debe ser una lista", ""
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "debe ser un diccionario (clave: valor)", ""
    if kind in ("greater_than_equal", "greater_than"):
        return f"{value!r} es muy bajo", f"el mínimo es {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"{value!r} es muy alto", f"el máximo es {ctx.get('le', ctx.get('lt'))}"
    return error["msg"], ""


def where(loc: Loc, data: Any, nouns: Mapping[str, str]) -> str:
    """"entrada 'ley-objeto', fuente 2, clave 'articulo'": what `loc` names, for a person.

    `nouns` says what an item of each list is called ("entradas" -> "entrada"); an item is
    named by its `id` when it has one, else by its position.
    """
    parts: list[str] = []
    keys: list[str] = []
    node = data
    previous: str | int | None = None
    for step in loc:
        if isinstance(step, int) and isinstance(previous, str) and previous in nouns:
            keys = keys[:-1]
            item = node[step] if isinstance(node, list) and 0 <= step < len(node) else None
            name = item.get("id") if isinstance(item, dict) else None
            ident = repr(name) if isinstance(name, str) else str(step + 1)
            parts.append(f"{nouns[previous]} {ident}")
        elif isinstance(step, str):
            keys.append(step)
        previous = step
        if isinstance(node, dict):
            node = node.get(step)
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        else:
            node = None
    if keys:
        parts.append(f"clave {'.'.join(keys)!r}")
    return ", ".join(parts)


def validate(
    found: YamlFile,
    model: type[BaseModel],
    nouns: Mapping[str, str] = {},
    *,
    prefix: Loc = (),
    context: Mapping[str, Any] | None = None,
    say: Say | None = None,
) -> Any:
    """The data at `prefix` in `found` as `model`, or None after adding one Spanish problem
    per error (`say` words them otherwise: "key.sub: <say's text>")."""
    data = found.data
    for step in prefix:
        data = data[step]
    if data is None and not prefix:
        found.add(1, "el archivo está vacío")
        return None
    try:
        return model.model_validate(data, context=dict(context or {}))
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    _report(found, model, nouns, prefix, errors, say)
    if all(e["type"] == "extra_forbidden" for e in errors):
        # Only unknown keys (often a typo): reported, then set aside so that the checks
        # that need the model still run and every problem shows in one pass.
        trimmed = copy.deepcopy(data)
        for e in errors:
            *path, key = e["loc"]
            holder = trimmed
            for step in path:
                holder = holder[step]
            holder.pop(key, None)
        with contextlib.suppress(ValidationError):
            return model.model_validate(trimmed, context=dict(context or {}))
    return None


def _report(
    found: YamlFile,
    model: type[BaseModel],
    nouns: Mapping[str, str],
    prefix: Loc,
    errors: list,
    say: Say | None,
) -> None:
    """One problem per pydantic error: where, what is wrong, and the fix."""
    for error in errors:
        loc = tuple(error["loc"])
        holder, info = field_at(model, loc)
        if say is not None:
            dotted = ".".join(map(str, prefix + loc))
            found.at(prefix + loc, f"{dotted}: {say(error, holder, info)}")
            continue
        text, fix = spanish(error, holder)
        if info is not None and info.description and error["type"] != "value_error":
            fix = info.description
        named = where(prefix + loc, found.data, nouns) or "el archivo"
        message = f"{named}: {text}; {fix}" if fix else f"{named}: {text}"
        found.at(prefix + loc, message.rstrip(".") + ".")
    found.problems.sort(key=lambda p: (p.line, p.message))
