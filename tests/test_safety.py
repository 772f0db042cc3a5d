"""Crisis detection: every disclosure caught, no alarm on questions about violence."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.safety import Crisis, CrisisDetector, detect_crisis
from bot.textnorm import Language, load_language

DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev-preguntas.yaml"

VIOLENCE = [
    # first person
    "mi marido me golpeo anoche",
    "me pegaron",
    "me pega cuando toma",
    "mi enamorado me amenaza con matarme",
    "me quiere ahorcar",
    "mi pareja me ahorco ayer",
    "mi esposo quiere matarme",
    "me tiene encerrada en el cuarto",
    "mi conviviente no me deja salir de la casa",
    "soy victima de violencia",
    "sufro violencia de mi esposo",
    "fui violada por mi padrastro",
    "he sido abusada",
    "abusaron de mi cuando era nina",
    "me obliga a tener relaciones",
    "me estan golpeando",
    "me dio un golpe en la cara",
    "mi esposo me da golpes",
    "mi esposo me dio una paliza",
    "me agarro a golpes",
    "mi pareja me tiro un plato",
    "estoy sangrando",
    "MI PAREJA ME MALTRATA!!!",
    # someone close
    "mi papa nos pega a todos",
    "mi hija fue violada",
    "violaron a mi hermana",
    "mi vecino golpea a su esposa todas las noches",
    "alguien esta golpeando a mi hija",
    "mi padrastro me toca",
    "mi suegra me insulta y me humilla",
    # under way, witnessed
    "estan pegando a una senora en la calle",
    "le estan pegando a una chica en el parque ahorita",
    "hay un hombre golpeando a una mujer afuera de la municipalidad",
    "escucho gritos al lado, creo que le estan pegando",
    # cries for help, weapons, fear, presence
    "auxilio",
    "socorro por favor",
    "ayudenme urgente",
    "el papa de mis hijos me amenazo con un cuchillo",
    "mi esposo tiene una pistola y me amenaza",
    "tengo miedo",
    "me siento en peligro en mi casa",
    "mi ex esta afuera de mi casa",
    "me estan siguiendo desde el trabajo",
    # typos and chat spelling
    "mi esposo me golpia",
    "mi esposo me pgea",
    "me biolaron",
    "mi pareja me amenasa",
    "m pegaa mi esposo",
    "mi ex me amnaza",
]

SELF_HARM = [
    "me voy a matar",
    "ya no quiero vivir",
    "quiero quitarme la vida",
    "pienso en suicidarme",
    "me kiero morir",
    "no tengo ganas de vivir",
    "quisiera estar muerta",
    "me voy a tirar del puente",
]

CALM = [
    # questions about violence, in an officer's words
    "que es la violencia fisica",
    "la violencia psicologica se denuncia?",
    "que hago si en una sesion reportan un caso",
    "cuantos casos atendio el CEM",
    "una victima puede ir a un refugio",
    "que pasa si una mujer es golpeada por su pareja",
    "el acoso sexual es violencia?",
    "que dice la ley sobre la violacion",
    "como se denuncia el maltrato infantil",
    "a que numero llaman si estan agrediendo a una mujer",
    "que hacer si una vecina es maltratada",
    "los golpes son violencia fisica?",
    "si el agresor tiene un arma que hace la policia",
    "cuales son las medidas de proteccion para una victima de violacion",
    "que hago si una mujer me cuenta que su esposo la golpea",
    "una victima me dijo que su pareja la amenaza, a donde la derivo?",
    "que pena tiene el que golpea a su pareja",
    "si un padre golpea a su hijo se puede denunciar?",
    "que hacer cuando un alumno cuenta que lo golpean en casa",
    "como se atiende a una mujer golpeada en el cem",
    "me gustaria saber que es el abuso sexual",
    "mi instancia quiere hacer una campana contra el acoso",
    # everyday officer messages
    "me pagaron la gratificacion",
    "no me pagaron el sueldo",
    "me toca presentar el informe de la instancia",
    "me jalaron en el examen de la capacitacion",
    "estoy cansada de esperar el reporte",
    "mi alcalde no quiere instalar la instancia",
    "mi mama trabaja en el cem",
    "me pueden ayudar con el reporte",
    "necesito ayuda urgente con el reporte de la instancia",
    "quiero borrar mis datos",
    "como saco mi dni",
    "hola buenas tardes",
    "",
]


@pytest.mark.parametrize("text", VIOLENCE)
def test_violence_is_a_crisis(text: str) -> None:
    assert detect_crisis(text) == Crisis("violence"), text


@pytest.mark.parametrize("text", SELF_HARM)
def test_self_harm_is_its_own_kind(text: str) -> None:
    assert detect_crisis(text) == Crisis("self_harm"), text


@pytest.mark.parametrize("text", CALM)
def test_questions_about_violence_are_not_a_crisis(text: str) -> None:
    assert detect_crisis(text) is None, text


def test_threat_to_kill_is_violence_not_self_harm() -> None:
    assert detect_crisis("me quiere matar") == Crisis("violence")
    assert detect_crisis("mi ex dice que me va a matar") == Crisis("violence")
    assert detect_crisis("me quiero matar") == Crisis("self_harm")


def test_long_message_is_read_to_the_end() -> None:
    filler = "en la reunion de la instancia hablamos de muchos temas importantes " * 55
    assert len(filler) > 3500
    assert detect_crisis(filler) is None
    assert detect_crisis(filler + " y ahora mi esposo me pega") == Crisis("violence")


def test_detector_needs_its_word_lists(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="crisis"):
        CrisisDetector(Language(source="x.yaml"))
    path = tmp_path / "lenguaje.yaml"
    path.write_text(
        "crisis:\n  relaciones: [esposo]\n  verbos_ar: [peg]\n  autolesion: [me quiero morir]\n",
        encoding="utf-8",
    )
    detector = CrisisDetector(load_language(path))
    assert detector.detect("mi esposo me pega") == Crisis("violence")
    assert detector.detect("me quiero morir") == Crisis("self_harm")
    assert detector.detect("que es la violencia") is None


# --------------------------------------------------------------------------- development set


def _dev() -> dict:
    if not DEV.exists():
        pytest.skip(f"development set not found at {DEV}")
    return yaml.safe_load(DEV.read_text(encoding="utf-8"))


def test_dev_crisis_messages_are_all_caught() -> None:
    missed = [q for q in _dev()["crisis"] if detect_crisis(q) is None]
    assert missed == []


def test_no_alarm_on_any_dev_question() -> None:
    dev = _dev()
    calm = [d["q"] for d in dev["preguntas"] + dev["no_crisis"]] + dev["fuera_de_tema"]
    alarms = [q for q in calm if detect_crisis(q)]
    assert alarms == []
