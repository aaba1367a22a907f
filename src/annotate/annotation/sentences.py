"""Sentence splitting for Chinese news text.

A sentence ends at 。！？；… (or their half-width forms !?;) together with any closing
quotes and brackets that follow (``。”``).  Never inside 《…》 titles, and never at
a full stop inside a number (``15.4%``: only the full-width 。 ends a sentence).  For
Latin text, ``. `` before a capital letter also ends a sentence.
"""

from __future__ import annotations

import re

from ..zh import CLAUSE_END, CLOSERS, SENTENCE_END

FINAL = SENTENCE_END + CLAUSE_END
_LATIN_STOP = re.compile(r"(?<=[a-z0-9)][.])\s+(?=[A-Z])")


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


def _add(text: str, s: int, e: int, spans: list[tuple[int, int]]) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        spans.append((s, e))
