"""A second reading of danger, learned from examples, for the messages the rules miss.

Why: the rules in bot/safety.py are precise, but people in danger rarely write the words a rule
waits for ("una compañera lleva 3 días sin venir y su esposo contesta su celular", "ya me cansé
de todo, de mí misma"). Each fresh evaluation set found a few such misses, a different few each
time. Read by a model that never saw its set (benchmarks/fit_crisis.py, leave one set out), the
examples catch most of what the rules missed, and no calm message of any set crossed the
threshold.

So the model speaks only where the rules are silent, and only above `threshold`: the highest
score any calm message of the evaluation sets reached when read by a model fitted without its
set. Its features are
the rules' own reading of the text (normalised, phonetically folded, typos of violent verbs
corrected): each word, its four-letter pieces (for spelling the fold does not catch), and the
pairs and triples of words in a row. One logistic regression says whether someone is in danger;
four more (one against the rest) say who: the writer, another adult, a child or adolescent, or
self-harm. The weights live in crisis_model.json, written by `benchmarks/fit_crisis.py --write`.

The threshold is set by the worst calm message, so a person in danger who writes in a way no
set had can score just under it. A second, lower bar (`soft_threshold`) catches those: a
message above it that the rules and the threshold let pass still ends with a short line of help
lines after whatever the bot replies (bot/question_actions.py). The line costs a calm officer
one glance, so that bar is set where few calm messages of the left-out sets reach it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path

import numpy as np

MODEL_FILE = Path(__file__).with_name("crisis_model.json")
KINDS = ("self", "other", "child", "self_harm")
PIECE = 4  # letters in a piece of a word


def features(folded: Sequence[str]) -> set[str]:
    """What the model reads of a message, given the rules' folded words."""
    out: set[str] = set()
    for word in folded:
        out.add("w:" + word)
        padded = f"#{word}#"
        out.update("c:" + padded[i : i + PIECE] for i in range(len(padded) - PIECE + 1))
    out.update(f"b:{a}_{b}" for a, b in pairwise(folded))
    out.update(f"t:{a}_{b}_{c}" for a, b, c in zip(folded, folded[1:], folded[2:], strict=False))
    return out


class CrisisModelError(ValueError):
    pass


class CrisisModel:
    """The fitted weights, one row per feature (danger, then one column per kind)."""

    def __init__(
        self,
        threshold: float,
        bias: Sequence[float],
        names: Sequence[str],
        weights: np.ndarray,
        soft_threshold: float | None = None,
    ) -> None:
        self.threshold = threshold
        # Below the threshold, a score this high still earns a message the short help lines
        # after its reply (`judge`); None: the same as the threshold.
        self.soft_threshold = threshold if soft_threshold is None else soft_threshold
        self.bias = np.asarray(bias, dtype=float)
        self.rows = {name: i for i, name in enumerate(names)}
        self.weights = np.asarray(weights, dtype=float).reshape(-1, len(self.bias))

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> CrisisModel:
        width = len(KINDS) + 1
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            weights = data["weights"]
            if len(data["bias"]) != width or any(len(w) != width for w in weights.values()):
                kinds = ", ".join(KINDS)
                raise ValueError(f"cada peso debe tener {width} valores (peligro y {kinds})")
            threshold = float(data["threshold"])
            soft = float(data["soft_threshold"])
            return cls(threshold, data["bias"], list(weights), list(weights.values()), soft)
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise CrisisModelError(
                f"{path}: el modelo de crisis no se puede leer ({exc}). Vuelva a generarlo con "
                "`python benchmarks/fit_crisis.py --write`."
            ) from exc

    def scores(self, folded: Sequence[str]) -> np.ndarray:
        """The danger score, then each kind's, for a message's folded words."""
        rows = [i for f in features(folded) if (i := self.rows.get(f)) is not None]
        return self.weights[rows].sum(axis=0) + self.bias

    def read(self, folded: Sequence[str]) -> str | None:
        """Who is in danger (one of KINDS), or None when the score stays under the threshold."""
        return self.judge(folded)[0]

    def judge(self, folded: Sequence[str]) -> tuple[str | None, bool]:
        """Who is in danger, or None; and, under the threshold, whether the score is too close
        to let the message go without the help lines (`soft_threshold`)."""
        scores = self.scores(folded)
        if scores[0] >= self.threshold:
            return self.kind(scores), False
        return None, bool(scores[0] >= self.soft_threshold)

    @staticmethod
    def kind(scores: np.ndarray) -> str:
        """Whose danger, by the kinds' scores (after the danger score)."""
        return KINDS[int(np.argmax(scores[1:]))]
