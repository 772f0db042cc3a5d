"""FAQ matcher and crisis detector, measured on the development set.

    python benchmarks/faq.py [--dev PATH] [--kb DIR] [--json] [--show-errors]

Prints top-1 accuracy, top-3, out-of-scope rejected, crisis recall, false crisis alarms,
no_crisis answered correctly, and per-question latency (median, p99 in µs) with the real
knowledge base and with one grown to 300 entries (renamed copies), as production may grow.

`evaluate()` is the one definition of these figures: tests/test_faq_floor.py imports it and
asserts floors just under what the matcher reaches, so a regression fails CI.

Never tune by copying dev questions into the knowledge base or the code: a hidden set written
the same way measures the bot.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from bot import safety, textnorm  # noqa: E402
from bot.matching import Matcher, load_language, top_ids  # noqa: E402

DEFAULT_DEV = ROOT.parent / "shared" / "eval" / "dev-preguntas.yaml"
DEFAULT_KB = ROOT / "knowledge" / "faq"
DEFAULT_LANGUAGE = ROOT / "knowledge" / "lenguaje.yaml"
BIG_KB_SIZE = 300
LATENCY_ROUNDS = 5


def load_dev(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return {
        "preguntas": [(d["q"], d["id"]) for d in data.get("preguntas", [])],
        "fuera_de_tema": list(data.get("fuera_de_tema", [])),
        "crisis": list(data.get("crisis", [])),
        "no_crisis": [(d["q"], d["id"]) for d in data.get("no_crisis", [])],
    }


def evaluate(
    matcher: Matcher, dev: dict[str, Any], detect: Callable[[str], Any] = safety.detect_crisis
) -> dict[str, Any]:
    """The benchmark's figures (no timing) and the list of misses."""
    errors: list[str] = []
    top1 = top3 = 0
    for q, expected in dev["preguntas"]:
        m = matcher.match(q)
        if m.band == "answer" and m.entry_id == expected:
            top1 += 1
        else:
            errors.append(f"top1  {q!r}: expected {expected}, got {_describe(m)}")
        if expected in top_ids(m):
            top3 += 1

    rejected = 0
    for q in dev["fuera_de_tema"]:
        m = matcher.match(q)
        if m.band in ("unknown", "smalltalk"):
            rejected += 1
        else:
            errors.append(f"oos   {q!r}: should be rejected, got {_describe(m)}")

    caught = 0
    for q in dev["crisis"]:
        if detect(q):
            caught += 1
        else:
            errors.append(f"crisis {q!r}: not detected")

    alarms = 0
    calm = (
        [q for q, _ in dev["preguntas"]]
        + [q for q, _ in dev["no_crisis"]]
        + list(dev["fuera_de_tema"])
    )
    for q in calm:
        c = detect(q)
        if c:
            alarms += 1
            errors.append(f"alarm {q!r}: false crisis ({c.kind})")

    no_crisis_ok = 0
    for q, expected in dev["no_crisis"]:
        m = matcher.match(q)
        if not detect(q) and m.band == "answer" and m.entry_id == expected:
            no_crisis_ok += 1
        else:
            errors.append(f"nocri {q!r}: expected {expected}, got {_describe(m)}")

    def ratio(a: int, b: int) -> float:
        return round(a / b, 4) if b else 1.0

    return {
        "top1": ratio(top1, len(dev["preguntas"])),
        "top3": ratio(top3, len(dev["preguntas"])),
        "out_of_scope_rejected": ratio(rejected, len(dev["fuera_de_tema"])),
        "crisis_recall": ratio(caught, len(dev["crisis"])),
        "false_alarms": alarms,
        "no_crisis_answered": ratio(no_crisis_ok, len(dev["no_crisis"])),
        "counts": {k: len(v) for k, v in dev.items()},
        "errors": errors,
    }


def _describe(m: Any) -> str:
    if m.band == "answer":
        return f"answer {m.entry_id} ({m.score:.2f})"
    if m.band == "smalltalk":
        return f"smalltalk {m.smalltalk}"
    return f"{m.band} ({m.score:.2f}) {list(m.suggestions)}"


def grow_kb(kb: Any, size: int = BIG_KB_SIZE) -> Any:
    """A knowledge base of `size` entries: the real ones plus renamed copies."""
    entries = dict(kb.entries)
    originals = list(kb.entries.values())
    copy = 1
    while len(entries) < size:
        for entry in originals:
            if len(entries) >= size:
                break
            new_id = f"{entry.id}-copia-{copy}"
            entries[new_id] = (
                dataclasses.replace(entry, id=new_id)
                if dataclasses.is_dataclass(entry)
                else SimpleNamespace(**{**vars(entry), "id": new_id})
            )
        copy += 1
    return SimpleNamespace(categories=getattr(kb, "categories", ()), entries=entries)


def _clear_caches(matcher: Matcher, detector: safety.CrisisDetector) -> None:
    """Each round starts cold, as a fresh process would."""
    textnorm.stem.cache_clear()
    matcher.clear_caches()
    detector.clear_caches()


def latency(
    matcher: Matcher, questions: list[str], detector: safety.CrisisDetector
) -> dict[str, float]:
    """Median and p99 per-question time (µs) of matching, and of crisis detection."""
    match_times: list[float] = []
    crisis_times: list[float] = []
    for _ in range(LATENCY_ROUNDS):
        _clear_caches(matcher, detector)
        for q in questions:
            t0 = time.perf_counter_ns()
            matcher.match(q)
            t1 = time.perf_counter_ns()
            detector.detect(q)
            t2 = time.perf_counter_ns()
            match_times.append((t1 - t0) / 1000)
            crisis_times.append((t2 - t1) / 1000)
    return {
        "match_median_us": round(statistics.median(match_times), 1),
        "match_p99_us": round(_percentile(match_times, 99), 1),
        "crisis_median_us": round(statistics.median(crisis_times), 1),
        "crisis_p99_us": round(_percentile(crisis_times, 99), 1),
    }


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[k]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dev", type=Path, default=DEFAULT_DEV, help="development set YAML")
    parser.add_argument("--kb", type=Path, default=DEFAULT_KB, help="knowledge/faq directory")
    parser.add_argument("--language", type=Path, default=DEFAULT_LANGUAGE, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--show-errors", action="store_true", help="list every miss")
    args = parser.parse_args(argv)

    from bot.knowledge import KnowledgeError, load_knowledge

    try:
        kb = load_knowledge(args.kb)
    except KnowledgeError as exc:
        print(exc, file=sys.stderr)
        return 2
    if not args.dev.exists():
        print(f"{args.dev}: development set not found (use --dev PATH)", file=sys.stderr)
        return 2
    language = load_language(args.language)
    detector = safety.CrisisDetector(language)
    dev = load_dev(args.dev)

    t0 = time.perf_counter()
    matcher = Matcher.build(kb, language)
    build_ms = (time.perf_counter() - t0) * 1000
    result = evaluate(matcher, dev, detector.detect)

    questions = (
        [q for q, _ in dev["preguntas"]]
        + list(dev["fuera_de_tema"])
        + [q for q, _ in dev["no_crisis"]]
        + list(dev["crisis"])
    )
    result["entries"] = len(kb.entries)
    result["build_ms"] = round(build_ms, 1)
    result["latency_real_kb"] = latency(matcher, questions, detector)
    big = Matcher.build(grow_kb(kb), language)
    result["latency_300_entries"] = latency(big, questions, detector)

    if args.json:
        if not args.show_errors:
            result.pop("errors")
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0

    c = result["counts"]
    real, big_lat = result["latency_real_kb"], result["latency_300_entries"]
    print(f"knowledge base: {result['entries']} entries (matcher built in {build_ms:.0f} ms)")
    print(f"top-1 accuracy:              {result['top1']:.3f}  ({c['preguntas']} questions)")
    print(f"top-3 (answer or suggested): {result['top3']:.3f}")
    print(f"out-of-scope rejected:       {result['out_of_scope_rejected']:.3f}  "
          f"({c['fuera_de_tema']} questions)")  # fmt: skip
    print(f"crisis recall:               {result['crisis_recall']:.3f}  ({c['crisis']} messages)")
    calm = c["preguntas"] + c["no_crisis"] + c["fuera_de_tema"]
    print(f"false crisis alarms:         {result['false_alarms']}  (over {calm} calm messages)")
    print(f"no_crisis answered right:    {result['no_crisis_answered']:.3f}  "
          f"({c['no_crisis']} questions)")  # fmt: skip
    for label, lat in (
        (f"real KB ({result['entries']})", real),
        (f"{BIG_KB_SIZE} entries", big_lat),
    ):
        print(
            f"latency, {label}: match median {lat['match_median_us']:.0f} µs, "
            f"p99 {lat['match_p99_us']:.0f} µs; crisis median {lat['crisis_median_us']:.0f} µs, "
            f"p99 {lat['crisis_p99_us']:.0f} µs"
        )
    if args.show_errors:
        print("\nmisses:")
        for line in result["errors"]:
            print("  " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
