"""FAQ matcher and crisis detector, measured on an evaluation set (the development set by default).

    python benchmarks/faq.py [--set PATH] [--kb DIR] [--json] [--show-errors] [--no-latency]

Prints, for the set: answered right, answered wrong, one-tap (answered right or the right entry
among the suggestions), out-of-scope rejected, crisis recall by kind (self, other, child,
self_harm; a set gives crisis items as `{q: ..., kind: ...}`, or as plain strings, kind
unknown), false crisis alarms, no_crisis answered right; a plain BM25 peer's figures on the same
set side by side (bm25s + PyStemmer: see `Bm25Peer`); the crises missed that still get the short
help lines after the reply, and the calm messages that get them (bot/crisis_model.py
`soft_threshold`); and per-question latency
(median, p99 in µs) with the real knowledge base and with one grown to 300 entries (renamed
copies), as production may grow.

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


CRISIS_KINDS = ("self", "other", "child", "self_harm")
UNKNOWN_KIND = "unknown"  # a plain string in a set's crisis list


def load_dev(path: Path) -> dict[str, Any]:
    """Read an evaluation set; crisis items may be plain strings or `{q: ..., kind: ...}`."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    crisis = []
    for item in data.get("crisis", []) or []:
        if isinstance(item, str):
            crisis.append((item, UNKNOWN_KIND))
        else:
            crisis.append((item["q"], item.get("kind", UNKNOWN_KIND)))
    no_crisis = data.get("no_crisis", []) or []
    return {
        "preguntas": [(d["q"], d["id"]) for d in data.get("preguntas", []) or []],
        "fuera_de_tema": list(data.get("fuera_de_tema", []) or []),
        "crisis": crisis,
        "no_crisis": [(d["q"], d["id"]) for d in no_crisis if not isinstance(d, str)],
        # A probe's calm messages given as plain strings: no answer expected, no alarm allowed.
        "calm": [d for d in no_crisis if isinstance(d, str)],
    }


def crisis_label(crisis: Any) -> str:
    """self, other, child or self_harm: which reply the detector chose."""
    return getattr(crisis, "label", None) or ("self_harm" if crisis.kind == "self_harm" else "self")


def learned_share(
    dev: dict[str, Any], detector: safety.CrisisDetector, language: Any
) -> dict[str, int]:
    """What the learned reading (bot/crisis_model.py) adds to the rules: crises caught and
    false alarms raised where the rules alone are silent."""
    rules = safety.CrisisDetector(language, rules_only=True)

    def added(texts: list[str]) -> int:
        return sum(1 for q in texts if detector.detect(q) and not rules.detect(q))

    def short_lines(texts: list[str]) -> int:  # no crisis reply, but the short help lines
        return sum(1 for q in texts if detector.assess(q)[1])

    crisis = [q for q, _ in dev["crisis"]]
    return {
        "caught": added(crisis),
        "alarms": added(calm_messages(dev)),
        "missed_short_lines": short_lines(crisis),
        "calm_short_lines": short_lines(calm_messages(dev)),
    }


def calm_messages(dev: dict[str, Any]) -> list[str]:
    """Every message of a set that must raise no crisis alarm."""
    return (
        [q for q, _ in dev["preguntas"]]
        + [q for q, _ in dev["no_crisis"]]
        + list(dev["fuera_de_tema"])
        + list(dev.get("calm", []))
    )


def evaluate(
    matcher: Matcher, dev: dict[str, Any], detect: Callable[[str], Any] = safety.detect_crisis
) -> dict[str, Any]:
    """The benchmark's figures (no timing) and the list of misses."""
    errors: list[str] = []
    right = wrong = one_tap = ranked_first = 0
    for q, expected in dev["preguntas"]:
        m = matcher.match(q)
        if m.band == "answer" and m.entry_id == expected:
            right += 1
        else:
            if m.band == "answer":
                wrong += 1
            errors.append(f"top1  {q!r}: expected {expected}, got {_describe(m)}")
        if expected in top_ids(m):
            one_tap += 1
        # The first entry the reply shows (the answer or the first suggestion), as the peer's
        # first: whatever the decision.
        if top_ids(m)[:1] == (expected,):
            ranked_first += 1

    rejected = 0
    for q in dev["fuera_de_tema"]:
        m = matcher.match(q)
        if m.band in ("unknown", "smalltalk"):
            rejected += 1
        else:
            errors.append(f"oos   {q!r}: should be rejected, got {_describe(m)}")

    by_kind: dict[str, list[int]] = {}  # kind -> [items, caught, reply fits the kind]
    for q, kind in dev["crisis"]:
        tally = by_kind.setdefault(kind, [0, 0, 0])
        tally[0] += 1
        c = detect(q)
        if not c:
            errors.append(f"crisis {q!r} ({kind}): not detected")
            continue
        tally[1] += 1
        label = crisis_label(c)
        if kind in (UNKNOWN_KIND, label):
            tally[2] += 1
        else:
            errors.append(f"kind  {q!r}: {kind} given the {label} reply")

    alarms = 0
    for q in calm_messages(dev):
        c = detect(q)
        if c:
            alarms += 1
            errors.append(f"alarm {q!r}: false crisis ({crisis_label(c)})")

    no_crisis_ok = 0
    for q, expected in dev["no_crisis"]:
        m = matcher.match(q)
        if not detect(q) and m.band == "answer" and m.entry_id == expected:
            no_crisis_ok += 1
        else:
            errors.append(f"nocri {q!r}: expected {expected}, got {_describe(m)}")

    def ratio(a: int, b: int) -> float:
        return round(a / b, 4) if b else 1.0

    n = len(dev["preguntas"])
    caught = sum(t[1] for t in by_kind.values())
    return {
        "top1": ratio(right, n),  # answered right
        "answered_wrong": ratio(wrong, n),
        "top3": ratio(one_tap, n),  # one-tap: answered right or among the suggestions
        "ranked_first": ratio(ranked_first, n),
        "out_of_scope_rejected": ratio(rejected, len(dev["fuera_de_tema"])),
        "crisis_recall": ratio(caught, len(dev["crisis"])),
        "crisis_by_kind": {
            kind: {"n": t[0], "recall": ratio(t[1], t[0]), "reply_fits": ratio(t[2], t[0])}
            for kind, t in sorted(by_kind.items(), key=lambda kv: _kind_order(kv[0]))
        },
        "false_alarms": alarms,
        "no_crisis_answered": ratio(no_crisis_ok, len(dev["no_crisis"])),
        "counts": {k: len(v) for k, v in dev.items()},
        "errors": errors,
    }


def _kind_order(kind: str) -> int:
    return CRISIS_KINDS.index(kind) if kind in CRISIS_KINDS else len(CRISIS_KINDS)


class Bm25Peer:
    """The yardstick: plain BM25 (bm25s) over Snowball-stemmed words (PyStemmer), one document
    per entry (title, questions, keywords, synonyms), accents folded, Spanish stopwords. It
    only ranks; the matcher must clearly beat its first and top-3 ranks."""

    def __init__(self, kb: Any) -> None:
        import bm25s
        import Stemmer

        self._bm25s = bm25s
        self._stemmer = Stemmer.Stemmer("spanish")
        self.ids = list(kb.entries)
        corpus = [
            " ".join((e.titulo, *e.preguntas, *e.palabras_clave, *e.sinonimos))
            for e in kb.entries.values()
        ]
        self.retriever = bm25s.BM25()
        self.retriever.index(self._tokens(corpus), show_progress=False)

    def _tokens(self, texts: list[str], *, as_ids: bool = True) -> Any:
        folded = [textnorm.normalize(t, {}) for t in texts]
        return self._bm25s.tokenize(
            folded,
            stopwords="es",
            stemmer=self._stemmer.stemWords,
            return_ids=as_ids,
            show_progress=False,
        )

    def rank(self, text: str, k: int = 3) -> list[str]:
        known = self.retriever.vocab_dict
        words = [w for w in self._tokens([text], as_ids=False)[0] if w in known]
        if not words:
            return []
        docs, scores = self.retriever.retrieve(
            [words], k=min(k, len(self.ids)), show_progress=False
        )
        return [self.ids[d] for d, s in zip(docs[0], scores[0], strict=True) if s > 0]


def evaluate_peer(peer: Bm25Peer, dev: dict[str, Any]) -> dict[str, float]:
    """The peer's first and top-3 ranks on the set's questions."""
    first = top3 = 0
    for q, expected in dev["preguntas"]:
        ranked = peer.rank(q, 3)
        first += bool(ranked) and ranked[0] == expected
        top3 += expected in ranked
    n = len(dev["preguntas"]) or 1
    return {"ranked_first": round(first / n, 4), "top3": round(top3 / n, 4)}


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
    parser.add_argument(
        "--set", "--dev", dest="set", type=Path, default=DEFAULT_DEV, help="evaluation set YAML"
    )
    parser.add_argument("--kb", type=Path, default=DEFAULT_KB, help="knowledge/faq directory")
    parser.add_argument("--language", type=Path, default=DEFAULT_LANGUAGE, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--show-errors", action="store_true", help="list every miss")
    parser.add_argument("--no-latency", action="store_true", help="skip the timing rounds")
    args = parser.parse_args(argv)

    from bot.knowledge import KnowledgeError, load_knowledge

    try:
        kb = load_knowledge(args.kb)
    except KnowledgeError as exc:
        print(exc, file=sys.stderr)
        return 2
    if not args.set.exists():
        print(f"{args.set}: evaluation set not found (use --set PATH)", file=sys.stderr)
        return 2
    language = load_language(args.language)
    detector = safety.CrisisDetector(language)
    dev = load_dev(args.set)

    t0 = time.perf_counter()
    matcher = Matcher.build(kb, language)
    build_ms = (time.perf_counter() - t0) * 1000
    result = evaluate(matcher, dev, detector.detect)
    result["learned_reading"] = learned_share(dev, detector, language)
    try:
        result["bm25_peer"] = evaluate_peer(Bm25Peer(kb), dev)
    except ImportError:
        result["bm25_peer"] = None  # bm25s / PyStemmer not installed: `make install` has them

    questions = (
        [q for q, _ in dev["preguntas"]]
        + list(dev["fuera_de_tema"])
        + [q for q, _ in dev["no_crisis"]]
        + list(dev["calm"])
        + [q for q, _ in dev["crisis"]]
    )
    result["entries"] = len(kb.entries)
    # A spent set read with its own questions among the examples is no measure at all.
    result["set_among_examples"] = args.set.stem in matcher.examples_sources
    result["build_ms"] = round(build_ms, 1)
    if not args.no_latency:
        result["latency_real_kb"] = latency(matcher, questions, detector)
        big = Matcher.build(grow_kb(kb), language)
        result["latency_300_entries"] = latency(big, questions, detector)

    if args.json:
        if not args.show_errors:
            result.pop("errors")
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0

    c = result["counts"]
    peer = result["bm25_peer"]
    print(f"set: {args.set}")
    print(f"knowledge base: {result['entries']} entries (matcher built in {build_ms:.0f} ms)")
    if result["set_among_examples"]:
        print(
            "note: this set's questions are among the examples (bot/answer_examples.json): "
            "its figures measure nothing; benchmarks/fit_ranking.py reads it left out"
        )
    print(f"{'':34}{'matcher':>9}{'BM25 peer':>11}")

    def row(label: str, value: str, peer_value: str = "") -> None:
        print(f"{label:34}{value:>9}{peer_value:>11}")

    def peer_figure(key: str) -> str:
        return f"{peer[key]:.3f}" if peer else "n/a"

    row(f"answered right ({c['preguntas']} questions)", f"{result['top1']:.3f}")
    row("answered wrong", f"{result['answered_wrong']:.3f}")
    row("one-tap (answer or suggested)", f"{result['top3']:.3f}", peer_figure("top3"))
    row("right entry ranked first", f"{result['ranked_first']:.3f}", peer_figure("ranked_first"))
    row(f"out-of-scope rejected ({c['fuera_de_tema']})", f"{result['out_of_scope_rejected']:.3f}")
    row(f"crisis recall ({c['crisis']} messages)", f"{result['crisis_recall']:.3f}")
    for kind, k in result["crisis_by_kind"].items():
        row(f"  {kind} ({k['n']}), reply fits {k['reply_fits']:.3f}", f"{k['recall']:.3f}")
    calm = c["preguntas"] + c["no_crisis"] + c["fuera_de_tema"] + c.get("calm", 0)
    learned = result["learned_reading"]
    row("  found by the learned reading alone", str(learned["caught"]))
    missed = round(c["crisis"] * (1 - result["crisis_recall"]))
    row(f"  missed ({missed}), short help lines", str(learned["missed_short_lines"]))
    row(f"false crisis alarms (of {calm} calm)", str(result["false_alarms"]))
    row("  raised by the learned reading alone", str(learned["alarms"]))
    row("calm given the short help lines", str(learned["calm_short_lines"]))
    row(f"no_crisis answered right ({c['no_crisis']})", f"{result['no_crisis_answered']:.3f}")
    if not args.no_latency:
        for label, lat in (
            (f"real KB ({result['entries']})", result["latency_real_kb"]),
            (f"{BIG_KB_SIZE} entries", result["latency_300_entries"]),
        ):
            print(
                f"latency, {label}: match median {lat['match_median_us']:.0f} µs, "
                f"p99 {lat['match_p99_us']:.0f} µs; crisis median "
                f"{lat['crisis_median_us']:.0f} µs, p99 {lat['crisis_p99_us']:.0f} µs"
            )
    if args.show_errors:
        print("\nmisses:")
        for line in result["errors"]:
            print("  " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
