"""Ingestion speed: the bundled page, and a large page made by repeating it.

    annotate bench ingest [--repeat 200]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..ingest import ingest_text
from ..textio import read_page

PAGE = Path(__file__).resolve().parents[3] / "corpus" / "raw" / "dalian-daily-2019-economy.txt"


def _best(fn, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def run(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="annotate bench ingest")
    ap.add_argument("--repeat", type=int, default=200, help="copies of the page in the large page")
    args = ap.parse_args(argv)
    text = read_page(PAGE).text
    one = _best(lambda: ingest_text(text, "bench"), 20)
    print(f"example page: {len(text):,} chars, {one * 1000:.1f} ms per page, {len(text) / one:,.0f} chars/s")
    big = "\n\n".join([text] * args.repeat)
    t = _best(lambda: ingest_text(big, "bench"), 1)
    print(f"{args.repeat} pages in one file: {len(big):,} chars, {t:.2f} s, {len(big) / t:,.0f} chars/s")
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
