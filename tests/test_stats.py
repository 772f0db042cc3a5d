"""Milestones on hand-made answers, /resumen's phone table and its PNG chart."""

import io
import struct
from pathlib import Path

from bot import coverage, stats
from bot.messages import DEFAULT_PATH, Messages, default_messages
from bot.places import Place as PlaceInfo

M = default_messages()

FULL = {
    "creada": "si", "instalada": True, "reglamento_interno": True, "plan_trabajo": True,
    "sesiones_semestre": 2, "metas_instrumentos": ["poi"],
}  # fmt: skip
ROWS = [
    ("Cusco", FULL),
    ("Cusco", {**FULL, "plan_trabajo": False, "sesiones_semestre": 0,
               "metas_instrumentos": ["ninguno"]}),
    ("Cusco", {"creada": "en_tramite", "metas_instrumentos": ["pdc"]}),
    ("Áncash", {"creada": "si", "instalada": False, "metas_instrumentos": ["ninguno"]}),
    ("Áncash", {"creada": "no"}),
    ("Lima Metropolitana", {**FULL, "metas_instrumentos": ["pp", "pdc"]}),
]
ORDER = ["Amazonas", "Áncash", "Cusco", "Lima Metropolitana", "Puno"]


def milestones(answers):
    return frozenset(m.key for m in stats.MILESTONES[1:] if m.reached(answers))


def state(region, answers=None, *, level="distrital", officers=1, state=None):
    """A place of `region` as bot/coverage.py sees it: sent with `answers`, or `state`."""
    info = PlaceInfo(level, "000000", "X", "P", region, region)
    sent = answers is not None
    return coverage.PlaceState(
        0, 1, info, officers, officers,
        coverage.SENT_STATE if sent else (state or coverage.REGISTERED), None,
        milestones(answers) if sent else frozenset(),
    )  # fmt: skip


def cov():
    places = [state(r, a) for r, a in ROWS]
    places += [state("Puno"), state("Puno", state=coverage.DRAFT_STATE),
               state("Amazonas", officers=0, state=coverage.UNREGISTERED),
               state("Cusco", level="regional", officers=2)]  # fmt: skip
    return coverage.tally("2026-S2", places, coverage.by_region, ORDER)


LEVELS = [("regional", "Regional"), ("provincial", "Provincial"), ("distrital", "Distrital")]


def test_milestones_accept_si_and_reject_odd_values():
    got = milestones({"instalada": "si", "sesiones_semestre": "3", "metas_instrumentos": "pdc"})
    assert got == {"instalada"}
    assert milestones(FULL) == {"creada", "instalada", "reglamento", "plan", "sesiones", "metas"}


def test_table_fits_a_phone_with_levels_regions_and_the_total():
    lines = stats.table_text(cov(), LEVELS, M).splitlines()
    assert lines[0].split() == ["Nivel/Región", "Rep/PF", "%"]
    assert lines[2].split() == ["Regional", "0/1", "0"]
    assert lines[4].split() == ["Distrital", "6/8", "75"]
    # Every region of the places list with an instancia counted, reported or not.
    names = [line[:12].strip() for line in lines[6:-2]]
    assert names == ["Amazonas", "Áncash", "Cusco", "Lima Metrop.", "Puno"]
    assert lines[6].split() == ["Amazonas", "0/0", "-"]
    assert lines[8].split() == ["Cusco", "3/4", "75"]
    assert lines[-1].split() == ["TOTAL", "6/9", "67"]
    assert max(len(line) for line in lines) <= 28  # monospace on a 360 px screen


def png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_chart_is_a_real_png():
    data = stats.chart_png(cov(), "Avance de las instancias — 2026-S2", M)
    width, height = png_size(data)
    assert width >= 800 and height >= 500 and len(data) > 20_000
    from PIL import Image

    image = Image.open(io.BytesIO(data)).convert("RGB")
    colours = image.getcolors(maxcolors=1_000_000)
    assert len(colours) > 50  # bars, text and anti-aliasing, not a blank canvas
    green = tuple(int(stats.REACHED_COLOR[i : i + 2], 16) for i in (1, 3, 5))
    assert any(c == green for _, c in colours)


def test_chart_with_a_single_region():
    one = coverage.tally("2026-S1", [state("Puno", {"creada": "no"})])
    data = stats.chart_png(one, "2026-S1", M)
    assert png_size(data)[1] > 0


def test_headers_and_labels_come_from_the_messages_file(tmp_path):
    text = Path(DEFAULT_PATH).read_text(encoding="utf-8")
    text = text.replace('  registradas_corto: "PF"', '  registradas_corto: "Reg"')
    text = text.replace('  total: "TOTAL"', '  total: "Perú"')
    (tmp_path / "mensajes.yaml").write_text(text, encoding="utf-8")
    messages = Messages.load(tmp_path / "mensajes.yaml")
    lines = stats.table_text(cov(), LEVELS, messages).splitlines()
    assert lines[0].split() == ["Nivel/Región", "Rep/Reg", "%"]
    assert lines[-1].split()[0] == "Perú"
