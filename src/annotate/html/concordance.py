"""The concordance's data: one small script per document, loaded by ``search.html``.

Chromium refuses ``fetch()`` of local files from a ``file://`` page, but runs a local
``<script src>``; so each document's index is a script calling ``annotateIndex({...})``,
and ``search/docs.js`` lists the documents (``annotateDocs([...])``).  The concordance
loads the documents one after another, searches each and keeps only the hits, so its
memory stays bounded however large the corpus.

A document's index, per sentence: ``[id suffix, Chinese, English, origin, token offsets,
UPOS letters, pinyin, entities, terms]``, where token offsets are start/end pairs relative
to the sentence, UPOS is one letter per token (``UPOS_LETTERS``), pinyin is each token's
numbered pinyin with its syllables run together, tokens apart by one space, entities are
``[start, end, type]`` and terms ``[start, end, entry id]``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..fsutil import write_text_atomic
from ..model import Document, Sentence
from ..zh import has_han

UPOS = ("ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN", "PUNCT",
        "SCONJ", "SYM", "VERB", "X")
UPOS_LETTERS = {u: chr(ord("A") + i) for i, u in enumerate(UPOS)}
ORIGIN_LETTERS = {"mt": "m", "llm": "l", "gloss": "g", "human": "h"}
INDEX_DIR = "search"


def english_of(s: Sentence) -> tuple[str, str]:
    """The English a reader sees for a sentence, and its origin ("gloss" when there is no translation)."""
    tr = s.translation
    if tr is not None and tr.text and tr.origin in ("mt", "llm", "human"):
        return tr.text, tr.origin
    return " ".join(t.gloss for t in s.tokens if t.gloss), "gloss"


def _sentence_row(doc_id: str, s: Sentence) -> list[Any]:
    base = s.start
    offsets: list[int] = []
    upos: list[str] = []
    pinyin: list[str] = []
    for t in s.tokens:
        offsets += (t.start - base, t.end - base)
        upos.append(UPOS_LETTERS.get(t.upos, "Q"))
        pinyin.append("".join(t.pinyin_num.split()) if t.pinyin_num and has_han(t.text) else "")
    en, origin = english_of(s)
    ents = [[e.start - base, e.end - base, e.type] for e in s.entities]
    terms = [[t.start - base, t.end - base, t.entry_id] for t in s.terms]
    sid = s.id[len(doc_id) + 1:] if s.id.startswith(doc_id + ".") else s.id
    return [sid, s.text, en, ORIGIN_LETTERS.get(origin, "g"), offsets, "".join(upos), " ".join(pinyin), ents, terms]


def document_index(doc: Document) -> str:
    """The text of ``search/<doc>.js`` for one document."""
    data = {
        "id": doc.id,
        "title": doc.meta.get("title") or doc.id,
        "source": doc.meta.get("source", ""),
        "date": doc.meta.get("date") or doc.meta.get("covers", ""),
        "s": [_sentence_row(doc.id, s) for s in doc.sentences],
    }
    return "annotateIndex(" + _json(data) + ");\n"


def write_document_index(doc: Document, out_dir: Path) -> Path:
    return write_text_atomic(out_dir / INDEX_DIR / f"{doc.id}.js", document_index(doc))


def write_corpus_index(summaries: list[dict[str, Any]], out_dir: Path) -> Path:
    """``search/docs.js``: the documents the concordance searches; removes the index of any
    document no longer in the corpus."""
    folder = out_dir / INDEX_DIR
    live = {d["id"] for d in summaries}
    if folder.is_dir():
        for f in sorted(folder.glob("*.js")):
            if f.name != "docs.js" and f.name[:-3] not in live:
                f.unlink()
    docs = [[d["id"], d["title"], d.get("date", ""), d["sentences"]] for d in summaries]
    return write_text_atomic(folder / "docs.js", "annotateDocs(" + _json(docs) + ");\n")


def _json(data: Any) -> str:
    # One line, no spaces; "<" escaped so the text is safe in any context it is pasted into.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
