"""The BM25 reading (bot/bm25.py): Snowball stems, Spanish stopwords, weighted pieces, fusion."""

from __future__ import annotations

import pytest

from bot.bm25 import Bm25Reading, fuse

DOCS = [
    "como se crea la instancia de concertacion ordenanza municipal",
    "quienes integran la instancia provincial integrantes",
    "linea 100 telefono gratuito orientacion",
]


def test_snowball_stems_meet_inflected_words() -> None:
    reading = Bm25Reading(DOCS)
    # "creamos", "ordenanzas", "integrantes"/"integran": other forms of the documents' words.
    assert reading.ranked([("creamos las ordenanzas", 1.0)]).entries[:1] == [0]
    assert reading.ranked([("quien integra la provincial", 1.0)]).entries[:1] == [1]


def test_stopwords_and_unknown_words_rank_nothing() -> None:
    reading = Bm25Reading(DOCS)
    assert reading.ranked([("que es de la para", 1.0)]).entries == []
    assert reading.ranked([("ceviche", 1.0)]).entries == []


def test_lighter_pieces_weigh_less_and_are_not_counted_twice() -> None:
    reading = Bm25Reading(DOCS)
    question = reading.scores([("telefono", 1.0)])
    light = reading.scores([("telefono", 0.3)])
    assert light[2] == pytest.approx(question[2] * 0.3)
    again = reading.scores([("telefono", 1.0), ("telefono", 1.0)])
    assert again[2] == pytest.approx(question[2])


def test_fusion_puts_entries_several_rankings_agree_on_first() -> None:
    assert fuse([[1, 2, 3], [2, 1, 4], [2, 5]])[:2] == [2, 1]
    assert fuse([[7], [8]]) == [7, 8]  # a tie keeps the first ranking's order
    assert fuse([]) == []


def test_scores_are_bm25s_own_to_the_bit() -> None:
    # `scores` adds bm25s's index itself: the same float32 sums, a word said twice included.
    reading = Bm25Reading(DOCS)
    for text in ("quienes integran la instancia provincial instancia", "linea 100 telefono"):
        tokens = reading.tokens(text)
        expected = 0.35 * reading._retriever.get_scores(tokens)
        assert reading.scores([(text, 0.35)]).tolist() == expected.tolist()


def test_ranked_orders_every_scored_entry_best_first() -> None:
    reading = Bm25Reading(DOCS)
    ranking = reading.ranked([("instancia provincial telefono", 1.0)], k=1)
    assert ranking.entries == [1]
    assert ranking.places() == {1: 0, 2: 1, 0: 2}
