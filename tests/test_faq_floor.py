"""Floors on the development set, computed exactly as benchmarks/faq.py does.

The floors sit just under what the matcher reaches today, so a regression (in the matcher, the
language file or the knowledge base) fails CI. Timing is measured by the benchmark, not here.
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

# Reached when set (52 entries): top-1 1.000, top-3 1.000, out of scope 1.00, crisis 1.00,
# false alarms 0, no_crisis 1.00 (6 of 6).
FLOORS = {
    "top1": 0.97,
    "top3": 0.98,
    "out_of_scope_rejected": 0.95,
    "crisis_recall": 1.0,
    "no_crisis_answered": 0.83,  # one miss of six tolerated
}


def _benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("benchmark_faq", ROOT / "benchmarks" / "faq.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def result() -> dict:
    bench = _benchmark()
    if not bench.DEFAULT_DEV.exists():
        pytest.skip(f"development set not found at {bench.DEFAULT_DEV}")
    language = load_language(bench.DEFAULT_LANGUAGE)
    matcher = Matcher.build(load_knowledge(bench.DEFAULT_KB), language)
    detector = CrisisDetector(language)
    return bench.evaluate(matcher, bench.load_dev(bench.DEFAULT_DEV), detector.detect)


@pytest.mark.parametrize("metric", sorted(FLOORS))
def test_floor(result: dict, metric: str) -> None:
    misses = "\n".join(result["errors"])
    assert result[metric] >= FLOORS[metric], f"{metric} = {result[metric]}; misses:\n{misses}"


def test_no_false_alarm(result: dict) -> None:
    alarms = [e for e in result["errors"] if e.startswith("alarm")]
    assert result["false_alarms"] == 0, alarms
