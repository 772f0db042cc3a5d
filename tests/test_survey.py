"""The survey file loads, its skip logic and validations behave, and the checker names lines."""

from __future__ import annotations

import json
import textwrap
from datetime import date
from pathlib import Path

import pytest

from bot.knowledge import Problem, load_knowledge
from bot.messages import Messages, default_messages
from bot.survey import (
    Option,
    Survey,
    SurveyError,
    check_answer,
    check_survey,
    display,
    load_survey,
    parse_answer,
)
from bot.survey_expr import ExprError, parse

REPO = Path(__file__).resolve().parents[1]
BROKEN = REPO / "tests" / "data" / "survey_broken"
TODAY = date(2026, 6, 15)

# A full "yes" path through the real survey, in question order.
FULL = {
    "creada": "si",
    "ordenanza_numero": "Ordenanza Municipal N° 012-2024-MDA",
    "ordenanza_fecha": "2024-03-15",
    "instalada": True,
    "instalacion_fecha": "2024-05-02",
    "reglamento_interno": True,
    "plan_trabajo": False,
    "sesiones_semestre": 3,
    "secretaria_tecnica": "Gerencia de Desarrollo Social",
    "metas_instrumentos": ["pdc", "pp"],
    "acciones_pbac": None,
    "dificultades": "Poco presupuesto",
    "asistencia_tecnica": None,
    "documento": {"file_id": "F1", "name": "acta.pdf", "size": 1000, "mime": "application/pdf"},
}


@pytest.fixture(autouse=True)
def _repo_cwd(monkeypatch):
    # Problem paths are relative to the current directory; pin it so messages are stable.
    monkeypatch.chdir(REPO)


@pytest.fixture(scope="module")
def kb_ids() -> set[str]:
    return set(load_knowledge().entries)


# The engine is tested on version 2026.1, frozen: its reports must stay readable.
V1 = REPO / "knowledge" / "encuestas_anteriores" / "encuesta-2026.1.yaml"


@pytest.fixture(scope="module")
def survey(kb_ids) -> Survey:
    return load_survey(V1, kb_ids)


def ids(questions) -> list[str]:
    return [q.id for q in questions]


def walk(survey: Survey, answers: dict) -> list[str]:
    """The ids asked, in order, answering from `answers` (None for anything not given)."""
    given: dict = {}
    asked = []
    while (q := survey.next_question(given, today=TODAY)) is not None:
        asked.append(q.id)
        given[q.id] = answers.get(q.id)
    return asked


def parsed(survey: Survey, qid: str, raw):
    return parse_answer(survey.question(qid), raw, today=TODAY)


# --------------------------------------------------------------------------- real file


def test_real_survey_loads_with_real_kb_ids(kb_ids):
    survey, problems = check_survey(V1, kb_ids)
    assert problems == [], "\n".join(map(str, problems))
    assert survey.version == "2026.1"
    assert survey.source == "knowledge/encuestas_anteriores/encuesta-2026.1.yaml"
    assert ids(survey.questions)[:2] == ["creada", "ordenanza_numero"]
    assert len(survey.questions) == 14
    assert all(q.ayuda in kb_ids for q in survey.questions if q.ayuda)
    creada = survey.question("creada")
    assert creada.opciones == (
        Option("si", "Sí"),
        Option("no", "No"),
        Option("en_tramite", "En trámite"),
    )
    assert creada.line == 58
    assert survey.question("instalada").opciones == (Option("si", "Sí"), Option("no", "No"))
    assert survey.question("dificultades").requerido is False
    assert survey.question("texto_inexistente") is None


def test_full_path_asks_everything_and_is_complete(survey):
    assert walk(survey, FULL) == list(FULL)
    assert survey.is_complete(FULL, today=TODAY)
    assert survey.next_question(FULL, today=TODAY) is None


# --------------------------------------------------------------------------- skip logic


@pytest.mark.parametrize("creada", ["no", "en_tramite"])
def test_not_created_goes_straight_to_dificultades(survey, creada):
    assert walk(survey, {"creada": creada}) == [
        "creada",
        "dificultades",
        "asistencia_tecnica",
        "documento",
    ]


def test_not_installed_skips_installation_details(survey):
    answers = {**FULL, "instalada": False}
    assert walk(survey, answers) == [
        "creada",
        "ordenanza_numero",
        "ordenanza_fecha",
        "instalada",
        "metas_instrumentos",
        "dificultades",
        "asistencia_tecnica",
        "documento",
    ]


def test_progress_counts_unknown_questions_until_they_are_decided(survey):
    q = survey.question
    assert survey.progress(q("creada"), {}, today=TODAY) == (1, 14)
    assert survey.progress(q("dificultades"), {"creada": "no"}, today=TODAY) == (2, 4)
    assert survey.progress(q("documento"), {"creada": "no"}, today=TODAY) == (4, 4)
    # Installation still unknown: its questions may come.
    early = {"creada": "si", "ordenanza_numero": "x", "ordenanza_fecha": "2024-03-15"}
    assert survey.progress(q("instalada"), early, today=TODAY) == (4, 14)
    assert survey.progress(q("metas_instrumentos"), {**early, "instalada": False}) == (5, 8)
    assert survey.progress(q("metas_instrumentos"), FULL, today=TODAY) == (10, 14)


def test_is_complete_needs_every_relevant_required_answer(survey):
    skipped_all = {"creada": "no", "dificultades": None, "asistencia_tecnica": None}
    assert survey.is_complete({**skipped_all, "documento": None}, today=TODAY)
    assert not survey.is_complete({"creada": "no"}, today=TODAY)
    assert not survey.is_complete({**FULL, "sesiones_semestre": None}, today=TODAY)


# --------------------------------------------------------------------------- /atras


def test_previous_question_for_atras(survey):
    answers = {"creada": "no", "dificultades": None, "asistencia_tecnica": "Capacitación"}
    # Across the ten questions skipped by skip logic, straight back to creada.
    assert survey.previous_question("dificultades", answers, today=TODAY).id == "creada"
    # A skipped optional question (None) is reachable: the officer may want to fill it.
    assert survey.previous_question("asistencia_tecnica", answers, today=TODAY).id == (
        "dificultades"
    )
    assert survey.previous_question("creada", answers, today=TODAY) is None
    # From the summary: the last answered question.
    assert survey.previous_question(None, FULL, today=TODAY).id == "documento"
    not_installed = {k: v for k, v in FULL.items() if k not in ("documento",)}
    not_installed["instalada"] = False
    assert survey.previous_question("metas_instrumentos", not_installed).id == "instalada"
    assert survey.previous_question("no_existe", FULL) is None


# --------------------------------------------------------------------------- prune


def test_prune_after_changing_creada_from_si_to_no(survey):
    pruned = survey.prune({**FULL, "creada": "no"}, today=TODAY)
    assert pruned == {
        "creada": "no",
        "dificultades": "Poco presupuesto",
        "asistencia_tecnica": None,
        "documento": FULL["documento"],
    }
    assert survey.next_question(pruned, today=TODAY) is None
    assert survey.is_complete(pruned, today=TODAY)


def test_prune_back_to_si_asks_the_dropped_questions_again(survey):
    pruned = survey.prune({**FULL, "creada": "no"}, today=TODAY)
    pruned["creada"] = "si"
    assert survey.next_question(pruned, today=TODAY).id == "ordenanza_numero"


def test_prune_drops_answers_that_now_break_their_restriccion(survey):
    # The ordenanza date is corrected to after the installation: the installation date goes.
    changed = {**FULL, "ordenanza_fecha": "2024-06-01"}
    pruned = survey.prune(changed, today=TODAY)
    assert "instalacion_fecha" not in pruned
    assert survey.next_question(pruned, today=TODAY).id == "instalacion_fecha"
    # Unrelated answers and unknown keys stay.
    assert pruned["sesiones_semestre"] == 3
    assert survey.prune({**FULL, "_meta": 1}, today=TODAY)["_meta"] == 1


def test_prune_drops_values_of_the_wrong_shape(survey):
    pruned = survey.prune({**FULL, "metas_instrumentos": ["pdc", "retirado"]}, today=TODAY)
    assert "metas_instrumentos" not in pruned
    assert survey.prune(FULL, today=TODAY) == FULL


# --------------------------------------------------------------------------- summary


def test_summary_display(survey):
    shown = {q.id: text for q, text in survey.summary(FULL, today=TODAY)}
    assert shown == {
        "creada": "Sí",
        "ordenanza_numero": "Ordenanza Municipal N° 012-2024-MDA",
        "ordenanza_fecha": "15/03/2024",
        "instalada": "Sí",
        "instalacion_fecha": "02/05/2024",
        "reglamento_interno": "Sí",
        "plan_trabajo": "No",
        "sesiones_semestre": "3",
        "secretaria_tecnica": "Gerencia de Desarrollo Social",
        "metas_instrumentos": "Plan de Desarrollo Concertado (PDC), Presupuesto Participativo (PP)",
        "acciones_pbac": "—",
        "dificultades": "Poco presupuesto",
        "asistencia_tecnica": "—",
        "documento": "acta.pdf",
    }
    short = survey.summary({"creada": "en_tramite"}, today=TODAY)
    assert [(q.id, text) for q, text in short] == [
        ("creada", "En trámite"),
        ("dificultades", "—"),
        ("asistencia_tecnica", "—"),
        ("documento", "—"),
    ]


def test_values_are_json_serialisable(survey):
    assert json.loads(json.dumps(FULL)) == FULL
    samples = {
        "instalada": "sí",
        "ordenanza_fecha": "15/03/2024",
        "metas_instrumentos": ["pp", "pdc"],
        "sesiones_semestre": "4",
    }
    for qid, raw in samples.items():
        value = parsed(survey, qid, raw).value
        assert json.loads(json.dumps(value)) == value


# --------------------------------------------------------------------------- typed answers


@pytest.mark.parametrize(
    ("raw", "value"),
    [("si", True), ("Sí", True), ("S", True), (" sí. ", True), ("no", False), ("N", False),
     (True, True), (False, False)],
)  # fmt: skip
def test_si_no_typed(survey, raw, value):
    assert parsed(survey, "instalada", raw).value is value


def test_si_no_rejects_anything_else(survey):
    assert parsed(survey, "instalada", "tal vez").error == "Responda «Sí» o «No»."


@pytest.mark.parametrize(
    ("raw", "value"),
    [("si", "si"), ("SÍ", "si"), ("en_tramite", "en_tramite"), ("En tramite", "en_tramite"),
     ("en trámite", "en_tramite"), ("NO", "no")],
)  # fmt: skip
def test_opcion_accepts_valor_or_label(survey, raw, value):
    assert parsed(survey, "creada", raw).value == value


def test_opcion_unknown_lists_the_options(survey):
    assert parsed(survey, "creada", "quizás").error == (
        "Elija una de las opciones: Sí, No, En trámite."
    )


def test_multiple_typed_and_pressed_in_option_order(survey):
    assert parsed(survey, "metas_instrumentos", ["pp", "pdc"]).value == ["pdc", "pp"]
    assert parsed(survey, "metas_instrumentos", "POI y pdc").value == ["pdc", "poi"]
    assert parsed(survey, "metas_instrumentos", "Ninguno todavía").value == ["ninguno"]
    error = parsed(survey, "metas_instrumentos", "pdc, <i>otro").error
    assert error.startswith("No reconozco «iotro». Las opciones son: Plan de Desarrollo")
    assert parsed(survey, "metas_instrumentos", []).error.startswith("Marque al menos una")


@pytest.mark.parametrize(
    ("raw", "value"),
    [("3", 3), (" 3 ", 3), ("0", 0), ("tres", 3), ("Diez", 10), ("ninguna", 0),
     ("4 sesiones", 4), (5, 5), ("-1", -1)],
)  # fmt: skip
def test_entero_typed(survey, raw, value):
    assert parsed(survey, "sesiones_semestre", raw).value == value


def test_entero_errors(survey):
    assert parsed(survey, "sesiones_semestre", "abc").error == (
        "Escriba un número entero con cifras, por ejemplo: 3."
    )
    assert parsed(survey, "sesiones_semestre", "3.5").error == (
        "Escriba un número entero, sin decimales, por ejemplo: 3."
    )
    assert parsed(survey, "sesiones_semestre", "3 o 4").error is not None


@pytest.mark.parametrize(
    "raw",
    ["15/03/2024", "5/3/2024", "15-03-2024", "15.03.2024", "15 de marzo de 2024",
     "15 de Marzo del 2024", "15/03/24", "2024-03-15"],
)  # fmt: skip
def test_fecha_formats(survey, raw):
    value = parsed(survey, "ordenanza_fecha", raw).value
    assert value == ("2024-03-05" if raw == "5/3/2024" else "2024-03-15")


def test_fecha_relative_words(survey):
    assert parsed(survey, "ordenanza_fecha", "hoy").value == "2026-06-15"
    assert parsed(survey, "ordenanza_fecha", "Ayer").value == "2026-06-14"


def test_fecha_errors_give_format_and_example(survey):
    assert parsed(survey, "ordenanza_fecha", "31/02/2024").error == (
        "La fecha 31/02/2024 no existe. Escríbala como dd/mm/aaaa, por ejemplo: 15/03/2024."
    )
    assert parsed(survey, "ordenanza_fecha", "marzo").error == (
        "Escriba la fecha como dd/mm/aaaa, por ejemplo: 15/03/2024. Si no recuerda el día, "
        "escriba el mes y el año, como «marzo 2024»."
    )
    assert parsed(survey, "ordenanza_fecha", "15/13/2024").error.startswith("La fecha 15/13")


def test_texto_trimmed_and_limited(survey):
    assert parsed(survey, "dificultades", "  Falta presupuesto \n").value == "Falta presupuesto"
    assert parsed(survey, "dificultades", "   ").error == "Escriba su respuesta, por favor."
    assert parsed(survey, "dificultades", "x" * 1000).value == "x" * 1000
    assert parsed(survey, "dificultades", "x" * 1001).error == (
        "Su respuesta tiene 1001 caracteres y el máximo es 1000. Resúmala, por favor."
    )
    assert "el máximo es 200" in parsed(survey, "ordenanza_numero", "y" * 201).error


def test_archivo_type_and_size(survey):
    pdf = {"file_id": "F", "name": "ordenanza.pdf", "size": 1000, "mime": "application/pdf"}
    assert parsed(survey, "documento", pdf).value == pdf
    photo = {"file_id": "P", "name": None, "size": 50_000, "mime": "image/jpeg"}
    assert parsed(survey, "documento", photo).value == photo
    no_mime = {"file_id": "F", "name": "ACTA.PNG", "size": 10, "mime": None}
    assert parsed(survey, "documento", no_mime).value["mime"] == "image/png"
    word = {"file_id": "F", "name": "acta.docx", "size": 10, "mime": "application/msword"}
    assert parsed(survey, "documento", word).error == (
        "Ese tipo de archivo no se acepta. Envíe un PDF o una foto (JPG o PNG)."
    )
    big = {**pdf, "size": 25 * 1024 * 1024 + 300_000}
    assert parsed(survey, "documento", big).error == (
        "El archivo pesa 25,3 MB y el máximo es 20 MB. Envíe uno más liviano."
    )
    assert parsed(survey, "documento", "aquí va").error == default_messages().survey.archivo_falta


@pytest.mark.parametrize("raw", [None, 3.7, object(), {"x": 1}, ["a", 1], "\x00"])
def test_parse_answer_never_raises(survey, raw):
    for q in survey.questions:
        result = parse_answer(q, raw, today=TODAY)
        assert (result.error is None) != (result.value is None), (q.id, raw, result)


# --------------------------------------------------------------------------- restrictions


def test_future_date_is_rejected(survey):
    q = survey.question("ordenanza_fecha")
    assert check_answer(survey, q, "2026-06-15", FULL, today=TODAY) is None
    assert check_answer(survey, q, "2026-06-16", FULL, today=TODAY) == (
        "La fecha de la ordenanza no puede ser posterior a hoy."
    )


def test_installation_before_ordenanza_is_rejected(survey):
    q = survey.question("instalacion_fecha")
    expected = (
        "La fecha de instalación no puede ser posterior a hoy ni anterior a la fecha de la "
        "ordenanza (15/03/2024)."
    )
    assert check_answer(survey, q, "2024-03-14", FULL, today=TODAY) == expected
    assert check_answer(survey, q, "2026-07-01", FULL, today=TODAY) == expected
    assert check_answer(survey, q, "2024-03-15", FULL, today=TODAY) is None
    # Without an ordenanza date (skipped or unknown) only "not in the future" applies.
    no_date = {k: v for k, v in FULL.items() if k != "ordenanza_fecha"}
    assert check_answer(survey, q, "2001-01-01", no_date, today=TODAY) is None


def test_sessions_range(survey):
    q = survey.question("sesiones_semestre")
    msg = "Escriba un número de sesiones entre 0 y 60."
    assert check_answer(survey, q, 61, FULL, today=TODAY) == msg
    assert check_answer(survey, q, -1, FULL, today=TODAY) == msg
    assert check_answer(survey, q, 0, FULL, today=TODAY) is None
    assert check_answer(survey, q, 60, FULL, today=TODAY) is None


def test_ninguno_cannot_be_combined(survey):
    q = survey.question("metas_instrumentos")
    value = parsed(survey, "metas_instrumentos", "ninguno, pdc").value
    assert check_answer(survey, q, value, FULL, today=TODAY) == (
        "«Ninguno todavía» no se puede marcar junto con otros instrumentos."
    )
    assert check_answer(survey, q, ["ninguno"], FULL, today=TODAY) is None
    assert check_answer(survey, q, ["pdc", "poi", "pp"], FULL, today=TODAY) is None


def test_skipping_only_optional_questions(survey):
    assert check_answer(survey, survey.question("dificultades"), None, {}, today=TODAY) is None
    assert (
        check_answer(survey, survey.question("creada"), None, {}, today=TODAY)
        == default_messages().survey.requerido
    )


def test_display_of_each_type(survey):
    q = survey.question
    assert display(q("instalada"), False) == "No"
    assert display(q("creada"), "en_tramite") == "En trámite"
    assert display(q("ordenanza_fecha"), "2024-01-05") == "05/01/2024"
    assert display(q("sesiones_semestre"), 0) == "0"
    assert display(q("documento"), {"file_id": "P", "name": None}) == "Archivo adjunto"
    assert display(q("dificultades"), None) == "—"


# --------------------------------------------------------------------------- expressions


def _eval(text: str, current=None, answers=None, today=TODAY):
    answers = answers or {}
    return parse(text).evaluate(current, answers.get, today)


def test_expression_null_rules():
    assert _eval("${x} = 'si'") is False
    assert _eval("${x} != 'si'") is False  # any comparison with null is false
    assert _eval("not(${x} = 'si')") is True
    assert _eval("${x} = ''") is True and _eval("${x} != ''") is False
    assert _eval("${x} = ''", answers={"x": []}) is True
    assert _eval("${x} = ''", answers={"x": "a"}) is False
    assert _eval("${x} + 1 > 0") is False


def test_expression_types():
    assert _eval(". > date('2024-01-31')", current=date(2024, 2, 1)) is True
    assert _eval(". = '2024-02-01'", current=date(2024, 2, 1)) is True
    assert _eval("today() - 30 > date('2026-05-01')") is True
    assert _eval(". = true and . = 'si'", current=True) is True
    assert _eval("selected(., 'b') and count-selected(.) = 2", current=["a", "b"]) is True
    assert _eval("selected(., 'si')", current="si") is True
    assert _eval("string-length(.) <= 3", current="abcd") is False
    assert _eval("-1 + 3 = 2 or 1 = 0") is True
    assert _eval("'a' < 3") is False  # text vs number cannot be compared: false, no error


@pytest.mark.parametrize(
    ("text", "column"),
    [("", 1), ("${x} =", 7), ("${x} == 1", 6), ("foo(1)", 1), ("today(1)", 1),
     ("'abc", 1), ("${X}", 1), ("1 < 2 < 3", 7), ("date('31/01/2024')", 1), ("a", 1),
     ("(1 = 1", 7), ("1 = 1 1", 7), ("$x", 1), ("1 # 2", 3)],
)  # fmt: skip
def test_expression_syntax_errors_have_columns(text, column):
    with pytest.raises(ExprError) as info:
        parse(text)
    assert info.value.column == column


def test_expression_refs():
    expr = parse(". >= ${a} and selected(${b}, 'x')")
    assert expr.uses_current and [r.id for r in expr.refs] == ["a", "b"]


# --------------------------------------------------------------------------- versions


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "encuesta.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_another_version_loads_and_reports_it(tmp_path):
    path = write(
        tmp_path,
        """\
        version: 2027.10
        titulo: "Prueba"
        preguntas:
          - id: activa
            tipo: si_no
            texto: "¿Activa?"
          - id: motivo
            tipo: texto
            texto: "¿Por qué no?"
            relevante: not(${activa})
        """,
    )
    survey = load_survey(path)
    assert survey.version == "2027.10"  # unquoted, still the text written (not 2027.1)
    assert walk(survey, {"activa": False}) == ["activa", "motivo"]
    assert walk(survey, {"activa": True}) == ["activa"]


# --------------------------------------------------------------------------- broken files


def problems_of(name: str, kb_ids: set[str] | None = None) -> list[str]:
    survey, problems = check_survey(BROKEN / name, kb_ids)
    assert survey is None
    assert all(isinstance(p, Problem) for p in problems)
    return [str(p) for p in problems]


def test_broken_yaml_syntax():
    assert problems_of("syntax.yaml") == [
        "tests/data/survey_broken/syntax.yaml:9: error de sintaxis YAML: did not find expected "
        "key while parsing a block mapping (empieza en la línea 4); revise sangría, dos puntos "
        "y comillas."
    ]


def test_broken_structure():
    f = "tests/data/survey_broken/structure.yaml"
    assert problems_of("structure.yaml") == [
        f"{f}:1: clave 'version': falta; escriba la versión entre comillas, como \"2026.1\".",
        f"{f}:6: pregunta 'creada', clave 'opciones': solo es para los tipos opcion y multiple "
        "(Sí y No ya vienen incluidos); bórrela.",
        f"{f}:9: pregunta 'nivel': el tipo opcion necesita 'opciones'; agregue una lista de "
        "{valor: ..., etiqueta: \"...\"}.",
        f"{f}:12: pregunta 'nivel', clave 'requirido': clave desconocida (¿quiso decir "
        "'requerido'?).",
        f"{f}:13: pregunta 'nivel': el id se repite (la primera está en la línea 9); cambie uno "
        "de los dos.",
        f"{f}:14: pregunta 'nivel', clave 'tipo': 'numero' no es válido; use uno de: si_no, "
        "opcion, multiple, entero, fecha, texto, archivo, grupo.",
        f"{f}:21: pregunta 'estado', opción 2: el valor 'uno' se repite (línea 20); cambie uno "
        "de los dos.",
        f"{f}:22: pregunta 'Mal-Id', clave 'id': 'Mal-Id' no sirve; use minúsculas, cifras y _, "
        "como 'ordenanza_fecha'.",
        f"{f}:24: pregunta 'Mal-Id', clave 'texto': no es HTML válido de Telegram: <b> is never "
        "closed (line 1).",
        f"{f}:25: pregunta 'Mal-Id', clave 'max_largo': '0' es muy bajo; un número entero de 1 "
        "a 4000.",
    ]


def test_broken_expressions_and_references(kb_ids):
    f = "tests/data/survey_broken/expressions.yaml"
    assert problems_of("expressions.yaml", kb_ids) == [
        f"{f}:7: pregunta 'creada', clave 'relevante': ${{fecha}} viene después (línea 9); "
        "solo se pueden usar respuestas anteriores.",
        f"{f}:8: pregunta 'creada', clave 'ayuda': 'instancia-como-crea' no está en la base de "
        "conocimiento (¿quiso decir 'instancia-como-crear'?).",
        f"{f}:12: pregunta 'fecha', clave 'relevante': \"${{creada}} = 'si' and\": se esperaba "
        "un valor y se encontró el final (columna 21).",
        f"{f}:13: pregunta 'fecha', clave 'restriccion': falta su 'mensaje_error'; escriba qué "
        "debe corregir la persona.",
        f"{f}:17: pregunta 'sesiones', clave 'relevante': ${{creadda}} no es una pregunta "
        "(¿quiso decir 'creada'?).",
        f"{f}:18: pregunta 'sesiones', clave 'restriccion': falta su 'mensaje_error'; escriba "
        "qué debe corregir la persona.",
        f"{f}:22: pregunta 'nota', clave 'relevante': no puede usar '.' (esta pregunta aún no "
        "tiene respuesta); use ${id} de una pregunta anterior.",
        f"{f}:23: pregunta 'nota', clave 'mensaje_error': no hay 'restriccion'; agregue la "
        "restriccion o borre el mensaje.",
        f"{f}:27: pregunta 'total', clave 'restriccion': '. == ${{sesiones}}': use '=' en vez "
        "de '==' (columna 3).",
    ]


def test_ayuda_is_only_checked_when_kb_ids_are_given():
    assert not any("ayuda" in p for p in problems_of("expressions.yaml"))


def test_missing_version_raises_survey_error():
    with pytest.raises(SurveyError) as info:
        load_survey(BROKEN / "no_version.yaml")
    assert [str(p) for p in info.value.problems] == [
        "tests/data/survey_broken/no_version.yaml:1: clave 'version': falta; escriba la versión "
        "entre comillas, como \"2026.1\"."
    ]
    assert "no_version.yaml:1: clave 'version': falta" in str(info.value)


def test_self_reference_and_bad_option_keys(tmp_path):
    question = """\
        version: "1"
        titulo: "Prueba"
        preguntas:
          - id: a
            tipo: opcion
            texto: "¿A?"
            opciones:
              - {{valor: x, etiqueta: "Equis"}}
              - {option}
            restriccion: ${{a}} != ''
            mensaje_error: "Mal"
            ejemplo: "x"
        """
    path = write(tmp_path, question.format(option='{valor: "y", etiqueta: "Ye"}'))
    _, problems = check_survey(path)
    assert [(p.line, p.message) for p in problems] == [
        (10, "pregunta 'a', clave 'restriccion': se refiere a su propia pregunta; use '.' para "
         "esta respuesta."),
        (12, "pregunta 'a', clave 'ejemplo': solo es para preguntas entero, fecha, texto "
         "(respuestas escritas); bórrelo."),
    ]  # fmt: skip
    path = write(tmp_path, question.format(option='{valor: "Y y", label: "Ye"}'))
    _, problems = check_survey(path)
    assert [(p.line, p.message) for p in problems] == [
        (9, "pregunta 'a', opción 2, clave 'etiqueta': falta; escriba lo que ve la persona en "
         "el botón."),
        (9, "pregunta 'a', opción 2, clave 'label': clave desconocida; válidas: valor, "
         "etiqueta, niveles."),
        (9, "pregunta 'a', opción 2, clave 'valor': 'Y y' no sirve; use minúsculas, cifras y _, "
         "como 'en_tramite'."),
    ]  # fmt: skip


def test_what_officers_are_told_comes_from_the_messages_file(tmp_path):
    text = (REPO / "knowledge" / "mensajes.yaml").read_text(encoding="utf-8")
    old = '  si: "Sí"\n  no: "No"\n  sin_respuesta'  # the 'encuesta' section's
    text = text.replace(old, '  si: "SÍ"\n  no: "NO"\n  sin_respuesta', 1)
    text = text.replace('  si_no: "Responda «Sí» o «No»."', '  si_no: "Toque SÍ o NO."')
    (tmp_path / "mensajes.yaml").write_text(text, encoding="utf-8")
    survey = load_survey(V1, messages=Messages.load(tmp_path / "mensajes.yaml"))
    q = survey.question("instalada")
    assert [o.etiqueta for o in q.opciones] == ["SÍ", "NO"]
    assert display(q, True) == "SÍ"
    assert parse_answer(q, "tal vez", today=TODAY).error == "Toque SÍ o NO."
