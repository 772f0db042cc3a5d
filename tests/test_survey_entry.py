"""Survey version 2 (knowledge/encuesta.yaml): clean data at entry, levels, the short path."""

from datetime import date, timedelta

import pytest

from bot.knowledge import load_knowledge
from bot.survey import LAW_IN_FORCE, Survey, display, load_survey, parse_answer

TODAY = date(2026, 6, 15)


@pytest.fixture(scope="module")
def survey() -> Survey:
    return load_survey(kb_ids=set(load_knowledge().entries))


def parse(survey, qid, raw):
    return parse_answer(survey.question(qid), raw, today=TODAY)


def test_version_2_is_the_current_survey(survey):
    assert survey.version == "2026.3"  # 2026.2 plus the sessions one by one (issue 13)
    inner = [s for q in survey.questions if q.group for s in q.group.questions]
    assert all(q.por_que for q in (*survey.questions, *inner)), "every question says why"
    files = [q.id for q in survey.questions if q.tipo == "archivo"]
    assert files == ["ordenanza_archivo", "instalacion_acta", "reglamento_archivo", "plan_archivo"]


@pytest.mark.parametrize("bad", ["🙂", "👍👍", "12345", "123 456", "x", "??", "N°"])
def test_an_ordinance_number_must_have_digits_and_its_issuer(survey, bad):
    result = parse(survey, "ordenanza_numero", bad)
    assert not result.ok
    assert result.error.startswith("Escriba el número del documento con quien lo emitió")
    assert "Ordenanza Municipal N° 012-2024-MDA" in result.error  # the example


@pytest.mark.parametrize(
    "good", ["003-2018-MPCH", "Ordenanza 014-2018-MPS", "Ord. 237-MDP/C", "OM 012-2024"]
)
def test_ordinance_numbers_as_officers_write_them(survey, good):
    assert parse(survey, "ordenanza_numero", f"  {good} ").value == good


@pytest.mark.parametrize("bad", ["123 456", "🙂", "👍👍", "x", "12345", "..."])
def test_an_office_name_must_have_words(survey, bad):
    result = parse(survey, "secretaria_tecnica", bad)
    assert result.error.startswith("Necesito la respuesta escrita con palabras")
    assert "Gerencia de Desarrollo Social" in result.error


def test_free_text_without_an_example_is_refused_kindly_too(survey):
    assert parse(survey, "dificultades", "🙂").error == (
        "Necesito la respuesta escrita con palabras (no solo cifras, emojis o una letra)."
    )
    assert parse(survey, "dificultades", "Falta presupuesto 2026").ok
    assert parse(survey, "secretaria_tecnica", "Subgerencia 1").value == "Subgerencia 1"


def test_dates_between_the_law_and_today(survey):
    assert date(2015, 11, 24) == LAW_IN_FORCE
    assert parse(survey, "ordenanza_fecha", "24/11/2015").value == "2015-11-24"
    before = parse(survey, "ordenanza_fecha", "23/11/2015").error
    assert before == (
        "La fecha 23/11/2015 es anterior a la vigencia de la Ley 30364 (24/11/2015). "
        "Revise el año, por favor."
    )
    tomorrow = (TODAY + timedelta(days=1)).strftime("%d/%m/%Y")
    assert parse(survey, "ordenanza_fecha", tomorrow).error == (
        f"La fecha {tomorrow} todavía no llega. Escriba la fecha en que ocurrió."
    )
    assert parse(survey, "ordenanza_fecha", "hoy").value == TODAY.isoformat()


def test_month_and_year_when_the_day_is_not_remembered(survey):
    q = survey.question("asistencia_fecha")
    for typed in ("marzo 2024", "Marzo de 2024", "03/2024", "3-2024"):
        assert parse(survey, "asistencia_fecha", typed).value == "2024-03", typed
    assert display(q, "2024-03") == "03/2024"
    assert parse(survey, "asistencia_fecha", "noviembre 2015").value == "2015-11"
    assert not parse(survey, "asistencia_fecha", "octubre 2015").ok
    assert not parse(survey, "asistencia_fecha", "julio 2026").ok  # after TODAY
    # A month is a date for the checks: an installation in March 2024 after a 2024-02 ordinance.
    answers = {"creada": "si", "ordenanza_numero": "OM 1-2024", "ordenanza_fecha": "2024-02",
               "instalada": True}
    assert survey.next_question(answers, today=TODAY).id == "ordenanza_archivo"
    kept = survey.prune({**answers, "instalacion_fecha": "2024-03-01"}, today=TODAY)
    assert kept["instalacion_fecha"] == "2024-03-01"
    pruned = survey.prune({**answers, "instalacion_fecha": "2024-01-31"}, today=TODAY)
    assert "instalacion_fecha" not in pruned


def test_each_level_gets_its_own_questions_and_member_list(survey):
    district, province, region = (
        survey.for_level(x) for x in ("distrital", "provincial", "regional")
    )
    ids = {lvl: {q.id for q in s.questions} for lvl, s in
           (("d", district), ("p", province), ("r", region))}
    assert "observatorio_etapa" in ids["r"] and "observatorio_etapa" not in ids["p"] | ids["d"]
    assert "hogares_refugio" in ids["p"] & ids["r"] and "hogares_refugio" not in ids["d"]

    def members(s):
        return [o.valor for o in s.question("miembros_acreditados").opciones]

    assert "municipalidad_distrital" in members(district)
    assert "gobierno_regional" not in members(district)
    assert "gobierno_regional" in members(region) and "ugel" in members(province)
    assert all(m[-1] == "otra" for m in map(members, (district, province, region)))
    assert survey.for_level("distrital") is district  # built once
    assert survey.for_level(None) is survey


def test_a_district_with_nothing_yet_answers_five_questions(survey):
    district = survey.for_level("distrital")
    answers: dict = {}
    asked = []
    script = {"creada": "no", "servicios": ["ninguno"], "servicios_faltan": None,
              "asistencia_recibida": False, "dificultades": None, "asistencia_tecnica": None}
    while (q := district.next_question(answers, today=TODAY)) is not None:
        asked.append(q.id)
        answers[q.id] = script[q.id]
    assert asked == list(script)
    assert district.is_complete(answers, today=TODAY)


def test_multiple_choice_none_and_others_cannot_be_mixed(survey):
    q = survey.question("servicios")
    from bot.survey import check_answer

    error = check_answer(survey, q, ["cem", "ninguno"], {}, today=TODAY)
    assert error == "«Ninguno de estos» no se puede marcar junto con otros servicios."
    assert check_answer(survey, q, ["cem", "sau"], {}, today=TODAY) is None


def test_ticking_none_clears_the_others_and_vice_versa(survey):
    q = survey.question("servicios")
    ticked = q.tick(q.tick([], "cem"), "sau")
    assert ticked == ["cem", "sau"]
    assert q.tick(ticked, "ninguno") == ["ninguno"]
    assert q.tick(["ninguno"], "sar") == ["sar"]
    assert q.tick(["cem", "sar"], "cem") == ["sar"]


def test_a_draft_keeps_hidden_answers_and_a_report_does_not(survey):
    answers = {"creada": "no", "ordenanza_numero": "OM 1-2024", "ordenanza_fecha": "2024-02-01",
               "instalada": True, "instalacion_fecha": "2024-01-01"}
    assert [q.id for q in survey.hidden(answers, today=TODAY)] == [
        "ordenanza_numero", "ordenanza_fecha", "instalada", "instalacion_fecha"]
    assert survey.prune(answers, today=TODAY) == {"creada": "no"}
    assert survey.prune(answers, today=TODAY, keep_hidden=True) == answers
    # Relevant again: an answer that no longer fits (installed before the ordinance) goes.
    back = survey.prune({**answers, "creada": "si"}, today=TODAY, keep_hidden=True)
    assert "instalacion_fecha" not in back and back["ordenanza_numero"] == "OM 1-2024"
