"""A second, independent reading of a question: BM25 over Snowball stems (bm25s + PyStemmer).

Why a second ranker at all: the matcher reads a question variant by variant, with its own short
stems, the synonyms and the acronyms of knowledge/lenguaje.yaml. This reading knows none of
that: each entry is one bag of Snowball-stemmed words (title, questions, keywords, synonyms),
weighted by BM25. The two go wrong in different ways, so where they put the same entry first
an outright answer is rarely wrong, and where they disagree it is wrong more often than right
(measured on sets written independently of the knowledge base: benchmarks/faq.py). The
matcher answers on agreement and otherwise offers both rankings fused (`fuse`).

Offline, no model: bm25s is numpy over a sparse matrix, PyStemmer is the C Snowball stemmer;
building for 300 entries takes a few milliseconds and a reading about ten microseconds.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import bm25s
import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_SPANISH

from bot.textnorm import fold_enie, normalize

_WORD = re.compile(r"\w\w+")
_STOPWORDS = frozenset(fold_enie(normalize(w, {})) for w in STOPWORDS_SPANISH)
# bm25s logs each index it builds; the bot's log is for the bot (a start must stay one line).
logging.getLogger("bm25s").setLevel(logging.WARNING)
RRF_K = 60  # reciprocal rank fusion's usual constant: the first places matter, not the scores
MEMO_SIZE = 256  # texts a shared memo holds (one message has far fewer)


@dataclass(frozen=True, slots=True, eq=False)
class Ranking:
    """BM25's best entries (indices, best first) and their scores, all above zero; `totals`
    holds every entry's score (the answer ranking reads entries beyond the first few)."""

    entries: list[int]
    scores: list[float]
    totals: np.ndarray | None = None
    # Every entry scored above zero, best first (`Bm25Reading.ranked` sorts them once).
    order: list[int] | None = field(default=None, repr=False)
    _places: dict[int, int] | None = field(default=None, repr=False)

    def places(self) -> dict[int, int]:
        """Entry -> place, for every entry scored above zero (computed once: every decision
        on a message reads the same rankings)."""
        if self._places is not None:
            return self._places
        if self.order is not None:
            found = dict(zip(self.order, range(len(self.order)), strict=True))
        elif self.totals is None:
            found = {e: p for p, e in enumerate(self.entries)}
        else:
            (scored,) = np.nonzero(self.totals > 0)
            order = scored[np.argsort(-self.totals[scored], kind="stable")]
            found = dict(zip(order.tolist(), range(len(order)), strict=True))
        object.__setattr__(self, "_places", found)  # frozen: a cache, not a change
        return found

    def score_of(self, e: int) -> float:
        """Entry `e`'s score (0 where unknown)."""
        if self.totals is not None:
            return float(self.totals[e])
        return self.scores[self.entries.index(e)] if e in self.entries else 0.0

    def lead(self) -> float:
        """How far the first is ahead of the second, relative to the first (0..1): a clear
        first place is a firmer second opinion than a near tie."""
        if not self.scores:
            return 0.0
        second = self.scores[1] if len(self.scores) > 1 else 0.0
        return (self.scores[0] - second) / self.scores[0]


class Bm25Reading:
    """Built once per knowledge base from one text per entry (already normalised)."""

    def __init__(
        self,
        texts: Sequence[str],
        tokens: Sequence[Sequence[str]] = (),
        memo: dict[str, tuple[str, ...]] | None = None,
    ) -> None:
        """One normalised text per entry, or (`texts` empty) each entry's tokens as
        `tokens` makes them: the examples reading (bot/answer_examples.py) is stored so.
        `memo` remembers texts already tokenised: every reading of one message tokenises the
        same texts alike, so the matcher shares one memo among its readings and empties it
        before each message."""
        self._stemmer = Stemmer.Stemmer("spanish")
        self._memo = memo
        self._retriever = bm25s.BM25()
        documents = [self.tokens(t) for t in texts] if texts else [list(t) for t in tokens]
        self._retriever.index([d or ["_"] for d in documents], show_progress=False)
        self.size = len(documents)
        self._columns = self._token_columns()
        self._known = frozenset(self._columns)

    def _token_columns(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Per indexed token, the entries that hold it and their BM25 scores (views into
        bm25s's sparse index): `scores` adds them itself, as bm25s's `get_scores` does (each
        entry once per token, in float32), without its per-call checks and copies."""
        index = self._retriever.scores
        data, indices, indptr = index["data"], index["indices"], index["indptr"]
        assert self._retriever.nonoccurrence_array is None, "lucene BM25 has no such scores"
        return {
            token: (indices[indptr[i] : indptr[i + 1]], data[indptr[i] : indptr[i + 1]])
            for token, i in self._retriever.vocab_dict.items()
            if i < len(indptr) - 1  # bm25s's "" token has no column
        }

    def tokens(self, text: str) -> list[str]:
        """Content words of a normalised text as Snowball stems."""
        return list(self._tokens(text))

    def _tokens(self, text: str) -> tuple[str, ...]:
        memo = self._memo
        if memo is not None:
            found = memo.get(text)
            if found is not None:
                return found
        words = [w for w in _WORD.findall(text) if w not in _STOPWORDS]
        found = tuple(self._stemmer.stemWords(words)) if words else ()
        if memo is not None:
            if len(memo) >= MEMO_SIZE:
                memo.clear()
            memo[text] = found
        return found

    def knows(self, word: str) -> bool:
        """Is this normalised word, stemmed, among the indexed texts' words?"""
        return any(t in self._known for t in self._tokens(word))

    def scores(self, pieces: Iterable[tuple[str, float]]) -> np.ndarray:
        """BM25 of every entry for a question given as (text, weight) pieces: the question
        itself at 1, the words around it or its acronyms at less. A word of an earlier piece is not
        counted again in a later one."""
        total = np.zeros(self.size)
        seen: set[str] = set()
        columns = self._columns
        for text, weight in pieces:
            # A word said twice counts twice (the question's term frequency, as BM25 reads it).
            tokens = [t for t in self._tokens(text) if t in self._known and t not in seen]
            seen.update(tokens)
            if tokens and weight > 0:
                # One unbuffered add over every token's entries, in the tokens' order: the
                # float32 sums bm25s makes token by token, at one call's cost.
                piece = np.zeros(self.size, dtype=np.float32)
                found = [columns[t] for t in tokens]
                entries = np.concatenate([e for e, _ in found])
                np.add.at(piece, entries, np.concatenate([s for _, s in found]))
                total += weight * piece
        return total

    def ranked(self, pieces: Iterable[tuple[str, float]], k: int = 3) -> Ranking:
        """The `k` best entries with a score above zero, best first."""
        total = self.scores(pieces)
        (scored,) = np.nonzero(total > 0)
        if not len(scored):
            return Ranking([], [])
        # The positive scores sorted alone: the same order as all of them sorted (stable),
        # for the few dozen entries a question's words reach.
        order = scored[np.argsort(-total[scored], kind="stable")].tolist()
        return Ranking(order[:k], total[order[:k]].tolist(), total, order)


def fuse(rankings: Iterable[Sequence[int]], k: int = RRF_K) -> list[int]:
    """Reciprocal rank fusion: entries ranked high by several readings come first; ties keep
    the order of the first ranking that has them (the matcher's own comes first)."""
    score: dict[int, float] = {}
    first_seen: dict[int, int] = {}
    for ranking in rankings:
        for place, e in enumerate(ranking):
            score[e] = score.get(e, 0.0) + 1.0 / (k + place)
            first_seen.setdefault(e, len(first_seen))
    return sorted(score, key=lambda e: (-score[e], first_seen[e]))
