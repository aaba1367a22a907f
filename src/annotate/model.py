"""The one document model every stage reads and extends.

document → articles → blocks → sentences → tokens, with captions as document-level
blocks.  Each stage fills in its own layer (ingest: blocks and text; annotate:
sentences, tokens, entities; glossary: term links; translate: translations and
glosses) and leaves the others alone.  IDs are stable and XML-safe (NCName), so TEI
``xml:id``, HTML anchors and translation alignment all use the same strings.

Offsets (``start``/``end``) are character offsets into the owning block's ``text``,
end exclusive, so a span is always ``block.text[start:end]``.

Serialisation is plain JSON (``to_dict``/``from_dict``) so a stage's result can be
saved, diffed and reloaded without re-running it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any, Literal

from .textio import XML_ILLEGAL

#: Kinds of block.  Headline/subheadline/byline/section/note live inside articles;
#: captions live in ``Document.captions`` because a page prints them apart from the text.
BlockKind = Literal["headline", "subheadline", "byline", "section", "paragraph", "note", "caption"]
BLOCK_KINDS: tuple[str, ...] = ("headline", "subheadline", "byline", "section", "paragraph", "note", "caption")

#: Named-entity types (ParlaMint-style short labels).
ENTITY_TYPES: tuple[str, ...] = ("PER", "LOC", "ORG", "TIME")

#: Schema version of the JSON written by :meth:`Document.to_dict`; bump when it changes.
MODEL_VERSION = 1


@dataclass
class Token:
    """One word or punctuation mark."""

    id: str
    text: str
    start: int
    end: int
    upos: str = ""
    xpos: str = ""  # the tagger's own tag (jieba/ICTCLAS style)
    lemma: str = ""
    pinyin: str = ""  # tone marks, syllables separated by spaces: "fàng guǎn fú"
    pinyin_num: str = ""  # numbered tones for search: "fang4 guan3 fu2"
    is_punct: bool = False
    space_after: bool = False  # True where the source text has a space after the token
    gloss: str = ""  # word-by-word English gloss (glossary first, then CC-CEDICT)


@dataclass
class Entity:
    """A named entity: a character span of the block text with a type."""

    id: str
    type: str  # one of ENTITY_TYPES
    start: int
    end: int
    text: str


@dataclass
class TermLink:
    """An occurrence of a glossary entry in a block's text."""

    entry_id: str
    surface: str  # the form found in the text (the entry's source or a variant)
    start: int
    end: int


#: How an English sentence was made: a machine-translation model (CTranslate2/Argos),
#: a large language model's draft, the word-by-word gloss, or a person.
ORIGINS: tuple[str, ...] = ("mt", "llm", "gloss", "human")
#: How people read each origin (CoNLL-U comments, the reader, reports).
ORIGIN_LABELS: dict[str, str] = {
    "mt": "machine translation",
    "llm": "machine draft (language model)",
    "gloss": "word-by-word gloss",
    "human": "human translation",
}
#: How every export labels a language model's draft: it is fluent and often wrong.
LLM_LABEL = "Machine draft by a language model: check numbers, dates and names against the Chinese"


@dataclass
class Translation:
    """The English of one sentence, and how it was made."""

    text: str
    origin: Literal["mt", "llm", "gloss", "human"] = "mt"
    model: str = ""  # "name version" of the model, empty for a gloss
    engine: str = ""  # the runtime that ran the model: "ctranslate2 4.5.0", "llama.cpp 0.3.9"
    enforced_terms: list[str] = field(default_factory=list)  # glossary entry IDs forced into the output
    #: How each linked entry's approved English got into the output, by entry ID:
    #: "placeholder", "alignment", "prompt", "repair", or "not-enforced".
    enforced_by: dict[str, str] = field(default_factory=dict)
    missing_terms: list[str] = field(default_factory=list)  # entry IDs whose approved English is absent
    flags: list[str] = field(default_factory=list)  # e.g. "repetition", "empty", "untranslated-chinese"


@dataclass(frozen=True)
class English:
    """The English of a sentence as every export shows it: the translation if there is
    one, else the word gloss.  ``origin`` is one of :data:`ORIGINS`."""

    text: str
    origin: str
    model: str = ""
    engine: str = ""
    flags: tuple[str, ...] = ()

    @property
    def is_translation(self) -> bool:
        """A sentence translation (model or person), as opposed to the word-by-word gloss."""
        return self.origin != "gloss"


@dataclass(frozen=True)
class Span:
    """A name or a glossary term over the token indices ``first``..``end`` (end exclusive)."""

    first: int
    end: int
    kind: str  # "name" or "term"
    value: str  # the entity type, or the glossary entry ID
    xml_id: str = ""  # the entity's ID (names only)

    def crosses(self, other: Span) -> bool:
        """Overlapping without one inside the other: the two cannot both be inline elements."""
        overlap = self.first < other.end and other.first < self.end
        nested = (self.first <= other.first and other.end <= self.end) or (other.first <= self.first and self.end <= other.end)
        return overlap and not nested


@dataclass
class Sentence:
    id: str
    start: int
    end: int
    text: str
    tokens: list[Token] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    terms: list[TermLink] = field(default_factory=list)
    translation: Translation | None = None
    gloss: str = ""  # the token glosses joined, shown when no MT exists

    # -- views ----------------------------------------------------------------------
    def token_range(self, start: int, end: int) -> tuple[int, int] | None:
        """Indices ``(first, end)`` of the tokens overlapping the block offsets ``[start, end)``.

        Tokens are in text order and do not overlap, so two binary searches find them:
        linear in nothing, whatever the sentence length."""
        first = bisect_right(self.tokens, start, key=_token_end)
        last = bisect_left(self.tokens, end, key=_token_start)
        return (first, last) if first < last else None

    def spans(self) -> tuple[list[Span], list[Span]]:
        """(inline, stand-off) spans of the sentence's names and terms: the one nesting rule.

        Names come before terms, longer before shorter; a span that would cross one
        already placed goes stand-off (TEI ``<spanGrp>``, left out where a format has no
        stand-off).  The same link found twice (through two variants) counts once."""
        # token_range's two binary searches, over the tokens' offsets listed once per sentence
        # (the reader's writer calls this for every sentence of every page).
        starts, ends = list(map(_token_start, self.tokens)), list(map(_token_end, self.tokens))
        candidates: list[tuple[bool, int, int, str, str, str]] = []  # (is a term, first, -end, kind, value, xml_id)
        for kind, items in (("name", self.entities), ("term", self.terms)):
            for x in items:
                first, end = bisect_right(ends, x.start), bisect_left(starts, x.end)
                if first < end:
                    candidates.append((kind == "term", first, -end, kind, *((x.type, x.id) if kind == "name" else (x.entry_id, ""))))
        inline: list[Span] = []
        standoff: list[Span] = []
        placed: list[tuple[int, int]] = []  # the inline spans' (first, end)
        seen: set[tuple[int, int, str, str]] = set()
        for _, first, neg_end, kind, value, xml_id in sorted(candidates, key=lambda c: c[:3]):
            end = -neg_end
            key = (first, end, kind, value)
            if key in seen:
                continue
            seen.add(key)
            # crosses(): overlapping one placed inline without either being inside the other
            crossing = any(first < e and f < end and not (first <= f and e <= end) and not (f <= first and end <= e)
                           for f, e in placed)
            sp = Span(first, end, kind, value, xml_id)
            if crossing:
                standoff.append(sp)
            else:
                inline.append(sp)
                placed.append((first, end))
        return inline, standoff

    @property
    def english(self) -> English | None:
        """The sentence's English and how it was made, or None when it has none."""
        tr = self.translation
        if tr is not None and tr.origin != "gloss" and _has_text(tr.text):
            return English(tr.text, tr.origin, tr.model, tr.engine, tuple(tr.flags))
        gloss = tr.text if tr is not None and tr.origin == "gloss" and _has_text(tr.text) else self.gloss
        if _has_text(gloss):
            return English(gloss, "gloss", flags=tuple(tr.flags) if tr else ())
        return None


# Token offsets as C getters: binary-search keys, and listed once per sentence by spans().
_token_start = attrgetter("start")
_token_end = attrgetter("end")


def _has_text(text: str) -> bool:
    """Something besides whitespace and the characters XML cannot carry (no export can show those)."""
    return bool(XML_ILLEGAL.sub("", text).strip())


@dataclass
class Normalisation:
    """One change ingestion made to the raw text, so nothing is changed silently."""

    kind: str  # "join-line", "print-space", "fullwidth-digit", "percent", "control-char", ...
    line: int  # 1-based source line
    before: str
    after: str


@dataclass
class Block:
    id: str
    kind: str  # one of BLOCK_KINDS
    text: str
    lines: tuple[int, int] = (0, 0)  # 1-based inclusive source line range (provenance)
    sentences: list[Sentence] = field(default_factory=list)

    @property
    def tokens(self) -> Iterator[Token]:
        for s in self.sentences:
            yield from s.tokens


@dataclass
class Article:
    id: str
    blocks: list[Block] = field(default_factory=list)  # reading order: headline first

    def first(self, kind: str) -> Block | None:
        return next((b for b in self.blocks if b.kind == kind), None)

    def text_of(self, kind: str) -> str:
        """Text of every block of ``kind``, one per line ('' if none)."""
        return "\n".join(b.text for b in self.blocks if b.kind == kind)

    @property
    def headline(self) -> str:
        return self.text_of("headline")

    @property
    def subheadline(self) -> str:
        return self.text_of("subheadline")

    @property
    def byline(self) -> str:
        return self.text_of("byline")

    @property
    def body(self) -> list[Block]:
        """Blocks of running text (paragraphs, section headings, notes) in order."""
        return [b for b in self.blocks if b.kind in ("paragraph", "section", "note")]


@dataclass
class Document:
    id: str
    source_path: str = ""
    meta: dict[str, str] = field(default_factory=dict)  # title, source, date, language, licence ...
    articles: list[Article] = field(default_factory=list)
    captions: list[Block] = field(default_factory=list)
    normalisations: list[Normalisation] = field(default_factory=list)
    content_hash: str = ""  # sha256 of the raw bytes, for incremental runs
    layers: list[str] = field(default_factory=list)  # stages applied: "ingest", "annotate", "terms", ...
    tools: dict[str, str] = field(default_factory=dict)  # tool → version used by the stages (TEI appInfo)

    # -- navigation -------------------------------------------------------------
    def blocks(self) -> Iterator[Block]:
        """Every block in document order: articles first, then captions."""
        for a in self.articles:
            yield from a.blocks
        yield from self.captions

    @property
    def sentences(self) -> list[Sentence]:
        return [s for b in self.blocks() for s in b.sentences]

    @property
    def tokens(self) -> list[Token]:
        return [t for b in self.blocks() for t in b.tokens]

    @property
    def entities(self) -> list[Entity]:
        return [e for s in self.sentences for e in s.entities]

    @property
    def terms(self) -> list[TermLink]:
        return [t for s in self.sentences for t in s.terms]

    # -- (de)serialisation --------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {"model_version": MODEL_VERSION, **_to_plain(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        version = data.get("model_version", MODEL_VERSION)
        if version != MODEL_VERSION:
            raise ValueError(f"document model version {version} is not {MODEL_VERSION}; re-run with --force")
        return Document(
            id=data["id"],
            source_path=data.get("source_path", ""),
            meta=dict(data.get("meta", {})),
            articles=[Article(id=a["id"], blocks=[_block(b) for b in a["blocks"]]) for a in data["articles"]],
            captions=[_block(b) for b in data.get("captions", [])],
            normalisations=[Normalisation(**n) for n in data.get("normalisations", [])],
            content_hash=data.get("content_hash", ""),
            layers=list(data.get("layers", [])),
            tools=dict(data.get("tools", {})),
        )

    def interchange(self) -> dict[str, Any]:
        """The ``annotate ingest --json`` shape: articles with their parts, and captions."""
        return {
            "id": self.id,
            "articles": [
                {
                    "id": a.id,
                    "headline": a.headline,
                    "subheadline": a.subheadline,
                    "byline": a.byline,
                    "paragraphs": [b.text for b in a.blocks if b.kind == "paragraph"],
                    "blocks": [{"id": b.id, "kind": b.kind, "text": b.text, "lines": list(b.lines)} for b in a.blocks],
                }
                for a in self.articles
            ],
            "captions": [c.text for c in self.captions],
        }


def _to_plain(obj: Any) -> Any:
    # Hand-rolled rather than dataclasses.asdict: asdict deep-copies every value,
    # which is several times slower on token-heavy documents.
    if hasattr(obj, "__dataclass_fields__"):
        return {f.name: _to_plain(getattr(obj, f.name)) for f in fields(obj)}
    if isinstance(obj, (list, tuple)):
        return [_to_plain(v) for v in obj]
    if isinstance(obj, dict):
        return {k: _to_plain(v) for k, v in obj.items()}
    return obj


def _block(d: dict[str, Any]) -> Block:
    return Block(
        id=d["id"],
        kind=d["kind"],
        text=d["text"],
        lines=tuple(d.get("lines", (0, 0))),  # type: ignore[arg-type]
        sentences=[_sentence(s) for s in d.get("sentences", [])],
    )


def _sentence(d: dict[str, Any]) -> Sentence:
    tr = d.get("translation")
    return Sentence(
        id=d["id"],
        start=d["start"],
        end=d["end"],
        text=d["text"],
        tokens=[Token(**t) for t in d.get("tokens", [])],
        entities=[Entity(**e) for e in d.get("entities", [])],
        terms=[TermLink(**t) for t in d.get("terms", [])],
        translation=Translation(**tr) if tr else None,
        gloss=d.get("gloss", ""),
    )


@dataclass
class GlossaryEntry:
    """One term-base entry, as a translator keeps it in ``glossary/*.tsv``."""

    id: str
    source: str  # Chinese term
    target: str  # approved (or draft) English
    comment: str = ""
    alternatives: list[str] = field(default_factory=list)  # other acceptable English renderings
    variants: list[str] = field(default_factory=list)  # Chinese variants / abbreviations / full forms
    pos: str = ""
    domain: str = ""
    definition: str = ""
    source_ref: str = ""  # where the rendering comes from (URL or document)
    status: str = "draft"  # "approved" or "draft"
    file: str = ""  # provenance: which file and line the entry came from
    line: int = 0

    @property
    def forms(self) -> list[str]:
        """Every Chinese form that links to this entry: the source and its variants."""
        return [self.source, *[v for v in self.variants if v and v != self.source]]

    @property
    def renderings(self) -> list[str]:
        """Every acceptable English rendering: the target and its alternatives."""
        return [self.target, *[a for a in self.alternatives if a and a != self.target]]
