"""User-facing Spanish texts, kept in knowledge/mensajes.yaml so staff can fix a word.

The file is checked against bot/schemas/messages.py when it is loaded: a broken file is
refused with file:line problems, and the bot keeps the texts it had (see Services.reload).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.plural import counted
from bot.schemas.messages import ChartTexts, ExportTexts, MessagesFile, SourceTexts, SurveyTexts
from bot.yamlschema import Problem, YamlFile, validate

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "knowledge" / "mensajes.yaml"



class MessagesError(Exception):
    def __init__(self, problems: list[Problem] | str):
        self.problems = [problems] if isinstance(problems, str) else problems
        super().__init__("\n".join(str(p) for p in self.problems))


class Messages:
    def __init__(
        self, texts: dict[str, Any], source: str, parsed: MessagesFile | None = None
    ) -> None:
        self._texts = texts
        self.source = source
        parsed = parsed or MessagesFile.model_validate(texts)
        self.survey: SurveyTexts = parsed.encuesta
        self.sources: SourceTexts = parsed.fuentes
        self.exports: ExportTexts = parsed.exportes
        self.chart: ChartTexts = parsed.resumen_cuadro

    @classmethod
    def load(cls, path: Path) -> Messages:
        """The texts of `path`, or MessagesError listing every problem with its line."""
        found = YamlFile.read(Path(path), as_written=True)
        parsed = validate(found, MessagesFile) if not found.problems else None
        if found.problems or parsed is None:
            raise MessagesError(found.problems)
        return cls(found.data, found.file, parsed)

    def __call__(self, key: str, **values: Any) -> str:
        try:
            text = self._texts[key]
        except KeyError:
            raise MessagesError(f"{self.source}: message '{key}' is missing; add it.") from None
        text = str(text).strip()
        return text.format(**counted(values)) if values else text

    def has(self, key: str) -> bool:
        return key in self._texts

    def section(self, key: str) -> dict[str, str]:
        value = self._texts.get(key)
        if not isinstance(value, dict):
            raise MessagesError(f"{self.source}: '{key}' must be a mapping; add it.")
        return {str(k): str(v) for k, v in value.items()}


@lru_cache(maxsize=1)
def default_messages() -> Messages:
    """The repository's mensajes.yaml, for loaders called without the bot's own Messages
    (the `kb check` and `survey check` commands, benchmarks, tests)."""
    return Messages.load(DEFAULT_PATH)
