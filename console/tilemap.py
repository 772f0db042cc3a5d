"""The map of Cobertura: one square per region (the 24 departments, Lima's provinces, Lima
Metropolitana and Callao) placed roughly where it lies. A tile map needs no geodata, so no map
licence: nothing here is copied from a map."""

from __future__ import annotations

from dataclasses import dataclass

# region -> (column, row), north at the top, the coast on the left.
TILES: dict[str, tuple[int, int]] = {
    "Tumbes": (0, 0),
    "Piura": (0, 1), "Amazonas": (1, 1), "San Martín": (2, 1), "Loreto": (3, 1),
    "Lambayeque": (0, 2), "Cajamarca": (1, 2), "Huánuco": (2, 2), "Ucayali": (3, 2),
    "La Libertad": (0, 3), "Áncash": (1, 3), "Pasco": (2, 3),
    "Callao": (0, 4), "Lima": (1, 4), "Junín": (2, 4), "Cusco": (3, 4), "Madre de Dios": (4, 4),
    "Lima Metropolitana": (0, 5), "Huancavelica": (1, 5), "Ayacucho": (2, 5),
    "Apurímac": (3, 5), "Puno": (4, 5),
    "Ica": (1, 6), "Arequipa": (2, 6), "Moquegua": (3, 6),
    "Tacna": (3, 7),
}  # fmt: skip
SHORT = {"Lima Metropolitana": "Lima Metrop.", "Madre de Dios": "M. de Dios"}
TILE_W, TILE_H, GAP = 100, 58, 4
# (lowest share, colour, text colour, legend): ColorBrewer's sequential purples.
BUCKETS = (
    (0.75, "#54278f", "#fff", "75 % o más"),
    (0.50, "#756bb1", "#fff", "50 a 74 %"),
    (0.25, "#9e9ac8", "#fff", "25 a 49 %"),
    (0.10, "#bcbddc", "#1d2430", "10 a 24 %"),
    (1e-9, "#dadaeb", "#1d2430", "menos de 10 %"),
    (0.0, "#f7f7f7", "#1d2430", "0 %"),
)


@dataclass(frozen=True)
class Tile:
    region: str
    short: str
    x: int
    y: int
    fill: str
    ink: str
    percent: int
    sent: int
    total: int
    current: bool


def bucket(share: float) -> tuple[str, str, str]:
    for low, fill, ink, legend in BUCKETS:
        if share >= low:
            return fill, ink, legend
    return BUCKETS[-1][1:]


def tiles(counts: dict[str, tuple[int, int]], current: str | None = None) -> list[Tile]:
    """`counts`: region -> (numerator, denominator) of the measure coloured."""
    out = []
    for region, (col, row) in TILES.items():
        sent, total = counts.get(region, (0, 0))
        share = sent / total if total else 0.0
        fill, ink, _ = bucket(share)
        out.append(Tile(region, SHORT.get(region, region), col * (TILE_W + GAP),
                        row * (TILE_H + GAP), fill, ink, round(100 * share), sent, total,
                        region == current))  # fmt: skip
    return out


def size() -> tuple[int, int]:
    cols = 1 + max(c for c, _ in TILES.values())
    rows = 1 + max(r for _, r in TILES.values())
    return cols * (TILE_W + GAP) - GAP, rows * (TILE_H + GAP) - GAP


def legend() -> list[tuple[str, str]]:
    return [(fill, text) for _, fill, _, text in reversed(BUCKETS)]
