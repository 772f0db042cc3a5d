"""Word forms by the number, in the texts of knowledge/mensajes.yaml and in code."""

import pytest

from bot.messages import Messages, default_messages
from bot.plural import Count, plural
from bot.textnorm import collation_key


@pytest.mark.parametrize(
    ("n", "word"), [(0, "instancias"), (1, "instancia"), (2, "instancias"), (-1, "instancia")]
)
def test_plural_picks_the_form(n, word):
    assert plural(n, "instancia", "instancias") == word


def test_count_formats_as_a_number_without_forms():
    assert f"{Count(7)}" == "7" and f"{Count(7):03d}" == "007"
    assert f"{Count(1):punto focal|puntos focales}" == "punto focal"
    assert f"{Count(3):punto focal|puntos focales}" == "puntos focales"


def test_messages_fill_in_the_right_form():
    m = Messages({**default_messages()._texts, "x": "{n} {n:día|días}; {ok}"}, "<test>")
    assert m("x", n=1, ok=True) == "1 día; True"  # a boolean is not a count
    assert m("x", n=0, ok="s") == "0 días; s"


def test_no_parenthetical_plurals_or_genders_in_the_shipped_texts():
    m = default_messages()
    assert "<b>1</b> punto focal activo." in m("difundir_publico", filtros="", n=1)
    assert "<b>2</b> puntos focales activos." in m("difundir_publico", filtros="", n=2)
    one = m("exportar_xlsx", periodo="p", instancias=1, reportes=1)
    assert "1 instancia con reporte" in one and "el 1 reporte enviado" in one
    assert m.chart.grafico_pasos.format(total=Count(1)).startswith("1 instancia reportó;")
    for key, value in m._texts.items():
        texts = value.values() if isinstance(value, dict) else [value]
        for text in texts:
            for bad in ("(s)", "(es)", "(a)", "(as)", "(o)"):
                assert bad not in str(text), (key, bad)


def test_spanish_collation():
    names = ["Ucayali", "Áncash", "Apurímac", "Amazonas", "Ñuñoa", "Nazca", "ancón"]
    assert sorted(names, key=collation_key) == [
        "Amazonas", "Áncash", "ancón", "Apurímac", "Nazca", "Ñuñoa", "Ucayali",
    ]  # fmt: skip


def test_no_parenthetical_plurals_in_the_console_pages():
    from pathlib import Path

    for page in (Path(__file__).resolve().parents[1] / "console" / "templates").glob("*.html"):
        text = page.read_text(encoding="utf-8")
        for bad in ("(s)", "(es)", "(a)", "(as)"):
            assert bad not in text, (page.name, bad)
