"""Milestone counts on hand-made answers, the phone table and the PNG chart."""

import io
import struct
from pathlib import Path

from bot import stats
from bot.messages import DEFAULT_PATH, Messages, default_messages

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


def test_counts_per_region_and_total():
    summary = stats.summarize(ROWS, ORDER)
    assert list(summary.regions) == ["Áncash", "Cusco", "Lima Metropolitana"]
    assert summary.regions["Cusco"] == {
        "reportaron": 3, "creada": 2, "instalada": 2, "reglamento": 2, "plan": 1,
        "sesiones": 1, "metas": 2,
    }  # fmt: skip
    assert summary.regions["Áncash"] == {
        "reportaron": 2, "creada": 1, "instalada": 0, "reglamento": 0, "plan": 0,
        "sesiones": 0, "metas": 0,
    }  # fmt: skip
    assert summary.total == {
        "reportaron": 6, "creada": 4, "instalada": 3, "reglamento": 3, "plan": 2,
        "sesiones": 2, "metas": 3,
    }  # fmt: skip
    assert summary.reported == 6


def test_milestones_accept_si_and_reject_odd_values():
    summary = stats.summarize([
        ("X", {"instalada": "si", "sesiones_semestre": "3", "metas_instrumentos": "pdc"}),
    ])
    row = summary.regions["X"]
    assert row["instalada"] == 1 and row["sesiones"] == 0 and row["metas"] == 0


def test_table_fits_a_phone_and_ends_with_the_total():
    summary = stats.summarize(ROWS, ORDER)
    lines = stats.table_text(summary, M).splitlines()
    assert lines[0].split() == ["Región", "Rep", "Cre", "Ins", "RI", "PT", "Ses", "Met"]
    assert lines[-1].split() == ["TOTAL", "6", "4", "3", "3", "2", "2", "3"]
    assert lines[2].startswith("Áncash") and lines[4].startswith("Lima Metr.")
    assert max(len(line) for line in lines) <= 40
    assert "RI = reglamento interno" in stats.legend_text(M)


def png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_chart_is_a_real_png():
    data = stats.chart_png(stats.summarize(ROWS, ORDER), "Avance de las instancias — 2026-S2", M)
    width, height = png_size(data)
    assert width >= 800 and height >= 500 and len(data) > 20_000
    from PIL import Image

    image = Image.open(io.BytesIO(data)).convert("RGB")
    colours = image.getcolors(maxcolors=1_000_000)
    assert len(colours) > 50  # bars, text and anti-aliasing, not a blank canvas
    green = tuple(int(stats.REACHED_COLOR[i : i + 2], 16) for i in (1, 3, 5))
    assert any(c == green for _, c in colours)


def test_chart_with_a_single_region():
    data = stats.chart_png(stats.summarize([("Puno", {"creada": "no"})]), "2026-S1", M)
    assert png_size(data)[1] > 0


def test_headers_and_labels_come_from_the_messages_file(tmp_path):
    text = Path(DEFAULT_PATH).read_text(encoding="utf-8")
    text = text.replace('  reglamento_corto: "RI"', '  reglamento_corto: "Reg"')
    text = text.replace('  total: "TOTAL"', '  total: "Perú"')
    (tmp_path / "mensajes.yaml").write_text(text, encoding="utf-8")
    messages = Messages.load(tmp_path / "mensajes.yaml")
    lines = stats.table_text(stats.summarize(ROWS, ORDER), messages).splitlines()
    assert lines[0].split() == ["Región", "Rep", "Cre", "Ins", "Reg", "PT", "Ses", "Met"]
    assert lines[-1].split()[0] == "Perú"
    assert "Reg = reglamento interno" in stats.legend_text(messages)
