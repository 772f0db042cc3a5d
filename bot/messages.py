"""User-facing Spanish texts, kept in knowledge/mensajes.yaml so staff can fix a word."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.yamlcheck import Loader


class MessagesError(Exception):
    pass


class Messages:
    def __init__(self, texts: dict[str, Any], source: str) -> None:
        self._texts = texts
        self.source = source

    @classmethod
    def load(cls, path: Path) -> Messages:
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)
        except FileNotFoundError:
            raise MessagesError(f"{path}: file not found.") from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = f":{mark.line + 1}" if mark else ""
            raise MessagesError(
                f"{path}{line}: not valid YAML ({getattr(exc, 'problem', exc)}). "
                "Check indentation and quotes."
            ) from None
        if not isinstance(data, dict):
            raise MessagesError(f"{path}:1: must be a mapping of message keys to texts.")
        return cls(data, str(path))

    def __call__(self, key: str, **values: Any) -> str:
        try:
            text = self._texts[key]
        except KeyError:
            raise MessagesError(f"{self.source}: message '{key}' is missing; add it.") from None
        text = str(text).strip()
        return text.format(**values) if values else text

    def has(self, key: str) -> bool:
        return key in self._texts

    def section(self, key: str) -> dict[str, str]:
        value = self._texts.get(key)
        if not isinstance(value, dict):
            raise MessagesError(f"{self.source}: '{key}' must be a mapping; add it.")
        return {str(k): str(v) for k, v in value.items()}
