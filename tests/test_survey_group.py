"""A grupo (XLSForm's repeat group): the sessions of the period, asked one by one."""

from datetime import date
from pathlib import Path

import pytest

from bot.knowledge import load_knowledge
from bot.survey import (
    check_answer,
    check_survey,
    column_values,
    display,
    load_survey,
    parse_answer,
    past_survey,
)

TODAY = date(2026, 6, 15)
PERIOD = "2026-S1"
BEFORE = {
    "creada": "si", "ordenanza_numero": "Ordenanza 012-2024-MDA",
    "ordenanza_fecha": "2024-03-15", "ordenanza_archivo": None, "instalada": True,
    "instalacion_fecha": "2024-05-02", "instalacion_acta": None, "reglamento_interno": False,
    "plan_trabajo": False,
}  # fmt: skip
S1 = {"sesion_fecha": "2026-02-10", "sesion_tipo": "ordinaria", "sesion_acta": True}
S2 = {"sesion_fecha": "2026-05-20", "sesion_tipo": "extraordinaria", "sesion_acta": False}
S3 = {"sesion_fecha": "2026-06-01", "sesion_tipo": "ordinaria", "sesion_acta": True}


@pytest.fixture(scope="module")
def survey():
    full = load_survey(kb_ids=set(load_knowledge().entries))
    return full.for_level("distrital").for_period(PERIOD)


def answer_all(survey, answers, value_of):
    """Answer every step asked, in order, until the grupo is done: the ids asked."""
    asked = []
    while (q := survey.next_question(answers, today=TODAY)) is not None and q.parent:
        asked.append(q.id)
        key, value = survey.stored(q, value_of(q), answers)
        answers = {**answers, key: value}
    return asked, answers


def test_the_grupo_is_asked_once_per_session(survey):
    answers = {**BEFORE, "sesiones_semestre": 2}
    values = {"sesion_fecha": "2026-03-01", "sesion_tipo": "ordinaria", "sesion_acta": True}
    asked, answers = answer_all(survey, answers, lambda q: values[q.sub])
    assert asked == [
        f"sesiones.{n}.{sub}" for n in (1, 2) for sub in ("sesion_fecha", "sesion_tipo",
                                                          "sesion_acta")
    ]
    assert answers["sesiones"] == [values, values]
    assert survey.next_question(answers, today=TODAY).id == "preside_titular"
    step = survey.question("sesiones.2.sesion_tipo")
    assert (step.parent, step.n, step.sub, step.tipo) == ("sesiones", 2, "sesion_tipo", "opcion")
    # Progress counts each step: 10 questions before, then six steps.
    assert survey.progress(survey.question("sesiones.1.sesion_fecha"), answers,
                           today=TODAY)[0] == 11
    assert survey.progress(step, answers, today=TODAY)[0] == 15
    assert survey.question("sesiones.13.sesion_fecha") is None  # beyond max_repeticiones
    assert survey.question("sesiones.x.sesion_fecha") is None
    assert survey.question("sesiones.1.no_such") is None


def test_no_sessions_no_grupo_and_a_cap_on_the_listed(survey):
    assert survey.next_question({**BEFORE, "sesiones_semestre": 0},
                                today=TODAY).id == "secretaria_tecnica"
    group = survey.question("sesiones")
    assert survey.repetitions(group, {**BEFORE, "sesiones_semestre": 20},
                              today=TODAY) == (12, 20)
    asked, _ = answer_all(survey, {**BEFORE, "sesiones_semestre": 20},
                          lambda q: {"sesion_fecha": "2026-03-01", "sesion_tipo": "ordinaria",
                                     "sesion_acta": True}[q.sub])
    assert len(asked) == 36 and asked[-1] == "sesiones.12.sesion_acta"


def test_a_session_date_within_the_period_and_not_before_the_installation(survey):
    answers = {**BEFORE, "sesiones_semestre": 1}
    q = survey.question("sesiones.1.sesion_fecha")

    def error(typed):
        parsed = parse_answer(q, typed, today=TODAY)
        return parsed.error or check_answer(survey, q, parsed.value, answers, today=TODAY)

    assert error("10/02/2026") is None and error("marzo 2026") is None
    for outside in ("31/12/2025", "01/07/2026"):
        assert error(outside) is not None
    assert "02/05/2024" in error("31/12/2025")  # the installation date, as shown
    late = {**answers, "instalacion_fecha": "2026-03-01"}
    parsed = parse_answer(q, "10/02/2026", today=TODAY)
    assert check_answer(survey, q, parsed.value, late, today=TODAY) is not None
    # The same survey without a period (reading a report): the widest, law to today.
    unbound = load_survey().for_level("distrital")
    assert check_answer(unbound, unbound.question("sesiones.1.sesion_fecha"), "2025-12-31",
                        answers, today=TODAY) is None


def test_back_inside_the_grupo(survey):
    answers = {**BEFORE, "sesiones_semestre": 2, "sesiones": [S1, {"sesion_fecha": S2[
        "sesion_fecha"]}]}
    here = survey.next_question(answers, today=TODAY)
    assert here.id == "sesiones.2.sesion_tipo"
    assert survey.previous_question(here.id, answers, today=TODAY).id == "sesiones.2.sesion_fecha"
    assert survey.previous_question("sesiones.2.sesion_fecha", answers,
                                    today=TODAY).id == "sesiones.1.sesion_acta"
    assert survey.previous_question("sesiones.1.sesion_fecha", answers,
                                    today=TODAY).id == "sesiones_semestre"
    done = {**answers, "sesiones": [S1, S2], "preside_titular": "siempre"}
    assert survey.previous_question("preside_titular", done,
                                    today=TODAY).id == "sesiones.2.sesion_acta"
    # Walking the grupo again from the summary: every step, answered or not, then out.
    group = survey.question("sesiones")
    first = survey.first_step(group, done, today=TODAY)
    walked = [first.id]
    while (nxt := survey.next_in_group(survey.question(walked[-1]), done, today=TODAY)):
        walked.append(nxt.id)
    assert len(walked) == 6 and walked[-1] == "sesiones.2.sesion_acta"


def test_editing_the_count_trims_or_extends_the_list(survey):
    answers = {**BEFORE, "sesiones_semestre": 3, "sesiones": [S1, S2, S3]}
    fewer = {**answers, "sesiones_semestre": 1}
    hidden = survey.hidden(fewer, today=TODAY)
    assert [(h.id, h.texto) for h in hidden] == [
        ("sesiones.2.sesion_fecha", "Sesión 2"), ("sesiones.3.sesion_fecha", "Sesión 3")
    ]
    assert survey.hidden(answers, today=TODAY) == []
    assert survey.prune(fewer, today=TODAY, keep_hidden=True)["sesiones"] == [S1, S2, S3]
    assert survey.prune(fewer, today=TODAY)["sesiones"] == [S1]  # sent: only what is listed
    assert survey.is_complete(fewer, today=TODAY) is False  # preside_titular... still to ask
    summary = dict((q.id, shown) for q, shown in survey.summary(fewer, today=TODAY))
    assert summary["sesiones"] == "Sesión 1: 10/02/2026 · Ordinaria · Acta: Sí"
    more = {**answers, "sesiones_semestre": 4}
    assert survey.next_question(more, today=TODAY).id == "sesiones.4.sesion_fecha"
    # Zero sessions: the whole grupo is set aside, as one answer.
    none = {**answers, "sesiones_semestre": 0}
    assert [h.id for h in survey.hidden(none, today=TODAY)] == ["sesiones"]
    # A corrected installation date drops only the session dates it now contradicts.
    later = survey.prune({**answers, "instalacion_fecha": "2026-03-01"}, today=TODAY)
    assert "sesion_fecha" not in later["sesiones"][0] and later["sesiones"][1] == S2
    assert survey.next_question(later, today=TODAY).id == "sesiones.1.sesion_fecha"


def test_a_steps_answer_goes_into_the_list(survey):
    answers = {**BEFORE, "sesiones_semestre": 2}
    step = survey.question("sesiones.2.sesion_acta")
    assert survey.stored(step, False, answers) == ("sesiones", [{}, {"sesion_acta": False}])
    assert survey.stored(survey.question("creada"), "no", answers) == ("creada", "no")
    assert survey.answered(step, {"sesiones": [{}, {"sesion_acta": False}]})
    assert not survey.answered(step, {"sesiones": [{}]})


def test_display_and_export_columns(survey):
    group = survey.question("sesiones")
    assert display(group, [S1, S2]) == (
        "Sesión 1: 10/02/2026 · Ordinaria · Acta: Sí\n"
        "Sesión 2: 20/05/2026 · Extraordinaria · Acta: No"
    )
    assert [c.etiqueta for c in group.group.columnas] == [
        "Sesiones extraordinarias", "Fecha de la última sesión", "Sesiones con acta"
    ]
    assert column_values(group, [S1, S2, S3]) == [1, "2026-06-01", 2]
    assert column_values(group, []) == [0, None, 0]
    assert column_values(group, "not a list") == [0, None, 0]


def test_the_previous_version_still_reads(survey):
    old = past_survey("2026.2")
    assert old is not None and old.question("sesiones_extraordinarias") is not None
    assert old.question("sesiones") is None


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "encuesta.yaml"
    path.write_text('version: "9"\ntitulo: "t"\npreguntas:\n' + body, encoding="utf-8")
    return path


GOOD = """\
  - id: n
    tipo: entero
    texto: "¿Cuántas?"
  - id: g
    tipo: grupo
    texto: "Las sesiones"
    repeticiones: ${n}
    rotulo: "Sesión {n}"
    preguntas:
      - id: f
        tipo: fecha
        texto: "¿Fecha?"
      - id: a
        tipo: si_no
        texto: "¿Acta?"
        relevante: ${f} != ''
"""


def test_a_good_grupo_loads(tmp_path):
    survey, problems = check_survey(write(tmp_path, GOOD))
    assert problems == [] and survey.question("g").group.max_repeticiones == 12


@pytest.mark.parametrize(("change", "expected"), [
    (("    repeticiones: ${n}\n", ""),
     ":7: pregunta 'g': un grupo necesita 'repeticiones'"),
    (("${n}\n    rotulo", "${nn}\n    rotulo"),
     ":10: pregunta 'g', clave 'repeticiones': ${nn} no es una pregunta (¿quiso decir 'n'?)."),
    (('"Sesión {n}"', '"Sesión"'),
     ":11: pregunta 'g', clave 'rotulo': escriba {n} donde va el número"),
    (("tipo: si_no", "tipo: archivo"),
     ":17: pregunta 'a' del grupo 'g', clave 'tipo': archivo no se puede usar dentro de un "
     "grupo; use uno de: si_no, opcion, entero, fecha, texto."),
    (("relevante: ${f} != ''", "relevante: ${g} != ''"),
     ":19: pregunta 'a' del grupo 'g', clave 'relevante': ${g} es el grupo de esta pregunta"),
    (("  - id: n\n", "  - id: x\n    relevante: ${f} = ''\n"),
     ":5: pregunta 'x', clave 'relevante': ${f} es una pregunta del grupo 'g' y solo se puede "
     "usar dentro de ese grupo."),
    (("      - id: a", "      - id: n"),
     ":16: pregunta 'n': el id se repite (la primera está en la línea 4)"),
    (("    rotulo:", "    columnas:\n      - {etiqueta: X, ultima: a}\n    rotulo:"),
     ":12: pregunta 'g', columna 1, clave 'ultima': 'a' no es una pregunta fecha del grupo"),
    (("    rotulo:", "    columnas:\n      - {etiqueta: X, cuenta: \"${zz}\"}\n    rotulo:"),
     ":12: pregunta 'g', columna 1, clave 'cuenta': ${zz} no es una pregunta del grupo"),
    (("    tipo: entero\n", "    tipo: entero\n    rotulo: \"x {n}\"\n"),
     ":6: pregunta 'n', clave 'rotulo': solo es para preguntas grupo; bórrela."),
])
def test_survey_check_names_the_line_and_the_fix_for_a_bad_grupo(tmp_path, change, expected):
    path = write(tmp_path, GOOD.replace(*change))
    survey, problems = check_survey(path)
    shown = [str(p) for p in problems]
    assert survey is None
    assert any(expected in p and p.startswith(str(path)) for p in shown), shown
