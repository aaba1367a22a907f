"""Sentence-level HTML fragments: ruby pinyin, entities, glossary terms, English layers.

Every piece of corpus, glossary or translation text goes through ``escape``; markup
is only ever our own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from markupsafe import Markup, escape

from ..model import GlossaryEntry, Sentence, Token

_RUBY = Markup('{}<rt data-n="{}">{}</rt>')


def _token(t: Token) -> Markup:
    """A word; Chinese words as one <ruby> with a syllable over each character.

    The numbered-tone form rides in ``data-n`` and is shown by CSS (``rt::after``) in
    tone-number mode, so each syllable costs one element, not two."""
    if t.pinyin and t.pinyin != t.text and not t.is_punct:
        marks, nums = t.pinyin.split(" "), t.pinyin_num.split(" ")
        if len(marks) == len(t.text) == len(nums):
            pairs = zip(t.text, nums, marks, strict=True)
            return Markup('<ruby class="w">{}</ruby>').format(Markup("").join(_RUBY.format(c, n, m) for c, n, m in pairs))
        return Markup('<ruby class="w">{}</ruby>').format(_RUBY.format(t.text, t.pinyin_num, t.pinyin))
    return Markup("{}").format(t.text)


def card(e: GlossaryEntry) -> Markup:
    parts = [Markup('<span class="card" role="tooltip"><b lang="en">{}</b>').format(e.target)]
    if e.alternatives:
        parts.append(Markup('<span class="alt" lang="en">also: {}</span>').format("; ".join(e.alternatives)))
    if e.definition:
        parts.append(Markup('<span class="def" lang="en">{}</span>').format(e.definition))
    if e.source_ref:
        parts.append(Markup('<span class="ref" lang="en">source: {}</span>').format(e.source_ref))
    parts.append(Markup('<span class="st st-{0}" lang="en">{0}</span></span>').format(e.status))
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
                      Markup('<a class="term{}" href="glossary.html#gloss-{}" data-term="{}"{}>').format(
                          " missing" if gone else "", e.id, e.id,
                          Markup(' title="approved English missing from the translation"') if gone else ""),
                      card(e) + Markup("</a>")))
    for ent in s.entities:
        r = tokens_of(ent.start, ent.end)
        if r is None or any(a < r[0] <= b < r[1] or r[0] < a <= r[1] < b for a, b, _, _ in spans):
            continue
        spans.append((r[0], r[1], Markup('<span class="ent ent-{}">').format(ent.type), Markup("</span>")))
    out: list[Markup] = []
    ranked = list(enumerate(spans))  # equal spans: opened in list order, closed in reverse
    for i, t in enumerate(s.tokens):
        for _, (_, _, open_, _) in sorted((x for x in ranked if x[1][0] == i), key=lambda x: (x[1][0] - x[1][1], x[0])):
            out.append(open_)
        out.append(_token(t))
        for _, (_, _, _, close) in sorted((x for x in ranked if x[1][1] == i), key=lambda x: (x[1][1] - x[1][0], -x[0])):
            out.append(close)
    return Markup("").join(out)


def en_marked(text: str, s: Sentence, entries: Mapping[str, GlossaryEntry]) -> Markup:
    """English text with the renderings of the sentence's terms highlighted."""
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
        out.append(Markup('<a class="term-en" href="glossary.html#gloss-{}">{}</a>').format(eid, text[a:b]))
        pos = b
    out.append(escape(text[pos:]))
    return Markup("").join(out)
