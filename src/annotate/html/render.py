"""Sentence-level HTML fragments: words with their pinyin, entities, glossary terms, English layers.

Every piece of corpus, glossary or translation text goes through ``escape``; markup is
only ever our own.  The fragments are built as plain strings in one pass over a
sentence's tokens (spans are found through an offset index, never by scanning every
token per span), so writing a page is linear in its length.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Mapping

from markupsafe import Markup, escape

from ..model import GlossaryEntry, Sentence, Token
from ..translate.flags import describe


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


def ruby_text(pinyin: str) -> str:
    """The pinyin shown over a word: "zēng zhǎng" becomes "zēng" + thin space + "zhǎng", and
    "xī ān" becomes "xī" + thin space + "'ān" (the apostrophe of Xī'ān before a, o, e).

    Digits and other non-syllables (the "2019" of 2019年) are left out: they need no pinyin."""
    out: list[str] = []
    for syl in pinyin.split():
        letters = unicodedata.normalize("NFD", syl)
        if not any(c.isascii() and c.isalpha() for c in letters):
            continue
        out.append(("'" if out and letters[0].lower() in "aoe" else "") + syl)
    return SYLLABLE_BREAK.join(out)


ORIGIN_LABELS = {
    "mt": "machine translation",
    "llm": "machine draft: check numbers, dates and names against the Chinese",
    "gloss": "word gloss, not a translation",
    "human": "translation by a translator",
}
ORIGIN_SHORT = {"mt": "MT", "llm": "draft", "gloss": "gloss", "human": "human"}


def origin_label(origin: str, model: str = "") -> str:
    """What the reader says about where an English sentence comes from (with the model, if any)."""
    label = ORIGIN_LABELS.get(origin, origin)
    return f"{label} ({model})" if model and origin in ("mt", "llm") else label


class Lexicon:
    """The distinct words of a page (text, pinyin, UPOS): each gets a small number that its
    word elements carry, and the page carries each word's dictionary entry once."""

    def __init__(self) -> None:
        self.keys: dict[tuple[str, str, str], int] = {}

    def key(self, t: Token) -> int:
        k = (t.text, t.pinyin, t.upos)
        n = self.keys.get(k)
        if n is None:
            n = self.keys[k] = len(self.keys)
        return n

    def entries(self, senses) -> tuple[list[list], list[list[str]]]:
        """``[UPOS, senses number]`` per key, in key order, and the senses (CC-CEDICT) per distinct
        word: a word seen with two parts of speech carries its senses once."""
        numbers: dict[str, int] = {}
        table: list[list[str]] = []
        out: list[list] = []
        for text, _py, upos in self.keys:
            n = numbers.get(text)
            if n is None:
                n = numbers[text] = len(table)
                table.append(senses(text))
            out.append([upos, n])
        return out, table


def _word(t: Token, lex: Lexicon) -> str:
    if t.is_punct:
        return str(escape(t.text))
    k = lex.key(t)
    rt = ruby_text(t.pinyin) if t.pinyin and t.pinyin != t.text else ""
    if rt:
        return f'<span data-k="{k}" data-py="{escape(rt)}">{escape(t.text)}</span>'
    return f'<span data-k="{k}">{escape(t.text)}</span>'


class TokenIndex:
    """Token positions by character offset, so a span finds its tokens without a scan."""

    def __init__(self, tokens: list[Token]) -> None:
        self.starts = [t.start for t in tokens]
        self.ends = [t.end for t in tokens]

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """First and last token overlapping ``[start, end)``, or None."""
        i = bisect.bisect_right(self.ends, start)  # first token ending after start
        j = bisect.bisect_left(self.starts, end) - 1  # last token starting before end
        return (i, j) if i <= j else None


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


def zh_sentence(s: Sentence, entries: Mapping[str, GlossaryEntry], lex: Lexicon) -> Markup:
    """Words with their pinyin (``data-py``, drawn by CSS so it is never copied or read out),
    wrapped in entity spans and glossary-term spans.

    Spans nest (longer outside); an entity that crosses a term is dropped, as in TEI."""
    missing = set(s.translation.missing_terms) if s.translation else set()
    index = TokenIndex(s.tokens)
    spans: list[tuple[int, int, str, str]] = []
    seen: set[tuple[int, int]] = set()
    for link in s.terms:
        r, e = index.span(link.start, link.end), entries.get(link.entry_id)
        if r is None or e is None or r in seen:
            continue
        seen.add(r)
        gone = " missing" if link.entry_id in missing else ""
        spans.append((r[0], r[1], f'<span class="term{gone}" data-t="{escape(e.id)}">', "</span>"))
    terms = list(spans)
    for ent in s.entities:
        r = index.span(ent.start, ent.end)
        if r is None or any(a < r[0] <= b < r[1] or r[0] < a <= r[1] < b for a, b, _, _ in terms):
            continue
        spans.append((r[0], r[1], f'<span class="ent ent-{escape(ent.type)}">', "</span>"))
    opening: dict[int, list[tuple[int, int]]] = {}
    closing: dict[int, list[tuple[int, int, int]]] = {}
    for k, (a, b, _, _) in enumerate(spans):
        opening.setdefault(a, []).append((a - b, k))  # longer spans open first, equal ones in list order
        closing.setdefault(b, []).append((b - a, -k, k))  # and close in the reverse order
    out: list[str] = []
    for i, t in enumerate(s.tokens):
        if i in opening:
            out.extend(spans[k][2] for _, k in sorted(opening[i]))
        out.append(_word(t, lex))
        if i in closing:
            out.extend(spans[k][3] for _, _, k in sorted(closing[i]))
    return Markup("".join(out))


def en_marked(text: str, s: Sentence, entries: Mapping[str, GlossaryEntry]) -> Markup:
    """English text with the renderings of the sentence's terms highlighted (first match each)."""
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


def gloss_pairs(s: Sentence, entries: Mapping[str, GlossaryEntry]) -> Markup:
    """The word gloss as aligned pairs: each word (a glossary term as one unit) over its English.

    The Chinese of a pair is drawn from ``data-zh`` by CSS, so copying the gloss copies its English."""
    index = TokenIndex(s.tokens)
    term_at: dict[int, tuple[int, GlossaryEntry]] = {}
    for link in s.terms:
        r, e = index.span(link.start, link.end), entries.get(link.entry_id)
        if r is not None and e is not None and r[0] not in term_at:
            term_at[r[0]] = (r[1], e)
    out: list[str] = []
    i, n = 0, len(s.tokens)
    while i < n:
        t = s.tokens[i]
        if i in term_at:
            last, e = term_at[i]
            zh = "".join(x.text for x in s.tokens[i:last + 1])
            out.append(f'<span class="gp term-en" data-t="{escape(e.id)}" data-zh="{escape(zh)}">{escape(e.target)}</span>')
            i = last + 1
            continue
        if not t.is_punct and t.gloss:
            out.append(f'<span class="gp" data-zh="{escape(t.text)}">{escape(t.gloss)}</span>')
        i += 1
    return Markup(" ".join(out))


def flag_notes(flags: list[str]) -> list[dict[str, str]]:
    """Each translation flag with what it means, for the reader."""
    return [{"flag": f, "text": describe(f)} for f in flags]


def pinyin_of(s: Sentence, start: int = 0, end: int | None = None) -> str:
    """The tone-marked pinyin of the sentence's words between two character offsets."""
    stop = s.end if end is None else end
    return " ".join(t.pinyin for t in s.tokens if t.pinyin and not t.is_punct and t.start < stop and start < t.end)
