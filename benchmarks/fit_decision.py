"""Fit bot/answer_confidence.py: when the hand rule does not answer, how sure is the first pick?

    python benchmarks/fit_decision.py [--set PATH ...] [--cost 12] [--write]

Each set is read by the matcher with the model switched off. Every reading the hand rule did
not answer although its guards passed (bot/matching.py `Matcher._features` is called for those
only) gives one example: its features, and whether its first pick is the set's entry; an
out-of-scope question's picks are all wrong. A logistic regression (numpy, L2, Newton steps)
is fitted on them. A wrong answer costs an officer's trust, a «¿Quiso decir…?» one tap: the
threshold maximises answered right minus `cost` times answered wrong (questions and
out-of-scope alike, as rates per set, summed over the sets) on sets the model was NOT fitted
on: each set is read with the model fitted on the others (leave one set out), so the threshold
is where answering helps on fresh material, not where it fits the sets best.

It prints, per set, the hand rule alone, the leave-one-set-out figures (the real matcher, the
model fitted on the other sets, the common threshold) and the model fitted on all. A change is
good if it helps in the middle columns. `--write` puts the model fitted on all sets, with that
threshold, into bot/answer_confidence.py.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from benchmarks.faq import DEFAULT_DEV, DEFAULT_KB, DEFAULT_LANGUAGE, load_dev  # noqa: E402
from bot import answer_confidence  # noqa: E402
from bot.knowledge import load_knowledge  # noqa: E402
from bot.matching import Matcher, load_language  # noqa: E402

MODULE = ROOT / "bot" / "answer_confidence.py"
L2 = 1.0  # ridge on standardised features: keeps the fit stable on a few hundred examples
COST = 12.0
THRESHOLDS = [round(t, 2) for t in np.arange(0.50, 0.99, 0.01)]
_BLOCK = re.compile(r"# fitted: begin.*?# fitted: end", re.S)


@dataclass
class Message:
    set: str
    expected: str | None  # None: out of scope
    rule: str | None  # what the hand rule answered (None: it did not)
    readings: list[tuple[list[float], str]]  # (features, first pick) the rule left


@dataclass
class Model:
    bias: float
    coefficients: np.ndarray
    threshold: float

    def confidence(self, x: list[float]) -> float:
        z = self.bias + float(np.dot(self.coefficients, x))
        return 1.0 / (1.0 + math.exp(-z)) if z > -40 else 0.0


@contextmanager
def model_in_use(model: Model | None) -> Iterator[None]:
    """The matcher reads bot/answer_confidence.py at each call: swap its values for a run."""
    saved = (answer_confidence.BIAS, answer_confidence.COEFFICIENTS, answer_confidence.THRESHOLD)
    if model is None:
        answer_confidence.THRESHOLD = math.inf
    else:
        answer_confidence.BIAS = model.bias
        answer_confidence.COEFFICIENTS = dict(
            zip(answer_confidence.FEATURES, map(float, model.coefficients), strict=True)
        )
        answer_confidence.THRESHOLD = model.threshold
    try:
        yield
    finally:
        (
            answer_confidence.BIAS,
            answer_confidence.COEFFICIENTS,
            answer_confidence.THRESHOLD,
        ) = saved


def collect(matcher: Matcher, sets: dict[str, dict[str, Any]]) -> list[Message]:
    """Every message of every set, read with the model off, with the readings it would see."""
    seen: list[tuple[list[float], str]] = []
    features = matcher._features

    def record(best, index, q, readings, worded, consensus):  # type: ignore[no-untyped-def]
        values = features(best, index, q, readings, worded, consensus)
        seen.append(([values[f] for f in answer_confidence.FEATURES], matcher.ids[index]))
        return values

    matcher._features = record  # type: ignore[method-assign]
    messages: list[Message] = []
    try:
        with model_in_use(None):
            for name, data in sets.items():
                items = [*data["preguntas"], *((q, None) for q in data["fuera_de_tema"])]
                for text, expected in items:
                    seen.clear()
                    m = matcher.match(text)
                    rule = m.entry_id if m.band == "answer" else None
                    # A message the rule answered is settled (and its second question's
                    # readings are not about the first's entry).
                    messages.append(Message(name, expected, rule, [] if rule else list(seen)))
    finally:
        del matcher._features
    return messages


def fit(messages: list[Message]) -> Model:
    x, y = [], []
    for msg in messages:
        for features, first in msg.readings:
            x.append(features)
            y.append(float(msg.expected is not None and first == msg.expected))
    xs, ys = np.array(x), np.array(y)
    mu, sd = xs.mean(0), xs.std(0) + 1e-9
    z = np.hstack([np.ones((len(xs), 1)), (xs - mu) / sd])
    w = np.zeros(z.shape[1])
    ridge = L2 * np.eye(z.shape[1])
    ridge[0, 0] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-z @ w))
        hessian = z.T @ (z * (p * (1 - p))[:, None]) + ridge
        step = np.linalg.solve(hessian, z.T @ (p - ys) + ridge @ w)
        w -= step
        if np.abs(step).max() < 1e-9:
            break
    coefficients = w[1:] / sd
    return Model(float(w[0] - (w[1:] * mu / sd).sum()), coefficients, 1.0)


def held_out_threshold(messages: list[Message], folds: dict[str, Model], cost: float) -> float:
    """The threshold with the best gain summed over the sets, each read by its fold's model."""

    def gain(t: float) -> float:
        return sum(
            _gain([m for m in messages if m.set == name], model, t, cost)
            for name, model in folds.items()
        )

    return max(THRESHOLDS, key=gain)


def _outcome(msg: Message, model: Model, threshold: float) -> str | None:
    """The entry answered, as the matcher would pick it: the rule's, else the surest reading."""
    if msg.rule:
        return msg.rule
    sure = [(model.confidence(f), first) for f, first in msg.readings]
    sure = [s for s in sure if s[0] >= threshold]
    return max(sure)[1] if sure else None


def _gain(messages: list[Message], model: Model, threshold: float, cost: float) -> float:
    """Answered right minus cost x answered wrong, as rates per set, summed over the sets."""
    tally: dict[str, list[int]] = {}
    for msg in messages:
        t = tally.setdefault(msg.set, [0, 0, 0])
        t[0] += 1
        got = _outcome(msg, model, threshold)
        if got is not None:
            t[1 if got == msg.expected else 2] += 1
    return sum((right - cost * wrong) / n for n, right, wrong in tally.values())


def score(matcher: Matcher, data: dict[str, Any], model: Model | None) -> tuple[float, ...]:
    """Answered right, answered wrong, one-tap, out-of-scope rejected: the real matcher."""
    from bot.matching import top_ids

    with model_in_use(model):
        right = wrong = tap = 0
        for text, expected in data["preguntas"]:
            m = matcher.match(text)
            right += m.band == "answer" and m.entry_id == expected
            wrong += m.band == "answer" and m.entry_id != expected
            tap += expected in top_ids(m)
        rejected = sum(
            matcher.match(text).band in ("unknown", "smalltalk") for text in data["fuera_de_tema"]
        )
    n = len(data["preguntas"]) or 1
    return right / n, wrong / n, tap / n, rejected / (len(data["fuera_de_tema"]) or 1)


def write(model: Model) -> None:
    lines = ["# fitted: begin (benchmarks/fit_decision.py --write)"]
    lines.append(f"BIAS = {model.bias:.4f}")
    lines.append("COEFFICIENTS = {")
    for name, c in zip(answer_confidence.FEATURES, model.coefficients, strict=True):
        lines.append(f'    "{name}": {c:.4f},')
    lines.append("}")
    lines.append(f"THRESHOLD = {model.threshold:.2f}")
    lines.append("# fitted: end")
    text = MODULE.read_text(encoding="utf-8")
    MODULE.write_text(_BLOCK.sub(lambda _: "\n".join(lines), text), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", dest="sets", type=Path, action="append", help="a set (repeat)")
    parser.add_argument("--cost", type=float, default=COST, help="a wrong answer, in right ones")
    parser.add_argument("--write", action="store_true", help="write the model fitted on all")
    args = parser.parse_args(argv)
    paths = args.sets or [DEFAULT_DEV, *sorted((ROOT / "benchmarks" / "sets").glob("*.yaml"))]
    sets = {p.stem: load_dev(p) for p in paths}

    matcher = Matcher.build(load_knowledge(DEFAULT_KB), load_language(DEFAULT_LANGUAGE))
    messages = collect(matcher, sets)
    folds = {name: fit([m for m in messages if m.set != name]) for name in sets}
    threshold = held_out_threshold(messages, folds, args.cost)
    model = fit(messages)
    model.threshold = threshold
    for fold in folds.values():
        fold.threshold = threshold

    print(f"{'':22}{'hand rule only':>28}{'left-out set':>28}{'fitted on all':>28}")
    print(f"{'set':22}" + f"{'right  wrong  1-tap    oos':>28}" * 3)
    for name, data in sets.items():
        held = folds[name]
        figures = [score(matcher, data, m) for m in (None, held, model)]
        print(f"{name:22}" + "".join(f"{r:7.3f}{w:7.3f}{t:7.3f}{o:7.3f}" for r, w, t, o in figures))
    examples = sum(len(m.readings) for m in messages)
    print(f"\n{examples} readings the rule left; threshold {model.threshold:.2f}; coefficients:")
    print(f"  bias {model.bias:.4f}")
    for name, c in zip(answer_confidence.FEATURES, model.coefficients, strict=True):
        print(f"  {name:22}{c:9.4f}")
    if args.write:
        write(model)
        print(f"written to {MODULE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
