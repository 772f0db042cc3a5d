"""Dump every `Matcher.match` result (and `rank`) over the evaluation sets to JSON, to prove that a
speed-up changed no result.

    python benchmarks/match_snapshot.py OUT.json [--set PATH ...] [--check BEFORE.json]

Each question of every set (the development set, benchmarks/sets/*.yaml and any `--set` given)
is matched with the real knowledge base and with one grown to 300 entries (benchmarks/faq.py's
`grow_kb`), cold and then again warm (a cache must not change a result). `--check` compares with
an earlier dump and prints the differences; the exit status is 1 when there are any.

Run both dumps with the same PYTHONHASHSEED (e.g. 0): with 300 entries, tied copies of one entry
may swap places in `rank` from one hash seed to the next (the float sums follow set order), as
they did before any speed-up; the Match itself did not change across seeds.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.faq import DEFAULT_DEV, DEFAULT_KB, DEFAULT_LANGUAGE, grow_kb, load_dev  # noqa: E402
from bot import textnorm  # noqa: E402
from bot.matching import Matcher, load_language  # noqa: E402

SETS = sorted((ROOT / "benchmarks" / "sets").glob("*.yaml"))


def questions(path: Path) -> list[str]:
    dev = load_dev(path)
    return (
        [q for q, _ in dev["preguntas"]]
        + list(dev["fuera_de_tema"])
        + [q for q, _ in dev["no_crisis"]]
        + [q for q, _ in dev["crisis"]]
    )


def snapshot(paths: list[Path]) -> dict[str, dict[str, object]]:
    from bot.knowledge import load_knowledge

    kb = load_knowledge(DEFAULT_KB)
    language = load_language(DEFAULT_LANGUAGE)
    out: dict[str, dict[str, object]] = {}
    for label, base in (("real", kb), ("300", grow_kb(kb))):
        matcher = Matcher.build(base, language)
        for warm in (False, True):
            textnorm.stem.cache_clear()
            matcher.clear_caches()
            for path in paths:
                for i, q in enumerate(questions(path)):
                    key = f"{label}|{'warm' if warm else 'cold'}|{path.name}|{i}"
                    out[key] = {
                        "q": q,
                        "match": dataclasses.asdict(matcher.match(q)),
                        "rank": matcher.rank(q, 5),
                    }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--set", action="append", type=Path, default=[])
    parser.add_argument("--check", type=Path, help="an earlier dump to compare with")
    args = parser.parse_args(argv)
    paths = [p for p in (DEFAULT_DEV, *SETS, *args.set) if p.exists()]
    dumped = json.dumps(snapshot(paths), ensure_ascii=False, indent=1)
    args.out.write_text(dumped, encoding="utf-8")
    result = json.loads(dumped)  # tuples become lists, as in the earlier dump
    print(f"{len(result)} results from {len(paths)} sets -> {args.out}")
    if args.check is None:
        return 0
    before = json.loads(args.check.read_text(encoding="utf-8"))
    differ = [k for k in sorted(before.keys() | result.keys()) if before.get(k) != result.get(k)]
    matches = [
        k
        for k in differ
        if (before.get(k) or {}).get("match") != (result.get(k) or {}).get("match")
    ]
    for key in (matches or differ)[:20]:
        print(f"{key}\n  before: {before.get(key)}\n  after:  {result.get(key)}")
    print(f"{len(differ)} of {len(before)} results differ ({len(matches)} in the Match itself)")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
