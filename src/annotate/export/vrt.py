"""Vertical text (``.vrt``) for CWB/CQPweb, Sketch Engine and NoSketch Engine.

One token per line with tab-separated positional attributes::

    word  pos  lemma  pinyin  pinyin_num  term  entity  xpos

``_`` marks an empty value; values hold no tab or newline (whitespace runs become one
space).  Structural attributes: ``<text id title date source>``, ``<article id>``,
``<p id type>``, ``<s id>``; ``<g/>`` between tokens not separated by a space (Sketch
Engine's glue).  ``<``, ``>``, ``&`` and ``"`` are written as XML entities, which
``cwb-encode -x`` turns back into characters (docs/exports.md has the full command).
Blocks and sentences without tokens are left out: CWB would drop the empty regions.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..fsutil import write_text_atomic
from ..model import Block, Document
from ..textio import XML_ILLEGAL
from ._tokens import token_entities, token_terms

P_ATTRIBUTES = ("word", "pos", "lemma", "pinyin", "pinyin_num", "term", "entity", "xpos")


@lru_cache(maxsize=65536)  # tags, lemmas and pinyin repeat: most calls are cache hits
def _value(v: str) -> str:
    v = " ".join(XML_ILLEGAL.sub("", v).split())
    v = v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return v or "_"


def _attr(v: str) -> str:
    return _value(v) if v else ""


def vrt_text(doc: Document) -> str:
    m = doc.meta
    out = [f'<text id="{_attr(doc.id)}" title="{_attr(m.get("title", ""))}" date="{_attr(m.get("date", ""))}" '
           f'source="{_attr(m.get("source", ""))}">']

    def block(b: Block, kind: str) -> None:
        sentences = [s for s in b.sentences if s.tokens]  # CWB drops empty regions with a warning
        if not sentences:
            return
        out.append(f'<p id="{_attr(b.id)}" type="{kind}">')
        for s in sentences:
            out.append(f'<s id="{_attr(s.id)}">')
            terms = token_terms(s)
            ents = token_entities(s)
            for i, t in enumerate(s.tokens):
                if i and not s.tokens[i - 1].space_after:
                    out.append("<g/>")
                cols = (t.text, t.upos, t.lemma, t.pinyin, t.pinyin_num, terms[i], ents[i][0], t.xpos)
                out.append("\t".join(_value(c) for c in cols))
            out.append("</s>")
        out.append("</p>")

    for a in doc.articles:
        out.append(f'<article id="{_attr(a.id)}">')
        for b in a.blocks:
            block(b, b.kind)
        out.append("</article>")
    if doc.captions:
        out.append(f'<article id="{_attr(doc.id)}.captions">')
        for c in doc.captions:
            block(c, "caption")
        out.append("</article>")
    out.append("</text>")
    return "\n".join(out) + "\n"


def write_vrt(doc: Document, out_dir: Path) -> Path:
    return write_text_atomic(out_dir / f"{doc.id}.vrt", vrt_text(doc))
