"""Sentence splitting for Chinese news text.

A sentence ends at 。！？；… (or their half-width forms !?;) together with any closing
quotes and brackets that follow (``。”``).  Never inside 《…》 titles, and never at
a full stop inside a number (``15.4%``: only the full-width 。 ends a sentence).  For
Latin text, ``. `` before a capital letter also ends a sentence.

A "sentence" longer than :data:`MAX_SENTENCE_CHARS` (OCR text with no punctuation, a stray
《 that never closes) is cut into pieces at the last comma-like break before the limit, or
at the limit when there is none: the segmenter, the NER model and the translator all cost
more than linearly in sentence length, and no real news sentence is that long.  The
annotator counts the cuts so the run can warn about them (issue 13, item 7).
"""

from __future__ import annotations

import re

from ..zh import CLAUSE_END, CLOSERS, SENTENCE_END

FINAL = SENTENCE_END + CLAUSE_END
_LATIN_STOP = re.compile(r"(?<=[a-z0-9)][.])\s+(?=[A-Z])")
#: The longest sentence kept whole; UD GSDSimp's longest is under 200 characters.
MAX_SENTENCE_CHARS = 400
_BREAKS = frozenset("，,、：:；; \u3000")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text``, without surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    start = 0
    depth = 0  # inside 《…》
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "《":
            depth += 1
        elif c == "》" and depth:
            depth -= 1
        if c in FINAL and depth == 0:
            j = i + 1
            while j < n and (text[j] in FINAL or text[j] in CLOSERS):
                j += 1
            _add(text, start, j, spans)
            start = i = j
            continue
        i += 1
    _add(text, start, n, spans)
    out: list[tuple[int, int]] = []
    for s, e in spans:  # English sentences inside the span
        cut = s
        for m in _LATIN_STOP.finditer(text, s, e):
            _add(text, cut, m.start(), out)
            cut = m.end()
        _add(text, cut, e, out)
    return out


def cut_long(text: str, spans: list[tuple[int, int]], limit: int = MAX_SENTENCE_CHARS) -> tuple[list[tuple[int, int]], int]:
    """``spans`` with every span longer than ``limit`` cut into pieces of at most ``limit``
    characters, at the last break (comma, enumeration comma, colon, space) of each piece's second
    half where there is one; returns the spans and how many were cut."""
    out: list[tuple[int, int]] = []
    cut = 0
    for s, e in spans:
        if e - s <= limit:
            out.append((s, e))
            continue
        cut += 1
        while e - s > limit:
            end = s + limit
            brk = next((i + 1 for i in range(end - 1, s + limit // 2, -1) if text[i] in _BREAKS), end)
            _add(text, s, brk, out)
            s = brk
        _add(text, s, e, out)
    return out, cut


def _add(text: str, s: int, e: int, spans: list[tuple[int, int]]) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        spans.append((s, e))
