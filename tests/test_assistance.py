"""The technical-assistance log and the priority list on a real database; the priority file's
problems reported with file, line and fix."""

from datetime import timedelta
from pathlib import Path

import openpyxl
from sqlalchemy import select

from bot import assistance_actions as core
from bot import review_actions
from bot.priority import TESTS, check_priority, rank
from bot.schemas.priority import CRITERIA
from bot.storage.assistance import Filters
from bot.storage.models import Place
from tests.test_reviews import ANA, OTHER, SPECIALIST, send_report
from tests.test_reviews import s as s  # the fixture, shared

ROOT = Path(__file__).resolve().parents[1]


def place_id(s, code: str, level: str = "distrital") -> int:
    with s.db.session() as session:
        return session.scalar(select(Place.id).where(Place.code == code, Place.level == level))


def form(s, **changes) -> core.Form:
    values = dict(place_id=place_id(s, "150135"), scope="instancia", day="15/03/2026",
                  modality="virtual", topic="Plan de trabajo", participants="Subgerente",
                  next_step="Enviar modelo de ordenanza")
    values.update(changes)
    return core.Form(**values)


def test_an_action_is_checked_then_recorded_once(s):
    today = s.today()
    bad = core.record(s, SPECIALIST, form(
        s, day=(today + timedelta(days=1)).strftime("%d/%m/%Y"), modality="fax", topic=" ",
        place_id=None,
    ))  # fmt: skip
    assert not bad.ok and set(bad.errors) == {"day", "modality", "topic", "place"}
    assert "posterior" in bad.errors["day"]
    assert "anterior" in core.record(s, SPECIALIST, form(s, day="31/12/2014")).errors["day"]
    assert "dd/mm/aaaa" in core.record(s, SPECIALIST, form(s, day="2026/03/15")).errors["day"]
    assert "scope" in core.record(s, SPECIALIST, form(s, scope="x")).errors
    done = core.record(s, SPECIALIST, form(s), request_key="a1")
    again = core.record(s, SPECIALIST, form(s), request_key="a1")
    assert done.ok and again.replay and again.action_id == done.action_id
    core.record(s, SPECIALIST, form(s, scope="gobierno", day="2026-04-02", modality="telefono",
                                    place_id=place_id(s, "0501", "provincial")))
    rows = core.listing(s)
    assert [(r.scope, r.day.isoformat(), r.author) for r in rows] == [
        ("gobierno", "2026-04-02", "Rosa Huamán"), ("instancia", "2026-03-15", "Rosa Huamán")]
    assert [r.modality for r in core.listing(s, Filters(departamento="Lima"))] == ["virtual"]
    assert core.listing(s, Filters(modality="presencial")) == []
    assert len(core.listing(s, Filters(level="provincial"))) == 1


def test_the_export_reads_back_with_dates_and_only_what_staff_typed(s, tmp_path):
    core.record(s, SPECIALIST, form(s, topic="=HYPERLINK(\"x\")"))
    xlsx = core.export(s, SPECIALIST, Filters(), "xlsx")
    path = tmp_path / xlsx.name
    path.write_bytes(xlsx.data)
    ws = openpyxl.load_workbook(path).active
    header = [c.value for c in ws[1]]
    row = dict(zip(header, [c.value for c in ws[2]], strict=True))
    assert row["Fecha"].date().isoformat() == "2026-03-15" and row["Ubigeo"] == "150135"
    assert row["Modalidad"] == "Virtual" and row["Con quién"] == "Instancia de concertación"
    assert row["Tema"] == "=HYPERLINK(\"x\")" and ws["H2"].data_type == "s"  # never a formula
    csv = core.export(s, SPECIALIST, Filters(), "csv").data.decode("utf-8-sig")
    assert csv.splitlines()[1].startswith("15/03/2026,150135,Lima")
    assert "'=HYPERLINK" in csv


def test_the_priority_list_ranks_by_the_criteria_and_says_why(s):
    rules = s.priority
    nothing = send_report(s, ANA)  # "creada: no", no assistance asked for
    with_help = {"creada": "no", "servicios": ["ninguno"], "servicios_faltan": None,
                 "asistencia_recibida": False, "dificultades": None,
                 "asistencia_tecnica": "Cómo redactar la ordenanza"}
    send_report(s, OTHER, with_help)
    review_actions.review(s, SPECIALIST, nothing, "observado", "Revise")
    with s.db.session() as session:
        ranked = rank(session, rules, s.period(), s.today(), departamento="Lima")
    by_code = {r.place.code: r for r in ranked}
    ana, other = by_code["150135"], by_code["150101"]
    assert ana.reasons == ("Sin ordenanza de creación", "Observación del MIMP sin responder",
                           "Sin asistencia técnica en los últimos 6 meses")
    assert other.score == 4 + 3 + 1 and ana.score == 4 + 2 + 1
    assert ranked[0].place.code == "150101"
    silent = by_code["150102"]
    assert silent.reasons == ("No envió el reporte del periodo",
                              "Sin asistencia técnica en los últimos 6 meses")
    core.record(s, SPECIALIST, form(s, day=s.today().strftime("%d/%m/%Y")))
    with s.db.session() as session:
        again = {r.place.code: r for r in rank(session, rules, s.period(), s.today())}
    assert "Sin asistencia técnica en los últimos 6 meses" not in again["150135"].reasons
    assert all(r.place.departamento == "Lima" for r in ranked)


def test_priority_file_problems_name_the_line_and_the_fix(tmp_path):
    text = (ROOT / "knowledge" / "prioridad.yaml").read_text(encoding="utf-8")
    broken = text.replace("    peso: 3\n    etiqueta: \"Sin sesiones", "    peso: tres\n"
                          "    etiqueta: \"Sin sesiones").replace("    meses: 6\n", "")
    broken = broken.replace("  pide_asistencia:", "  pide_asistencias:")
    path = tmp_path / "prioridad.yaml"
    path.write_text(broken, encoding="utf-8")
    rules, problems = check_priority(path)
    assert rules is None
    text_of = [str(p) for p in problems]
    line = next(i for i, x in enumerate(broken.splitlines(), 1) if "peso: tres" in x)
    assert any(f":{line}:" in p and "número entero" in p for p in text_of), text_of
    assert any("pide_asistencias" in p and "quiso decir 'pide_asistencia'" in p for p in text_of)
    assert any("meses" in p and "falta" in p for p in text_of), text_of
    assert check_priority(ROOT / "knowledge" / "prioridad.yaml")[1] == []


def test_a_file_with_every_criterion_off_is_refused(tmp_path):
    text = (ROOT / "knowledge" / "prioridad.yaml").read_text(encoding="utf-8")
    path = tmp_path / "prioridad.yaml"
    path.write_text(text.replace("activo: true", "activo: false"), encoding="utf-8")
    rules, problems = check_priority(path)
    assert rules is None and "active uno" in str(problems[0])


def test_every_criterion_the_file_can_name_is_computed():
    assert set(TESTS) == set(CRITERIA)
