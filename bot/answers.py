"""Answering a question: crisis first, then the matcher; reloadable without a restart.

`Answerer` holds the knowledge base and the matcher built from it. A reload that fails keeps
the previous pair serving and returns the problems, so staff can fix the file calmly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.filecache import built_from
from bot.knowledge import KnowledgeBase, KnowledgeError, load_knowledge
from bot.matching import Match, Matcher, load_language
from bot.safety import Crisis, CrisisDetector
from bot.textnorm import normalize

MAX_QUESTION = 1000  # longer messages are not questions; we ask for a shorter one


@dataclass(frozen=True)
class Reply:
    crisis: Crisis | None
    match: Match | None
    question_norm: str

    @property
    def entry_id(self) -> str | None:
        """The entry the bot answers with (after the help lines, in a crisis), or None."""
        if self.match is None or self.match.band != "answer":
            return None
        return self.match.entry_id


class Answerer:
    def __init__(self, knowledge_dir: Path) -> None:
        self.knowledge_dir = Path(knowledge_dir)
        self.kb, self.matcher, self.detector = self._load()

    def _load(self) -> tuple[KnowledgeBase, Matcher, CrisisDetector]:
        """Shared while the files are unchanged (bot/filecache.py): a reload swaps the trio."""
        faq, language_file = self.knowledge_dir / "faq", self.knowledge_dir / "lenguaje.yaml"

        def build() -> tuple[KnowledgeBase, Matcher, CrisisDetector]:
            kb = load_knowledge(faq)
            language = load_language(language_file)
            return kb, Matcher.build(kb, language), CrisisDetector(language)

        return built_from("answers", [faq, language_file], build)

    def reload(self) -> list[str]:
        """Swap in the files as they are now; on any problem keep serving the old version."""
        try:
            loaded = self._load()
        except KnowledgeError as exc:
            return [str(p) for p in exc.problems]
        except (ValueError, OSError) as exc:
            return [str(exc)]
        self.kb, self.matcher, self.detector = loaded
        return []

    def crisis(self, text: str) -> Crisis | None:
        return self.detector.detect(text[:MAX_QUESTION])

    def respond(self, text: str) -> Reply:
        text = text[:MAX_QUESTION]
        crisis = self.detector.detect(text)
        match = self.matcher.match(text)
        return Reply(crisis=crisis, match=match, question_norm=normalize(text))

    def as_json(self, text: str) -> dict:
        """One line of `python -m bot ask --json`."""
        reply = self.respond(text)
        match = reply.match
        return {
            "q": text,
            "id": reply.entry_id,
            "score": round(float(match.score), 4) if match else 0.0,
            "crisis": reply.crisis is not None,
            "suggestions": list(match.suggestions) if match else [],
        }
