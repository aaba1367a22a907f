"""Scale benchmark: a synthetic corpus of N pages through ``annotate run``.

Pages are made by recombining the paragraphs of the bundled page and the test pages
(keeping their OCR line breaks and print spacing), so every stage sees realistic
input.  Each run is a separate ``annotate run`` process, so peak RSS is measured
for the run alone (``getrusage(RUSAGE_CHILDREN)`` covers worker processes too).

    annotate bench pipeline --pages 1000 --jobs 1 2
    annotate bench pipeline --pages 250 1000 2000 --jobs 1 2 --engine local dask -- --no-ner

``--engine dask`` runs the same pages with ``--cluster local:N`` (an embedded Dask
LocalCluster of N worker processes, N being the ``--jobs`` figure), so the Dask figures
include starting the cluster.  The load average of the machine is printed beside each
figure, and the CPU seconds of every process of the run (user + system, workers
included): on a shared machine the wall time says how busy the others were, the CPU
time much less so.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def source_paragraphs() -> list[str]:
    """Raw paragraphs (blank-line separated, line breaks kept) of the bundled and test pages."""
    texts = []
    for folder in (ROOT / "corpus", ROOT / "tests" / "pages"):
        for p in sorted(folder.rglob("*.txt")):
            try:
                texts.append(p.read_text("utf-8"))
            except (UnicodeDecodeError, OSError):
                continue  # the test pages include deliberately broken encodings
    paras = [p.strip("\n") for t in texts for p in re.split(r"\n\s*\n", t) if len(p.strip()) > 20]
    if not paras:
        raise SystemExit("no source pages found (run from the project checkout)")
    return paras


def make_corpus(dest: Path, pages: int, page_bytes: int = 5000, seed: int = 7) -> int:
    """Write ``pages`` synthetic pages to ``dest``; returns the total size in bytes."""
    rng = random.Random(seed)
    paras = source_paragraphs()
    dest.mkdir(parents=True, exist_ok=True)
    total = 0
    for i in range(pages):
        chunks: list[str] = []
        size = 0
        while size < page_bytes:
            p = rng.choice(paras)
            chunks.append(p)
            size += len(p.encode("utf-8"))
        text = "\n\n".join(chunks) + "\n"
        (dest / f"page-{i:05d}.txt").write_text(text, "utf-8")
        total += len(text.encode("utf-8"))
    return total


_WRAPPER = """
import resource, subprocess, sys
proc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
sys.stderr.write(proc.stderr)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(usage.ru_maxrss, proc.returncode, usage.ru_utime + usage.ru_stime)
"""


def run_once(corpus: Path, out: Path, jobs: int, extra: list[str], engine: str = "local") -> dict[str, float | str]:
    """One ``annotate run`` in a fresh wrapper process, so its peak RSS is its own (Dask's workers
    are its child processes with ``--cluster local:N``, so theirs is counted too)."""
    workers = ["--jobs", str(jobs)] if engine == "local" else ["--cluster", f"local:{jobs}"]
    cmd = [sys.executable, "-m", "annotate", "run", str(corpus), "-o", str(out), "--cache", str(out / ".cache"),
           *workers, *extra]
    load = os.getloadavg()[0]
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _WRAPPER, *cmd], capture_output=True, text=True)
    wall = time.perf_counter() - t
    peak, status, cpu = proc.stdout.split()
    peak_kb, code = int(peak), int(status)
    if code != 0:
        print(proc.stderr[-2000:], file=sys.stderr)
        raise SystemExit(f"annotate run failed with exit code {code}")
    summary = [line for line in proc.stderr.splitlines() if line.startswith(("time per stage", "corpus:", "documents:"))]
    return {"wall": wall, "peak_mb": peak_kb / 1024, "cpu": float(cpu), "summary": " | ".join(summary),
            "load": f"{load:.1f}–{os.getloadavg()[0]:.1f}"}


def _mb(folder: Path, exclude: str = "") -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and exclude not in f.parts) / 1e6


def run(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="annotate bench pipeline", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, nargs="+", default=[1000], help="corpus sizes to run (pages)")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--engine", nargs="+", choices=("local", "dask"), default=["local"],
                    help="local: --jobs N worker processes; dask: --cluster local:N")
    ap.add_argument("--page-bytes", type=int, default=5000)
    ap.add_argument("--keep", type=Path, help="keep the synthetic corpus and exports here")
    ap.add_argument("extra", nargs="*", help="extra arguments for annotate run (after --)")
    args = ap.parse_args(argv)
    print(f"machine: {os.uname().machine}, {os.cpu_count()} cores, python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        base = args.keep or Path(tmp)
        for n in args.pages:
            corpus = base / f"corpus-{n}"
            size = make_corpus(corpus, n, args.page_bytes)
            print(f"\n{n} pages, {size / 1e6:.1f} MB", flush=True)
            for engine in args.engine:
                for jobs in args.jobs:
                    out = base / f"exports-{n}-{engine}{jobs}"
                    r = run_once(corpus, out, jobs, args.extra, engine)
                    print(f"  {engine} workers={jobs}: {r['wall']:.1f}s wall, {n / r['wall']:.2f} pages/s, "
                          f"{size / 1e6 / r['wall']:.3f} MB/s, peak RSS {r['peak_mb']:.0f} MB, CPU {r['cpu']:.0f}s "
                          f"({r['cpu'] / n:.3f}s per page, every process), load {r['load']}",
                          flush=True)
                    print(f"    {r['summary']}", flush=True)
                    r2 = run_once(corpus, out, jobs, args.extra, engine)
                    print(f"  {engine} workers={jobs} re-run (unchanged): {r2['wall']:.2f}s, load {r2['load']}",
                          flush=True)
                    print(f"    exports {_mb(out, exclude='.cache'):.0f} MB, cache {_mb(out / '.cache'):.0f} MB", flush=True)
                    if not args.keep:
                        shutil.rmtree(out, ignore_errors=True)  # 2,000 pages of exports are about 1 GB
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
