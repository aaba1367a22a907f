"""Sentence-level HTML fragments: ruby pinyin, entities, glossary terms, English layers.

Every piece of corpus, glossary or translation text goes through ``escape`` (directly
or through ``Markup.format``); markup is only ever our own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache

from markupsafe import Markup, escape

from ..model import GlossaryEntry, Sentence, Token


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
    """The ruby text of a word: "zēng zhǎng" becomes "zēng" + thin space + "zhǎng", and "xī ān"
    becomes "xī" + thin space + "'ān" (the apostrophe of Xī'ān before a, o, e).

    Digits and other non-syllables (the "2019" of 2019年) are left out: they need no pinyin."""
    out: list[str] = []
    for syl in pinyin.split():
        letters = unicodedata.normalize("NFD", syl)
        if not any(c.isascii() and c.isalpha() for c in letters):
            continue
        out.append(("'" if out and letters[0].lower() in "aoe" else "") + syl)
    return SYLLABLE_BREAK.join(out)


def _token(t: Token) -> Markup:
    """A word; a Chinese word is one <ruby> with the word's pinyin (tone marks) over it.

    Only tone marks are written: the reader derives numbered tones in the browser, and
    one annotation per word (not per character) keeps long pages quick to open."""
    if t.pinyin and t.pinyin != t.text and not t.is_punct:
        return _ruby(t.text, t.pinyin)
    return escape(t.text)


@lru_cache(maxsize=65536)
def _ruby(text: str, pinyin: str) -> Markup:
    # Cached and built with escape() + f-string: Markup.format is several times slower, and
    # a page repeats its words.
    rt = ruby_text(pinyin)
    return Markup(f"<ruby>{escape(text)}<rt>{escape(rt)}</rt></ruby>") if rt else escape(text)


def card(e: GlossaryEntry) -> Markup:
    """An entry's tooltip card; written once per page and shown next to whichever term is hovered."""
    parts = [Markup('<span class="card" id="card-{}" role="tooltip" lang="en"><b>{}</b>').format(e.id, e.target)]
    if e.alternatives:
        parts.append(Markup('<span class="alt">also: {}</span>').format("; ".join(e.alternatives)))
    if e.definition:
        parts.append(Markup('<span class="def">{}</span>').format(e.definition))
    if e.source_ref:
        parts.append(Markup('<span class="ref">source: {}</span>').format(e.source_ref))
    parts.append(Markup('<span class="st st-{0}">{0}</span></span>').format(e.status))
    return Markup("").join(parts)


def zh_sentence(s: Sentence, entries: Mapping[str, GlossaryEntry]) -> Markup:
    """Tokens with ruby pinyin, wrapped in entity spans and glossary-term links.

    Spans nest (longer outside); an entity that crosses a term is dropped, as in TEI."""
    missing = set(s.translation.missing_terms) if s.translation else set()

    def tokens_of(start: int, end: int) -> tuple[int, int] | None:
        idx = [i for i, t in enumerate(s.tokens) if t.start < end and start < t.end]
        return (idx[0], idx[-1]) if idx else None

    spans: list[tuple[int, int, Markup, Markup]] = []
    for link in s.terms:
        r, e = tokens_of(link.start, link.end), entries.get(link.entry_id)
        if r is None or e is None or any(a == r[0] and b == r[1] for a, b, _, _ in spans):
            continue
        gone = link.entry_id in missing
        spans.append((r[0], r[1],
                      Markup('<a class="term{}" href="glossary.html#gloss-{}" aria-describedby="card-{}"{}>').format(
                          " missing" if gone else "", e.id, e.id,
                          Markup(' title="approved English missing from the translation"') if gone else ""),
                      Markup("</a>")))
    for ent in s.entities:
        r = tokens_of(ent.start, ent.end)
        if r is None or any(a < r[0] <= b < r[1] or r[0] < a <= r[1] < b for a, b, _, _ in spans):
            continue
        spans.append((r[0], r[1], Markup('<span class="ent ent-{}">').format(ent.type), Markup("</span>")))
    opening: dict[int, list[tuple[int, int]]] = {}
    closing: dict[int, list[tuple[int, int, int]]] = {}
    for k, (a, b, _, _) in enumerate(spans):
        opening.setdefault(a, []).append((a - b, k))  # longer spans open first, equal ones in list order
        closing.setdefault(b, []).append((b - a, -k, k))  # and close in the reverse order
    out: list[Markup] = []
    for i, t in enumerate(s.tokens):
        out.extend(spans[k][2] for _, k in sorted(opening.get(i, ())))
        out.append(_token(t))
        out.extend(spans[k][3] for _, _, k in sorted(closing.get(i, ())))
    return Markup("").join(out)


def en_marked(text: str, s: Sentence, entries: Mapping[str, GlossaryEntry]) -> Markup:
    """English text with the renderings of the sentence's terms highlighted (first match each)."""
    spans: list[tuple[int, int, str]] = []
    for link in s.terms:
        e = entries.get(link.entry_id)
        if not e:
            continue
        for r in sorted(e.renderings, key=len, reverse=True):
            m = re.search(re.escape(r), text, flags=re.IGNORECASE)
            if m and not any(m.start() < b and a < m.end() for a, b, _ in spans):
                spans.append((m.start(), m.end(), link.entry_id))
                break
    out: list[Markup] = []
    pos = 0
    for a, b, eid in sorted(spans):
        out.append(escape(text[pos:a]))
        out.append(Markup('<a class="term-en" href="glossary.html#gloss-{0}" aria-describedby="card-{0}">{1}</a>').format(
            eid, text[a:b]))
        pos = b
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def pinyin_of(s: Sentence, start: int = 0, end: int | None = None) -> str:
    """The tone-marked pinyin of the sentence's words between two character offsets."""
    stop = s.end if end is None else end
    return " ".join(t.pinyin for t in s.tokens if t.pinyin and not t.is_punct and t.start < stop and start < t.end)
