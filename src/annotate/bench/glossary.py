"""Glossary linking speed: a 1 MB corpus against the shipped glossary plus generated entries.

    annotate bench glossary [--entries 5000] [--chars 1000000]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

from ..model import Article, Block, Document, GlossaryEntry, Sentence
from ._corpus import text_of_size


def run(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="annotate bench glossary")
    ap.add_argument("--entries", type=int, default=5000)
    ap.add_argument("--chars", type=int, default=1_000_000)
    args = ap.parse_args(argv)
    from ..annotation import split_sentences
    from ..glossary import Glossary, load_glossary

    shipped = load_glossary(Path(__file__).resolve().parents[3] / "glossary").entries
    paras = text_of_size(args.chars)
    rng = random.Random(3)
    # Generated entries: 2-6 character substrings of the corpus, so many of them match.
    generated: dict[str, GlossaryEntry] = {}
    while len(generated) + len(shipped) < args.entries:
        p = rng.choice(paras)
        k = rng.randint(2, 6)
        i = rng.randrange(0, max(1, len(p) - k))
        form = p[i : i + k]
        if form not in generated and all("\u4e00" <= c <= "\u9fff" for c in form):
            generated[form] = GlossaryEntry(id=f"gen-{len(generated)}", source=form, target="x", status="draft")
    g = Glossary(shipped + list(generated.values()), [])
    blocks = []
    for i, p in enumerate(paras):
        b = Block(id=f"b.a1.p{i}", kind="paragraph", text=p)
        b.sentences = [Sentence(id=f"{b.id}.s{k}", start=s, end=e, text=p[s:e]) for k, (s, e) in enumerate(split_sentences(p), 1)]
        blocks.append(b)
    doc = Document(id="b", articles=[Article(id="b.a1", blocks=blocks)])
    n = sum(len(p) for p in paras)
    t = time.perf_counter()
    g.forms()
    _ = g._automaton
    build = time.perf_counter() - t
    t = time.perf_counter()
    links = g.link_document(doc)
    link = time.perf_counter() - t
    print(f"{len(g.entries):,} entries; automaton built in {build * 1000:.0f} ms")
    print(f"linked {n:,} chars in {link:.2f} s: {n / link:,.0f} chars/s, {links:,} links")
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
