"""The translation checks on human reference translations: how often they flag good English, and catch bad.

    annotate bench translate --checks FILE.csv [--checks FILE2.csv …]

Each FILE is a two-column CSV of Chinese sources and English references with a header
row, as in the WMT news test sets zh→en (docs/translation.md names the copy we used).
For each file: the sentences flagged (by flag: mostly references that leave a number
or a date out, or segments cut mid-sentence), the length-ratio percentiles the bounds
are set from, and a magnitude test: in each reference the checks pass that states a
万/亿 quantity, the first "million"/"billion"/"trillion" is replaced by the next lower
magnitude (the language model's 200万 → "200,000" error), and the share flagged
``wrong-magnitude`` or ``number-missing`` is counted.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

_LOWER = {"million": "thousand", "billion": "million", "trillion": "billion"}


def run_checks(files: list[Path]) -> None:
    from ..translate.checks import RATIO_MIN_HAN, check_translation
    from ..translate.flags import flag_name
    from ..translate.numbers import chinese_quantities
    from ..zh import count_han

    for path in files:
        with open(path, encoding="utf-8", newline="") as f:
            rows = [r[:2] for r in list(csv.reader(f))[1:] if len(r) >= 2]
        counts: Counter[str] = Counter()
        flagged = 0
        swapped = caught = 0
        for zh, en in rows:
            flags = check_translation(zh, en)
            flagged += bool(flags)
            counts.update(flag_name(x) for x in flags)
            if flags or not any(q.kind == "number" and q.value >= 10_000 for q in chinese_quantities(zh)):
                continue
            m = re.search(r"\b(million|billion|trillion)\b", en)
            if m:
                bad = en[:m.start()] + _LOWER[m.group(1)] + en[m.end():]
                swapped += 1
                caught += any(flag_name(x) in ("wrong-magnitude", "number-missing") for x in check_translation(zh, bad))
        ratios = sorted(len(en.strip()) / count_han(zh) for zh, en in rows if count_han(zh) >= RATIO_MIN_HAN)
        pct = _percentile(ratios)
        print(f"{path.name}: {len(rows)} reference pairs, {flagged} flagged ({100 * flagged / max(len(rows), 1):.1f}%)")
        print("  by flag: " + (", ".join(f"{k} {n}" for k, n in counts.most_common()) or "none"))
        print(f"  English chars per Chinese char: p0.1 {pct(0.001):.2f}, p50 {pct(0.5):.2f}, p99.9 {pct(0.999):.2f}")
        print(f"  magnitude word lowered in {swapped} clean references with a 万/亿 quantity: {caught} flagged")


def _percentile(values: list[float]):
    def at(p: float) -> float:
        return values[round(p * (len(values) - 1))] if values else 0.0

    return at
