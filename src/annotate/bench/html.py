"""The reader: build time, page weight, and opening time in Chromium for a document of
1,000 sentences, each against the same sentences as bare text (the raw libraries: a
one-line Jinja2 template, and Chromium showing plain HTML).

    annotate bench html [--sentences 1000] [--runs 5] [--against REV]

``--against REV`` also times the writer of another commit (its ``src`` from ``git archive``, run
in a child process on the same document, saved and reloaded as JSON) and prints the ratio: issue
20 measures this writer against main's before the reader work, ``--against 5a4fe33``.  The two
writers take turns, one page each, so that both see the same load on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# A page with the same sentences and nothing else: what Jinja2 and Chromium cost on their own.
BARE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>bare</title></head><body>
{% for s in sentences %}<p><span lang="zh-Hans">{{ s.text }}</span> <span>{{ s.gloss }}</span></p>
{% endfor %}</body></html>"""

SEARCH = """q => { const box = document.getElementById("search"); const t = performance.now();
  box.value = q; box.dispatchEvent(new Event("input")); document.body.offsetHeight; return performance.now() - t; }"""
TONES = """() => { const box = document.getElementById("opt-tone-num"); const t = performance.now();
  box.click(); document.body.offsetHeight; return performance.now() - t; }"""

# Navigation timing read in the page: load event end, and first contentful paint.
TIMING = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const fcp = performance.getEntriesByName("first-contentful-paint")[0];
  return [nav.loadEventEnd, fcp ? fcp.startTime : null];
}"""


def _document(sentences: int):
    from ..annotation import Annotator
    from ..glossary import load_glossary
    from ..ingest import ingest_text
    from ..translate.gloss import Glosser
    from ._corpus import text_of_size

    g = load_glossary(_root() / "glossary")
    paras = text_of_size(sentences * 60)  # more than enough; trimmed to whole paragraphs below
    doc = ingest_text("\n\n".join(paras) + "\n", "big")
    Annotator(extra_words=g.forms()).annotate(doc)
    kept, count = [], 0  # whole paragraphs until the document has the requested number of sentences
    for a in doc.articles:
        blocks = []
        for b in a.blocks:
            if count >= sentences:
                break
            blocks.append(b)
            count += len(b.sentences)
        a.blocks = blocks
        if blocks:
            kept.append(a)
    doc.articles, doc.captions = kept, []
    g.link_document(doc)
    Glosser(g.by_id).gloss_document(doc)
    return doc, g


# The other commit's writer, in its own process: after one warm-up, one page per line read, each
# answered with its CPU seconds (like the builds here: on a shared machine wall time counts the
# other sessions' work).
AGAINST = """import json, sys, tempfile, time
from pathlib import Path
import annotate.model as m
from annotate.glossary import load_glossary
from annotate.html import write_document_page
data = json.loads(Path(sys.argv[1]).read_text("utf-8"))
data["model_version"] = m.MODEL_VERSION  # the same fields; only the number moved on
doc, entries, out = m.Document.from_dict(data), load_glossary(Path(sys.argv[2])).entries, Path(tempfile.mkdtemp())
write_document_page(doc, entries, out)
print("ready", flush=True)
for _ in sys.stdin:
    t = time.process_time()
    write_document_page(doc, entries, out)
    print(time.process_time() - t, flush=True)
"""


def _root() -> Path:
    return Path(__file__).resolve().parents[3]


class _OtherWriter:
    """Commit ``rev``'s ``write_document_page`` on ``doc``, in a child process: ``once()`` writes
    the page once and returns its CPU seconds."""

    def __init__(self, rev: str, doc, tmp: Path) -> None:
        src = tmp / "against"
        src.mkdir()
        archive = subprocess.run(["git", "-C", str(_root()), "archive", rev, "src"], capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(src)], input=archive.stdout, check=True)
        saved = tmp / "doc.json"
        saved.write_text(json.dumps(doc.to_dict(), ensure_ascii=False), "utf-8")
        env = dict(os.environ, PYTHONPATH=str(src / "src"))
        self.proc = subprocess.Popen([sys.executable, "-c", AGAINST, str(saved), str(_root() / "glossary")],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
        if self._answer() != "ready":
            raise RuntimeError(f"the writer of {rev} did not start")

    def _answer(self) -> str:
        line = self.proc.stdout.readline().strip()
        if not line:
            raise RuntimeError(f"the other writer stopped (exit status {self.proc.wait()})")
        return line

    def once(self) -> float:
        self.proc.stdin.write("\n")
        self.proc.stdin.flush()
        return float(self._answer())

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait()


def _open_times(browser, uri: str, runs: int) -> tuple[list[float], list[float], float]:
    """Load-event and first-paint times of fresh tabs (ms), and the wall time of the first open."""
    loads, paints, first = [], [], 0.0
    for i in range(runs):
        tab = browser.new_page(viewport={"width": 1280, "height": 900})
        t = time.perf_counter()
        tab.goto(uri, wait_until="load")
        if i == 0:
            first = (time.perf_counter() - t) * 1000
        load, paint = tab.evaluate(TIMING)
        loads.append(load)
        paints.append(paint or load)
        tab.close()
    return loads, paints, first


def run(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="annotate bench html")
    ap.add_argument("--sentences", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--against", metavar="REV", help="also time this commit's writer on the same document")
    args = ap.parse_args(argv)
    from jinja2 import Environment

    from ..html import write_document_page
    from ..html.screenshots import launch

    doc, g = _document(args.sentences)
    bare_template = Environment(autoescape=True).from_string(BARE)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        write_document_page(doc, g.entries, out)  # warm-up: CC-CEDICT, templates
        other = _OtherWriter(args.against, doc, out) if args.against else None
        builds, bare_builds, other_builds = [], [], []
        try:
            for _ in range(args.runs):  # this writer, the bare page and the other writer take turns
                t = time.process_time()
                page = write_document_page(doc, g.entries, out)
                builds.append(time.process_time() - t)
                t = time.process_time()
                bare_html = bare_template.render(sentences=doc.sentences)
                bare_builds.append(time.process_time() - t)
                if other is not None:
                    other_builds.append(other.once())
        finally:
            if other is not None:
                other.close()
        against = min(other_builds) if other_builds else None
        bare = out / "bare.html"
        bare.write_text(bare_html, "utf-8")
        size, bare_size = page.stat().st_size, bare.stat().st_size
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = launch(p)
            loads, paints, first = _open_times(browser, page.as_uri(), args.runs)
            bare_loads, bare_paints, _ = _open_times(browser, bare.as_uri(), args.runs)
            tab = browser.new_page(viewport={"width": 1280, "height": 900})
            tab.goto(page.as_uri())
            tab.wait_for_timeout(500)  # let the first screen settle
            # interactions, timed in the page; the first search also builds the search index
            searches = [tab.evaluate(SEARCH, q) for q in ("fangguanfu", "fàng guǎn fú", "reform", "营商环境", "fangguanfu")]
            tones = [tab.evaluate(TONES) for _ in range(4)]  # on, off, on, off
            browser.close()
    med = statistics.median
    chars = sum(len(s.text) for s in doc.sentences)
    print(f"document: {len(doc.sentences):,} sentences, {chars:,} characters, {len(doc.tokens):,} tokens, "
          f"{len(doc.terms):,} term links, {len(doc.entities):,} entities")
    print(f"build (Python):   {med(builds) * 1000:7.0f} ms   bare Jinja2 page {med(bare_builds) * 1000:5.0f} ms   "
          f"ratio {med(builds) / med(bare_builds):5.1f}x")
    if against is not None:
        best = min(builds)
        print(f"writer speed:     {chars / best:7,.0f} chars/s ({best:.3f} s)   {args.against}'s writer "
              f"{chars / against:,.0f} chars/s ({against:.3f} s)   ratio {against / best:.2f}x   (best of {args.runs}, CPU time)")
    print(f"page weight:      {size / 1e6:7.2f} MB   bare page {bare_size / 1e6:5.2f} MB   ratio {size / bare_size:5.1f}x")
    print(f"open, load event: {med(loads):7.0f} ms   bare page {med(bare_loads):5.0f} ms   "
          f"ratio {med(loads) / med(bare_loads):5.1f}x   (median of {args.runs} fresh tabs; max {max(loads):.0f} ms)")
    print(f"first paint:      {med(paints):7.0f} ms   bare page {med(bare_paints):5.0f} ms")
    print(f"first open of the page in a new browser, wall clock from goto to load: {first:.0f} ms")
    print(f"search (including layout): first {searches[0]:.0f} ms (builds the index), then median "
          f"{med(searches[1:]):.0f} ms; tone numbers on/off: median {med(tones):.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
