"""Each page of the console with the demo's data, in a real Chromium: what it shows agrees
with the core, a document opens, a filtered list and its export agree, officer-typed text is
shown as text, and no file outside the documents folder is ever served."""

from __future__ import annotations

import csv
import io
import os
import re
import uuid
from pathlib import Path
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bot import coverage
from bot.registration import Draft
from bot.storage import reports as store
from bot.storage.models import AuditEntry, Instancia, Officer, Place, Report, ReportDocument
from bot.storage.officers import save_officer
from standin.demo_data import PDF
from tests.console.conftest import PHONE, STAFF_ID, sign_in

pytestmark = pytest.mark.sqlite_only
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)><b>negrita</b>'


async def signed_page(console, browser):
    page = await browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs
    await sign_in(page, console)
    return page


def overview(console):
    s = console.services
    return coverage.overview(s, s.period())


async def test_cobertura_shows_the_core_counts_and_the_map(console, browser):
    page = await signed_page(console, browser)
    found = overview(console)
    total = found.comparison.now.total
    figures = await page.locator(".figure b").all_inner_texts()
    assert figures == [str(total.total), str(total.with_officer), str(total.sent),
                       str(total.drafts)]  # fmt: skip
    assert total.total > 2000  # every possible instancia counts, registered or not
    rows = page.locator("section:has(h2:text('Por región')) tbody tr")
    assert await rows.count() == 26
    cusco = found.comparison.now.groups["Cusco"]
    cells = await rows.filter(has_text="Cusco").first.locator("td").all_inner_texts()
    assert cells[:6] == [str(x) for x in (cusco.total, cusco.with_officer, cusco.sent,
                                          cusco.drafts, cusco.states["registrado"],
                                          cusco.states["sin_registro"])]  # fmt: skip
    tiles = page.locator("svg.tilemap a")
    assert await tiles.count() == 26
    label = await tiles.filter(has_text="Cusco").get_attribute("aria-label")
    assert label.startswith("Cusco: ") and f"({cusco.sent} de {cusco.total})" in label
    assert "no requiere licencia" in await page.inner_text("main")
    # a click on the map: per province
    await tiles.filter(has_text="Cusco").click()
    await page.get_by_role("heading", name="Por provincia").wait_for()
    provinces = page.locator("section:has(h2:text('Por provincia')) tbody tr")
    assert await provinces.count() == 14  # the regional instancia and Cusco's 13 provinces
    assert "Gobierno regional" in await provinces.first.inner_text()


async def test_instancias_filters_sorts_and_pages(console, browser):
    page = await signed_page(console, browser)
    await page.goto(f"{console.url}/instancias")
    assert "2113 instancias" in await page.inner_text(".count")
    await page.select_option("select[name=region]", "Cusco")
    await page.select_option("select[name=estado]", "enviado")
    await page.get_by_role("button", name="Filtrar").click()
    await page.wait_for_url("**estado=enviado**")
    found = overview(console).comparison.now.groups["Cusco"]
    assert f"{found.sent} instancia" in await page.inner_text(".count")
    regions = await page.locator("table.list tbody td[data-label='Región']").all_inner_texts()
    assert regions and set(regions) == {"Cusco"}
    # accent- and typo-tolerant text search, through the place search
    await page.goto(f"{console.url}/instancias?texto=cuzco")
    first = await page.locator("table.list tbody tr").first.inner_text()
    assert "Cusco" in first
    await page.goto(f"{console.url}/instancias?texto=santa+rosa+puno")
    labels = await page.locator("table.list tbody tr td:first-child").all_inner_texts()
    assert labels and all("Puno" in x and "Santa Rosa" in x for x in labels)
    # pages of 50, sorted by name descending
    await page.goto(f"{console.url}/instancias?orden=lugar&desc=1&pagina=2")
    assert "página 2 de 43" in await page.inner_text(".count")
    names = await page.locator("table.list tbody tr td:first-child").all_inner_texts()
    assert len(names) == 50 and names[0] >= names[-1]


async def test_a_filter_and_its_export_agree(console, browser):
    page = await signed_page(console, browser)
    await page.goto(f"{console.url}/instancias?region=Lima&nivel=distrital&orden=region")
    shown = await page.locator("table.list tbody tr td:first-child").all_inner_texts()
    count = int((await page.inner_text(".count b")).strip())
    assert 0 < count <= 50 or len(shown) == 50
    href = await page.get_by_role("link", name="CSV").get_attribute("href")
    response = await page.request.get(console.url + href)
    assert response.ok and "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO((await response.body()).decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[:8] == ["Ubigeo", "Periodo", "Región", "Departamento", "Provincia",
                          "Distrito", "Nivel", "Instancia"]  # fmt: skip
    assert len(body) == count
    assert {r[header.index("Región")] for r in body} == {"Lima"}
    assert {r[header.index("Nivel")] for r in body} == {"Distrital"}
    districts = [r[header.index("Distrito")] for r in body]
    assert [x.split(" (")[0] for x in shown] == districts[: len(shown)]
    # Instancias without a report still say whom to call: their officers, cargos and phones.
    with console.services.db.session() as session:
        waiting = session.execute(
            select(Officer.name, Place.name)
            .join(Instancia, Officer.instancia_id == Instancia.id)
            .join(Place, Instancia.place_id == Place.id)
            .where(Officer.active.is_(True), Place.region == "Lima", Place.level == "distrital",
                   Officer.instancia_id.not_in(select(Report.instancia_id).where(
                       Report.status == "sent", Report.period == console.services.period())))
        ).all()  # fmt: skip
    by_district = {r[header.index("Distrito")]: r for r in body}
    checked = [(name, d) for name, d in waiting if d in by_district]
    assert checked
    for name, district in checked:
        assert name in by_district[district][header.index("Punto focal")]
    xlsx = await page.request.get(console.url + href.replace("exportar.csv", "exportar.xlsx"))
    sheet = load_workbook(io.BytesIO(await xlsx.body())).worksheets[0]
    assert sheet.max_row - 1 == count
    with console.services.db.session() as s:
        audits = [a.detail for a in s.scalars(select(AuditEntry).where(
            AuditEntry.action == "console_export"))]  # fmt: skip
    assert audits == [f"period={console.services.period()} format=csv rows={count}",
                      f"period={console.services.period()} format=xlsx rows={count}"]


async def test_the_ficha_shows_officers_answers_history_and_opens_a_document(console, browser):
    s = console.services
    with s.db.session() as session:
        report = session.scalar(
            select(Report).join(ReportDocument, ReportDocument.report_id == Report.id)
            .where(Report.status == "sent", Report.period == s.period()).limit(1)
        )  # fmt: skip
        place = report.instancia.place
        level, code = place.level, place.code
    page = await signed_page(console, browser)
    await page.goto(f"{console.url}/instancia/{level}/{code}")
    main = await page.inner_text("main")
    assert "Ubigeo" in main and "Puntos focales" in main and "Historial de reportes" in main
    assert "Creada por ordenanza" in main  # the survey's own label for the answer
    assert "Revisiones" in main and "Asistencia técnica" in main
    link = page.locator("ul.docs a").first
    response = await page.request.get(console.url + await link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline")
    assert await response.body() == PDF
    download = await page.request.get(console.url + await link.get_attribute("href")
                                      + "?descargar=1")  # fmt: skip
    assert download.headers["content-disposition"].startswith("attachment")
    assert (await page.request.get(f"{console.url}/documento/99999999")).status == 404
    assert (await page.request.get(f"{console.url}/instancia/distrital/999999")).status == 404
    missing = await page.request.get(f"{console.url}/no-existe")
    assert missing.status == 404 and "no existe" in await missing.text()
    # a place nobody registered for has its ficha too
    with s.db.session() as session:
        nobody = next(p.info for p in coverage.place_states(session, s.period())
                      if p.state == coverage.UNREGISTERED)  # fmt: skip
    await page.goto(f"{console.url}/instancia/{nobody.level}/{nobody.code}")
    assert "Nadie se registró" in await page.inner_text("main")


def plant_hostile(console) -> tuple[str, str, int]:
    """An officer whose name, answers and file name are HTML and script."""
    s = console.services
    folder = Path(s.settings.files_dir) / f"hostil-{uuid.uuid4().hex}"
    folder.mkdir()
    target = folder / "acta.pdf"
    target.write_bytes(PDF)
    meta = {"file_id": "hostile", "name": f"{HOSTILE}.pdf", "size": len(PDF),
            "mime": "application/pdf"}  # fmt: skip
    with s.db.session() as session:
        officer = save_officer(session, 8_800_001, Draft(
            name=HOSTILE, cargo=HOSTILE, level="distrital", place_code="080101",
            institution=HOSTILE, phone=None,
        ), "v1", s.now())  # fmt: skip
        answers = {"creada": "si", "ordenanza_numero": HOSTILE, "ordenanza_archivo": meta}
        report = store.start_draft(session, officer, s.period(), s.survey.version, s.now(),
                                   answers)  # fmt: skip
        store.add_document(session, report, "ordenanza_archivo", meta, str(target), s.now())
        store.send(report, s.now())
        doc = session.scalar(select(ReportDocument.id).where(
            ReportDocument.report_id == report.id))  # fmt: skip
    return "distrital", "080101", doc


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desk", "phone"])
async def test_officer_typed_html_is_shown_as_text_on_every_page(console, browser, viewport):
    level, code, doc = plant_hostile(console)
    page = await signed_page(console, browser)
    if viewport:
        await page.set_viewport_size(viewport)
    for path, expected in [
        ("/", None),
        ("/?region=Cusco", None),
        ("/instancias?texto=cusco&region=Cusco", None),
        (f"/instancia/{level}/{code}", 4),  # name, cargo and institution, the answer
    ]:
        await page.goto(console.url + path)
        assert await page.locator("main script, main img, main b:text-is('negrita')").count() == 0
        if expected:
            assert await page.get_by_text(HOSTILE, exact=False).count() >= expected
            assert await page.get_by_text(f"{HOSTILE}.pdf").count() >= 1  # the file name
    assert page.dialogs == []
    response = await page.request.get(f"{console.url}/documento/{doc}?descargar=1")
    disposition = response.headers["content-disposition"]
    match = re.fullmatch(r'attachment; filename="([\w.-]+)"; filename\*=UTF-8\'\'([\w.%-]+)',
                         disposition)  # fmt: skip
    assert match, disposition
    assert unquote(match.group(2)) == f"{HOSTILE}.pdf"  # the name itself, safely encoded


async def test_no_file_outside_the_documents_folder_is_served(console, browser, tmp_path):
    s = console.services
    secret = tmp_path / "secreto.pdf"
    secret.write_bytes(b"%PDF-1.4 secret")
    docs = Path(s.settings.files_dir)
    inside = docs / f"enlaces-{uuid.uuid4().hex}"
    inside.mkdir()
    link = inside / "enlace.pdf"
    os.symlink(secret, link)
    folder_link = docs / f"carpeta-{uuid.uuid4().hex}"
    os.symlink(tmp_path, folder_link)
    tricks = [
        str(secret),  # an absolute path
        str(docs / ".." / secret.relative_to(secret.anchor)),  # ../ out of the folder
        f"{docs}/../{docs.name}/../../../../{secret.relative_to(secret.anchor)}",
        str(link),  # a symlink inside pointing outside
        str(folder_link / "secreto.pdf"),  # a symlinked folder
        str(docs),  # the folder itself
        "/etc/passwd",
    ]
    with s.db.session() as session:
        report_id = session.scalar(select(Report.id).limit(1))
        ids = []
        for i, path in enumerate(tricks):
            row = ReportDocument(report_id=report_id, question_id=f"x{i}", file_id="f",
                                 file_unique_id="u", file_name="a.pdf", file_size=1,
                                 mime_type="application/pdf", path=path)  # fmt: skip
            session.add(row)
            session.flush()
            ids.append(row.id)
    page = await signed_page(console, browser)
    for doc_id, path in zip(ids, tricks, strict=True):
        response = await page.request.get(f"{console.url}/documento/{doc_id}")
        assert response.status == 404, path
        assert b"secret" not in await response.body()
    for url in ["/documento/..%2F..%2Fetc%2Fpasswd", "/documento/%2Fetc%2Fpasswd",
                "/static/..%2F..%2Fapp.py", "/static/../app.py", "/documento/-1"]:
        response = await page.request.get(console.url + url)
        assert response.status in (403, 404), url
        assert b"import" not in await response.body()


async def test_every_page_requires_a_session(console, browser):
    """Each route of the console (other pages' too, as they are added): without a session, the
    sign-in explanation and nothing else, for GET and POST alike."""
    app = console.server._runner.app
    samples = {"level": "regional", "code": "08", "id": "1", "fmt": "csv"}
    paths = set()
    for resource in app.router.resources():
        info = resource.get_info()
        path = info.get("path") or info.get("formatter") or info.get("prefix")
        if not path or path.startswith("/static"):
            continue
        for name, value in samples.items():
            path = path.replace("{" + name + "}", value)
        paths.add(path.split("{")[0] if "{" in path else path)
    paths.discard("/entrar")
    assert {"/", "/instancias", "/instancia/regional/08", "/documento/1"} <= paths
    page = await browser.new_page()
    for path in sorted(paths):
        for method in ("get", "post"):
            response = await getattr(page.request, method)(console.url + path)
            assert response.status == 401, (method, path)
            body = await response.text()
            assert "Inicie sesión" in body and "Salir" not in body, path


async def test_odd_numbers_and_addresses_get_a_page_not_a_server_error(console, browser):
    """«²» passes str.isdigit and then fails int(); 5,000 digits overflow the database; a tab
    in a return address becomes another site once a URL parser drops it."""
    from console.pages.revision import back_to

    page = await signed_page(console, browser)
    huge = "9" * 5000
    for path in ("/revision/²", "/revision?pagina=²", f"/revision?pagina={huge}",
                 "/prioridad?pagina=²", f"/preguntas?pagina={huge}",
                 "/preguntas/proponer?ids=²", "/preguntas/proponer?ids=99999999999999999999",
                 "/asistencia?lugar=²"):  # fmt: skip
        response = await page.request.get(console.url + path)
        assert response.status < 500, (path, response.status)
    for bad in ("/\t/evil.example/x", "/\n/evil.example", "//evil.example", "/\\evil", "http://x"):
        assert back_to(bad, "/revision/1") == "/revision/1", bad
    assert back_to("/revision/7?periodo=2026-S2", "/") == "/revision/7?periodo=2026-S2"


async def test_the_documents_sheet_links_each_file_to_the_console(console, browser):
    """/exportar and the console's export: «Abrir en la consola» opens the document itself."""
    from bot import data_actions

    page = await signed_page(console, browser)
    s = console.services
    chat_export = data_actions.export(s, STAFF_ID, s.period(), None)
    await page.goto(f"{console.url}/instancias")
    href = await page.get_by_role("link", name="XLSX").get_attribute("href")
    web_export = await (await page.request.get(console.url + href)).body()
    for workbook in (chat_export.files[0].data, web_export):
        sheet = load_workbook(io.BytesIO(workbook))["Documentos"]
        header = [c.value for c in sheet[1]]
        column = header.index("Abrir en la consola")
        cells = [row[column] for row in sheet.iter_rows(min_row=2)]
        assert cells
        for cell in cells[:3]:
            assert cell.value.startswith(f"{console.url}/documento/")
            assert cell.hyperlink.target == cell.value
            opened = await page.request.get(cell.value)
            assert opened.ok and (await opened.body()).startswith(b"%PDF")


async def test_a_file_that_is_not_what_its_type_says_is_only_downloaded(console, browser):
    """The type is the sender's word: an executable sent as «application/pdf» is not shown in
    the browser's viewer, only offered as a download."""
    s = console.services
    folder = Path(s.settings.files_dir) / f"tipos-{uuid.uuid4().hex}"
    folder.mkdir()
    files = {"real.pdf": PDF, "falso.pdf": b"MZ\x90\x00 not a pdf"}
    ids = {}
    with s.db.session() as session:
        report_id = session.scalar(select(Report.id).limit(1))
        for name, data in files.items():
            (folder / name).write_bytes(data)
            row = ReportDocument(report_id=report_id, question_id=name, file_id="f",
                                 file_unique_id="u", file_name=name, file_size=len(data),
                                 mime_type="application/pdf", path=str(folder / name))  # fmt: skip
            session.add(row)
            session.flush()
            ids[name] = row.id
    page = await signed_page(console, browser)
    real = await page.request.get(f"{console.url}/documento/{ids['real.pdf']}")
    assert real.headers["content-type"] == "application/pdf"
    assert real.headers["content-disposition"].startswith("inline")
    fake = await page.request.get(f"{console.url}/documento/{ids['falso.pdf']}")
    assert fake.headers["content-type"] == "application/octet-stream"
    assert fake.headers["content-disposition"].startswith("attachment")


async def test_every_section_of_the_menu_is_on_a_phone_screen(console, browser):
    page = await signed_page(console, browser)
    await page.set_viewport_size(PHONE)
    await page.goto(f"{console.url}/")
    links = page.locator("nav[aria-label=Secciones] a")
    assert await links.count() >= 7
    for box in [await links.nth(i).bounding_box() for i in range(await links.count())]:
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box


async def test_the_coverage_table_sorts_by_the_share_sent(console, browser):
    page = await signed_page(console, browser)
    await page.goto(f"{console.url}/")
    table = page.locator("#por-lugar table")

    async def shares() -> list[int]:
        cells = await table.locator("tbody tr td:nth-child(8)").all_inner_texts()
        return [int(c.replace("%", "").strip()) for c in cells if c.strip() != "—"]

    await table.get_by_role("link", name="% enviado").click()
    await page.wait_for_url(re.compile(r"orden=pct(&|#|$)"))
    low_first = await shares()
    assert low_first == sorted(low_first) and len(set(low_first)) > 1
    await table.get_by_role("link", name="% enviado").click()
    await page.wait_for_url(re.compile(r"orden=pct_desc"))
    assert await shares() == sorted(low_first, reverse=True)
    # Of the instancias with a punto focal: the same order of the other measure's shares.
    await page.goto(f"{console.url}/?medida=registradas&orden=pct")
    assert await shares() == sorted(await shares())
    assert "de las que tienen punto focal" in await table.locator("thead").inner_text()
