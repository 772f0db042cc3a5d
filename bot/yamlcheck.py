"""What every YAML checker here shares: problems with a file and line, and key checking.

Staff edit knowledge/*.yaml by hand; every checker walks the composed node tree (which keeps
line numbers) instead of the loaded data, so each problem can say where it is.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

# libyaml's parser and composer, when PyYAML was built with it (the wheels are): about ten times
# faster than the pure-Python ones, and its nodes and errors carry the same line marks.
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def compose(text: str) -> yaml.Node | None:
    """The node tree of a YAML text, with line marks, through the fast `Loader`.

    libyaml marks a plain scalar's style "" where the Python composer says None; it is made None
    here so that checkers read one convention.
    """
    root = yaml.compose(text, Loader=Loader)
    if Loader is not yaml.SafeLoader and root is not None:
        todo = [root]
        while todo:
            node = todo.pop()
            if isinstance(node, yaml.ScalarNode):
                if node.style == "":
                    node.style = None
            elif isinstance(node, yaml.SequenceNode):
                todo.extend(node.value)
            elif isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    todo.extend((key, value))
    return root


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


def line_of(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def suggest(word: str, choices: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def kind_of(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.ScalarNode):
        return f"the value {node.value!r}" if node.value else "empty"
    return "something else"


class NodeChecker:
    """Collects problems for one file while its nodes are checked."""

    def __init__(self, path: Path, problems: list[Problem] | None = None) -> None:
        self.path = path
        self.file = display_path(path)
        self.problems: list[Problem] = [] if problems is None else problems
        self._constructor = yaml.SafeLoader("")

    def add(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.file, line, message))

    def value(self, node: yaml.Node) -> Any:
        return self._constructor.construct_object(node, deep=True)

    def mapping(
        self, node: yaml.Node, what: str, required: tuple[str, ...], optional: tuple[str, ...]
    ) -> dict[str, yaml.Node] | None:
        """Keys of a mapping node -> value nodes, reporting unknown/missing/duplicate keys."""
        if not isinstance(node, yaml.MappingNode):
            self.add(line_of(node), f"{what} must be a mapping (key: value), not {kind_of(node)}")
            return None
        result: dict[str, yaml.Node] = {}
        allowed = (*required, *optional)
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                self.add(line_of(key_node), f"{what} has a non-text key")
            elif key in result:
                self.add(line_of(key_node), f"key {key!r} repeated in {what}; keep only one")
            elif key not in allowed:
                hint = suggest(key, allowed) or f"; allowed: {', '.join(allowed)}"
                self.add(line_of(key_node), f"unknown key {key!r} in {what}{hint}")
            else:
                result[key] = value_node
        for key in required:
            if key not in result:
                self.add(line_of(node), f"{what} is missing {key!r}")
        return result

    def compose(self, needs: str) -> yaml.Node | None:
        """The file's node tree, or None after reporting why (unreadable, bad YAML, empty).

        `needs` names the top-level keys, for the message about an empty file.
        """
        try:
            text = self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.add(1, f"cannot read file: {exc}")
            return None
        try:
            root = compose(text)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else 1
            reason = exc.problem or "invalid YAML"
            if exc.context and exc.context_mark and exc.context_mark.line + 1 != line:
                # e.g. an unclosed quote: the parser fails far below where the quote opened.
                reason += f" {exc.context} that starts at line {exc.context_mark.line + 1}"
            elif exc.context:
                reason += f" {exc.context}"
            self.add(line, f"YAML syntax error: {reason} (check indentation, colons and quotes)")
            return None
        except yaml.YAMLError as exc:
            self.add(1, f"YAML error: {exc}")
            return None
        if root is None:
            self.add(1, f"file is empty; it needs {needs}")
        return root
