"""CoNLL-U, one file per document, passing the UD validator's levels 1 and 2.

Comments: ``# newdoc id``, ``# newpar id`` (the block), ``# sent_id``, ``# text``,
``# text_en`` (machine or human translation, with ``# text_en_origin``) or ``# gloss_en``
(the word gloss, when no translation exists).  Columns ID FORM LEMMA UPOS XPOS FEATS
HEAD DEPREL DEPS MISC.  MISC: ``SpaceAfter=No``, ``Translit`` (pinyin with tone marks,
syllables joined), ``TranslitNum`` (numbered tones), ``Gloss`` (word gloss), ``Term``
(glossary entry ID) and ``NER`` (BIO entity type).

There is no dependency parser.  The UD validator rejects ``_`` in HEAD at level 2
(``invalid-head``), so HEAD/DEPREL hold a documented placeholder tree: the first word
that is not punctuation is ``0 root``, every other word hangs from it as ``dep`` (UD's
"unspecified dependency"), punctuation as ``punct``.  The file says so in a comment, and DEPS stays ``_``.

The validator also wants NFC text and ``# text`` equal to the forms joined by their
spacing, so forms and ``# text`` are NFC, whitespace runs are one space, and characters
XML forbids are dropped (as in every export), and so is U+FFFD, which the validator takes
for a decoding error.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from .. import __version__
from ..fsutil import write_text_atomic
from ..model import ORIGIN_LABELS, Block, Document, Sentence
from ..textio import XML_ILLEGAL
from ._tokens import token_entities, token_terms

PLACEHOLDER_NOTE = "no dependency parse: HEAD/DEPREL are a placeholder (first word root, the others dep or punct)"


@lru_cache(maxsize=65536)  # lemmas, tags and pinyin repeat: most calls are cache hits
def _text(v: str) -> str:
    """NFC, no XML-forbidden characters, whitespace runs as one space, stripped.

    U+FFFD goes too: the UD validator takes it for a decoding error (``invalid-utf``).
    """
    return " ".join(unicodedata.normalize("NFC", XML_ILLEGAL.sub("", v).replace("\ufffd", "")).split())


def _column(v: str) -> str:
    v = _text(v)
    return v or "_"


@lru_cache(maxsize=4096)
def _tag(v: str) -> str:
    # UPOS/XPOS may not contain whitespace.
    return re.sub(r"\s+", "_", _text(v)) or "_"


def _misc_value(v: str, joiner: str = "") -> str:
    # MISC is Key=Value pairs joined by '|': no '|' in values, no spaces.
    return _text(v).replace(" ", joiner).replace("|", "/")


def _translation_comments(s: Sentence) -> list[str]:
    en = s.english
    if en is None or not _text(en.text):
        return []
    if not en.is_translation:
        return [f"# gloss_en = {_text(en.text)}"]
    model = f" ({_text(en.model)})" if en.model else ""
    return [f"# text_en = {_text(en.text)}", f"# text_en_origin = {ORIGIN_LABELS[en.origin]}{model}"]


def _sentence(s: Sentence, more_in_block: bool) -> list[str]:
    forms = [_column(t.text) for t in s.tokens]
    terms = token_terms(s)
    ents = token_entities(s)
    root = next((i for i, t in enumerate(s.tokens) if not t.is_punct and t.upos != "PUNCT"), 0)
    rebuilt = ""
    rows: list[str] = []
    for i, t in enumerate(s.tokens):
        last = i == len(s.tokens) - 1
        # No SpaceAfter=No at the end of a block: UD forbids it before a new paragraph.
        no_space = not t.space_after and (not last or more_in_block)
        rebuilt += forms[i] + ("" if no_space or last else " ")
        misc = ["SpaceAfter=No"] if no_space else []
        if t.pinyin and t.pinyin != t.text:
            misc.append(f"Translit={_misc_value(t.pinyin)}")
            if t.pinyin_num:
                misc.append(f"TranslitNum={_misc_value(t.pinyin_num)}")
        if _text(t.gloss):
            misc.append(f"Gloss={_misc_value(t.gloss, '_')}")
        if terms[i]:
            misc.append(f"Term={_misc_value(terms[i])}")
        etype, is_first = ents[i]
        if etype:
            misc.append(f"NER={'B' if is_first else 'I'}-{_misc_value(etype)}")
        head, deprel = ("0", "root") if i == root else (str(root + 1), "punct" if t.upos == "PUNCT" else "dep")
        rows.append("\t".join([str(i + 1), forms[i], _column(t.lemma), _tag(t.upos) if t.upos else "X",
                               _tag(t.xpos), "_", head, deprel, "_", "|".join(misc) or "_"]))
    text = _text(s.text)
    if text != rebuilt:
        # The tokens do not cover the sentence text exactly (a stage dropped or changed
        # something): UD requires # text to be the forms joined, so rebuild it.
        text = rebuilt
    return [f"# sent_id = {s.id}", f"# text = {text}", *_translation_comments(s), *rows, ""]


def _block(b: Block) -> list[str]:
    sentences = [s for s in b.sentences if s.tokens]
    out: list[str] = []
    for k, s in enumerate(sentences):
        lines = _sentence(s, more_in_block=k < len(sentences) - 1)
        out += ([f"# newpar id = {b.id}"] if k == 0 else []) + lines
    return out


def conllu_text(doc: Document) -> str:
    """The CoNLL-U of a document (every sentence, the last included, ends with a blank line)."""
    out: list[str] = []
    for b in doc.blocks():
        out += _block(b)
    if not out:
        return ""  # no sentences: an empty file is valid CoNLL-U
    return "\n".join([f"# newdoc id = {doc.id}", f"# generator = annotate {__version__}; {PLACEHOLDER_NOTE}", *out]) + "\n"


def write_conllu(doc: Document, out_dir: Path) -> Path:
    """Write ``out_dir/<doc.id>.conllu``."""
    return write_text_atomic(out_dir / f"{doc.id}.conllu", conllu_text(doc))
