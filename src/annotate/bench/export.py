"""Export speed on about 1 MB of annotated text: TEI (and its validation), VRT, CoNLL-U, HTML.

    annotate bench export [--chars 1000000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path


def run(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="annotate bench export")
    ap.add_argument("--chars", type=int, default=1_000_000)
    args = ap.parse_args(argv)
    from ..annotation import Annotator
    from ..export.conllu import write_conllu
    from ..export.tei import write_tei
    from ..export.validate import _schema, validate_tei
    from ..export.vrt import write_vrt
    from ..glossary import load_glossary
    from ..html import write_document_page
    from ..translate.gloss import Glosser
    from ._corpus import documents

    g = load_glossary(Path(__file__).resolve().parents[3] / "glossary")
    ann, glosser = Annotator(extra_words=g.forms(), ner=False), Glosser(g.by_id)
    docs = documents(args.chars)
    for d in docs:
        ann.annotate(d)
        g.link_document(d)
        glosser.gloss_document(d)
    n = sum(len(b.text) for d in docs for b in d.blocks())
    print(f"{len(docs)} documents, {n:,} characters, {sum(len(d.tokens) for d in docs):,} tokens (annotated beforehand)")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for name, fn in (("TEI zh+en", lambda d: write_tei(d, g.entries, out / "tei")),
                         ("VRT", lambda d: write_vrt(d, out / "vrt")),
                         ("CoNLL-U", lambda d: write_conllu(d, out / "conllu")),
                         ("HTML", lambda d: write_document_page(d, g.entries, out / "html"))):
            t = time.perf_counter()
            for d in docs:
                fn(d)
            dt = time.perf_counter() - t
            print(f"{name:10} {dt:6.2f} s  {n / dt:>10,.0f} chars/s")
        t = time.perf_counter()
        _schema()
        load = time.perf_counter() - t
        t = time.perf_counter()
        errors = sum(len(validate_tei(p)) for p in sorted((out / "tei").glob("*.xml")))
        dt = time.perf_counter() - t
        print(f"TEI validation: schema compiled in {load:.1f} s (once per process), files validated in {dt:.2f} s, {errors} errors")
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
