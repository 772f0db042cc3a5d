"""mensajes.yaml is checked when it is loaded: every problem with file:line, key and fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.messages import DEFAULT_PATH, Messages, MessagesError, default_messages


def _broken(tmp_path: Path, *edits: tuple[str, str]) -> list[str]:
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "mensajes.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MessagesError) as err:
        Messages.load(path)
    lines = text.splitlines()
    # The key written on the problem's line, then the message: the line is the right one.
    return [f"{lines[p.line - 1].split(':')[0].strip()} | {p.message}" for p in err.value.problems]


def test_the_shipped_file_loads():
    messages = Messages.load(DEFAULT_PATH)
    assert messages.survey.si == "Sí" and messages.sources.una == "Fuente"
    assert messages("periodo_s2", anio=2026) == "segundo semestre de 2026"


def test_placeholders_the_bot_does_not_fill_and_open_braces(tmp_path):
    assert _broken(
        tmp_path,
        ('opcion: "Elija una de las opciones: {opciones}."', 'opcion: "Elija: {opcioness}."'),
        ('periodo_s1: "primer semestre de {anio}"', 'periodo_s1: "primer semestre de {anio"'),
    ) == [
        "opcion | clave 'encuesta.opcion': usa {opcioness}, que el bot no "
        "completa aquí; puede usar: {opciones}.",
        "periodo_s1 | clave 'periodo_s1': tiene una llave { o } sin pareja; cada "
        "{nombre} va entre dos llaves.",
    ]


def test_a_missing_section_key_and_a_list_instead_of_a_text(tmp_path):
    assert _broken(
        tmp_path,
        ('  varias: "Fuentes"\n', ""),
        ('solo_personal: "', 'solo_personal:\n  - "'),
    ) == [
        "solo_personal | clave 'solo_personal': debe ser un texto, o un grupo de textos "
        "(clave: \"texto\"); ponga el texto entre comillas.",
        "fuentes | clave 'fuentes.varias': falta; la palabra antes de varias fuentes, como "
        "\"Fuentes\".",
    ]


def test_a_count_gets_the_form_for_its_number():
    m = default_messages()
    assert m("recordatorio_guiado_alcance", n=1) == "<b>1</b> punto focal"
    assert m("recordatorio_guiado_alcance", n=0) == "<b>0</b> puntos focales"
    assert m("recordatorio_guiado_alcance", n=12) == "<b>12</b> puntos focales"
    assert "punto focal activo." in m("difundir_publico", n=1, filtros="todos")
