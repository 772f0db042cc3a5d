"""Answering a question: crisis first, then the matcher; reloadable without a restart.

`Answerer` holds the knowledge base and the matcher built from it. `Services.reload` loads a
new set (`load`) and swaps it in (`install`) only when every file is clean, so a failed
reload keeps the previous pair serving and staff can fix the file calmly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot import answer_examples, crisis_model
from bot.filecache import built_from
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.matching import Match, Matcher, load_language
from bot.messages import Messages
from bot.safety import Crisis, CrisisDetector
from bot.textnorm import normalize

Loaded = tuple[KnowledgeBase, Matcher, CrisisDetector]
MAX_QUESTION = 1000  # longer messages are not questions; we ask for a shorter one


@dataclass(frozen=True)
class Reply:
    crisis: Crisis | None
    match: Match | None
    question_norm: str
    # No crisis, but close: the reply ends with the short help lines (CrisisDetector.worrying).
    worrying: bool = False

    @property
    def entry_id(self) -> str | None:
        """The entry the bot answers with (after the help lines, in a crisis), or None."""
        if self.match is None or self.match.band != "answer":
            return None
        return self.match.entry_id


class Answerer:
    def __init__(self, knowledge_dir: Path, messages: Messages | None = None) -> None:
        self.knowledge_dir = Path(knowledge_dir)
        self.messages = messages
        self.install(self.load(messages))

    def load(self, messages: Messages | None) -> Loaded:
        """The knowledge base and language as the files are now (raises on a problem); shared
        while the files are unchanged (bot/filecache.py): a reload swaps the whole trio."""
        faq, language_file = self.knowledge_dir / "faq", self.knowledge_dir / "lenguaje.yaml"
        # The fitted files too: a refit installed while the bot runs is read at the next reload.
        sources = [faq, language_file, answer_examples.EXAMPLES_FILE, crisis_model.MODEL_FILE]
        if messages is not None and Path(messages.source).is_file():
            sources.append(Path(messages.source))  # the source labels come from there

        def build() -> Loaded:
            kb = load_knowledge(faq, messages)
            language = load_language(language_file)
            return kb, Matcher.build(kb, language), CrisisDetector(language)

        return built_from("answers", sources, build)

    def install(self, loaded: Loaded) -> None:
        self.kb, self.matcher, self.detector = loaded

    def crisis(self, text: str) -> Crisis | None:
        return self.detector.detect(text[:MAX_QUESTION])

    def respond(self, text: str) -> Reply:
        text = text[:MAX_QUESTION]
        crisis, worrying = self.detector.assess(text)
        match = self.matcher.match(text)
        return Reply(crisis, match, normalize(text), worrying)

    def as_json(self, text: str) -> dict:
        """One line of `python -m bot ask --json`."""
        reply = self.respond(text)
        match = reply.match
        return {
            "q": text,
            "id": reply.entry_id,
            "score": round(float(match.score), 4) if match else 0.0,
            "crisis": reply.crisis is not None,
            "help_lines": reply.worrying,
            "suggestions": list(match.suggestions) if match else [],
        }
