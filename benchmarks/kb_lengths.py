"""Spot-check of the knowledge base as read on a phone.

    python benchmarks/kb_lengths.py [--kb DIR] [--json]

For every entry, as the bot sends it: the visible length of the first line (the answer itself;
at most two short lines on a 390 px screen, about 90 characters), of the whole answer with its
source line (one phone screen is about 900 characters), and whether the source line carries the
verification state («verificado», «fuente secundaria», «verificación parcial»; the bot's own
guide has none). Prints the
medians and the entries over either limit, so a long answer or a missing state is seen at once.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.knowledge import DEFAULT_DIR, format_answer, load_knowledge  # noqa: E402
from bot.telegram_html import visible_length  # noqa: E402

FIRST_LINE_MAX = 90  # two short lines on a 390 px phone
SCREEN_MAX = 900  # one phone screen
STATES = ("verificado", "fuente secundaria", "verificación parcial")


def measure(kb) -> list[dict]:
    rows = []
    for entry in kb.entries.values():
        text = format_answer(entry)
        first = text.split("\n", 1)[0]
        source_line = text.rstrip().rsplit("\n", 1)[-1]
        state = next((s for s in STATES if f"— {s}" in source_line), None)
        rows.append({
            "id": entry.id,
            "first_line": visible_length(first),
            "answer": visible_length(text),
            "state": state,
            # The bot's own guide is not checked against the fact sheet: no state to carry.
            "needs_state": entry.categoria != "bot",
        })
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kb", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    rows = measure(load_knowledge(args.kb))
    first_median = statistics.median(r["first_line"] for r in rows)
    answer_median = statistics.median(r["answer"] for r in rows)
    if args.json:
        print(json.dumps({"entries": rows, "first_line_median": first_median,
                          "answer_median": answer_median}, ensure_ascii=False, indent=1))
        return 0
    print(f"{'entry':40} {'1st line':>8} {'answer':>7}  source line state")
    for r in sorted(rows, key=lambda r: -r["answer"]):
        flags = []
        if r["first_line"] > FIRST_LINE_MAX:
            flags.append("long first line")
        if r["answer"] > SCREEN_MAX:
            flags.append("over one screen")
        state = r["state"] or ("MISSING" if r["needs_state"] else "n/a (guía del bot)")
        note = f"  ({', '.join(flags)})" if flags else ""
        print(f"{r['id']:40} {r['first_line']:8} {r['answer']:7}  {state}{note}")
    missing = sum(1 for r in rows if r["state"] is None and r["needs_state"])
    print(
        f"\n{len(rows)} entries; median first line {first_median:g} characters "
        f"(limit {FIRST_LINE_MAX}), median answer {answer_median:g} (one screen: {SCREEN_MAX}); "
        f"{sum(r['first_line'] > FIRST_LINE_MAX for r in rows)} long first lines, "
        f"{sum(r['answer'] > SCREEN_MAX for r in rows)} over one screen, "
        f"{missing} without a verification state"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
