"""Sentence-level HTML fragments: words with their pinyin, entities, glossary terms, English layers.

Every piece of corpus, glossary or translation text goes through ``escape``; markup is
only ever our own.  A page repeats few distinct words many times, so each distinct word's
markup is built once (``Lexicon``) and a sentence is a join of cached strings; names and
terms come from ``Sentence.spans()``.  Writing a page is linear in its length.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from operator import attrgetter

from markupsafe import Markup, escape

from ..model import LLM_LABEL, ORIGIN_LABELS, English, GlossaryEntry, Sentence, Span, Token
from ..translate.flags import describe
from .concordance import IndexWords


def plain_pinyin(py: str) -> str:
    """Tone marks and numbers removed, lower case, no spaces: what a search without tones compares."""
    decomposed = unicodedata.normalize("NFD", py.lower())
    return "".join(c for c in decomposed if c.isalpha() and c.isascii())


def toned_pinyin(py: str) -> str:
    """Tone marks kept, spaces and digits dropped: what a search with tones compares."""
    return "".join(c for c in py.lower() if not c.isspace() and not c.isdigit())


# A word's syllables are set apart by a thin space: close enough to read as one word, as
# pinyin orthography joins them, apart enough to read each syllable; the reader also
# splits on it to turn tone marks into numbers per syllable.
SYLLABLE_BREAK = "\u2009"


def pinyin_over(pinyin: str) -> str:
    """The pinyin drawn over a word: "zēng zhǎng" becomes "zēng" + thin space + "zhǎng", and
    "xī ān" becomes "xī" + thin space + "'ān" (the apostrophe of Xī'ān before a, o, e).

    Digits and other non-syllables (the "2019" of 2019年) are left out: they need no pinyin."""
    out: list[str] = []
    for syl in pinyin.split():
        letters = unicodedata.normalize("NFD", syl)
        if not any(c.isascii() and c.isalpha() for c in letters):
            continue
        out.append(("'" if out and letters[0].lower() in "aoe" else "") + syl)
    return SYLLABLE_BREAK.join(out)


ORIGIN_SHORT = {"mt": "MT", "llm": "draft", "gloss": "gloss", "human": "human"}


def origin_label(origin: str, model: str = "") -> str:
    """What the reader says about where an English sentence comes from (with the model, if any):
    the project's one wording (``annotate.model``)."""
    label = LLM_LABEL if origin == "llm" else ORIGIN_LABELS.get(origin, origin)
    return f"{label} ({model})" if model and origin in ("mt", "llm") else label


def translation_of(s: Sentence) -> English | None:
    """The sentence's translation (a model's, a language model's draft or a person's), or None
    when its English is only the word gloss."""
    if s.translation is None:  # only a gloss, if anything: skip building its English
        return None
    en = s.english
    return en if en is not None and en.is_translation else None


# Markup that depends only on the text, built once per process: pages share most of their words.
_CACHE = 1 << 16


@lru_cache(maxsize=_CACHE)
def _word_rest(text: str, pinyin: str) -> str:
    """A word element after its lexicon number: its pinyin (``data-py``) and text."""
    shown = pinyin_over(pinyin) if pinyin and pinyin != text else ""
    py = f' data-py="{escape(shown)}"' if shown else ""
    return f'"{py}>{escape(text)}</span>'


@lru_cache(maxsize=_CACHE)
def _pair(zh: str, gloss: str, term: str) -> str:
    """A word of the gloss (or a glossary term's words): its Chinese, drawn by CSS from
    ``data-zh``, over its English."""
    cls = f'gp term-en" data-t="{escape(term)}' if term else "gp"
    return f'<span class="{cls}" data-zh="{escape(zh)}">{escape(gloss)}</span>'


@lru_cache(maxsize=_CACHE)
def _escaped(text: str) -> str:
    """A short string that recurs (a punctuation mark, an origin), escaped once per process."""
    return str(escape(text))


@lru_cache(maxsize=_CACHE)
def _tag(kind: str, value: str, missing: bool) -> str:
    """The opening tag of a name (``kind`` "name", ``value`` its type) or of a glossary term."""
    if kind == "name":
        return f'<span class="ent ent-{escape(value)}">'
    return f'<span class="term{" missing" if missing else ""}" data-t="{escape(value)}">'


_TEXT = attrgetter("text")
_CELL_KEY = attrgetter("text", "pinyin", "upos", "gloss", "is_punct", "pinyin_num")

Cell = tuple[str, str, int]  # a token's word element, gloss pair ('' for none), concordance word number
# A sentence's cells as three columns: word elements, gloss pairs, word numbers.
Cells = tuple[tuple[str, ...], tuple[str, ...], tuple[int, ...]]


class _Cells(dict):
    """(text, pinyin, UPOS, gloss, is_punct, numbered pinyin) -> its ``Cell``, built on first use.

    It holds the lexicon's tables, not the lexicon: a cycle between the two would keep each
    page's tables alive until the cyclic garbage collector found them, and make it run more."""

    def __init__(self, keys: dict[tuple[str, str, str], int], seen: dict[tuple[str, str, str], str],
                 number: Mapping[tuple[str, str, str, str], int]) -> None:
        super().__init__()
        self.keys, self.seen, self.number = keys, seen, number

    def __missing__(self, k: tuple[str, str, str, str, bool, str]) -> Cell:
        text, pinyin, upos, gloss, is_punct, pinyin_num = k
        word = _escaped(text) if is_punct else self.word(text, pinyin, upos)
        cell = self[k] = (word, _pair(text, gloss, "") if gloss and not is_punct else "",
                          self.number[(text, pinyin_num, upos, gloss)])
        return cell

    def word(self, text: str, pinyin: str, upos: str) -> str:
        """A word's element: its lexicon number and the pinyin the stylesheet draws over it."""
        k = (text, pinyin, upos)
        html = self.seen.get(k)
        if html is None:
            n = self.keys[k] = len(self.keys)
            html = self.seen[k] = f'<span data-k="{n}{_word_rest(text, pinyin)}'
        return html


class Lexicon:
    """The distinct words of a page (text, pinyin, UPOS): each gets a small number that its
    word elements carry, and the page carries each word's dictionary entry once.  Each
    distinct word's markup is built once per page, here, from parts built once per process."""

    def __init__(self) -> None:
        self.keys: dict[tuple[str, str, str], int] = {}
        self.seen: dict[tuple[str, str, str], str] = {}  # (text, pinyin, UPOS) -> the word's markup
        self.index = IndexWords()  # the concordance's words, numbered in the same pass
        self._cells = _Cells(self.keys, self.seen, self.index.number)

    def cells(self, tokens: Sequence[Token]) -> Cells:
        """Each token's ``Cell``, in columns: one look-up per token, as a page repeats few
        distinct tokens many times (the loops run in C: map, zip)."""
        found = list(map(self._cells.__getitem__, map(_CELL_KEY, tokens)))
        return tuple(zip(*found, strict=True)) if found else ((), (), ())

    def sentence_cells(self, s: Sentence) -> Cells:
        """``cells`` of a sentence's tokens, keeping its concordance word numbers for the index."""
        cells = self.cells(s.tokens)
        self.index.add_sentence(s, cells[2])
        return cells

    def entries(self, senses: Callable[[str], Sequence[str]]) -> tuple[list[list], list[Sequence[str]]]:
        """``[UPOS, senses number]`` per key, in key order, and the senses (CC-CEDICT) per distinct
        word: a word seen with two parts of speech carries its senses once."""
        numbers: dict[str, int] = {}
        table: list[Sequence[str]] = []
        out: list[list] = []
        for text, _py, upos in self.keys:
            n = numbers.get(text)
            if n is None:
                n = numbers[text] = len(table)
                table.append(senses(text))
            out.append([upos, n])
        return out, table


def card(e: GlossaryEntry) -> Markup:
    """An entry's glossary card: written once per page (hidden) and shown in the word popup
    of whichever of its occurrences is hovered, focused or tapped."""
    parts = [f'<div class="card" id="card-{escape(e.id)}" hidden lang="en"><b>{escape(e.target)}</b>']
    if e.alternatives:
        parts.append(f'<span class="alt">also: {escape("; ".join(e.alternatives))}</span>')
    if e.definition:
        parts.append(f'<span class="def">{escape(e.definition)}</span>')
    if e.source_ref:
        ref = e.source_ref
        shown = f'<a href="{escape(ref)}">{escape(ref)}</a>' if ref.startswith(("http://", "https://")) else escape(ref)
        parts.append(f'<span class="ref">source: {shown}</span>')
    parts.append(f'<span class="st st-{escape(e.status)}">{escape(e.status)}</span>'
                 f' <a class="to-gloss" href="glossary.html#gloss-{escape(e.id)}">glossary entry</a></div>')
    return Markup("".join(parts))


Spans = tuple[list[Span], list[Span]]


def spans_of(s: Sentence) -> Spans:
    """``Sentence.spans()``, skipped for the many sentences with neither a name nor a term."""
    return s.spans() if s.entities or s.terms else ([], [])


def zh_sentence(s: Sentence, entries: Mapping[str, GlossaryEntry], lex: Lexicon, spans: Spans | None = None,
                cells: Cells | None = None) -> str:
    """Words with their pinyin (``data-py``, drawn by CSS so it is never copied or read out),
    wrapped in entity and glossary-term spans: the inline spans of ``Sentence.spans()``."""
    out: list[str] = []
    _zh_pieces(s, entries, spans if spans is not None else spans_of(s),
               (cells if cells is not None else lex.cells(s.tokens))[0], out)
    return "".join(out)


def _zh_pieces(s: Sentence, entries: Mapping[str, GlossaryEntry], spans: Spans, words: Sequence[str],
               out: list[str]) -> None:
    """``zh_sentence`` as pieces added to ``out``: the page joins a whole block's pieces once."""
    inline, standoff = spans
    if not inline and not standoff:
        out += words
        return
    missing = s.translation.missing_terms if s.translation else ()
    # A term that crosses a name (stand-off in TEI) is still a term to the reader: it is
    # marked word by word, which nests inside any name.
    pieces = [(i, i + 1, sp) for sp in standoff if sp.kind == "term" for i in range(sp.first, sp.end)]
    # Each tag at the gap between two words where it goes: closing tags first, then the
    # opening ones, the longest first; one sort places them all.
    marks: list[tuple[int, int, int, int, str]] = []  # (gap, opens, -length, order, tag)
    for k, (first, end, sp) in enumerate([(sp.first, sp.end, sp) for sp in inline] + pieces):
        if sp.kind == "term" and sp.value not in entries:
            continue
        marks.append((first, 1, first - end, k, _tag(sp.kind, sp.value, sp.value in missing)))
        marks.append((end, 0, 0, 0, "</span>"))
    marks.sort()
    # Copy the words between tags in slices: most words open or close nothing.
    at = 0
    for gap, _, _, _, tag in marks:
        if gap != at:
            out += words[at:gap]
            at = gap
        out.append(tag)
    out += words[at:]


def en_marked(text: str, s: Sentence, entries: Mapping[str, GlossaryEntry]) -> Markup:
    """English text with the renderings of the sentence's terms highlighted (first match each)."""
    if not s.terms:
        return escape(text)
    spans: list[tuple[int, int, str]] = []
    lower = text.lower()
    for link in s.terms:
        e = entries.get(link.entry_id)
        if not e:
            continue
        for r in sorted(e.renderings, key=len, reverse=True):
            a = lower.find(r.lower()) if r else -1
            if a >= 0 and not any(a < y and x < a + len(r) for x, y, _ in spans):
                spans.append((a, a + len(r), link.entry_id))
                break
    if not spans:
        return escape(text)
    out: list[str] = []
    pos = 0
    for a, b, eid in sorted(spans):
        out.append(str(escape(text[pos:a])))
        out.append(f'<span class="term-en" data-t="{escape(eid)}">{escape(text[a:b])}</span>')
        pos = b
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def gloss_pairs(s: Sentence, entries: Mapping[str, GlossaryEntry], lex: Lexicon, spans: Spans | None = None,
                cells: Cells | None = None) -> str:
    """The word gloss as aligned pairs: each word (a glossary term as one unit) over its English.

    The Chinese of a pair is drawn from ``data-zh`` by CSS, so copying the gloss copies its English."""
    tokens = s.tokens
    term_at: dict[int, tuple[int, GlossaryEntry]] = {}
    if s.terms:
        inline, standoff = spans if spans is not None else spans_of(s)
        for sp in inline + standoff:
            e = entries.get(sp.value) if sp.kind == "term" else None
            if e is not None and sp.first not in term_at:
                term_at[sp.first] = (sp.end, e)
    pairs = (cells if cells is not None else lex.cells(tokens))[1]
    if not term_at:
        return " ".join(filter(None, pairs))
    out: list[str] = []
    i = 0
    for first in sorted(term_at):
        if first < i:  # starts inside the term before it
            continue
        out += filter(None, pairs[i:first])
        end, e = term_at[first]
        out.append(_pair("".join(map(_TEXT, tokens[first:end])), e.target, e.id))
        i = end
    out += filter(None, pairs[i:])
    return " ".join(out)


def flag_notes(flags: list[str] | tuple[str, ...]) -> list[dict[str, str]]:
    """Each translation flag with what it means, for the reader."""
    return [{"flag": f, "text": describe(f)} for f in flags]


def add_sentence_pair(s: Sentence, n: int, tr: English | None, entries: Mapping[str, GlossaryEntry],
                      lex: Lexicon, zh: list[str], en: list[str]) -> None:
    """A sentence's Chinese element and its English twin (translation, gloss, origin and flags),
    both carrying the sentence number ``n``, as pieces added to ``zh`` and ``en``: the page
    joins a whole block's pieces once.  Built here rather than in the template: a page has
    thousands of sentences, and this is most of the writer's time."""
    spans, cells = spans_of(s), lex.sentence_cells(s)
    sid = escape(s.id)
    zh.append(f'<span class="s" id="{sid}" data-n="{n}" tabindex="0">')
    _zh_pieces(s, entries, spans, cells[0], zh)
    zh.append("</span>")
    origin = tr.origin if tr is not None else "gloss"
    flags = s.translation.flags if s.translation is not None else []
    en.append(f'<span class="s-en o-{_escaped(origin)}{" flagged" if flags else ""}" data-s="{sid}" data-n="{n}">')
    if tr is not None:
        en.append(f'<span class="mt">{en_marked(tr.text, s, entries)}</span>')
    en += ('<span class="gl">', gloss_pairs(s, entries, lex, spans, cells) if s.gloss else "—", "</span>")
    if origin != "gloss":
        short = ORIGIN_SHORT.get(origin, origin) + (": check numbers, dates, names" if origin == "llm" else "")
        en.append(f' <small class="org" title="{escape(origin_label(origin, tr.model if tr else ""))}">'
                  f'{escape(short)}</small>')
    for f in flags:
        en.append(f' <small class="flag">⚑ {escape(f)}: {escape(describe(f))}</small>')
    en.append("</span> ")


def pinyin_of(s: Sentence, start: int = 0, end: int | None = None) -> str:
    """The tone-marked pinyin of the sentence's words between two character offsets."""
    stop = s.end if end is None else end
    return " ".join(t.pinyin for t in s.tokens if t.pinyin and not t.is_punct and t.start < stop and start < t.end)
