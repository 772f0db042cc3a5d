"""The unanswered questions, near-duplicates together: one group per thing officers asked.

Staff read the list to decide what the knowledge base lacks; «q es la idc», «que es la IDC?» and
«que es la instancia distrital» are one question asked three times, not three questions. Two
questions are near-duplicates when the matcher reads them as almost the same content stems
(`Matcher.stems`: synonyms replaced, acronyms expanded, the same normalisation as answering),
compared with rapidfuzz (the ratio of the sorted stems, i.e. token_sort_ratio) so that word order
does not matter. Pure: the rows come from bot/storage/proposals.py.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from rapidfuzz import fuzz, process

# The ratio of the sorted stems: 90 joins a typo or one extra light word, and keeps
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


def group_questions(
    questions: Iterable[Question], stems: Callable[[str], list[str]], similar: int = SIMILAR
) -> list[Group]:
    """Near-duplicates together, the most asked group first (then the most recent).

    Each question joins the group whose first question it is most like, if alike enough;
    questions are taken most asked first, so a group is named after its most asked wording.
    """
    ordered = sorted(questions, key=lambda q: (-q.count, -q.last_seen.timestamp(), q.id))
    members: list[list[Question]] = []
    by_key: dict[str, int] = {}  # the same stems: the same group, without comparing
    # Groups' keys sorted by length: a ratio of `similar` allows only so much difference in
    # length, so each question is compared with a slice of them (2,000 questions: 0.1 s).
    lengths: list[int] = []
    keys: list[str] = []
    groups_of: list[int] = []
    stretch = (200 - similar) / similar  # ratio = 2·common / (a + b) ≤ 2·min / (a + b)
    for q in ordered:
        key = " ".join(sorted(set(stems(q.text))))
        group = by_key.get(key) if key else None
        if group is None and key:
            low = bisect.bisect_left(lengths, len(key) / stretch)
            high = bisect.bisect_right(lengths, len(key) * stretch)
            found = process.extractOne(key, keys[low:high], scorer=fuzz.ratio,
                                       score_cutoff=similar)  # fmt: skip
            if found is not None:
                group = groups_of[low + found[2]]
        if group is None:
            group = len(members)
            members.append([])
            if key:
                at = bisect.bisect_left(lengths, len(key))
                lengths.insert(at, len(key))
                keys.insert(at, key)
                groups_of.insert(at, group)
        members[group].append(q)
        if key:
            by_key.setdefault(key, group)
    groups = [Group(tuple(m)) for m in members]
    groups.sort(key=lambda g: (-g.count, -g.last_seen.timestamp(), g.questions[0].id))
    return groups
