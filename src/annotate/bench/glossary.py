"""Glossary linking speed: a large corpus against the shipped glossary plus generated entries.

    annotate bench glossary [--entries 5000] [--chars 1000000] [--repeat 3]

Prints the time to build the automaton, the raw pyahocorasick scan (``Automaton.iter``
over every block, counting matches: the floor any linker on this library pays), and
``Glossary.link_document`` (the scan plus longest-match overlap resolution and
attaching each link to its sentence), with the ratio of the two.  Best of ``--repeat``.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

from ..model import Article, Block, Document, GlossaryEntry, Sentence
from ..zh import ONLY_HAN
from ._corpus import text_of_size


def _from_corpus(paras: list[str], n: int, taken: set[str], seed: int = 3) -> list[GlossaryEntry]:
    """``n`` entries whose sources are 2-8 character substrings of the corpus itself.

    A stress case: the corpus repeats one 19,000-character page, so these forms cover
    it more than once over (a real term base matches far less often)."""
    rng = random.Random(seed)
    out: dict[str, GlossaryEntry] = {}
    while len(out) < n:
        p = rng.choice(paras)
        k = rng.randint(2, 8)
        i = rng.randrange(0, max(1, len(p) - k))
        form = p[i : i + k]
        if len(form) == k and form not in out and form not in taken and ONLY_HAN.match(form):
            out[form] = GlossaryEntry(id=f"gen-{len(out)}", source=form, target="x", status="draft")
    return list(out.values())


def _from_cedict(n: int, taken: set[str], seed: int = 3) -> list[GlossaryEntry]:
    """``n`` entries whose sources are random 2-6 character CC-CEDICT words: a term base
    of real vocabulary, matching where those words occur."""
    from ..glossary.cedict import words as cedict_words

    words = sorted(w for w in cedict_words() if 2 <= len(w) <= 6 and w not in taken
                   and ONLY_HAN.match(w))
    picked = random.Random(seed).sample(words, n)
    return [GlossaryEntry(id=f"gen-{i}", source=w, target="x", status="draft") for i, w in enumerate(picked)]


def run(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="annotate bench glossary")
    ap.add_argument("--entries", type=int, default=5000, help="generated entries, added to the shipped glossary")
    ap.add_argument("--chars", type=int, default=1_000_000, help="corpus size in characters")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    from ..annotation.sentences import split_sentences
    from ..glossary import Glossary, load_glossary

    shipped = load_glossary(Path(__file__).resolve().parents[3] / "glossary").entries
    paras = text_of_size(args.chars)
    blocks = []
    for i, p in enumerate(paras):
        b = Block(id=f"b.a1.p{i}", kind="paragraph", text=p)
        b.sentences = [Sentence(id=f"{b.id}.s{k}", start=s, end=e, text=p[s:e]) for k, (s, e) in enumerate(split_sentences(p), 1)]
        blocks.append(b)
    doc = Document(id="b", articles=[Article(id="b.a1", blocks=blocks)])
    chars = sum(len(p) for p in paras)
    mbytes = sum(len(p.encode("utf-8")) for p in paras) / 1e6
    print(f"corpus: {chars:,} characters ({mbytes:.2f} MB UTF-8) in {len(paras):,} blocks, "
          f"{len(doc.sentences):,} sentences; best of {args.repeat}")
    shipped_forms = {f for e in shipped for f in e.forms}
    for label, generated in (("CC-CEDICT words", _from_cedict(args.entries, shipped_forms)),
                             ("corpus substrings (stress)", _from_corpus(paras, args.entries, shipped_forms))):
        entries = shipped + generated
        build = raw = link = float("inf")
        hits = links = 0
        for _ in range(args.repeat):
            g = Glossary(list(entries), [])
            t = time.perf_counter()
            automaton = g._automaton  # built once per Glossary
            build = min(build, time.perf_counter() - t)

            t = time.perf_counter()
            hits = 0
            for p in paras:
                for _ in automaton.iter(p):
                    hits += 1
            raw = min(raw, time.perf_counter() - t)

            t = time.perf_counter()
            links = g.link_document(doc)
            link = min(link, time.perf_counter() - t)
        print(f"\nglossary: {len(shipped)} shipped + {args.entries:,} generated from {label} = {len(entries):,} entries, "
              f"{len(g.forms()):,} forms; automaton built in {build * 1000:.0f} ms")
        print(f"  raw pyahocorasick scan: {raw:.3f} s, {chars / raw / 1e6:.2f} M chars/s, {hits:,} raw matches")
        print(f"  link_document:          {link:.3f} s, {chars / link / 1e6:.2f} M chars/s ({mbytes / link:.2f} MB/s), "
              f"{links:,} links")
        print(f"  ratio link_document / raw scan: {link / raw:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
