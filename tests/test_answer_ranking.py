"""The fitted ranking and answer model (bot/answer_ranking.py) on long, context-heavy messages.

The messages below were written for these tests, in the style officers use (who they are,
where, what happened, then the question); none comes from an evaluation set. In each, the context
keeps the best score low, although the matcher and every BM25 reading agree on the entry.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from bot import answer_ranking, matching
from bot.bm25 import Ranking
from bot.knowledge import load_knowledge
from bot.matching import Aside, Matcher, load_language, top_ids

ROOT = Path(__file__).resolve().parents[1]

LONG_MESSAGES = [
    (
        "Buenos dias, soy Rosa Quispe de la Gerencia Regional de Desarrollo Social de Junin. El "
        "consejo regional aprobo crear un observatorio de la violencia en la region y ahora nos "
        "toca a nosotros armarlo desde cero. ¿Por donde empezamos, que pasos hay que seguir?",
        "observatorio-regional-pasos",
    ),
    (
        "Buenas tardes, mi nombre es Teodora Yupanqui y trabajo hace dos semanas en la "
        "Subgerencia de Desarrollo Social de la Municipalidad Provincial de Angaraes. La persona "
        "que estaba antes se fue sin dejar nada y el alcalde me pregunta todos los dias por la "
        "instancia porque en la provincia hubo varios casos. En la ultima reunion con la "
        "fiscalia y el centro de salud comentaron que el juzgado de familia puede ordenar que el "
        "agresor salga de la casa y que no se acerque a la victima. ¿Que medidas de proteccion "
        "existen, quien las otorga y en cuanto tiempo?",
        "medidas-de-proteccion",
    ),
]


@pytest.fixture(scope="module")
def real() -> Matcher:
    return Matcher.build(
        load_knowledge(ROOT / "knowledge" / "faq"),
        load_language(ROOT / "knowledge" / "lenguaje.yaml"),
    )


@pytest.mark.parametrize(("text", "expected"), LONG_MESSAGES)
def test_a_long_message_every_reading_agrees_on_is_answered(
    real: Matcher, text: str, expected: str
) -> None:
    m = real.match(text)
    assert (m.band, m.entry_id) == ("answer", expected), m


@pytest.mark.parametrize(("text", "expected"), LONG_MESSAGES)
def test_without_the_answer_model_they_are_only_offered(
    real: Matcher, text: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the answer model adds: without it the entry is offered first, not answered."""
    monkeypatch.setattr(answer_ranking, "THRESHOLD", math.inf)
    m = real.match(text)
    assert m.band != "answer" and m.suggestions[0] == expected, m


def _long_query(real: Matcher):
    text = (
        "en la reunion con la fiscalia y el centro de salud comentaron que el juzgado puede "
        "ordenar que el agresor salga de la casa que medidas de proteccion existen"
    )
    acronyms: set[str] = set()
    return real._query(real._stems(real._normalized(text), acronyms), acronyms)


def _reading(real: Matcher, scores: dict[int, float]) -> Ranking:
    """A BM25 reading with these entries' scores (every other entry 0)."""
    totals = np.zeros(len(real.ids))
    for e, s in scores.items():
        totals[e] = s
    order = sorted(scores, key=lambda e: -scores[e])
    return Ranking(order, [scores[e] for e in order], totals)


def test_a_low_score_is_answered_only_where_the_readings_back_it(real: Matcher) -> None:
    q = _long_query(real)
    index = real.ids.index("medidas-de-proteccion")
    other = real.ids.index("denuncia-quien-puede")
    # A long message: low best score, a thin lead over the runner-up.
    ranked = [(0.35, index), (0.34, other)]
    backing = _reading(real, {index: 12.0, other: 4.5})
    agreed = real._decide(
        ranked, q, (backing, backing), backing, consensus=1.0, aside=Aside(backing, backing)
    )
    assert (agreed.match.band, agreed.match.entry_id) == ("answer", "medidas-de-proteccion")
    assert answer_ranking.THRESHOLD <= agreed.confidence < 1.0  # the model's, not a rule's
    elsewhere = _reading(real, {other: 12.0, index: 4.5})
    disagreed = real._decide(
        ranked,
        q,
        (elsewhere, elsewhere),
        elsewhere,
        consensus=1.0,
        aside=Aside(elsewhere, elsewhere),
    )
    assert disagreed.match.entry_id != "medidas-de-proteccion"
    # A near tie in BM25 too, and the readings of the message split: offered, not answered.
    tied = _reading(real, {index: 5.0, other: 4.9})
    unsure = real._decide(ranked, q, (tied, tied), tied, consensus=1 / 3)
    assert unsure.match.band != "answer"


def test_the_ranking_puts_first_what_every_bm25_reading_puts_first(real: Matcher) -> None:
    """The matcher's first by a hair, every BM25 reading clearly for the second: the second
    comes first."""
    q = _long_query(real)
    index = real.ids.index("medidas-de-proteccion")
    other = real.ids.index("denuncia-quien-puede")
    ranked = [(0.36, other), (0.35, index)]
    backing = _reading(real, {index: 12.0, other: 3.0})
    decided = real._decide(ranked, q, (backing, backing), backing, consensus=1 / 3).match
    assert top_ids(decided)[0] == "medidas-de-proteccion"
    # Without the answer model it is offered, and the matcher's own first with it.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(answer_ranking, "THRESHOLD", math.inf)
        offered = real._decide(ranked, q, (backing, backing), backing, consensus=1 / 3).match
    assert offered.suggestions[:1] == ("medidas-de-proteccion",)
    assert "denuncia-quien-puede" in offered.suggestions


def test_the_guards_bind_the_model(real: Matcher) -> None:
    """A message that names only the district is not answered with the provincial members,
    however much BM25 agrees."""
    text = "quienes son los miembros de la instancia distrital de nuestro distrito en la sierra"
    acronyms: set[str] = set()
    q = real._query(real._stems(real._normalized(text), acronyms), acronyms)
    index = real.ids.index("instancia-provincial-integrantes")
    ranked = [(0.6, index), (0.39, real.ids.index("instancia-distrital-integrantes"))]
    backing = _reading(real, {index: 12.0})
    decided = real._decide(ranked, q, (backing, backing), backing, consensus=1.0)
    assert decided.match.band != "answer"


def test_the_models_read_every_feature_they_name() -> None:
    assert list(answer_ranking.RANKING) == list(answer_ranking.CANDIDATE_FEATURES)
    assert list(answer_ranking.ANSWER) == list(answer_ranking.MESSAGE_FEATURES)
    assert 0.5 < answer_ranking.THRESHOLD < 1.0
    weights = answer_ranking.ranking_weights()
    rows = np.zeros((2, len(weights)))
    rows[0, answer_ranking.CANDIDATE_FEATURES.index("whole_share")] = 1.0
    probs = answer_ranking.probabilities(rows)
    assert probs.sum() == pytest.approx(1.0) and probs[0] > probs[1]
    base = dict.fromkeys(answer_ranking.MESSAGE_FEATURES, 0.0)
    low = answer_ranking.confidence({**base, "score": 0.2})
    high = answer_ranking.confidence({**base, "score": 0.6})
    assert 0.0 <= low < high <= 1.0


# From the spent independent sets: short questions every reading agrees on. Whatever the
# answer model's threshold, the unanimity rule answers them, and only it does.
AGREED_SHORT = [
    ("si ya tenemos ccl ya no es necesario la instancia?", "instancia-idc-vs-ccl"),
    ("cuantas instancias d concertacion hay en todo el peru", "cifras-instancias"),
]


@pytest.mark.parametrize(("text", "expected"), AGREED_SHORT)
def test_a_short_question_every_reading_agrees_on_is_answered(
    real: Matcher, text: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(answer_ranking, "THRESHOLD", math.inf)  # the model alone never answers
    m = real.match(text)
    assert (m.band, m.entry_id) == ("answer", expected)
    monkeypatch.setattr(matching, "unanimous", lambda features, stems: False)
    assert real.match(text).band != "answer"


def test_unanimity_needs_every_condition() -> None:
    agreed = {
        "probability": 0.97,
        "score": 0.6,
        "whole_first": 1.0,
        "worded_first": 1.0,
        "one_clause": 0.0,
        "question_first": 1.0,
        "about": 1.0,
    }
    assert matching.unanimous(agreed, 5)
    assert not matching.unanimous(agreed, matching.UNANIMOUS_STEMS + 1)  # a long message
    for name, value in (
        ("probability", 0.9),
        ("score", 0.45),  # "quien es el presidente de chile ahora?" scores this low
        ("whole_first", 0.0),
        ("worded_first", 0.0),
        ("question_first", 0.0),
        ("about", 0.0),
    ):
        assert not matching.unanimous(agreed | {name: value}, 5), name
    assert matching.unanimous(agreed | {"one_clause": 1.0, "question_first": 0.0}, 5)
