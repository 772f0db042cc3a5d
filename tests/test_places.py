"""The shipped ubigeo list and the place search (bot/places.py)."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import pytest

from bot.messages import default_messages
from bot.places import DEFAULT_CSV, LEVELS, Place, PlaceDataError, PlaceIndex
from bot.registration_actions import PLACE_CHOICES, place_choices

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def idx() -> PlaceIndex:
    return PlaceIndex.load(DEFAULT_CSV)


def codes(places: list[Place]) -> list[str]:
    return [p.code for p in places]


# ---- the data ------------------------------------------------------------------------------


def test_csv_counts():
    with DEFAULT_CSV.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["ubigeo", "departamento", "provincia", "distrito"]
    assert rows[0]["ubigeo"] == "010101"  # a string, leading zero kept
    assert [r["ubigeo"] for r in rows] == sorted(r["ubigeo"] for r in rows)
    assert len({r["ubigeo"][:2] for r in rows}) == 25
    assert len({r["departamento"] for r in rows}) == 25
    assert len({r["ubigeo"][:4] for r in rows}) == 196
    # The package lists 1,893; two duplicated Tayacaja codes are dropped (UBIGEO-NOTICE.md).
    assert len(rows) == 1891
    assert "090708" not in {r["ubigeo"] for r in rows}


def test_index_counts(idx):
    assert len(idx.regions()) == 26
    assert len(idx.provinces()) == 196
    assert len(idx.districts()) == 1891
    assert {p.level for p in idx.regions()} == {"regional"}
    assert {p.level for p in idx.provinces()} == {"provincial"}
    assert {p.level for p in idx.districts()} == {"distrital"}


def test_official_spelling(idx):
    assert idx.get("regional", "02").name == "Áncash"
    assert idx.get("regional", "10").name == "Huánuco"
    assert idx.get("regional", "22").name == "San Martín"
    assert idx.get("provincial", "1402").name == "Ferreñafe"
    assert idx.get("distrital", "150135").name == "San Martín de Porres"
    assert idx.get("distrital", "150120").name == "Magdalena del Mar"
    assert idx.get("distrital", "150305").name == "Mañas"
    assert idx.get("distrital", "060506").name == "Santa Cruz de Toledo"


def test_generator_patches_are_in_csv_and_notice(idx):
    spec = importlib.util.spec_from_file_location("gen_ubigeo", ROOT / "scripts/gen_ubigeo.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    notice = (ROOT / "knowledge/UBIGEO-NOTICE.md").read_text(encoding="utf-8")
    assert gen.DISTRICT_PATCHES
    for code, (old, new) in gen.DISTRICT_PATCHES.items():
        assert idx.get("distrital", code).name == new
        assert f"| {code} | {old} | {new} |" in notice
    for code in gen.DROP:
        assert idx.get("distrital", code) is None
        assert f"| {code} |" in notice
    assert "MIT License" in notice and "INEI" in notice


# ---- regions ------------------------------------------------------------------------------


def test_regions_split_lima_and_keep_callao(idx):
    names = {p.name: p.code for p in idx.regions()}
    assert names["Lima Metropolitana"] == "LM"
    assert names["Lima"] == "15"
    assert names["Callao"] == "07"
    assert idx.get("regional", "LM").departamento == "Lima"

    miraflores = idx.get("distrital", "150122")
    assert (miraflores.name, miraflores.provincia) == ("Miraflores", "Lima")
    assert miraflores.region == "Lima Metropolitana"
    assert idx.region_of(miraflores).code == "LM"

    huaral = idx.get("distrital", "150601")
    assert (huaral.provincia, huaral.region) == ("Huaral", "Lima")
    assert idx.region_of(huaral).code == "15"

    bellavista = idx.get("distrital", "070102")
    assert (bellavista.name, bellavista.region) == ("Bellavista", "Callao")
    assert idx.region_of(bellavista).code == "07"

    assert idx.get("provincial", "1501").region == "Lima Metropolitana"
    assert idx.get("provincial", "1510").region == "Lima"  # Yauyos
    ayacucho = idx.get("regional", "05")
    assert idx.region_of(ayacucho) is ayacucho
    assert idx.region_of(idx.get("distrital", "050101")) is ayacucho


def test_every_place_has_a_region(idx):
    region_names = {p.name for p in idx.regions()}
    for p in idx.provinces() + idx.districts():
        assert p.region in region_names
        assert idx.region_of(p).name == p.region
        assert p.provincia
        assert p.code.startswith(idx.region_of(p).code) or p.region == "Lima Metropolitana"


# ---- codes and labels ---------------------------------------------------------------------


def test_get_round_trip(idx):
    for p in idx.regions() + idx.provinces() + idx.districts():
        assert idx.get(p.level, p.code) is p
    assert idx.get("distrital", "999999") is None
    assert idx.get("provincial", "150122") is None
    assert idx.get("regional", "1501") is None


def test_labels(idx):
    assert idx.get("distrital", "150135").label == "San Martín de Porres (Lima, Lima)"
    assert idx.get("provincial", "0501").label == "Huamanga (Ayacucho)"
    assert idx.get("regional", "05").label == "Ayacucho"
    assert idx.get("regional", "LM").label == "Lima Metropolitana"
    everything = idx.regions() + idx.provinces() + idx.districts()
    assert len({p.label for p in everything}) == len(everything)


def test_search_finds_each_place_by_its_label(idx):
    sample = idx.regions() + idx.provinces() + idx.districts()[::7]
    for p in sample:
        assert idx.search(p.label)[0] == p, p.label


# ---- search -------------------------------------------------------------------------------


def test_accent_and_case_insensitive(idx):
    assert codes(idx.search("san martin de porres")) == ["150135"]
    assert codes(idx.search("SAN MARTÍN DE PORRES")) == ["150135"]
    assert codes(idx.search("jesus maria")) == ["150113"]
    top = idx.search("huanuco")[:3]
    assert [(p.level, p.code) for p in top] == [
        ("regional", "10"),
        ("provincial", "1001"),
        ("distrital", "100101"),
    ]


def test_enye_and_n_are_interchangeable(idx):
    con = idx.search("ferreñafe")
    sin = idx.search("ferrenafe")
    assert con == sin
    assert [(p.level, p.code) for p in con[:2]] == [("provincial", "1402"), ("distrital", "140201")]
    assert idx.search("nunoa")[0].name == "Nuñoa"
    assert idx.search("manas")[0].name == "Mañas"


def test_typos_and_abbreviations(idx):
    assert idx.search("huamnga")[0] == idx.get("provincial", "0501")
    assert idx.search("chiclaio")[0] == idx.get("provincial", "1401")
    assert idx.search("cuzco")[0] == idx.get("regional", "08")
    assert idx.search("sn juan de lurigancho")[0].code == "150132"
    assert idx.search("sta anita")[0].code == "150137"
    assert idx.search("san juan lurigancho")[0].code == "150132"
    assert idx.search("sjl")[0].code == "150132"


def test_short_queries_find_the_exact_name_first(idx):
    assert idx.search("ate")[0] == idx.get("distrital", "150103")
    assert [p.name for p in idx.search("ica")[:3]] == ["Ica", "Ica", "Ica"]
    assert idx.search("ica")[0] == idx.get("regional", "11")
    assert idx.search("ilo")[0] == idx.get("provincial", "1803")


def test_callao_and_lima(idx):
    callao = idx.search("callao")
    assert [(p.level, p.code) for p in callao[:3]] == [
        ("regional", "07"),
        ("provincial", "0701"),
        ("distrital", "070101"),
    ]
    lima = idx.search("lima")
    assert lima[0] == idx.get("regional", "15")
    assert idx.get("regional", "LM") in lima
    assert idx.search("lima metropolitana")[0] == idx.get("regional", "LM")


def test_prefix(idx):
    assert idx.search("huanuc")[0] == idx.get("regional", "10")
    assert idx.search("lurigancho")[:2] == [
        idx.get("distrital", "150118"),  # Lurigancho itself
        idx.get("distrital", "150132"),  # San Juan de Lurigancho
    ]


def test_repeated_names_are_all_offered(idx):
    san_juan = idx.search("san juan", limit=10)
    exact = [p for p in san_juan if p.name == "San Juan"]
    assert len(exact) == 4
    assert san_juan[:4] == exact
    assert len({p.label for p in san_juan}) == len(san_juan)

    santa_rosa = idx.search("santa rosa", limit=10)
    assert len(santa_rosa) == 10
    assert {p.name for p in santa_rosa} == {"Santa Rosa"}
    assert len({p.label for p in santa_rosa}) == 10


def test_province_or_department_disambiguates(idx):
    assert sorted(codes(idx.search("santa rosa puno"))) == ["210504", "210808"]
    assert codes(idx.search("santa rosa, el collao")) == ["210504"]
    assert codes(idx.search("Santa Rosa (Melgar, Puno)")) == ["210808"]
    assert idx.search("santa rosa melgar")[0].code == "210808"
    assert idx.search("miraflores arequipa")[0].code == "040110"
    miraflores_lima = idx.search("miraflores lima")
    assert codes(miraflores_lima[:2]) == ["150122", "151021"]  # province Lima, then Yauyos
    assert idx.search("bellavista callao")[0].code == "070102"


def test_level_filter(idx):
    assert [(p.code) for p in idx.search("lima", level="regional")] == ["15", "LM"]
    assert codes(idx.search("huamanga", level="provincial"))[0] == "0501"
    dist = idx.search("huanuco", level="distrital")
    assert dist and {p.level for p in dist} == {"distrital"}
    assert dist[0].code == "100101"
    with pytest.raises(ValueError):
        idx.search("lima", level="nacional")


def test_limit(idx):
    assert len(idx.search("santa", limit=3)) == 3
    assert idx.search("santa", limit=0) == []


@pytest.mark.parametrize("query", ["", "   ", "???", "-,-", "xyzzy", "hola", "qwertyuiop"])
def test_garbage_finds_nothing(idx, query):
    assert idx.search(query) == []


def test_leading_kind_words_are_ignored(idx):
    assert idx.search("distrito de ate")[0].code == "150103"
    assert idx.search("Provincia de Huamanga")[0].code == "0501"
    assert idx.search("región ayacucho")[0] == idx.get("regional", "05")


def test_levels_constant():
    assert LEVELS == ("regional", "provincial", "distrital")


# ---- broken files -------------------------------------------------------------------------

GOOD = [
    "ubigeo,departamento,provincia,distrito",
    "010101,Amazonas,Chachapoyas,Chachapoyas",
    "010102,Amazonas,Chachapoyas,Asunción",
    "150101,Lima,Lima,Lima",
    "150601,Lima,Huaral,Huaral",
]


def write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "ubigeo.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_small_file_loads(tmp_path):
    small = PlaceIndex.load(write(tmp_path, GOOD))
    assert [p.name for p in small.regions()] == ["Amazonas", "Lima", "Lima Metropolitana"]
    assert small.get("distrital", "150601").region == "Lima"


@pytest.mark.parametrize(
    ("line", "bad", "needle"),
    [
        (1, "ubigeo,departamento,provincia", "header"),
        (3, "10102,Amazonas,Chachapoyas,Asunción", "6 digits"),
        (3, "010102,Amazonas,Chachapoyas", "4 columns"),
        (3, "010101,Amazonas,Chachapoyas,Otro", "repeated"),
        (3, "010102,Amazonas,Bagua,Asunción", "province 0101"),
        (3, "010102,Amazonaz,Chachapoyas,Asunción", "department 01"),
        (3, "010102,Amazonas,Chachapoyas,", "empty"),
        (3, "010102,Amazonas,Chachapoyas,CHACHAPOYAS", "already in province"),
    ],
)
def test_broken_csv_names_file_and_line(tmp_path, line, bad, needle):
    lines = list(GOOD)
    lines[line - 1] = bad
    path = write(tmp_path, lines)
    with pytest.raises(PlaceDataError) as err:
        PlaceIndex.load(path)
    assert err.value.file == path
    assert err.value.line == line
    assert needle in err.value.message
    assert str(err.value).startswith(f"{path}:{line}: ")


def test_non_utf8_names_its_line(tmp_path):
    path = tmp_path / "ubigeo.csv"
    path.write_bytes("\n".join(GOOD[:3]).encode() + "\n150101,Lima,Lima,Lima\xf1".encode("latin-1"))
    with pytest.raises(PlaceDataError) as err:
        PlaceIndex.load(path)
    assert (err.value.file, err.value.line) == (path, 4)


def test_missing_or_empty_file(tmp_path):
    with pytest.raises(PlaceDataError) as err:
        PlaceIndex.load(tmp_path / "nope.csv")
    assert err.value.file == tmp_path / "nope.csv"
    with pytest.raises(PlaceDataError) as err:
        PlaceIndex.load(write(tmp_path, GOOD[:1]))
    assert "no districts" in err.value.message


def test_a_cut_list_counts_the_rest_and_gives_an_example_not_shown():
    index = PlaceIndex.load()
    choices = place_choices(index, "santa rosa", "distrital", default_messages())
    everything = index.search("santa rosa", level="distrital", limit=1000)
    assert choices.shown == everything[:PLACE_CHOICES]
    assert f"…y {len(everything) - PLACE_CHOICES} más" in choices.text
    example = choices.text.split("«")[1].split("»")[0]
    assert example not in {f"{p.name}, {p.provincia}" for p in choices.shown}
    assert index.search(example, level="distrital")[0] in everything[PLACE_CHOICES:]
    few = place_choices(index, "ate", "distrital", default_messages())
    assert "más" not in few.text
    assert place_choices(index, "qwxzqwxz", "distrital", default_messages()) is None
