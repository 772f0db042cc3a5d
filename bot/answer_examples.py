"""What officers wrote when they asked for each entry: the matcher's examples reading.

Why: the knowledge base's own question variants are written by us, in our words. Officers write
otherwise ("el espacio", "esa mesa", a story of what happened, then the question), and every
independent set shows words the variants never use. The spent independent sets
(benchmarks/sets/independiente-*.yaml) hold some two thousand questions written that way, each
labelled with its entry. BM25 over them, one bag of words per entry, is a reading that knows how
officers ask; where it agrees with the matcher an outright answer is almost never wrong (left
out set by set, it put the right entry first 0.95 of the time on its own).

Stored as Snowball stems with their counts, not as text: a stem met in a single question (a
name, a street) is left out, so no writer's words are kept verbatim, and a word needed only once
tells nothing of an entry. Written by `benchmarks/fit_ranking.py --write`, which also fits the
answer models on these readings, each set's own questions left out of the reading it is scored
with. A set named in `sources` is no longer fresh: benchmarks/faq.py says so.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

EXAMPLES_FILE = Path(__file__).with_name("answer_examples.json")
MIN_QUESTIONS = 2  # a stem counts for the reading once at least this many questions use it


class ExamplesError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Examples:
    """Per entry id, its examples' stems and how often each is written; `sources` names the
    sets they were read from."""

    sources: tuple[str, ...]
    entries: Mapping[str, Mapping[str, int]]

    def documents(self, ids: Iterable[str]) -> list[list[str]]:
        """One token list per entry of `ids`, in that order (an entry without examples has
        none), as bot/bm25.py `Bm25Reading` indexes them."""
        return [
            [stem for stem, n in sorted(self.entries.get(i, {}).items()) for _ in range(n)]
            for i in ids
        ]


NO_EXAMPLES = Examples((), {})


def count(
    questions: Iterable[tuple[str, str]],
    tokens: Callable[[str], list[str]],
    sources: Iterable[str] = (),
) -> Examples:
    """The examples of (entry id, question) pairs, read by `tokens`: stems used by fewer
    than MIN_QUESTIONS questions are dropped."""
    per_question = [(entry, tokens(text)) for entry, text in questions]
    used = Counter(stem for _, stems in per_question for stem in set(stems))
    entries: dict[str, Counter[str]] = {}
    for entry, stems in per_question:
        kept = [s for s in stems if used[s] >= MIN_QUESTIONS]
        entries.setdefault(entry, Counter()).update(kept)
    return Examples(
        tuple(sources), {e: dict(sorted(c.items())) for e, c in sorted(entries.items())}
    )


def write(examples: Examples, path: Path = EXAMPLES_FILE) -> None:
    """One line per entry, so that a refit's change reads entry by entry in a diff."""
    rows = [
        f"  {json.dumps(e)}: {json.dumps(stems, ensure_ascii=False, separators=(',', ':'))}"
        for e, stems in examples.entries.items()
    ]
    text = (
        f'{{"sources": {json.dumps(list(examples.sources))},\n"entries": {{\n'
        + ",\n".join(rows)
        + "\n}}\n"
    )
    path.write_text(text, encoding="utf-8")


@lru_cache(maxsize=4)
def load(path: Path = EXAMPLES_FILE) -> Examples:
    """The stored examples (read once per file: every knowledge-base reload shares them)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = {
            str(entry): {str(stem): int(n) for stem, n in stems.items()}
            for entry, stems in data["entries"].items()
        }
        return Examples(tuple(str(s) for s in data["sources"]), entries)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ExamplesError(
            f"{path}: los ejemplos de preguntas no se pueden leer ({exc}). Vuelva a generarlos "
            "con `python benchmarks/fit_ranking.py --write`."
        ) from exc
