"""Translation throughput: argos's own translate() vs. our batched path, and the GGUF (LLM) backend.

    annotate bench translate [--sentences 600] [--batch-size 32] [--beam-size 2] [--threads 0] [--repeat 3]
                             [--shape tiny|base]
    annotate bench translate --backend llm [--model-dir DIR] [--sentences 20] [--threads-list 1,2]

``--backend llm`` times the installed GGUF model (``--model-dir``, default: the
usual models folder; without one, the tiny test GGUF) through the Translator with an
empty cache, one run per thread count, on the bundled page's sentences, and reports
sentences/s, tokens generated and the process's peak RSS.

    annotate bench translate [--adherence] [--checks FILE.csv]

``--adherence``: glossary adherence and model calls per backend instead
(:mod:`annotate.bench.translate_adherence`); ``--checks``: the translation checks on
reference translations (:mod:`annotate.bench.translate_checks`).

Builds the tiny zh→en package (annotate.translate.tiny_model) in a temporary folder
(``--shape base``: the same network padded with zero weights to a Transformer-base
shape, 6 layers, width 512, feed-forward 2048, 8 heads: same output, a real model's
arithmetic) and times, on the bundled page's sentences (numbered so each is distinct):

1. argos ``translate()``, once per sentence, through argos's own translation object
   (CachedTranslation → PackageTranslation, splitter replaced by one that keeps the
   sentence whole): the raw library;
2. our engine one sentence per ``translate_batch`` call: argos's per-call decoding
   without argos's Python around it;
3. our Translator, batched, empty cache (placeholders, cache writes, guards included);
4. our Translator again on the full cache: look-ups only, zero model calls.

Best of ``--repeat`` for each.  The tiny model is a one-layer network of width 128,
so model time is small; the base shape spends its time in the matrix kernels like a
real argos model, which is where batching pays.
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from pathlib import Path

from ..model import GlossaryEntry
from ..zh import has_han

PAGE = Path(__file__).resolve().parents[3] / "corpus" / "raw" / "dalian-daily-2019-economy.txt"


def sentences(n: int) -> list[str]:
    text = re.sub(r"\s*\n\s*", "", PAGE.read_text(encoding="utf-8"))
    base = [s for s in re.findall(r"[^。！？]+[。！？]?", text) if has_han(s)]
    return [f"{base[i % len(base)]}（{i}）" for i in range(n)]


def _best(fn, repeat: int, setup=lambda: None, check=lambda _: True) -> float:
    """Best time of ``fn(setup())`` over ``repeat`` runs (setup not timed)."""
    times = []
    for _ in range(repeat):
        arg = setup()
        t = time.perf_counter()
        fn(arg)
        times.append(time.perf_counter() - t)
        if not check(arg):
            raise AssertionError("benchmark run did not do what it should")
    return min(times)


def run(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="annotate bench translate")
    ap.add_argument("--sentences", type=int, default=600)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--beam-size", type=int, default=2)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--shape", choices=("tiny", "base"), default="tiny")
    ap.add_argument("--backend", choices=("argos", "llm"), default="argos")
    ap.add_argument("--model-dir", type=Path, help="for --backend llm: the models folder holding the GGUF model")
    ap.add_argument("--threads-list", default="1,2", help="for --backend llm: thread counts to time")
    ap.add_argument("--adherence", action="store_true", help="glossary adherence and model calls per backend")
    ap.add_argument("--checks", type=Path, action="append", metavar="FILE.csv",
                    help="run the translation checks on zh,en reference pairs instead")
    args = ap.parse_args(argv)
    if args.checks:
        from .translate_checks import run_checks

        run_checks(args.checks)
        return 0
    if args.adherence:
        from .translate_adherence import run_adherence

        run_adherence(PAGE, PAGE.parents[2] / "glossary")
        return 0
    if args.backend == "llm":
        return run_llm(args)

    from ..translate import SentenceIn, Translator
    from ..translate import argos as argos_glue
    from ..translate.engine import Engine
    from ..translate.models import install_model
    from ..translate.tiny_model import build_tiny_model

    with tempfile.TemporaryDirectory(prefix="bench-translate-") as tmp:
        root = Path(tmp)
        with argos_glue._environment({"XDG_DATA_HOME": str(root / "xdg")}):  # argos makes folders at import
            argos_glue.import_package_module()
        shape = {"layers": 6, "width": 512, "ffn": 2048, "heads": 8} if args.shape == "base" else {}
        archive = build_tiny_model(root / "build", PAGE.read_text(encoding="utf-8"), **shape)
        model = install_model(archive, root / "models")
        sents = sentences(args.sentences)
        n = len(sents)
        # A glossary entry in some sentences, so the batched path also does placeholders.
        entry = GlossaryEntry(id="gzlfz", source="高质量发展", target="high-quality development", status="approved")
        items = [SentenceIn(str(i), s, [], {entry.id: entry}) for i, s in enumerate(sents)]

        argos_t = argos_glue.argos_translation(model, beam_size=args.beam_size)
        if args.threads:
            import sys

            sys.modules["argostranslate.settings"].intra_threads = args.threads  # argos's own setting
        argos_t.translate(sents[0])  # load outside the timing
        t_argos = _best(lambda _: [argos_t.translate(s) for s in sents], args.repeat)

        engine = Engine(model, beam_size=args.beam_size, threads=args.threads, batch_size=args.batch_size)
        engine.translate(sents[:1])
        t_single = _best(lambda _: [engine.translate([s]) for s in sents], args.repeat)
        t_engine = _best(lambda _: engine.translate(sents), args.repeat)

        def translator(cache: Path) -> Translator:
            return Translator(model, cache_path=cache, beam_size=args.beam_size, threads=args.threads,
                              batch_size=args.batch_size)

        def fresh() -> Translator:  # a new, empty cache; model loaded outside the timing, like argos's
            tr = translator(root / f"cache-{time.perf_counter_ns()}.sqlite")
            tr.backend.engine.translate(sents[:1])
            return tr

        def done(tr: Translator) -> bool:
            tr.close()
            return tr.last_stats.model_sentences == n

        t_batched = _best(lambda tr: tr.translate(items), args.repeat, setup=fresh, check=done)
        warm = translator(root / "warm.sqlite")
        warm.translate(items)
        warm.close()
        # A re-run: open the cache and translate everything from it (the model is never loaded).
        def rerun(_: None) -> None:
            tr = translator(root / "warm.sqlite")
            tr.translate(items)
            tr.close()
            if tr.last_stats.model_calls or tr.backend.loaded:
                raise AssertionError("the cached re-run used the model")

        t_cached = _best(rerun, args.repeat)

    print(f"{args.shape} model ({model.size / 1e6:.1f} MB), {n} sentences, beam {args.beam_size}, batch {args.batch_size}, "
          f"threads {args.threads or 'auto'}; best of {args.repeat}")
    rows = [
        ("argos translate(), one call per sentence (raw library)", t_argos),
        ("engine, one translate_batch call per sentence", t_single),
        ("engine, one batched call (model only)", t_engine),
        ("Translator, batched, empty cache", t_batched),
        ("Translator, fully cached re-run (opening the cache included)", t_cached),
    ]
    for label, t in rows:
        rate = n / t
        shown = f"{rate:,.0f}" if rate >= 100 else f"{rate:.1f}"
        print(f"  {label:<60} {shown:>10} sentences/s  ({t_argos / t:6.1f}× argos)")
    return 0


def run_llm(args: argparse.Namespace) -> int:
    import os
    import resource

    from ..translate import SentenceIn, Translator
    from ..translate.models import find_model, install_model
    from ..translate.tiny_gguf import build_tiny_gguf

    n = args.sentences if args.sentences != 600 else 20
    base = sentences(n)
    with tempfile.TemporaryDirectory(prefix="bench-llm-") as tmp:
        root = Path(tmp)
        model = find_model(args.model_dir) if args.model_dir else None
        if model is None or model.kind != "gguf":
            model = install_model(build_tiny_gguf(root / "tiny.gguf"), root / "models")
        print(f"{model.model_id} ({model.size / 1e6:,.0f} MB), {n} sentences of the bundled page, one request each, "
              f"empty cache; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        for threads in [int(t) for t in args.threads_list.split(",")]:
            tr = Translator(model, cache_path=root / f"cache-{threads}.sqlite", threads=threads)
            tr.progress = False
            tr.backend.translate([])  # nothing: the model loads at the first request, timed below
            items = [SentenceIn(str(i), s) for i, s in enumerate(base)]
            t = time.perf_counter()
            out = tr.translate(items)
            dt = time.perf_counter() - t
            produced = sum(len(r.text.split()) for r in out)
            tr.close()
            print(f"  threads {threads}: {n / dt:.3f} sentences/s ({dt / n:.1f} s each, {produced / dt:.1f} English "
                  f"words/s; model loaded before timing), {tr.last_stats.model_sentences} requests, "
                  f"{tr.last_stats.repairs} repairs")
    print(f"  peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(run(sys.argv[1:]))
