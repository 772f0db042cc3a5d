"""Fit bot/crisis_model.json: the learned second reading of danger (bot/crisis_model.py).

    python benchmarks/fit_crisis.py [--set PATH ...] [--write]

Every set's crisis items are the positives (with their kind when the set gives it); its
questions, out-of-scope and no_crisis items are the calm ones. Each message is read as the rules
read it (`CrisisDetector.folded`) and described by `crisis_model.features`. Then, numpy only:
one L2 logistic regression for danger over all messages, and one per kind (against the other
kinds) over the crisis items.

The threshold is honest: every set is scored by models fitted without it (leave one set out),
and the threshold is just above the highest score any calm message of the sets reached there.
The tests' calm guards are left out of that maximum (they still train the models): they were
written against the rules' blind spots, each on purpose a hair from danger, and set by them the
threshold missed real crises of fresh sets to spare sentences no officer had sent. The table
says how many guards would cross the threshold had the model never seen them; the tests check
that the model fitted on them keeps every one calm. The table
shows, per set and on those left-out scores, what the rules catch, what the model adds where the
rules are silent, and the false alarms of each. `--write` puts the models fitted on all sets,
with that threshold, into bot/crisis_model.json. The soft bar under it (help lines after the
reply) is set on the same left-out scores: see SOFT_CALM_SHARE.
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from benchmarks.faq import DEFAULT_DEV, DEFAULT_LANGUAGE, calm_messages, load_dev  # noqa: E402
from bot.crisis_model import KINDS, MODEL_FILE, CrisisModel, features  # noqa: E402
from bot.matching import load_language  # noqa: E402
from bot.safety import CrisisDetector  # noqa: E402

L2 = 0.3
EPOCHS = 300
RATE = 0.5
MIN_COUNT = 2  # a feature seen in fewer training messages is dropped
KEEP = 1e-3  # weights this small on every model are not written
MARGIN = 0.05  # the threshold sits this far above the highest left-out calm score
# The soft bar (help lines after the reply, bot/crisis_model.py) is the lowest that at most this
# share of the sets' calm messages reach, read left out. The test lists' calm wording is left out
# of that count: it was written against the rules' blind spots, on purpose close to danger.
SOFT_CALM_SHARE = 0.005
CALM = "calm"


@dataclass(frozen=True)
class Item:
    set: str
    text: str
    label: str  # CALM, one of KINDS, or UNKNOWN_KIND (a crisis of no given kind)
    folded: tuple[str, ...]  # the words the rules and the model read
    rules: bool  # the rules alone find a crisis

    @property
    def features(self) -> set[str]:
        return features(self.folded)


def collect(paths: list[Path], detector: CrisisDetector) -> list[Item]:
    items = []
    for path in paths:
        data = load_dev(path)
        labelled = [(q, kind) for q, kind in data["crisis"]]
        labelled += [(q, CALM) for q in calm_messages(data)]
        for text, label in labelled:
            rules = detector.detect(text) is not None
            items.append(Item(path.stem, text, label, tuple(detector.folded(text)), rules))
    return items


# The crisis tests' wording: hard cases on both sides, written against the rules' blind spots.
# The rules pass these tests, so their verdict is each message's label.
TEST_MODULES = ("test_safety", "test_safety_signals", "test_safety_unseen_wording")


def collect_tests(detector: CrisisDetector) -> list[Item]:
    items = []
    for name in TEST_MODULES:
        module = importlib.import_module(f"tests.{name}")
        texts: dict[str, None] = {}
        for value in vars(module).values():
            if isinstance(value, list):
                for entry in value:
                    text = entry[0] if isinstance(entry, tuple) and entry else entry
                    if isinstance(text, str) and text.strip():
                        texts[text] = None
        for text in texts:
            crisis = detector.detect(text)
            label = CALM if crisis is None else crisis.label
            folded = tuple(detector.folded(text))
            items.append(Item(name, text, label, folded, crisis is not None))
    return items


def _logistic(rows: list[np.ndarray], y: np.ndarray, width: int) -> tuple[np.ndarray, float]:
    """L2 logistic regression over sparse binary rows, full-batch Adagrad (deterministic)."""
    owner = np.concatenate([np.full(len(r), i) for i, r in enumerate(rows)])
    column = np.concatenate(rows)
    w = np.zeros(width)
    b = 0.0
    g2 = np.full(width, 1e-8)
    gb2 = 1e-8
    n = len(y)
    for _ in range(EPOCHS):
        z = np.bincount(owner, weights=w[column], minlength=n) + b
        residual = 1 / (1 + np.exp(-z)) - y
        g = np.bincount(column, weights=residual[owner], minlength=width) / n + L2 * w / n
        gb = residual.mean()
        g2 += g * g
        gb2 += gb * gb
        w -= RATE * g / np.sqrt(g2)
        b -= RATE * gb / math.sqrt(gb2)
    return w, b


def fit(items: list[Item]) -> CrisisModel:
    """The models fitted on `items` (threshold 0: the caller chooses it)."""
    described = [(it, it.features) for it in items]
    counts = Counter(f for _, fs in described for f in fs)
    names = sorted(f for f, c in counts.items() if c >= MIN_COUNT)
    vocabulary = {f: i for i, f in enumerate(names)}
    width = len(vocabulary)

    by_item = {
        id(it): np.array([vocabulary[f] for f in fs if f in vocabulary], dtype=np.int64)
        for it, fs in described
    }

    def rows(chosen: list[Item]) -> list[np.ndarray]:
        return [by_item[id(it)] for it in chosen]

    weights = np.zeros((width, len(KINDS) + 1))
    bias = np.zeros(len(KINDS) + 1)
    danger = np.array([it.label != CALM for it in items], dtype=float)
    weights[:, 0], bias[0] = _logistic(rows(items), danger, width)
    kinded = [it for it in items if it.label in KINDS]
    kinded_rows = rows(kinded)
    for k, kind in enumerate(KINDS, start=1):
        y = np.array([it.label == kind for it in kinded], dtype=float)
        weights[:, k], bias[k] = _logistic(kinded_rows, y, width)
    return CrisisModel(0.0, bias, names, weights)


def soft_threshold(items: list[Item], left_out: dict[int, np.ndarray], threshold: float) -> float:
    """The lowest bar (in steps of 0.25) that at most SOFT_CALM_SHARE of the sets' calm
    messages reach, read by models fitted without their set; never above `threshold`."""
    calm = sorted(
        (float(left_out[i][0]) for i, it in enumerate(items) if it.label == CALM and _a_set(it)),
        reverse=True,
    )
    allowed = int(SOFT_CALM_SHARE * len(calm))
    bar = math.floor(calm[allowed] * 4) / 4 + 0.25 if len(calm) > allowed else -math.inf
    return min(bar, threshold)


def _a_set(item: Item) -> bool:
    return item.set not in TEST_MODULES


def _print_soft(items: list[Item], left_out: dict[int, np.ndarray], soft: float) -> None:
    def above(chosen: list[int]) -> str:
        return f"{sum(left_out[i][0] >= soft for i in chosen)} of {len(chosen)}"

    calm = [i for i, it in enumerate(items) if it.label == CALM]
    missed = [i for i, it in enumerate(items) if it.label != CALM and not it.rules]
    print(
        f"soft threshold {soft:.2f}: left-out calm messages above it, sets "
        f"{above([i for i in calm if _a_set(items[i])])}, tests "
        f"{above([i for i in calm if not _a_set(items[i])])}; crisis the rules miss "
        f"{above(missed)}"
    )


def write(model: CrisisModel, threshold: float, soft: float, sets: list[str]) -> None:
    keep = {
        f: [round(float(x), 4) for x in model.weights[i]]
        for f, i in model.rows.items()
        if np.abs(model.weights[i]).max() >= KEEP
    }
    data = {
        "about": "Written by benchmarks/fit_crisis.py --write; read by bot/crisis_model.py.",
        "fitted_on": sets,
        "threshold": threshold,
        "soft_threshold": soft,
        "bias": [round(float(b), 4) for b in model.bias],
        "weights": dict(sorted(keep.items())),
    }
    MODEL_FILE.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", dest="sets", type=Path, action="append", help="a set (repeat)")
    parser.add_argument("--write", action="store_true", help="write the models fitted on all")
    args = parser.parse_args(argv)
    paths = [
        DEFAULT_DEV,
        *sorted((ROOT / "benchmarks" / "sets").glob("*.yaml")),
        *(args.sets or []),
    ]
    detector = CrisisDetector(load_language(DEFAULT_LANGUAGE), rules_only=True)
    items = collect(paths, detector) + collect_tests(detector)
    names = list(dict.fromkeys(it.set for it in items))

    left_out: dict[int, np.ndarray] = {}
    kinds: dict[int, str] = {}
    for name in names:
        fold = fit([it for it in items if it.set != name])
        for i, it in enumerate(items):
            if it.set == name:
                left_out[i] = fold.scores(it.folded)
                kinds[i] = fold.kind(left_out[i])
    calm_top = max(left_out[i][0] for i, it in enumerate(items) if it.label == CALM and _a_set(it))
    threshold = math.ceil((calm_top + MARGIN) * 20) / 20
    soft = soft_threshold(items, left_out, threshold)
    guards = [i for i, it in enumerate(items) if it.label == CALM and not _a_set(it)]
    crossing = sum(left_out[i][0] >= threshold for i in guards)

    print(
        f"threshold {threshold:.2f} (highest left-out calm score of the sets {calm_top:.2f}; "
        f"{crossing} of the tests' {len(guards)} calm guards would cross it unseen)"
    )
    _print_soft(items, left_out, soft)
    print(
        f"{'set':26}{'crisis':>7}{'rules':>7}{'+model':>7}{'kind ok':>8}{'calm':>6}"
        f"{'rules FA':>9}{'model FA':>9}"
    )
    total = Counter()
    for name in names:
        tally = Counter()
        for i, it in enumerate(items):
            if it.set != name:
                continue
            model_says = left_out[i][0] >= threshold
            if it.label == CALM:
                tally["calm"] += 1
                tally["rules_fa"] += it.rules
                tally["model_fa"] += model_says and not it.rules
            else:
                tally["crisis"] += 1
                tally["rules"] += it.rules
                tally["added"] += model_says and not it.rules
                tally["kind"] += it.label in KINDS and model_says and kinds[i] == it.label
                tally["kinded"] += it.label in KINDS and model_says
        total.update(tally)
        print(_row(name, tally))
    print(_row("all", total))
    print("(kind ok: the model's kind is right, of the crisis items it would catch alone)")
    calm = sorted((-left_out[i][0], i) for i, it in enumerate(items) if it.label == CALM)
    print("\nhighest left-out calm scores:")
    for score, i in calm[:5]:
        print(f"  {-score:6.2f}  {items[i].set}: {items[i].text[:90]}")
    print("crisis the rules miss, by their left-out score:")
    for i, it in enumerate(items):
        if it.label != CALM and not it.rules:
            print(f"  {left_out[i][0]:6.2f}  {kinds[i]:9} {it.set}: {it.text[:90]}")

    if args.write:
        model = fit(items)
        write(model, threshold, soft, names)
        print(f"written to {MODEL_FILE.relative_to(ROOT)}")
    return 0


def _row(name: str, t: Counter) -> str:
    return (
        f"{name:26}{t['crisis']:7}{t['rules']:7}{t['added']:7}"
        f"{t['kind']:4}/{t['kinded']:<3}{t['calm']:6}{t['rules_fa']:9}{t['model_fa']:9}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
