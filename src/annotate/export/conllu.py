"""CoNLL-U, one file per document (``annotate run``) or per input (``annotate tag``).

Comments: ``# newdoc id``, ``# newpar id`` (the block), ``# sent_id``, ``# text``,
``# text_en`` (machine or human translation, with ``# text_en_origin``) or ``# gloss_en``
(the word gloss, when no translation exists).  Columns ID FORM LEMMA UPOS XPOS FEATS
HEAD DEPREL DEPS MISC.  MISC: ``SpaceAfter=No``, ``Translit`` (pinyin with tone marks,
syllables joined), ``TranslitNum`` (numbered tones), ``Gloss`` (word gloss), ``Term``
(glossary entry ID) and ``NE`` (BIO entity type: ``NE=B-PER``).  The token columns
come from one function, :func:`token_rows`, for the export and for ``annotate tag``.

There is no dependency parser, so HEAD, DEPREL and DEPS are ``_``: the files pass the
official UD validator at level 1 (format), not level 2, which requires a tree.  We
write no placeholder tree: a made-up ``dep`` relation would be queried as syntax.

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
from ..zh import has_han
from ._tokens import token_entities, token_terms

NO_PARSE_NOTE = "no dependency parse: HEAD, DEPREL and DEPS are _"


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
    """``# text_en`` (a real translation) or ``# gloss_en``, on every glossed or translated sentence."""
    en = s.english
    if en is None or not _text(en.text):
        if s.translation is not None or any(t.gloss for t in s.tokens):
            fallback = _fallback_gloss(s)  # glossed, but no word of it has a gloss
            return [f"# gloss_en = {_text(fallback)}"] if _text(fallback) else []
        return []
    if not en.is_translation:
        return [f"# gloss_en = {_text(en.text)}"]
    made_by = ", ".join(_text(x) for x in (en.model, en.engine) if x)  # e.g. "qwen2.5-… 0.2.0, llama.cpp"
    model = f" ({made_by})" if made_by else ""
    return [f"# text_en = {_text(en.text)}", f"# text_en_origin = {ORIGIN_LABELS[en.origin]}{model}"]


def _fallback_gloss(s: Sentence) -> str:
    """For a glossed sentence whose words all lack a gloss (a heading such as "（二）" or
    "第三，"): what it says without Chinese: digits, Latin and punctuation as written,
    other words as their pinyin, so no sentence of a glossed document is left without English."""
    parts = [t.gloss or (t.text if not has_han(t.text) else t.pinyin) for t in s.tokens]
    return " ".join(p for p in parts if _text(p))


def token_rows(s: Sentence, more_in_block: bool) -> tuple[list[str], str]:
    """The ten-column rows of a sentence's tokens, and the sentence text they spell.

    ``more_in_block``: another sentence of the same paragraph follows, so the last token
    may carry ``SpaceAfter=No`` (UD forbids it at the end of a paragraph)."""
    forms = [_column(t.text) for t in s.tokens]
    terms = token_terms(s)
    ents = token_entities(s)
    rebuilt = ""
    rows: list[str] = []
    for i, t in enumerate(s.tokens):
        last = i == len(s.tokens) - 1
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
            misc.append(f"NE={'B' if is_first else 'I'}-{_misc_value(etype)}")
        rows.append("\t".join([str(i + 1), forms[i], _column(t.lemma), _tag(t.upos) if t.upos else "X",
                               _tag(t.xpos), "_", "_", "_", "_", "|".join(misc) or "_"]))
    return rows, rebuilt


def _sentence(s: Sentence, more_in_block: bool) -> list[str]:
    rows, rebuilt = token_rows(s, more_in_block)
    # UD requires # text to be the forms joined by their spacing; where a stage dropped or
    # changed a character the tokens do not cover the text exactly, and the forms win.
    text = _text(s.text)
    if text != rebuilt:
        text = rebuilt
    return [f"# sent_id = {s.id}", f"# text = {text}", *_translation_comments(s), *rows, ""]


def _block(b: Block) -> list[str]:
    sentences = [s for s in b.sentences if s.tokens]
    out: list[str] = []
    for k, s in enumerate(sentences):
        lines = _sentence(s, more_in_block=k < len(sentences) - 1)
        out += ([f"# newpar id = {b.id}"] if k == 0 else []) + lines
    return out


def conllu_text(doc: Document, newdoc: bool = True) -> str:
    """The CoNLL-U of a document (every sentence, the last included, ends with a blank line).

    ``newdoc=False`` leaves out the ``# newdoc`` header: ``annotate tag`` writes a long
    input a chunk at a time, and only the first chunk starts the document."""
    out: list[str] = []
    for b in doc.blocks():
        out += _block(b)
    if not out:
        return ""  # no sentences: an empty file is valid CoNLL-U
    head = [f"# newdoc id = {doc.id}", f"# generator = annotate {__version__}; {NO_PARSE_NOTE}"] if newdoc else []
    return "\n".join([*head, *out]) + "\n"


def write_conllu(doc: Document, out_dir: Path) -> Path:
    """Write ``out_dir/<doc.id>.conllu``."""
    return write_text_atomic(out_dir / f"{doc.id}.conllu", conllu_text(doc))
