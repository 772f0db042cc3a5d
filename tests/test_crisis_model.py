"""The learned second reading of danger (bot/crisis_model.py): where it speaks, what it says,
and a broken model file named with its fix."""

from __future__ import annotations

import json
from collections import OrderedDict
from pathlib import Path

import pytest

from bot import filecache
from bot.crisis_model import KINDS, MODEL_FILE, CrisisModel, CrisisModelError, features
from bot.safety import CrisisDetector, detect_crisis
from bot.textnorm import default_language

# Missed by the rules; the learned reading catches them, each with its reply. (Set J's "una
# compañera lleva 3 días sin venir y su esposo contesta su celular" is read by the rules now.)
RULES_MISSED = [
    ("mi vecina no sale de su casa hace dias y se escuchan llantos de noche", "other"),
]


@pytest.fixture(scope="module")
def rules() -> CrisisDetector:
    return CrisisDetector(default_language(), rules_only=True)


@pytest.mark.parametrize(("text", "label"), RULES_MISSED)
def test_what_the_rules_miss_the_learned_reading_catches(
    rules: CrisisDetector, text: str, label: str
) -> None:
    assert rules.detect(text) is None
    crisis = detect_crisis(text)
    assert crisis is not None and crisis.label == label


def test_the_rules_decide_when_they_speak(rules: CrisisDetector) -> None:
    """The model never changes who is in danger once a rule has found it."""
    model = CrisisModel.load()
    detector = CrisisDetector(default_language())
    for text in (
        "mi esposo me pega todos los dias",
        "mi vecina dice que su pareja la golpea q hago",
        "la hijita de mi vecina le conto a mi hija q su abuelo le toca sus partes",
        "ya estoy cansada de todo, seria mejor desaparecer y ya",
    ):
        found = rules.detect(text)
        assert found is not None
        assert detector.detect(text) == found
        assert model.read(detector.folded(text)) in (*KINDS, None)


def test_a_command_or_an_empty_message_is_never_read_as_danger() -> None:
    for text in ("/ayuda", "/help", "", "   ", "👍"):
        assert detect_crisis(text) is None


def test_features_are_words_pieces_pairs_and_triples() -> None:
    got = features(["mi", "esposo", "pega"])
    assert {"w:mi", "w:esposo", "b:mi_esposo", "t:mi_esposo_pega", "c:#esp", "c:ega#"} <= got


def test_the_packaged_model_is_whole() -> None:
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    assert len(data["bias"]) == len(KINDS) + 1
    assert data["threshold"] > 0  # a calm message with no known feature stays calm
    assert data["bias"][0] < data["threshold"]
    # The short help lines' bar sits under the crisis reply's, and above a message of no known
    # feature.
    assert data["bias"][0] < data["soft_threshold"] <= data["threshold"]
    assert "independiente-j" in data["fitted_on"]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("{not json", "no se puede leer"),
        ('{"threshold": 1, "bias": [0, 0], "weights": {}}', "5 valores"),
        ('{"threshold": 1, "bias": [0, 0, 0, 0, 0], "weights": {"w:x": [1]}}', "5 valores"),
        ('{"bias": [0, 0, 0, 0, 0], "weights": {}}', "threshold"),
        ('{"threshold": 1, "bias": [0, 0, 0, 0, 0], "weights": {}}', "soft_threshold"),
    ],
)
def test_a_broken_model_file_names_the_file_and_the_fix(
    tmp_path: Path, content: str, says: str
) -> None:
    path = tmp_path / "crisis_model.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CrisisModelError) as caught:
        CrisisModel.load(path)
    message = str(caught.value)
    assert str(path) in message and says in message
    assert "benchmarks/fit_crisis.py --write" in message


def test_a_broken_model_file_stops_the_command_with_the_fix_and_no_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot import cli, safety

    broken = tmp_path / "crisis_model.json"
    broken.write_text("{broken", encoding="utf-8")
    monkeypatch.setattr(safety, "packaged_model", lambda: CrisisModel.load(broken))
    monkeypatch.setattr(filecache, "_built", OrderedDict())  # built again, not reused
    assert cli.main(["ask", "hola"]) == cli.EXIT_CONFIG
    err = capsys.readouterr().err
    assert err.startswith("data error: ") and str(broken) in err
    assert "fit_crisis.py --write" in err and "Traceback" not in err


def test_between_the_two_bars_a_message_is_worrying_but_no_crisis() -> None:
    """Where the model is unsure, the soft bar decides: below the crisis reply's threshold,
    above the soft one, the reply only ends with the short help lines."""
    from tests.e2e.test_questions_issue11 import NEAR_DANGER

    packaged = CrisisModel.load()
    detector = CrisisDetector(default_language())
    between = [
        (text, score)
        for text in NEAR_DANGER
        if packaged.soft_threshold
        <= (score := float(packaged.scores(detector.folded(text))[0]))
        < packaged.threshold
    ]
    assert between, "none of NEAR_DANGER scores between the two bars: add one"
    text, score = between[0]
    for soft, worrying in ((score - 0.01, True), (score + 0.01, False)):
        detector.model = CrisisModel(
            packaged.threshold, packaged.bias, list(packaged.rows), packaged.weights, soft
        )
        assert detector.worrying(text) is worrying
    detector.model = None
    assert not detector.worrying(text)  # the rules alone have no soft reading
