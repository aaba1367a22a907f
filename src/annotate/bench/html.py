"""Reader page weight and opening time in Chromium for a document of 1,000 sentences.

    annotate bench html [--sentences 1000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path


def run(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="annotate bench html")
    ap.add_argument("--sentences", type=int, default=1000)
    args = ap.parse_args(argv)
    from ..annotation import Annotator
    from ..glossary import load_glossary
    from ..html import write_document_page
    from ..html.screenshots import launch
    from ..ingest import ingest_text
    from ..translate.gloss import Glosser
    from ._corpus import text_of_size

    g = load_glossary(Path(__file__).resolve().parents[3] / "glossary")
    ann = Annotator(extra_words=g.forms())
    paras = text_of_size(200_000)
    doc = ingest_text("\n\n".join(paras) + "\n", "big")
    ann.annotate(doc)
    # keep whole paragraphs until the document has the requested number of sentences
    kept, count = [], 0
    for a in doc.articles:
        blocks = []
        for b in a.blocks:
            if count >= args.sentences:
                break
            blocks.append(b)
            count += len(b.sentences)
        a.blocks = blocks
        if blocks:
            kept.append(a)
    doc.articles, doc.captions = kept, []
    g.link_document(doc)
    Glosser(g.by_id).gloss_document(doc)
    with tempfile.TemporaryDirectory() as tmp:
        page = write_document_page(doc, g.entries, Path(tmp))
        size = page.stat().st_size
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = launch(p)
            times = []
            for _ in range(3):
                tab = browser.new_page(viewport={"width": 1280, "height": 900})
                t = time.perf_counter()
                tab.goto(page.as_uri(), wait_until="load")
                times.append(time.perf_counter() - t)
                tab.close()
            browser.close()
    print(f"{len(doc.sentences):,} sentences, {len(doc.tokens):,} tokens: page {size / 1e6:.2f} MB, "
          f"opens (load event) in {min(times) * 1000:.0f} ms (best of 3; first {times[0] * 1000:.0f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
