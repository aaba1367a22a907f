"""Annotation throughput beside the raw libraries it wraps, measured in the same run.

    annotate bench annotation [--chars 1000000]

Prints chars/s for: raw jieba.posseg.lcut, our segmentation+POS (spaCy zh/jieba +
dictionary tags), raw pypinyin.pinyin, our pinyin, NER (LAC), and the whole layer
with and without NER, plus peak RSS.  Each stage runs over the same paragraphs.
"""

from __future__ import annotations

import argparse
import logging
import resource
import sys
import time

from ._corpus import documents, text_of_size


def _rate(chars: int, seconds: float) -> str:
    return f"{chars / seconds:>10,.0f} chars/s"


def run(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="annotate bench annotation")
    ap.add_argument("--chars", type=int, default=1_000_000)
    args = ap.parse_args(argv)

    import jieba
    import jieba.posseg
    from pypinyin import pinyin

    from ..annotation import Annotator
    from ..annotation.ner import EntityTagger
    from ..annotation.pinyin import tokens_pinyin

    jieba.setLogLevel(logging.WARNING)
    paras = text_of_size(args.chars)
    n = sum(len(p) for p in paras)
    plain = Annotator(ner=False)  # also loads the user dictionary
    print(f"{n:,} characters in {len(paras):,} paragraphs")

    t = time.perf_counter()
    for p in paras:
        jieba.posseg.lcut(p)
    raw_pos = time.perf_counter() - t
    print(f"raw jieba.posseg.lcut      {_rate(n, raw_pos)}")

    t = time.perf_counter()
    words = [[p[s:e] for s, e, _ in plain._segment(p)] for p in paras]
    seg = time.perf_counter() - t
    print(f"ours: segmentation + POS   {_rate(n, seg)}   ({raw_pos / seg:.2f}× raw posseg)")

    t = time.perf_counter()
    for p in paras:
        pinyin(p)
    raw_py = time.perf_counter() - t
    print(f"raw pypinyin.pinyin        {_rate(n, raw_py)}")
    from ..annotation.pinyin import word_pinyin

    word_pinyin.cache_clear()
    t = time.perf_counter()
    for w in words:
        tokens_pinyin(w)
    ours_py = time.perf_counter() - t
    info = word_pinyin.cache_info()
    print(f"ours: pinyin in context    {_rate(n, ours_py)}   ({raw_py / ours_py:.2f}× raw pypinyin; "
          f"per-word cache {info.hits / max(1, info.hits + info.misses):.0%} hits on this repetitive corpus)")
    uniq = sorted({x for w in words for x in w})
    word_pinyin.cache_clear()
    t = time.perf_counter()
    tokens_pinyin(uniq)
    cold = time.perf_counter() - t
    nu = sum(len(x) for x in uniq)
    print(f"ours: pinyin, cold cache   {_rate(nu, cold)}   (every distinct word once: {len(uniq):,} words)")

    sample = paras[: max(1, len(paras) // 10)]
    ns = sum(len(p) for p in sample)
    tagger = EntityTagger()
    tagger.spans("预热")
    t = time.perf_counter()
    for p in sample:
        tagger.spans(p)
    ner = time.perf_counter() - t
    print(f"NER (LAC, on {ns:,} chars)  {_rate(ns, ner)}")

    docs = documents(args.chars)
    t = time.perf_counter()
    for d in docs:
        plain.annotate(d)
    whole = time.perf_counter() - t
    print(f"whole layer, no NER        {_rate(n, whole)}   ({raw_pos / whole:.2f}× raw posseg)")
    with_ner = Annotator(ner=True)
    docs = documents(args.chars // 10)
    t = time.perf_counter()
    for d in docs:
        with_ner.annotate(d)
    full = time.perf_counter() - t
    nf = sum(len(b.text) for d in docs for b in d.blocks())
    print(f"whole layer with NER       {_rate(nf, full)}   (on {nf:,} chars; {raw_pos / n * nf / full:.2f}× raw posseg)")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
