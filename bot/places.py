"""The official places (INEI ubigeo) an instancia can belong to, and a forgiving name search.

Pure Python: loads knowledge/ubigeo.csv (one row per district) and derives provinces and the
26 regional circumscriptions from it. Department Lima splits into Lima Metropolitana (province
1501, code "LM") and the Gobierno Regional de Lima (code "15", the other Lima provinces);
Callao is its own region like every other department.

Search is for officers typing on a phone: accents, ñ/n, case and punctuation do not matter,
typos are tolerated, and "distrito provincia" or "distrito, provincia" narrows repeated names.
Keys are built once at load, so a search takes about half a millisecond.
"""

from __future__ import annotations

import bisect
import csv
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from bot.filecache import built_from
from bot.textnorm import collation_key

LEVELS = ("regional", "provincial", "distrital")
DEFAULT_CSV = Path(__file__).resolve().parent.parent / "knowledge" / "ubigeo.csv"

LIMA_DEP = "15"
LIMA_PROV = "1501"
LIMA_METRO_CODE = "LM"
LIMA_METRO = "Lima Metropolitana"

_HEADER = ["ubigeo", "departamento", "provincia", "distrito"]
_LEVEL_RANK = {level: i for i, level in enumerate(LEVELS)}

# Abbreviations people type for common name words.
_ABBREV = {
    "sn": "san",
    "sta": "santa",
    "sto": "santo",
    "stgo": "santiago",
    "gral": "general",
    "cnel": "coronel",
    "crnel": "coronel",
    "mcal": "mariscal",
    "pto": "puerto",
    "fco": "francisco",
}
# Leading words that only say what kind of place is meant ("distrito de Ate").
_LEADING = {
    "distrito",
    "dist",
    "provincia",
    "prov",
    "region",
    "departamento",
    "dpto",
    "depto",
    "municipalidad",
    "distrital",
    "provincial",
    "gobierno",
    "regional",
}
_STOP = {"de", "del"}

# Names officers use that are not the INEI name: (level, code) targets.
_ALIASES: dict[str, tuple[tuple[str, str], ...]] = {
    "sjl": (("distrital", "150132"),),
    "sjm": (("distrital", "150133"),),
    "smp": (("distrital", "150135"),),
    "ves": (("distrital", "150142"),),
    "vmt": (("distrital", "150143"),),
    "cercado de lima": (("distrital", "150101"),),
    "lima cercado": (("distrital", "150101"),),
    "lima metro": (("regional", LIMA_METRO_CODE),),
    "lima provincias": (("regional", LIMA_DEP),),
    "lima region": (("regional", LIMA_DEP),),
}

_FUZZY_MIN_LEN = 4  # shorter queries only match exactly or by prefix ("ate", "ica")
_MAX_WORDS = 12  # the longest label has 9 words; more is a sentence, not a place


class PlaceDataError(ValueError):
    """The ubigeo CSV is unreadable or inconsistent."""

    def __init__(self, file: Path | str, line: int, message: str) -> None:
        self.file = Path(file)
        self.line = line
        self.message = message
        super().__init__(f"{self.file}:{line}: {message}")


@dataclass(frozen=True)
class Place:
    level: str  # one of LEVELS
    code: str  # district 6 digits, province 4, region 2 (INEI department) or "LM"
    name: str
    provincia: str | None  # for districts and provinces
    departamento: str  # INEI department
    region: str  # regional circumscription (26: the departments, Lima split in two)

    @property
    def label(self) -> str:
        """Short button text; distinct for every place."""
        if self.level == "distrital":
            return f"{self.name} ({self.provincia}, {self.departamento})"
        if self.level == "provincial":
            return f"{self.name} ({self.departamento})"
        return self.name


def normalize(text: str) -> str:
    """Lower case, no accents (ñ -> n), punctuation to spaces, common abbreviations expanded."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = re.sub(r"[^a-z0-9]+", " ", bare).split()
    return " ".join(_ABBREV.get(w, w) for w in words)


def _strip_leading(words: list[str]) -> list[str]:
    """Drop "distrito de", "provincia de"... but never the whole query."""
    i = 0
    while i < len(words) - 1 and words[i] in _LEADING:
        i += 1
    if 0 < i < len(words) - 1 and words[i] in _STOP:
        i += 1
    return words[i:]


def _region_name(dep_code: str, prov_code: str, departamento: str) -> str:
    if dep_code == LIMA_DEP:
        return LIMA_METRO if prov_code == LIMA_PROV else departamento
    return departamento


class PlaceIndex:
    """All regions, provinces and districts, with lookups by code and by typed name."""

    def __init__(self, places: Iterable[Place]) -> None:
        self._places: list[Place] = list(places)
        self._by_code: dict[tuple[str, str], Place] = {}
        for p in self._places:
            if (p.level, p.code) in self._by_code:
                raise ValueError(f"duplicate place {p.level}:{p.code}")
            self._by_code[(p.level, p.code)] = p
        self._region_by_name = {p.name: p for p in self._places if p.level == "regional"}
        self._index = {p: i for i, p in enumerate(self._places)}
        self._build_search()

    # ---- loading -------------------------------------------------------------------------

    @classmethod
    def load(cls, csv_path: Path = DEFAULT_CSV) -> PlaceIndex:
        """The district CSV's index; one shared object while the file is unchanged (building it
        takes a tenth of a second: bot/filecache.py)."""
        path = Path(csv_path)
        return built_from(cls.__qualname__, [path], lambda: cls._read(path))

    @classmethod
    def _read(cls, path: Path) -> PlaceIndex:
        """Read the district CSV; raise PlaceDataError naming the file and line if it is broken."""
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise PlaceDataError(path, 0, f"cannot read: {exc.strerror or exc}") from exc
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise PlaceDataError(path, line, "not valid UTF-8") from exc

        reader = csv.reader(text.splitlines())
        header = next(reader, None)
        if header != _HEADER:
            raise PlaceDataError(path, 1, f"header must be {','.join(_HEADER)}, got {header}")

        deps: dict[str, str] = {}
        provs: dict[str, tuple[str, int]] = {}
        districts: list[Place] = []
        seen: dict[str, int] = {}
        dist_names: dict[tuple[str, str], int] = {}
        for row in reader:
            n = reader.line_num
            if not row or all(not cell.strip() for cell in row):
                continue
            if len(row) != 4:
                raise PlaceDataError(path, n, f"expected 4 columns, got {len(row)}")
            code, dep, prov, dist = (cell.strip() for cell in row)
            if not re.fullmatch(r"\d{6}", code):
                raise PlaceDataError(path, n, f"ubigeo must be 6 digits, got {code!r}")
            if not (dep and prov and dist):
                raise PlaceDataError(path, n, "empty departamento, provincia or distrito")
            if code in seen:
                raise PlaceDataError(
                    path, n, f"ubigeo {code} repeated (first on line {seen[code]})"
                )
            seen[code] = n
            d_code, p_code = code[:2], code[:4]
            if deps.setdefault(d_code, dep) != dep:
                raise PlaceDataError(
                    path, n, f"department {d_code} is {deps[d_code]!r} elsewhere, here {dep!r}"
                )
            if provs.setdefault(p_code, (prov, n))[0] != prov:
                raise PlaceDataError(
                    path, n, f"province {p_code} is {provs[p_code][0]!r} elsewhere, here {prov!r}"
                )
            key = (p_code, normalize(dist))
            if key in dist_names:
                raise PlaceDataError(
                    path,
                    n,
                    f"district {dist!r} already in province {prov} (line {dist_names[key]})",
                )
            dist_names[key] = n
            districts.append(
                Place("distrital", code, dist, prov, dep, _region_name(d_code, p_code, dep))
            )
        if not districts:
            raise PlaceDataError(path, reader.line_num, "no districts")

        regions = [Place("regional", d, name, None, name, name) for d, name in deps.items()]
        if LIMA_DEP in deps:
            regions.append(
                Place("regional", LIMA_METRO_CODE, LIMA_METRO, None, deps[LIMA_DEP], LIMA_METRO)
            )
        provinces = [
            Place("provincial", p, name, name, deps[p[:2]], _region_name(p[:2], p, deps[p[:2]]))
            for p, (name, _line) in provs.items()
        ]
        return cls(
            [
                *sorted(regions, key=lambda p: collation_key(p.name)),
                *sorted(provinces, key=lambda p: p.code),
                *sorted(districts, key=lambda p: p.code),
            ]
        )

    # ---- lookups -------------------------------------------------------------------------

    def get(self, level: str, code: str) -> Place | None:
        return self._by_code.get((level, code))

    def regions(self) -> list[Place]:
        """The 26 regional circumscriptions, alphabetical."""
        return [p for p in self._places if p.level == "regional"]

    def provinces(self) -> list[Place]:
        return [p for p in self._places if p.level == "provincial"]

    def districts(self) -> list[Place]:
        return [p for p in self._places if p.level == "distrital"]

    def region_of(self, place: Place) -> Place:
        return self._region_by_name[place.region]

    # ---- search --------------------------------------------------------------------------

    def _build_search(self) -> None:
        self._keys = [normalize(p.name) for p in self._places]
        self._exact: dict[str, list[int]] = defaultdict(list)
        for i, key in enumerate(self._keys):
            self._exact[key].append(i)
        for alias, targets in _ALIASES.items():
            for level, code in targets:
                place = self._by_code.get((level, code))
                if place is not None:
                    self._exact[alias].append(self._index[place])
        # Sorted keys for prefix search by bisection.
        self._sorted = sorted((key, i) for i, key in enumerate(self._keys))
        self._sorted_keys = [k for k, _ in self._sorted]
        # One string, one key per line, so a word-prefix regex runs in C over all names.
        self._blob = "\n".join(self._keys)
        self._line_starts = [0]
        for key in self._keys[:-1]:
            self._line_starts.append(self._line_starts[-1] + len(key) + 1)
        # Context names a query may add after the place name: province, department, region,
        # and "provincia departamento" as in a district's label.
        # Value: place index -> 0 if the context is its immediate parent (a district's
        # province, a province's department), else 1.
        ctx: dict[str, dict[int, int]] = defaultdict(dict)
        for i, p in enumerate(self._places):
            if p.level == "regional":
                continue
            names = [(p.departamento, int(p.level == "distrital")), (p.region, 1)]
            if p.level == "distrital":
                names += [(p.provincia, 0), (f"{p.provincia} {p.departamento}", 0)]
            for name, specificity in names:
                inside = ctx[normalize(name)]
                inside[i] = min(specificity, inside.get(i, 1))
        self._ctx = dict(ctx)
        self._ctx_keys = list(self._ctx)
        self._label_keys = [normalize(p.label) for p in self._places]

    def search(self, query: str, level: str | None = None, limit: int = 5) -> list[Place]:
        """Best matches for what an officer typed, best first, at most `limit`.

        Exact names come first, then names starting with the query, then names whose words
        start with the query's words, then typo matches. "santa rosa puno" or
        "santa rosa, el collao" keeps only places inside that province/department/region.
        """
        if level is not None and level not in _LEVEL_RANK:
            raise ValueError(f"unknown level {level!r}")
        if limit <= 0:
            return []
        # Commas and brackets separate a name from its context, as in a label "X (Prov, Dep)".
        parts = [_strip_leading(normalize(part).split()) for part in re.split(r"[,;(]", query)]
        words = [w for part in parts for w in part]
        if not words or len(words) > _MAX_WORDS:
            return []
        # Ranking per place index: tier; places narrowed by a context (the more specific the
        # better); among prefix matches bigger levels first ("lima" -> Lima Metropolitana before
        # Limabamba); closeness; level; shorter name; label.
        best: dict[int, tuple] = {}

        def offer(i: int, tier: int, score: float, context: int) -> None:
            p = self._places[i]
            if level is not None and p.level != level:
                return
            rank = (
                tier,
                context,
                _LEVEL_RANK[p.level] if tier in (1, 2) else 0,
                -score,
                _LEVEL_RANK[p.level],
                len(self._keys[i]),
                self._label_keys[i],
            )
            if i not in best or rank < best[i]:
                best[i] = rank

        q = " ".join(words)
        if q.replace(" ", "").isdigit():
            for lvl in LEVELS:
                p = self._by_code.get((lvl, q.replace(" ", "")))
                if p is not None:
                    offer(self._index[p], 0, 100.0, 0)
        for i, tier, score in self._match(q):
            offer(i, tier, score, context=2)

        # Place name + context: any split of the words into two runs (which covers the text
        # before a comma), tried only where the rest names a province, department or region.
        splits = [(words[:k], words[k:]) for k in range(1, len(words))]
        for name_words, ctx_words in splits:
            inside = self._context(" ".join(ctx_words))
            if not inside:
                continue
            for i, tier, score in self._match(" ".join(name_words), within=inside):
                offer(i, tier, score, context=inside[i])

        ranked = sorted(best, key=best.__getitem__)
        if any(best[i][1] < 2 for i in ranked):
            # The officer named a province or department: a typo match of the whole text
            # ("santa rosa puno" ~ "Santa Rosa") elsewhere is noise.
            ranked = [i for i in ranked if best[i][1] < 2 or best[i][0] < 3]
        return [self._places[i] for i in ranked[:limit]]

    def _context(self, q: str) -> dict[int, int]:
        """Places inside the province/department/region named by q (index -> specificity)."""
        if q in self._ctx:
            return self._ctx[q]
        if len(q) < 6:  # "rica" must not pass for "ica", nor "anita" for "anta"
            return {}
        hit = process.extractOne(q, self._ctx_keys, scorer=fuzz.ratio, score_cutoff=85)
        return self._ctx[hit[0]] if hit else {}

    def _match(self, q: str, within: dict[int, int] | None = None) -> list[tuple[int, int, float]]:
        """(index, tier, score) for names matching q; tiers 0 exact, 1 prefix, 2 words, 3 typo."""
        out: list[tuple[int, int, float]] = []
        if not q:
            return out
        ok = (lambda i: True) if within is None else within.__contains__
        found: set[int] = set()

        for i in self._exact.get(q, ()):
            if ok(i):
                out.append((i, 0, 100.0))
                found.add(i)

        # Prefix: "huanuc" -> Huánuco, "san juan de l" -> San Juan de Lurigancho.
        lo = bisect.bisect_left(self._sorted_keys, q)
        for key, i in self._sorted[lo:]:
            if not key.startswith(q):
                break
            if i not in found and ok(i):
                out.append((i, 1, 100.0 * len(q) / len(key)))
                found.add(i)

        # Word prefixes in order: "lurigancho" -> San Juan de Lurigancho, "sta anita" ...
        qwords = [w for w in q.split() if w not in _STOP] or q.split()
        if len(q) >= 3:
            pattern = "^(?:[^\n]* )?" + "(?:[^\n]* )?".join(
                re.escape(w) + r"[^\n ]*(?: |$)" for w in qwords
            )
            for m in re.finditer(pattern, self._blob, re.MULTILINE):
                i = bisect.bisect_right(self._line_starts, m.start()) - 1
                if i not in found and ok(i):
                    out.append((i, 2, 100.0 * len(q) / len(self._keys[i])))
                    found.add(i)

        # Typos: Levenshtein-based ratio, stricter on short queries.
        if len(q) >= _FUZZY_MIN_LEN:
            cutoff = 80 if len(q) < 10 else 75
            if within is None:
                choices: dict[int, str] | list[str] = self._keys
            else:
                choices = {i: self._keys[i] for i in within}
            for _key, score, i in process.extract(
                q, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=50
            ):
                if i not in found and ok(i):
                    out.append((i, 3, score))
                    found.add(i)
        return out
