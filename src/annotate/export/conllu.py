"""CoNLL-U, one file per document.

Comments: ``# newdoc id``, ``# newpar id``, ``# sent_id``, ``# text``, ``# text_en``
(the translation; the gloss is ``# gloss_en``).  Columns: ID FORM LEMMA UPOS XPOS
FEATS HEAD DEPREL DEPS MISC.  There is no dependency parse: HEAD, DEPREL and DEPS
are ``_`` (the CoNLL-U format allows unannotated columns).  MISC carries
``SpaceAfter=No``, ``Translit`` (pinyin with tone marks, syllables joined),
``TranslitNum`` (numbered tones), ``Term`` (glossary entry ID) and ``NER``
(BIO-encoded entity type).
"""

from __future__ import annotations

from pathlib import Path

from ..fsutil import write_text_atomic
from ..model import Document
from ..textio import XML_ILLEGAL
from ._tokens import token_entities, token_terms


def _field(v: str) -> str:
    v = XML_ILLEGAL.sub("", v).replace("\t", " ").replace("\n", " ").strip()
    return v or "_"


def _misc_value(v: str) -> str:
    # MISC values may not contain spaces, '|' or '='.
    return v.replace(" ", "").replace("|", "/").replace("=", "-")


def _comment(v: str) -> str:
    return " ".join(XML_ILLEGAL.sub("", v).split())


def conllu_text(doc: Document) -> str:
    out = [f"# newdoc id = {doc.id}"]
    blocks = [b for a in doc.articles for b in a.blocks] + doc.captions
    for b in blocks:
        first = True
        for s in b.sentences:
            if not s.tokens:
                continue
            if first:
                out.append(f"# newpar id = {b.id}")
                first = False
            out.append(f"# sent_id = {s.id}")
            out.append(f"# text = {_comment(s.text)}")
            if s.translation is not None and s.translation.origin == "mt" and s.translation.text:
                out.append(f"# text_en = {_comment(s.translation.text)}")
            if s.gloss:
                out.append(f"# gloss_en = {_comment(s.gloss)}")
            terms = token_terms(s)
            ents = token_entities(s)
            for i, t in enumerate(s.tokens, 1):
                misc = []
                if not t.space_after and i < len(s.tokens):
                    misc.append("SpaceAfter=No")
                if t.pinyin and t.pinyin != t.text:
                    misc.append(f"Translit={_misc_value(t.pinyin)}")
                    misc.append(f"TranslitNum={_misc_value(t.pinyin_num)}")
                if terms[i - 1]:
                    misc.append(f"Term={terms[i - 1]}")
                etype, is_first = ents[i - 1]
                if etype:
                    misc.append(f"NER={'B' if is_first else 'I'}-{etype}")
                out.append("\t".join([str(i), _field(t.text).replace(" ", "_"), _field(t.lemma).replace(" ", "_"),
                                      t.upos or "X", _field(t.xpos), "_", "_", "_", "_", "|".join(misc) or "_"]))
            out.append("")
    return "\n".join(out) + "\n"  # every sentence, the last included, ends with a blank line


def write_conllu(doc: Document, out_dir: Path) -> Path:
    return write_text_atomic(out_dir / f"{doc.id}.conllu", conllu_text(doc))
