"""The calibrated answer model (bot/answer_confidence.py) on long, context-heavy messages.

The messages below were written for these tests, in the style officers use (who they are,
where, what happened, then the question); none comes from an evaluation set. Each one the hand
rule alone leaves unanswered, because the context keeps the best score low, although the
matcher and every BM25 reading agree on the entry.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from bot import answer_confidence
from bot.bm25 import Ranking
from bot.knowledge import load_knowledge
from bot.matching import Matcher, load_language, top_ids

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
def test_the_hand_rule_alone_only_offers_it(
    real: Matcher, text: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the model these are not answered: what the model adds."""
    monkeypatch.setattr(answer_confidence, "THRESHOLD", math.inf)
    m = real.match(text)
    assert m.band != "answer", m


def _long_query(real: Matcher):
    text = (
        "en la reunion con la fiscalia y el centro de salud comentaron que el juzgado puede "
        "ordenar que el agresor salga de la casa que medidas de proteccion existen"
    )
    acronyms: set[str] = set()
    return real._query(real._stems(real._normalized(text), acronyms), acronyms)


def test_the_model_answers_a_low_score_only_where_bm25_backs_it(real: Matcher) -> None:
    q = _long_query(real)
    index = real.ids.index("medidas-de-proteccion")
    other = real.ids.index("denuncia-quien-puede")
    # A long message: low best score, a thin lead (the hand rule wants 0.35 and 0.05).
    ranked = [(0.3, index), (0.29, other)]
    backing = Ranking([index, other], [9.0, 4.5])
    agreed = real._decide(ranked, q, (backing, backing), backing, consensus=1.0)
    assert (agreed.match.band, agreed.match.entry_id) == ("answer", "medidas-de-proteccion")
    assert answer_confidence.THRESHOLD <= agreed.confidence < 1.0  # the model's, not the rule's
    elsewhere = Ranking([other, index], [9.0, 4.5])
    disagreed = real._decide(ranked, q, (elsewhere, elsewhere), elsewhere, consensus=1.0)
    assert disagreed.match.band != "answer"
    assert "medidas-de-proteccion" in top_ids(disagreed.match)
    # A near tie in BM25 too, and the readings of the message split: offered, not answered.
    tied = Ranking([index, other], [5.0, 4.9])
    unsure = real._decide(ranked, q, (tied, tied), tied, consensus=1 / 3)
    assert unsure.match.band != "answer"


def test_the_guards_bind_the_model(real: Matcher) -> None:
    """A message that names only the district is not answered with the provincial members,
    however much BM25 agrees."""
    text = "quienes son los miembros de la instancia distrital de nuestro distrito en la sierra"
    acronyms: set[str] = set()
    q = real._query(real._stems(real._normalized(text), acronyms), acronyms)
    index = real.ids.index("instancia-provincial-integrantes")
    ranked = [(0.4, index), (0.39, real.ids.index("instancia-distrital-integrantes"))]
    backing = Ranking([index], [12.0])
    decided = real._decide(ranked, q, (backing, backing), backing, consensus=1.0)
    assert decided.match.band != "answer"


def test_the_model_reads_every_feature_it_names() -> None:
    assert set(answer_confidence.COEFFICIENTS) == set(answer_confidence.FEATURES)
    assert 0.5 < answer_confidence.THRESHOLD < 1.0
    base = dict.fromkeys(answer_confidence.FEATURES, 0.0)
    low = answer_confidence.confidence({**base, "score": 0.2})
    high = answer_confidence.confidence({**base, "score": 0.6})
    assert 0.0 <= low < high <= 1.0
