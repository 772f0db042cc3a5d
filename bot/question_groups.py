"""The unanswered questions, near-duplicates together: one group per thing officers asked.

Staff read the list to decide what the knowledge base lacks; «q es la idc», «que es la IDC?» and
«que es la instancia distrital» are one question asked three times, not three questions. Two
questions are near-duplicates when the matcher reads them as almost the same content stems
(`Matcher.stems`: synonyms replaced, acronyms expanded, the same normalisation as answering),
compared with rapidfuzz over the sorted stems so that word order does not matter. Pure: the
rows come from bot/storage/proposals.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from rapidfuzz import fuzz, process

# token_sort_ratio of the sorted stems: 90 joins a typo or one extra light word, and keeps
# «idc» apart from «idc miembros» (a different question about the same thing).
SIMILAR = 90


@dataclass(frozen=True)
class Question:
    id: int
    text: str  # already without personal data and normalised (bot/storage/questions.py)
    count: int
    last_seen: datetime


@dataclass(frozen=True)
class Group:
    questions: tuple[Question, ...]  # the most asked first

    @property
    def text(self) -> str:
        """The group's wording as staff read it: its most asked question."""
        return self.questions[0].text

    @property
    def count(self) -> int:
        return sum(q.count for q in self.questions)

    @property
    def last_seen(self) -> datetime:
        return max(q.last_seen for q in self.questions)

    @property
    def ids(self) -> tuple[int, ...]:
        return tuple(q.id for q in self.questions)


def _key(stems: list[str], text: str) -> str:
    """Sorted distinct stems; a question of stopwords only keeps its own text."""
    return " ".join(sorted(set(stems))) or f"={text}"


def group_questions(
    questions: Iterable[Question], stems: Callable[[str], list[str]], similar: int = SIMILAR
) -> list[Group]:
    """Near-duplicates together, the most asked group first (then the most recent).

    Each question joins the group whose first question it is most like, if alike enough;
    questions are taken most asked first, so a group is named after its most asked wording.
    """
    ordered = sorted(questions, key=lambda q: (-q.count, -q.last_seen.timestamp(), q.id))
    keys: list[str] = []
    members: list[list[Question]] = []
    for q in ordered:
        key = _key(stems(q.text), q.text)
        found = (
            process.extractOne(key, keys, scorer=fuzz.token_sort_ratio, score_cutoff=similar)
            if not key.startswith("=")
            else None
        )
        if found is None:
            keys.append(key)
            members.append([q])
        else:
            members[found[2]].append(q)
    groups = [Group(tuple(m)) for m in members]
    groups.sort(key=lambda g: (-g.count, -g.last_seen.timestamp(), g.questions[0].id))
    return groups
