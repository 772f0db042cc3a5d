"""Which entry a question asks for, and whether to answer it outright: two small fitted models.

Why models, not a hand rule: the matcher and BM25 go wrong in different ways. The matcher knows
the synonyms, acronyms and question variants; BM25 weighs rare words well but knows no synonym.
A hand rule over their scores ("answer when both put the same entry first and the score is
high") was timid on long, context-heavy messages, whose best score stays low, and could not
pick the right entry when the two disagreed. Measured on sets written independently of the
knowledge base (leave one set out: benchmarks/fit_ranking.py), the models below put the right
entry first more often than either reading alone and answer more, with fewer wrong answers.

- The ranking: a conditional logit over the candidates (the matcher's and every BM25
  reading's best entries). Each candidate is described by `CANDIDATE_FEATURES` (its scores and
  places in each reading, whether the message names what it is about or another level, how much
  of the message it explains); the weights make a softmax over the candidates, and the most
  probable comes first.
- The answer: a logistic regression over `MESSAGE_FEATURES` of the first candidate (how sure
  the ranking is, how strong each reading is on its own scale, how long the message is), fitted
  with out-of-scope questions as negatives. At `THRESHOLD` or above the first candidate is
  answered; below, the officer chooses among the candidates in the ranking's order.

The matcher's guards (evidence, a level the message does not name, a definition asked for)
still bind every answer. Coefficients are on the raw feature scale, fitted offline by
`benchmarks/fit_ranking.py --write`; refit when the knowledge base or the matcher's scoring
changes much (BM25's raw scores grow with the number of entries). They were fitted on the
development set and benchmarks/sets/*.yaml, which hold the spent independent sets
(independiente-a to -m): `python benchmarks/fit_ranking.py --write` reproduces them.

The examples reading (bot/answer_examples.py, officers' own questions) backs the answer model
only, not the order (ORDER_IGNORES): in the order too, left out set by set, it put the right
entry first more often on the sets written alike (C to M) but doubled the wrong answers on
those written otherwise (B: 0.018 -> 0.046; the short variants: 0.042 -> 0.062).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

# What describes a candidate (bot/matching.py `Matcher._candidates_matrix`):
#   score, score_gap     the matcher's score, and how far below the best it is (<= 0)
#   first, place         the matcher puts it first (0/1); 1 / (1 + its place)
#   <reading>_share      a BM25 reading's score over that reading's best (0..1), for the
#   <reading>_first      whole message, its question (with context), the question in the
#   <reading>_place      knowledge base's words, and the whole message over officers'
#                        questions (bot/answer_examples.py) and over the entries' answers;
#                        first (0/1) and 1 / (1 + place) as above
#   other_level          it is about one level the message does not name (0/1)
#   about                the message names what it is about: title, keywords, synonyms (0/1)
#   evidence             log(1 + IDF mass of the message's topic words it knows)
#   defines              the message asks what something is and the entry says it (0/1)
#   plain_score, plain_gap, plain_first   the matcher's again, for one plain question (else
#                        0): there BM25 has few words to read, and no synonym or acronym
READINGS = ("whole", "question", "worded", "examples")
CANDIDATE_FEATURES = (
    "score",
    "score_gap",
    "first",
    "place",
    *(f"{r}_{f}" for r in (*READINGS, "answers") for f in ("share", "first", "place")),
    "other_level",
    "about",
    "evidence",
    "defines",
    "plain_score",
    "plain_gap",
    "plain_first",
)
# Not fitted into the order (their weights stay 0): see benchmarks/fit_ranking.py.
ORDER_IGNORES = ("examples_share", "examples_first", "examples_place")
# What describes the message, given its first candidate:
#   probability, lead    the ranking's probability of the first, and its lead over the second
#   score, margin        the matcher's score of the first, and its lead over the best other
#   far_ahead            that score and lead are high (bot/matching.py STRONG_*) on the
#                        question's own words, no context read
#   <reading>_strength   log(1 + a BM25 reading's best score): how much of the message it read
#   <reading>_first      that reading puts the first candidate first (0/1)
#   <reading>_lead       if so, that reading's relative lead over its second (0..1), else 0
#   evidence, about      as above, of the first candidate
#   words                log of the number of stems read
#   one_clause           the message is one plain question (0/1)
#   consensus            share of the message's readings (light, no, full context) whose first
#                        pick is this entry
MESSAGE_FEATURES = (
    "probability",
    "lead",
    "score",
    "margin",
    "far_ahead",
    *(f"{r}_{f}" for r in READINGS for f in ("strength", "first", "lead")),
    "evidence",
    "about",
    "words",
    "one_clause",
    "consensus",
)

# fitted: begin (benchmarks/fit_ranking.py --write)
RANKING = {
    "score": 2.0406,
    "score_gap": 1.2363,
    "first": 0.1991,
    "place": 0.5619,
    "whole_share": 6.9599,
    "whole_first": 0.0004,
    "whole_place": 0.2868,
    "question_share": 2.1268,
    "question_first": -0.3801,
    "question_place": 0.7163,
    "worded_share": 1.2522,
    "worded_first": -0.4874,
    "worded_place": 1.1974,
    "examples_share": 0.0000,
    "examples_first": 0.0000,
    "examples_place": 0.0000,
    "answers_share": -0.0413,
    "answers_first": 0.7308,
    "answers_place": -0.4174,
    "other_level": -2.6842,
    "about": 0.1764,
    "evidence": -0.7399,
    "defines": 3.7762,
    "plain_score": 4.8889,
    "plain_gap": 2.2439,
    "plain_first": 0.1926,
}
ANSWER_BIAS = -13.4711
ANSWER = {
    "probability": -6.1955,
    "lead": 6.1887,
    "score": 13.8728,
    "margin": -6.7195,
    "far_ahead": 0.5533,
    "whole_strength": 4.4230,
    "whole_first": -0.1402,
    "whole_lead": -2.1228,
    "question_strength": -4.3440,
    "question_first": -0.2576,
    "question_lead": 1.9401,
    "worded_strength": 0.0176,
    "worded_first": 0.1396,
    "worded_lead": -0.9612,
    "examples_strength": 0.9234,
    "examples_first": 2.7672,
    "examples_lead": 6.6931,
    "evidence": 0.2551,
    "about": 0.7185,
    "words": 2.4076,
    "one_clause": -2.0805,
    "consensus": -0.6201,
}
THRESHOLD = 0.60
# fitted: end

_RANKING_VECTOR: tuple[dict[str, float], np.ndarray] | None = None


def ranking_weights() -> np.ndarray:
    """RANKING as a vector in CANDIDATE_FEATURES order (rebuilt if it was swapped, as the fit
    script does)."""
    global _RANKING_VECTOR
    if _RANKING_VECTOR is None or _RANKING_VECTOR[0] is not RANKING:
        _RANKING_VECTOR = (RANKING, np.array([RANKING[f] for f in CANDIDATE_FEATURES]))
    return _RANKING_VECTOR[1]


def probabilities(candidates: np.ndarray) -> np.ndarray:
    """The ranking's softmax over the candidates (rows of CANDIDATE_FEATURES)."""
    z = candidates @ ranking_weights()
    z = np.exp(z - z.max())
    return z / z.sum()


def confidence(message: Mapping[str, float]) -> float:
    """Estimated probability that the first candidate is the entry asked for."""
    z = ANSWER_BIAS + sum(ANSWER[name] * message[name] for name in MESSAGE_FEATURES)
    if z < -40:
        return 0.0
    return 1.0 / (1.0 + math.exp(-z))


def lead(probs: Sequence[float] | np.ndarray, order: Sequence[int]) -> float:
    """The first candidate's probability minus the second's."""
    return float(probs[order[0]] - (probs[order[1]] if len(order) > 1 else 0.0))
