"""/recargar: knowledge base, language, messages and survey are swapped in together or not at
all; a broken file keeps the previous versions serving and is reported with file:line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.answers import Answerer
from bot.config import Settings, TelegramSettings
from bot.knowledge import format_answer
from bot.messages import Messages
from bot.services import Services
from bot.survey import display, load_survey

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def services(tmp_path: Path) -> Services:
    kdir = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", kdir, ignore=shutil.ignore_patterns("ubigeo.csv"))
    messages = Messages.load(kdir / "mensajes.yaml")
    answers = Answerer(kdir, messages)
    return Services(
        settings=Settings(telegram=TelegramSettings(token="1:x"), knowledge_dir=kdir),
        db=None,  # reload touches no table
        places=None,
        messages=messages,
        answers=answers,
        survey=load_survey(kdir / "encuesta.yaml", set(answers.kb.entries), messages),
    )


def _edit(path: Path, old: str, new: str) -> int:
    """Replace `old` once; the 1-based line where it was."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def test_a_broken_messages_file_keeps_the_old_messages_and_says_where(services):
    path = services.settings.knowledge_dir / "mensajes.yaml"
    before = services.messages, services.answers.kb, services.survey
    line = _edit(path, 'solo_personal: "', 'solo_personal:\n  - "')
    problems = services.reload()
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}:{line}: clave 'solo_personal': debe ser un texto")
    assert (services.messages, services.answers.kb, services.survey) == before
    assert services.messages("bienvenida_acciones")  # still serving


def test_a_fixed_messages_file_is_picked_up_everywhere(services):
    kdir = services.settings.knowledge_dir
    _edit(kdir / "mensajes.yaml", 'una: "Fuente"', 'una: "Base legal"')
    _edit(kdir / "mensajes.yaml", 'sin_respuesta: "—"', 'sin_respuesta: "(omitida)"')
    _edit(kdir / "mensajes.yaml", 'comando_desconocido: "', 'comando_desconocido: "¡Nuevo! ')
    assert services.reload() == []
    assert services.messages("comando_desconocido").startswith("¡Nuevo! ")
    single = next(e for e in services.answers.kb.entries.values() if len(e.fuentes) == 1)
    assert "📖 <i>Base legal: " in format_answer(single)
    assert display(services.survey.questions[0], None) == "(omitida)"


def test_one_broken_file_keeps_every_file_at_its_old_version(services):
    kdir = services.settings.knowledge_dir
    _edit(kdir / "mensajes.yaml", 'comando_desconocido: "', 'comando_desconocido: "¡Nuevo! ')
    line = _edit(kdir / "encuesta.yaml", "tipo: fecha", "tipo: fechaa")
    old_messages = services.messages
    problems = services.reload()
    assert [p.split(": ", 1)[0] for p in problems] == [f"{kdir / 'encuesta.yaml'}:{line}"]
    assert "'fechaa' no es válido" in problems[0]
    assert services.messages is old_messages
    assert not services.messages("comando_desconocido").startswith("¡Nuevo! ")


def test_a_broken_knowledge_base_keeps_the_previous_one_answering(services):
    kdir = services.settings.knowledge_dir
    ley = kdir / "faq" / "ley.yaml"
    before = services.answers.kb
    line = _edit(ley, "id: ley-30364-que-es", "id: [x")
    problems = services.reload()
    # The parser stops on the next line and says where the open bracket is.
    assert [p.split(": ", 1)[0] for p in problems] == [f"{ley}:{line + 1}"]
    assert f"(empieza en la línea {line})" in problems[0]
    assert services.answers.kb is before
    assert services.answers.respond("que es la ley 30364").entry_id == "ley-30364-que-es"
    fixed = (ROOT / "knowledge" / "faq" / "ley.yaml").read_text(encoding="utf-8") + "# revisado\n"
    ley.write_text(fixed, encoding="utf-8")
    assert services.reload() == []
    assert services.answers.kb is not before  # read again, not the version loaded at the start


def test_a_broken_language_file_is_reported_with_its_line(services):
    path = services.settings.knowledge_dir / "lenguaje.yaml"
    detector = services.answers.detector
    path.write_text("abreviaturas: [unclosed\n", encoding="utf-8")
    problems = services.reload()
    assert len(problems) == 1 and problems[0].startswith(f"{path}:2: error de sintaxis YAML")
    assert services.answers.detector is detector


def test_the_priority_criteria_reload_with_the_rest_or_not_at_all(services):
    kdir = services.settings.knowledge_dir
    _edit(kdir / "prioridad.yaml", "    peso: 4\n    etiqueta: \"Sin ordenanza",
          "    peso: 9\n    etiqueta: \"Sin ordenanza")
    assert services.reload() == []
    assert services.priority.criterios.sin_ordenanza.peso == 9
    line = _edit(kdir / "prioridad.yaml", "    peso: 9\n", "    peso: mucho\n")
    problems = services.reload()
    assert len(problems) == 1 and problems[0].startswith(f"{kdir / 'prioridad.yaml'}:{line}:")
    assert services.priority.criterios.sin_ordenanza.peso == 9  # the loaded file keeps serving
