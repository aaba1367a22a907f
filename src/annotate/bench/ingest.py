"""Ingestion speed: the bundled page, and a large page made by repeating it.

    annotate bench ingest [--repeat 200] [--runs 20]

Ingestion wraps no third-party library; its floor is reading and decoding the page
(``annotate.textio.decode_page``: strict UTF-8 decoding, line ends, XML-illegal
characters), which every ingester pays.  The ratio says how much the structuring
(rejoining lines, spacing, classification, articles) costs on top of that.
Figures are the best of ``--runs`` runs.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from ..ingest import ingest_file, ingest_text
from ..textio import decode_page

PAGE = Path(__file__).resolve().parents[3] / "corpus" / "raw" / "dalian-daily-2019-economy.txt"


def _best(fn: Callable[[], object], runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def run(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="annotate bench ingest")
    ap.add_argument("--repeat", type=int, default=200, help="copies of the page in the large page")
    ap.add_argument("--runs", type=int, default=20, help="runs per figure for the example page (best is kept)")
    args = ap.parse_args(argv)

    data = PAGE.read_bytes()
    text = decode_page(data, PAGE).text
    decode = _best(lambda: decode_page(data, PAGE), args.runs)
    whole = _best(lambda: ingest_file(PAGE), args.runs)
    doc = ingest_file(PAGE)
    blocks = sum(1 for _ in doc.blocks())
    print(f"example page: {len(text):,} chars, {text.count(chr(10)):,} lines -> {len(doc.articles)} articles, {blocks} blocks")
    print(f"  decode only (floor):      {decode * 1000:8.2f} ms  {len(text) / decode / 1e6:6.2f} M chars/s")
    print(f"  ingest_file (read+meta+structure): {whole * 1000:8.2f} ms  {len(text) / whole / 1e6:6.2f} M chars/s  ratio {whole / decode:.0f}x")

    big_text = "\n\n".join([text] * args.repeat)
    big_data = big_text.encode("utf-8")
    runs = max(1, min(3, args.runs))
    decode_big = _best(lambda: decode_page(big_data, "big.txt"), runs)
    t = _best(lambda: ingest_text(decode_page(big_data, "big.txt").text, "bench"), runs)
    print(f"{args.repeat} copies in one page: {len(big_text):,} chars ({len(big_data) / 1e6:.1f} MB)")
    print(f"  decode only (floor):      {decode_big:8.3f} s   {len(big_text) / decode_big / 1e6:6.2f} M chars/s")
    print(f"  decode + ingest_text:     {t:8.3f} s   {len(big_text) / t / 1e6:6.2f} M chars/s  ratio {t / decode_big:.0f}x")
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
