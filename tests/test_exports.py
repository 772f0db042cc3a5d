"""Exports: the XLSX and CSV read back, built from reports stored in a real database."""

import csv
import io
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from bot import cli, exports
from bot.messages import default_messages
from bot.places import PlaceIndex
from bot.registration import Draft
from bot.storage import reports as store
from bot.storage.db import Database
from bot.storage.officers import delete_officer, get_officer, save_officer, sync_places
from bot.storage.queries_data import current_reports, sent_reports
from bot.survey import load_survey
from tests.test_survey import FULL as SURVEY_FULL
from tests.test_survey import REPO, V1

PERIOD = "2026-S2"
LIMA = ZoneInfo("America/Lima")
SURVEY = load_survey(V1)  # these reports were answered under version 2026.1
FULL = {
    **SURVEY_FULL,
    "metas_instrumentos": ["pdc", "poi"],
    "dificultades": "Poca asistencia, sobre todo en épocas de lluvia",
    "documento": {"file_id": "F1", "name": "ordenanza.pdf", "size": 10, "mime": "application/pdf"},
}
PLACES = PlaceIndex.load()


def add_report(db, telegram_id, name, level, code, answers, sent_at, period=PERIOD):
    """A sent report by a registered officer, through the storage functions the bot uses."""
    with db.session() as s:
        officer = get_officer(s, telegram_id) or save_officer(
            s,
            telegram_id,
            Draft(name=name, cargo="Subgerenta de Desarrollo Social", level=level,
                  place_code=code, institution="Municipalidad"),
            "v1",
            sent_at,
        )
        report = store.start_draft(s, officer, period, SURVEY.version, sent_at, answers)
        store.send(report, sent_at)
        return report.id


def register(db, telegram_id, name, level, code):
    with db.session() as s:
        draft = Draft(name=name, cargo="Gerente", level=level, place_code=code,
                      institution="Municipalidad")
        save_officer(s, telegram_id, draft, "v1", datetime.now(UTC))


@pytest.fixture
def db(db_url):
    """A migrated database with the places synced, on SQLite and on PostgreSQL."""
    database = Database(db_url)
    database.upgrade()
    sync_places(database, PLACES)
    yield database
    database.dispose()


@pytest.fixture
def seeded(db):
    """Ate (two reports: the later one wins), Ayacucho regional, Cusco provincial (officer gone)."""
    add_report(db, 1, "Ana Peña", "distrital", "150103", FULL, datetime(2026, 7, 10, tzinfo=UTC))
    corrected = {**FULL, "sesiones_semestre": 5}
    add_report(db, 2, "Luis Ñahui", "distrital", "150103", corrected,
               datetime(2026, 8, 1, 3, 30, tzinfo=UTC))  # 31/07 22:30 in Lima
    add_report(db, 3, "Rosa Ccori", "regional", "05", {"creada": "no", "dificultades": None},
               datetime(2026, 9, 1, 14, tzinfo=UTC))
    add_report(db, 4, "Juan Paz", "provincial", "0801", {"creada": "en_tramite"},
               datetime(2026, 9, 2, 14, tzinfo=UTC))
    add_report(db, 1, "Ana Peña", "distrital", "150103", FULL, datetime(2026, 2, 1, tzinfo=UTC),
               period="2026-S1")
    with db.session() as s:
        delete_officer(s, 4)
    return db


def tables(db, period=PERIOD, survey=SURVEY):
    with db.session() as s:
        rows = sent_reports(s, period)
    return exports.report_tables(rows, survey, LIMA, default_messages())


def by_header(table, row):
    return dict(zip(table.headers, row, strict=True))


def test_current_sheet_has_one_row_per_instancia_and_the_latest_report_wins(seeded):
    current, documents, history = tables(seeded)
    assert current.headers[:14] == [
        "Ubigeo", "Periodo", "Región", "Departamento", "Provincia", "Distrito", "Nivel",
        "Instancia", "Punto focal", "Cargo", "Teléfono", "Fecha de envío", "Versión de encuesta",
        "Estado de revisión",
    ]  # fmt: skip
    multiple = SURVEY.question("metas_instrumentos")
    assert current.headers[14:] == [
        h for q in SURVEY.questions for h in (
            [f"Metas instrumentos: {o.etiqueta}" for o in multiple.opciones] if q is multiple
            else [q.id.replace("_", " ").capitalize()]
        )
    ]
    assert len(current.rows) == 3 and len(history.rows) == 4
    rows = {r["Instancia"]: r for r in (by_header(current, x) for x in current.rows)}
    ate = rows["Instancia Distrital de Concertación de Ate (Lima, Lima)"]
    assert ate["Punto focal"] == "Luis Ñahui" and ate["Sesiones semestre"] == 5
    assert ate["Fecha de envío"] == date(2026, 7, 31)  # Lima, not UTC
    assert ate["Región"] == "Lima Metropolitana" and ate["Distrito"] == "Ate"
    assert ate["Ordenanza fecha"] == date(2024, 3, 15)
    assert ate["Instalada"] == "Sí" and ate["Plan trabajo"] == "No"
    assert ate["Ubigeo"] == "150103" and ate["Periodo"] == PERIOD
    assert ate["Estado de revisión"] == "Sin revisar"
    assert ate["Metas instrumentos: Plan de Desarrollo Concertado (PDC)"] == "Sí"
    assert ate["Metas instrumentos: Presupuesto Participativo (PP)"] == "No"
    assert ate["Documento"] == "ordenanza.pdf" and ate["Acciones pbac"] == "—"
    cusco = rows["Instancia Provincial de Concertación de Cusco (Cusco)"]
    assert cusco["Punto focal"] == "(datos borrados)" and cusco["Cargo"] == ""
    assert cusco["Creada"] == "En trámite" and cusco["Instalada"] == ""  # never asked
    assert cusco["Distrito"] == "" and cusco["Provincia"] == "Cusco"
    assert cusco["Ubigeo"] == "080100" and cusco["Metas instrumentos: Ninguno todavía"] == ""
    assert rows["Instancia Regional de Concertación de Ayacucho"]["Nivel"] == "Regional"
    assert rows["Instancia Regional de Concertación de Ayacucho"]["Ubigeo"] == "050000"
    assert [r[8:10] for r in documents.rows] == [["Documento", "ordenanza.pdf"]]
    vigente = [by_header(history, r)["Vigente"] for r in history.rows]
    assert sorted(vigente) == ["No", "Sí", "Sí", "Sí"]


def test_reports_of_the_old_version_export_under_the_new_one(seeded):
    """Version 2026.2 kept the ids of 2026.1's questions; the one it dropped ("documento")
    still gets its column, headed by its id."""
    with seeded.session() as s:
        rows = sent_reports(s, PERIOD)
    current, *_ = exports.report_tables(rows, load_survey(), LIMA, default_messages())
    assert current.headers[-1] == "documento"
    rows = {r["Instancia"]: r for r in (by_header(current, x) for x in current.rows)}
    ate = rows["Instancia Distrital de Concertación de Ate (Lima, Lima)"]
    assert ate["Versión de encuesta"] == "2026.1" and ate["Sesiones en el semestre"] == 5
    assert ate["Fecha de la ordenanza"] == date(2024, 3, 15)
    assert ate["documento"] == "ordenanza.pdf"
    assert ate["Servicio en el territorio: Centro Emergencia Mujer (CEM)"] == ""  # not asked


def test_xlsx_reads_back_with_every_sheet(seeded):
    data = exports.to_xlsx(tables(seeded))
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Reportes vigentes", "Documentos", "Historial"]
    ws = wb["Reportes vigentes"]
    headers = [c.value for c in ws[1]]
    assert headers[0] == "Ubigeo" and "Fecha de envío" in headers
    assert ws.max_row == 4  # header + 3 instancias
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    ate = next(dict(zip(headers, v, strict=True)) for v in values if v[5] == "Ate")
    assert ate["Punto focal"] == "Luis Ñahui"
    assert ate["Fecha de envío"] == datetime(2026, 7, 31)
    sent_col = headers.index("Fecha de envío") + 1
    assert ws.cell(row=2, column=sent_col).number_format == "DD/MM/YYYY"
    assert ws.cell(row=1, column=headers.index("Creada") + 1).comment.text.startswith("¿La")
    assert wb["Historial"].max_row == 5
    assert [c.value for c in wb["Historial"][1]][-1] == "Vigente"


def test_csv_has_a_bom_and_parses_back(seeded):
    data = exports.to_csv(tables(seeded)[0])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=","))
    assert rows[0][:4] == ["Ubigeo", "Periodo", "Región", "Departamento"]
    assert len(rows) == 4
    ate = next(dict(zip(rows[0], r, strict=True)) for r in rows[1:] if r[5] == "Ate")
    assert ate["Fecha de envío"] == "31/07/2026" and ate["Ordenanza fecha"] == "15/03/2024"
    assert ate["Dificultades"] == "Poca asistencia, sobre todo en épocas de lluvia"
    assert ate["Punto focal"] == "Luis Ñahui"


def test_other_period_and_empty_period(seeded):
    with seeded.session() as s:
        assert len(current_reports(s, "2026-S1")) == 1
        assert current_reports(s, "2025-S2") == []


def test_answers_to_dropped_questions_are_kept(seeded):
    add_report(seeded, 5, "Eva Ríos", "distrital", "150101", {"creada": "no", "viejo": ["a", "b"]},
               datetime(2026, 9, 3, tzinfo=UTC))
    current, _, _ = tables(seeded)
    assert current.headers[-1] == "viejo"
    assert any(row[-1] == "a; b" for row in current.rows)


def write_config(tmp_path, db):
    path = tmp_path / "config.yaml"
    path.write_text(
        f'telegram:\n  token: "1:x"\ndatabase:\n  url: "{db.url}"\n', encoding="utf-8"
    )
    return path


def test_cli_export_writes_the_same_rows(seeded, tmp_path, capsys):
    config = write_config(tmp_path, seeded)
    out = tmp_path / "reportes.xlsx"
    code = cli.main(["export", "--period", PERIOD, "--format", "xlsx", "-o", str(out),
                     "--config", str(config)])
    assert code == 0, capsys.readouterr().err
    ws = load_workbook(out)["Reportes vigentes"]
    assert ws.max_row == 4
    assert exports.to_xlsx(tables(seeded))[:2] == out.read_bytes()[:2] == b"PK"

    out_csv = tmp_path / "reportes.csv"
    assert cli.main(["export", "--period", PERIOD, "--format", "csv", "-o", str(out_csv),
                     "--config", str(config)]) == 0
    # The command exports with the current survey.
    assert out_csv.read_bytes() == exports.to_csv(tables(seeded, survey=load_survey())[0])


def test_cli_export_of_an_empty_period_writes_nothing(seeded, tmp_path, capsys):
    config = write_config(tmp_path, seeded)
    out = tmp_path / "vacio.xlsx"
    code = cli.main(["export", "--period", "2024-S1", "-o", str(out), "--config", str(config)])
    assert code == 1 and not out.exists()
    assert "2024-S1" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["export", "--period", "2026-S3", "-o", str(out), "--config", str(config)])


@pytest.mark.parametrize("planted", ["=HYPERLINK(\"http://x\",\"clic\")", "+1+1", "-2+3",
                                     "@SUM(A1)", "\t=1+1", "\r=1+1"])
def test_a_planted_formula_is_text_in_both_files(db, planted):
    """Anyone can register: a cargo or an answer must never run in a staff member's Excel."""
    answers = {**FULL, "dificultades": planted}
    add_report(db, 7, "Eva Quispe", "distrital", "150103", answers,
               datetime(2026, 8, 1, tzinfo=UTC))
    current = tables(db)[0]
    column = current.headers.index(next(h for h in current.headers if "ificultades" in h))
    book = load_workbook(io.BytesIO(exports.to_xlsx([current])))
    cell = book.active.cell(row=2, column=column + 1)
    # (XML keeps a carriage return as a line feed: the text is the same to a reader.)
    assert cell.data_type == "s" and cell.value == planted.replace("\r", "\n")
    rows = list(csv.reader(io.StringIO(exports.to_csv(current).decode("utf-8-sig"))))
    assert rows[1][column] == "'" + planted


V2_DISTRICT = {
    "creada": "si", "ordenanza_numero": "Ordenanza 014-2018-MDA", "ordenanza_fecha": "2018-02-16",
    "ordenanza_archivo": {"file_id": "F9", "name": "om-014.pdf", "size": 20480,
                          "mime": "application/pdf"},
    "instalada": True, "instalacion_fecha": "2018-03", "sesiones_semestre": 4,
    "miembros_acreditados": ["municipalidad_distrital", "cem"],
    "servicios": ["cem", "sau"], "asistencia_recibida": False,
}


def test_a_version_2_export_an_analyst_can_use_as_it_comes(db):
    """Read back with openpyxl: labels as headers, one row per instancia, numbers and dates
    typed, one Sí/No column per option, and a ubigeo that joins INEI's list for every row."""
    survey = load_survey()
    with db.session() as s:
        officer = save_officer(s, 7, Draft(name="Eva Ríos", cargo="Gerente", level="distrital",
                                           place_code="150103", institution="Municipalidad",
                                           phone="+51987654321", phone_done=True),
                               "v1", datetime(2026, 8, 1, tzinfo=UTC))
        report = store.start_draft(s, officer, PERIOD, survey.version,
                                   datetime(2026, 8, 2, tzinfo=UTC), V2_DISTRICT)
        store.send(report, datetime(2026, 8, 2, tzinfo=UTC))
    add_report(db, 8, "Rosa Ccori", "regional", "05",
               {"creada": "no", "servicios": ["ninguno"], "hogares_refugio": 0},
               datetime(2026, 9, 1, tzinfo=UTC))
    add_report(db, 9, "Juan Paz", "provincial", "0801", {"creada": "en_tramite"},
               datetime(2026, 9, 2, tzinfo=UTC))
    with db.session() as s:
        rows = sent_reports(s, PERIOD)
    wb = load_workbook(io.BytesIO(exports.to_xlsx(
        exports.report_tables(rows, survey, LIMA, default_messages())
    )))
    ws = wb["Reportes vigentes"]
    headers = [c.value for c in ws[1]]
    assert "Fecha de la ordenanza" in headers and "Secretaría Técnica" in headers
    assert headers.index("Creada por ordenanza") < headers.index("Dificultades")
    got = [dict(zip(headers, [c.value for c in r], strict=True)) for r in ws.iter_rows(min_row=2)]
    assert len(got) == 3  # one row per instancia
    ate = next(r for r in got if r["Distrito"] == "Ate")
    assert ate["Periodo"] == PERIOD and ate["Nivel"] == "Distrital"
    assert ate["Teléfono"] == "+51987654321"
    assert ate["Sesiones en el semestre"] == 4
    assert ate["Fecha de la ordenanza"] == datetime(2018, 2, 16)
    assert ate["Fecha de instalación"] == "03/2018"  # only the month is known
    assert ate["Acreditada: Centro Emergencia Mujer (CEM)"] == "Sí"
    assert ate["Acreditada: Gobernación distrital"] == "No"
    assert ate["Servicio en el territorio: Servicio de Atención Urgente (SAU)"] == "Sí"
    assert ate["Archivo de la ordenanza"] == "om-014.pdf"
    region = next(r for r in got if r["Nivel"] == "Regional")
    assert region["Hogares de Refugio Temporal"] == 0
    assert region["Servicio en el territorio: Ninguno de estos"] == "Sí"
    assert region["Fecha de la ordenanza"] is None  # never asked: an empty cell
    with (REPO / "knowledge" / "ubigeo.csv").open(encoding="utf-8") as f:
        inei = {r["ubigeo"] for r in csv.DictReader(f)}
    for r in got:
        code = r["Ubigeo"]
        prefix = {"Distrital": code, "Provincial": code[:4], "Regional": code[:2]}[r["Nivel"]]
        assert len(code) == 6 and any(u.startswith(prefix) for u in inei), r
    assert ate["Ubigeo"] in inei
    docs = wb["Documentos"]
    doc_headers = [c.value for c in docs[1]]
    [doc] = [dict(zip(doc_headers, [c.value for c in r], strict=True))
             for r in docs.iter_rows(min_row=2)]
    assert doc["Ubigeo"] == "150103" and doc["Archivo"] == "om-014.pdf"
    assert doc["Pregunta"] == "Archivo de la ordenanza" and doc["Tipo"] == "PDF"
    assert doc["Tamaño (KB)"] == 20


SESSIONS = [
    {"sesion_fecha": "2026-07-14", "sesion_tipo": "ordinaria", "sesion_acta": True},
    {"sesion_fecha": "2026-09", "sesion_tipo": "extraordinaria", "sesion_acta": False},
    {"sesion_fecha": "2026-11-03", "sesion_tipo": "ordinaria", "sesion_acta": True},
]


def test_sessions_one_row_each_and_counted_on_the_main_sheet(db):
    """Version 2026.3 lists the sessions: the main sheet counts them (extraordinary, with
    acta, the latest date), «Sesiones» has one row per session, typed; a 2026.2 report (the
    counts typed by hand) still exports, its old answers under their ids."""
    survey = load_survey()
    with db.session() as s:
        officer = save_officer(s, 7, Draft(name="Eva Ríos", cargo="Gerente", level="distrital",
                                           place_code="150103", institution="Municipalidad"),
                               "v1", datetime(2026, 8, 1, tzinfo=UTC))
        report = store.start_draft(s, officer, PERIOD, survey.version,
                                   datetime(2026, 11, 5, tzinfo=UTC),
                                   {**V2_DISTRICT, "sesiones_semestre": 3, "sesiones": SESSIONS})
        store.send(report, datetime(2026, 11, 5, tzinfo=UTC))
        old = save_officer(s, 8, Draft(name="Luis Paz", cargo="Gerente", level="provincial",
                                       place_code="0801", institution="Municipalidad"),
                           "v1", datetime(2026, 8, 1, tzinfo=UTC))
        report = store.start_draft(s, old, PERIOD, "2026.2", datetime(2026, 9, 1, tzinfo=UTC), {
            **V2_DISTRICT, "sesiones_semestre": 2, "sesiones_extraordinarias": 1,
            "sesion_ultima_fecha": "2026-08-20", "sesiones_actas": "algunas",
        })
        store.send(report, datetime(2026, 9, 1, tzinfo=UTC))
    with db.session() as s:
        rows = sent_reports(s, PERIOD)
    wb = load_workbook(io.BytesIO(exports.to_xlsx(
        exports.report_tables(rows, survey, LIMA, default_messages())
    )))
    assert wb.sheetnames == ["Reportes vigentes", "Documentos", "Sesiones", "Historial"]
    ws = wb["Reportes vigentes"]
    headers = [c.value for c in ws[1]]
    count = headers.index("Sesiones en el semestre")
    assert headers[count + 1:count + 4] == [
        "Sesiones extraordinarias", "Fecha de la última sesión", "Sesiones con acta"
    ]
    got = {r[5].value or r[4].value: dict(zip(headers, [c.value for c in r], strict=True))
           for r in ws.iter_rows(min_row=2)}
    ate = got["Ate"]
    assert ate["Sesiones en el semestre"] == 3 and ate["Sesiones extraordinarias"] == 1
    assert ate["Sesiones con acta"] == 2
    assert ate["Fecha de la última sesión"] == datetime(2026, 11, 3)
    assert ws.cell(row=2 + list(got).index("Ate"), column=count + 3).number_format == "DD/MM/YYYY"
    cusco = got["Cusco"]  # 2026.2: no list; its hand-typed counts kept at the end
    assert cusco["Versión de encuesta"] == "2026.2" and cusco["Sesiones extraordinarias"] is None
    assert cusco["sesiones_extraordinarias"] == 1 and cusco["sesiones_actas"] == "algunas"
    sheet = wb["Sesiones"]
    assert [c.value for c in sheet[1]] == [
        "Ubigeo", "Periodo", "Región", "Departamento", "Provincia", "Distrito", "Nivel",
        "Instancia", "N°", "Fecha", "Tipo", "Acta",
    ]  # fmt: skip
    sessions = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    assert [r[0] for r in sessions] == ["150103"] * 3  # the 2026.2 report has no rows here
    assert [r[8:] for r in sessions] == [
        [1, datetime(2026, 7, 14), "Ordinaria", "Sí"],
        [2, "09/2026", "Extraordinaria", "No"],  # only the month is known
        [3, datetime(2026, 11, 3), "Ordinaria", "Sí"],
    ]
    assert sessions[0][1] == PERIOD and sessions[0][7].startswith("Instancia Distrital")
    assert sheet.cell(row=2, column=10).number_format == "DD/MM/YYYY"
