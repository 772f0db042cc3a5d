"""How sure the matcher may be that its first pick is right, when its hand rule does not answer.

Why a model: the hand rule of `Matcher._decide` (a high score, a clear lead, BM25 agreeing) is
timid on long, context-heavy messages: there the best score stays low (0.25-0.6) because the
context dilutes it, although the matcher and every BM25 reading put the same entry first. A
logistic regression over a handful of such signals, fitted on sets written independently of
the knowledge base, says how often that first pick is right; above `THRESHOLD` it is answered.
It only ever adds answers to the hand rule's, and only where the rule's guards (evidence, the
level named, not a definition) pass.

The coefficients are fitted offline by `benchmarks/fit_decision.py` (leave-one-set-out figures
in its output) and written below by `--write`; refit when the knowledge base or the matcher's
scoring changes much (BM25's raw score grows with the number of entries). Those below were
fitted on the development set, benchmarks/sets/*.yaml and four spent independent sets kept
outside the repository (given with --set): fitting on the repository's sets alone gives a
different, less informed model.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

# What the model reads, in this order (bot/matching.py `Matcher._features`):
#   score                the matcher's best score
#   bm25_whole           BM25 over the whole message puts the same entry first (0/1)
#   bm25_question        BM25 reading the question and its context does (0/1; 0 for one clause)
#   bm25_worded          BM25 in the knowledge base's words (synonyms, acronyms) does (0/1)
#   bm25_whole_lead      when it does, BM25's own relative lead over its second
#   bm25_question_lead   the same for the question's reading
#   bm25_whole_strength  log(1 + BM25's best score on the whole message)
#   words                log of the number of stems read
#   one_clause           the message is one plain question (0/1)
#   consensus            share of the message's readings (question with light, no, full
#                        context) whose first pick is this entry
FEATURES = (
    "score",
    "bm25_whole",
    "bm25_question",
    "bm25_worded",
    "bm25_whole_lead",
    "bm25_question_lead",
    "bm25_whole_strength",
    "words",
    "one_clause",
    "consensus",
)

# fitted: begin (benchmarks/fit_decision.py --write)
BIAS = -11.0216
COEFFICIENTS = {
    "score": 7.5686,
    "bm25_whole": 1.6835,
    "bm25_question": -0.2353,
    "bm25_worded": 0.4684,
    "bm25_whole_lead": -0.5498,
    "bm25_question_lead": 6.8384,
    "bm25_whole_strength": 1.7997,
    "words": 1.2638,
    "one_clause": 0.6479,
    "consensus": 0.1484,
}
THRESHOLD = 0.92
# fitted: end


def confidence(features: Mapping[str, float]) -> float:
    """Estimated probability that the first pick is the right entry."""
    z = BIAS + sum(COEFFICIENTS[name] * features[name] for name in FEATURES)
    if z < -40:
        return 0.0
    return 1.0 / (1.0 + math.exp(-z))
