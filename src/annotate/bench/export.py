"""Export speed on a 1 MB corpus: TEI (and, apart, its validation), VRT, CoNLL-U, TMX,
each beside the raw library work it wraps.

    annotate bench export [--mb 1.0] [--runs 3]

Input: the bundled page, annotated, linked to the glossary and glossed once, then copied
under new document IDs until the text reaches the size asked for (the exports' cost
depends on tokens and spans, not on which page they come from).  Each sentence gets its
gloss as a stand-in machine translation, so the MT paths (English twin, TMX) do real work.

Baselines ("raw"), measured in the same run on the same documents:

* TEI: lxml building one ``<w>`` per token with the same attributes under ``<s>``, and
  serialising it: the floor of any lxml-based TEI writer (no header, no names or terms).
* VRT and CoNLL-U: joining each token's fields with tabs into one string (plain Python).
* TMX: translate-toolkit adding the same sentence pairs and serialising (what we wrap).
* Validation: lxml's ``RelaxNG.validate`` on the parsed file (what ``validate_tei`` wraps);
  the one-off compilation of ``tei_all.rng`` is reported on its own.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

PAGE = Path(__file__).resolve().parents[3] / "corpus" / "raw" / "dalian-daily-2019-economy.txt"
GLOSSARY = Path(__file__).resolve().parents[3] / "glossary"


def _best(fn: Callable[[], object], runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def build_corpus(mb: float) -> tuple[list, list]:
    """(documents, glossary entries): the annotated bundled page, copied to ``mb`` MB of text."""
    from ..annotation import Annotator
    from ..glossary import load_glossary
    from ..ingest import ingest_file
    from ..model import Document, Translation
    from ..translate.gloss import Glosser

    g = load_glossary(GLOSSARY)
    page = Annotator(extra_words=g.forms()).annotate(ingest_file(PAGE))
    g.link_document(page)
    Glosser(g.by_id).gloss_document(page)
    for s in page.sentences:
        if s.gloss:
            s.translation = Translation(text=s.gloss, origin="mt", model="bench stand-in (the gloss)")
    size = sum(len(b.text.encode("utf-8")) for b in page.blocks())
    plain = json.dumps(page.to_dict(), ensure_ascii=False)
    docs = []
    for i in range(max(1, round(mb * 1_000_000 / size))):
        new_id = f"bench-{i:04d}"
        docs.append(Document.from_dict(json.loads(plain.replace(page.id, new_id))))
    return docs, g.entries


def _raw_tei(doc) -> bytes:
    from lxml import etree

    ns = "{http://www.tei-c.org/ns/1.0}"
    xml_id = "{http://www.w3.org/XML/1998/namespace}id"
    root = etree.Element(f"{ns}TEI", nsmap={None: ns[1:-1]})
    body = etree.SubElement(etree.SubElement(root, f"{ns}text"), f"{ns}body")
    for s in doc.sentences:
        el = etree.SubElement(body, f"{ns}s", {xml_id: s.id})
        for t in s.tokens:
            w = etree.SubElement(el, f"{ns}w", {xml_id: t.id, "lemma": t.lemma, "pos": t.upos,
                                               "msd": f"UPosTag={t.upos}|XPOS={t.xpos}|Pinyin={t.pinyin}"})
            w.text = t.text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _raw_lines(doc) -> str:
    return "".join("\t".join((t.text, t.upos, t.lemma, t.pinyin, t.pinyin_num, t.xpos)) + "\n" for t in doc.tokens)


def _raw_tmx(doc) -> bytes:
    from translate.storage.tmx import tmxfile

    tmx = tmxfile(sourcelanguage="zh-CN", targetlanguage="en")
    for s in doc.sentences:
        if s.translation is not None:
            unit = tmx.addsourceunit(s.text)
            unit.target = s.translation.text
    return bytes(tmx)


def run(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="annotate bench export")
    ap.add_argument("--mb", type=float, default=1.0, help="corpus size in MB of UTF-8 text (default 1)")
    ap.add_argument("--runs", type=int, default=3, help="best of N runs for each format")
    args = ap.parse_args(argv)

    from lxml import etree

    from ..export.conllu import conllu_text, write_conllu
    from ..export.tei import tei_documents, write_tei, write_tei_corpus
    from ..export.tmx import tmx_bytes, write_tmx
    from ..export.validate import tei_schema, validate_tei
    from ..export.vrt import vrt_text, write_vrt

    t = time.perf_counter()
    docs, entries = build_corpus(args.mb)
    prep = time.perf_counter() - t
    size = sum(len(b.text.encode("utf-8")) for d in docs for b in d.blocks())
    chars = sum(len(b.text) for d in docs for b in d.blocks())
    tokens = sum(len(d.tokens) for d in docs)
    print(f"corpus: {len(docs)} documents, {size / 1e6:.2f} MB, {chars:,} characters, {tokens:,} tokens "
          f"(annotated and copied in {prep:.1f} s, not timed below)")

    def report(name: str, ours: float, raw: float, what: str) -> None:
        print(f"{name:9} {ours:6.2f} s  {size / 1e6 / ours:6.2f} MB/s  {tokens / ours:>9,.0f} tokens/s   "
              f"raw {what}: {raw:6.2f} s  ratio {ours / raw:5.1f}x")

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        cases = (
            ("TEI zh+en", lambda: [tei_documents(d, entries) for d in docs], lambda: [_raw_tei(d) for d in docs],
             "lxml <w> tree + tostring"),
            ("VRT", lambda: [vrt_text(d) for d in docs], lambda: [_raw_lines(d) for d in docs], "tab-joined token lines"),
            ("CoNLL-U", lambda: [conllu_text(d) for d in docs], lambda: [_raw_lines(d) for d in docs],
             "tab-joined token lines"),
            ("TMX", lambda: [tmx_bytes(d) for d in docs], lambda: [_raw_tmx(d) for d in docs],
             "translate-toolkit units"),
        )
        for name, ours, raw, what in cases:
            report(name, _best(ours, args.runs), _best(raw, args.runs), what)

        t = time.perf_counter()
        for d in docs:
            write_tei(d, entries, out / "tei")
            write_vrt(d, out / "vrt")
            write_conllu(d, out / "conllu")
            write_tmx(d, out / "tmx")
        root = write_tei_corpus([(d.id, d.meta.get("title", d.id)) for d in docs], out / "tei")
        written = time.perf_counter() - t
        n_bytes = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
        print(f"all four formats written to disk (atomic writes): {written:.2f} s, {n_bytes / 1e6:.1f} MB of files")

        t = time.perf_counter()
        schema = tei_schema()
        compile_s = time.perf_counter() - t
        files = sorted(p for p in (out / "tei").glob("*.xml") if p != root)
        t = time.perf_counter()
        errors = sum(len(validate_tei(p)) for p in files)
        ours = time.perf_counter() - t
        t = time.perf_counter()
        for p in files:
            schema.validate(etree.parse(str(p)))
        raw = time.perf_counter() - t
        t = time.perf_counter()
        errors += len(validate_tei(root))
        whole = time.perf_counter() - t
        print(f"TEI validation: tei_all.rng compiled once in {compile_s:.1f} s; {len(files)} files in {ours:.2f} s "
              f"({size / 1e6 / ours:.2f} MB/s of text), raw RelaxNG.validate {raw:.2f} s, ratio {ours / raw:.2f}x; "
              f"corpus.xml with every file XIncluded {whole:.2f} s; {errors} errors")
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
