"""Process-wide counters, rendered in Prometheus' text format by the webhook server's /metrics.

Counting is a dict increment, cheap enough for every update.
"""

from __future__ import annotations

from collections import Counter
from threading import Lock

HELP = {
    "concerta_updates_total": "Telegram updates handled.",
    "concerta_answers_total": "Questions answered, by band (answer, suggest, unknown, smalltalk).",
    "concerta_crisis_replies_total": "Crisis replies given.",
    "concerta_help_lines_after_reply_total": "Replies that ended with the short help lines.",
    "concerta_reports_sent_total": "Status reports sent.",
    "concerta_broadcast_deliveries_total": "Broadcast deliveries, by result.",
    "concerta_errors_total": "Errors while handling updates.",
}

_counts: Counter[tuple[str, tuple[tuple[str, str], ...]]] = Counter()
_lock = Lock()


def inc(name: str, amount: int = 1, **labels: str) -> None:
    key = (name, tuple(sorted(labels.items())))
    with _lock:
        _counts[key] += amount


def value(name: str, **labels: str) -> int:
    return _counts.get((name, tuple(sorted(labels.items()))), 0)


def render() -> str:
    """Prometheus text exposition: every known counter, zero included, so dashboards see it."""
    with _lock:
        snapshot = dict(_counts)
    lines = []
    for name, text in HELP.items():
        lines += [f"# HELP {name} {text}", f"# TYPE {name} counter"]
        series = [(labels, n) for (metric, labels), n in snapshot.items() if metric == name]
        if not series:
            lines.append(f"{name} 0")
        for labels, n in sorted(series):
            tag = ",".join(f'{k}="{v}"' for k, v in labels)
            lines.append(f"{name}{{{tag}}} {n}" if tag else f"{name} {n}")
    return "\n".join(lines) + "\n"


def reset() -> None:
    """For tests."""
    with _lock:
        _counts.clear()
