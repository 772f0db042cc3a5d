"""Floors on the evaluation sets, computed exactly as benchmarks/faq.py does.

The floors sit just under what the matcher reaches today, so a regression (in the matcher, the
language file or the knowledge base) fails CI. Timing is measured by the benchmark, not here.
The development set lives outside the repository (shared/eval); the officer-style variant sets
written for issue 11 and the spent independent sets (independiente-*) live in benchmarks/sets.
None of them measures the bot: held-out sets do.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from bot.knowledge import load_knowledge
from bot.matching import Matcher, load_language
from bot.safety import CrisisDetector

ROOT = Path(__file__).resolve().parents[1]
SETS = ROOT / "benchmarks" / "sets"

# Reached (72 entries) on the development set: answered right 0.990, wrong 0.010, one-tap
# 0.990, out of scope 1.00, crisis 1.00, false alarms 0, no_crisis 0.500 (3 of 6: the other
# three are offered, first). Since the fitted answer ranking (bot/answer_ranking.py); 0.959
# before, with no_crisis 5 of 6.
DEV_FLOORS = {
    "top1": 0.97,
    "top3": 0.98,
    "out_of_scope_rejected": 0.95,
    "crisis_recall": 1.0,
    "no_crisis_answered": 0.5,
}
# Reached on the variant sets (72 entries): long messages 0.890 right (0.902 before the answer
# models were refit with independent set J), 0.000 wrong, 0.988 one-tap, 1.00 out of scope,
# every crisis kind caught; short ones 0.875, 0.021, 0.958, 1.00; mixed 0.979, 0.000, 1.000,
# 1.00.
VARIANT_FLOORS = {
    "variantes-largas.yaml": {
        "top1": 0.88,
        "top3": 0.98,
        "out_of_scope_rejected": 0.95,
        "crisis_recall": 1.0,
        "no_crisis_answered": 1.0,
    },
    "variantes-cortas.yaml": {
        "top1": 0.87,
        "top3": 0.95,
        "out_of_scope_rejected": 0.95,
    },
    "variantes-mixtas.yaml": {
        "top1": 0.97,
        "top3": 0.99,
        "out_of_scope_rejected": 0.95,
    },
}
MAX_ANSWERED_WRONG = 0.02  # issue 11's target; the dev set holds it
# Not yet on the variant sets (issue 11 open): ceilings at what they reach, so it cannot grow.
# Short ones: 2 of 48 since the examples reading (1 before): "como se conforma la instancia en
# el distrito", which reads as how it is created or who sits in it, is answered with the members.
VARIANT_MAX_WRONG = {
    "variantes-largas.yaml": 0.005,
    "variantes-cortas.yaml": 0.045,
    "variantes-mixtas.yaml": 0.005,
}


def _benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("benchmark_faq", ROOT / "benchmarks" / "faq.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def evaluate():
    bench = _benchmark()
    language = load_language(bench.DEFAULT_LANGUAGE)
    matcher = Matcher.build(load_knowledge(bench.DEFAULT_KB), language)
    detector = CrisisDetector(language)
    cache: dict[Path, dict] = {}

    def run(path: Path) -> dict:
        if path not in cache:
            cache[path] = bench.evaluate(matcher, bench.load_dev(path), detector.detect)
        return cache[path]

    run.dev_path = bench.DEFAULT_DEV
    return run


@pytest.fixture(scope="module")
def result(evaluate) -> dict:
    if not evaluate.dev_path.exists():
        pytest.skip(f"development set not found at {evaluate.dev_path}")
    return evaluate(evaluate.dev_path)


@pytest.mark.parametrize("metric", sorted(DEV_FLOORS))
def test_floor(result: dict, metric: str) -> None:
    misses = "\n".join(result["errors"])
    assert result[metric] >= DEV_FLOORS[metric], f"{metric} = {result[metric]}; misses:\n{misses}"


def test_no_false_alarm(result: dict) -> None:
    alarms = [e for e in result["errors"] if e.startswith("alarm")]
    assert result["false_alarms"] == 0, alarms


def test_dev_answers_nothing_wrong(result: dict) -> None:
    assert result["answered_wrong"] <= MAX_ANSWERED_WRONG, result["errors"]


@pytest.mark.parametrize(
    ("name", "metric"), [(n, m) for n, floors in VARIANT_FLOORS.items() for m in sorted(floors)]
)
def test_variant_floor(evaluate, name: str, metric: str) -> None:
    got = evaluate(SETS / name)
    misses = "\n".join(got["errors"])
    assert got[metric] >= VARIANT_FLOORS[name][metric], f"{metric} = {got[metric]}:\n{misses}"


@pytest.mark.parametrize("name", sorted(VARIANT_FLOORS))
def test_variants_answer_almost_nothing_wrong_and_raise_no_alarm(evaluate, name: str) -> None:
    got = evaluate(SETS / name)
    assert got["answered_wrong"] <= VARIANT_MAX_WRONG[name], got["errors"]
    assert got["false_alarms"] == 0, got["errors"]
    for kind, figures in got["crisis_by_kind"].items():
        assert figures["recall"] == 1.0 and figures["reply_fits"] == 1.0, (kind, got["errors"])


# The out-of-scope set (other municipal matters, small talk, questions sharing the knowledge
# base's words): its first 91 questions reached 0.912 before issue 11's out-of-scope work, 0.967
# after (88); with the 25 written later, 0.966 (112 of 116); 0.957 (111) once the ranking was
# refitted with sets R and S (its threshold fell from 0.68 to 0.62, for more answered right).
# The floor is issue 11's target.
OUT_OF_SCOPE_SET = "fuera-de-tema.yaml"
OUT_OF_SCOPE_FLOOR = 0.95


def test_out_of_scope_set_floor(evaluate) -> None:
    got = evaluate(SETS / OUT_OF_SCOPE_SET)
    misses = "\n".join(e for e in got["errors"] if e.startswith("oos"))
    assert got["out_of_scope_rejected"] >= OUT_OF_SCOPE_FLOOR, misses
    assert got["false_alarms"] == 0, got["errors"]
