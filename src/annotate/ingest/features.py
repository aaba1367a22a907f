"""Features of each non-blank line of a page, for the line tagger (tagger.py).

A line is described by what a reader of an OCR page looks at: its length against the local
column width (spaces of justified print counted or not), how it ends (a sentence end, clause
punctuation, a digit, a letter, a Chinese character) and how the next one starts (would the
join split a number or a word?), indentation, print spacing, whether it has punctuation at
all, the byline/dateline/caption/note patterns of patterns.py, and its position relative to
blank lines.  The same few facts of the neighbouring lines are added, so the tagger sees a
window of five lines; the sequence model adds the order of labels.

Linear in the page: the column width is a running median over a fixed window.
"""

from __future__ import annotations

import re
from bisect import insort
from collections import deque

from ..zh import CLOSERS, HAN_CHAR, OPENERS, SENTENCE_END, display_width, padded_width
from .patterns import CAPTION, CREDIT_ONLY, ENUMERATOR, LEAD_BYLINE, NOTE, STANDALONE_BYLINE

_WINDOW = 15  # lines on either side for the local column width
_CLAUSE = "，、；：,;:"
_SPACED = re.compile(rf"{HAN_CHAR.pattern}[ \u3000]+{HAN_CHAR.pattern}")


def _bucket(x: float, edges: tuple[float, ...]) -> str:
    for k, e in enumerate(edges):
        if x < e:
            return str(k)
    return str(len(edges))


def _end_kind(s: str) -> str:
    t = s.rstrip()
    while t and t[-1] in CLOSERS:
        t = t[:-1]
    if not t:
        return "none"
    c = t[-1]
    if c in SENTENCE_END:
        return "sent"
    if c in _CLAUSE:
        return "clause"
    if c.isdigit() or c in "０１２３４５６７８９":
        return "digit"
    if c.isascii() and c.isalpha():
        return "latin"
    if HAN_CHAR.match(c):
        return "han"
    return "other"


def _start_kind(s: str) -> str:
    t = s.lstrip()
    c = t[:1]
    if not c:
        return "none"
    if c in OPENERS:
        return "open"
    if c in "，。、；：！？,.;:!?）)”’》":
        return "punct"
    if c.isdigit() or c in "０１２３４５６７８９":
        return "digit"
    if c.isascii() and c.isalpha():
        return "latin"
    return "han" if HAN_CHAR.match(c) else "other"


def _local_columns(widths: list[int]) -> list[float]:
    """A running upper median of the line widths around each line: the column width there."""
    n = len(widths)
    out: list[float] = []
    window: list[int] = []
    queue: deque[int] = deque()
    hi = 0
    for i in range(n):
        while hi < n and hi <= i + _WINDOW:
            insort(window, widths[hi])
            queue.append(widths[hi])
            hi += 1
        while len(queue) > min(n, i + _WINDOW + 1) - max(0, i - _WINDOW):
            window.pop(window.index(queue.popleft()))
        # The 75th percentile: full lines are the widest that still belong to the column.
        out.append(float(window[(3 * len(window)) // 4]) if window else 1.0)
    return out


def line_features(lines: list[str]) -> tuple[list[int], list[list[str]]]:
    """Indices of the non-blank lines and, for each, its feature strings."""
    idx = [i for i, ln in enumerate(lines) if ln.strip()]
    text = [lines[i] for i in idx]
    widths = [display_width(t) for t in text]
    padded = [padded_width(t) for t in text]
    cols = _local_columns(widths)
    blank_before = [k == 0 or idx[k - 1] != idx[k] - 1 for k in range(len(idx))]
    blank_after = [k == len(idx) - 1 or idx[k + 1] != idx[k] + 1 for k in range(len(idx))]
    base: list[dict[str, str]] = []
    for k, t in enumerate(text):
        s = t.strip()
        col = max(cols[k], 1.0)
        f = {
            "w": _bucket(widths[k] / col, (0.35, 0.6, 0.8, 0.92, 1.02, 1.15, 1.5, 2.5)),
            "pw": _bucket(padded[k] / col, (0.8, 0.92, 1.02, 1.15)),
            "len": _bucket(len(s), (3, 6, 9, 13, 18, 25, 40)),
            "end": _end_kind(s),
            "start": _start_kind(s),
            "indent": str(t[:1] in (" ", "\t", "\u3000")),
            "bb": str(blank_before[k]),
            "ba": str(blank_after[k]),
            "punct": str(any(p in s for p in "，。、；：！？,;:!?")),
            "spaced": str(bool(_SPACED.search(s))),
            "lead": str(bool(LEAD_BYLINE.match(s)) and LEAD_BYLINE.match(s).end() > 0),
            "by": str(bool(STANDALONE_BYLINE.match(" ".join(s.split()))) and len(s) <= 40),
            "cap": str(bool(CAPTION.search(s))),
            "credit": str(bool(CREDIT_ONLY.match(" ".join(s.split())))),
            "note": str(bool(NOTE.match(s))),
            "enum": str(bool(ENUMERATOR.match(s))),
            "dash": str(s.startswith("——")),
            "bracket": str(s.startswith(("【", "▲", "△"))),
            "colcls": _bucket(col, (18, 26, 34, 46)),
        }
        base.append(f)
    feats: list[list[str]] = []
    n = len(base)
    for k in range(n):
        f = base[k]
        out = ["bias"] + [f"{a}={b}" for a, b in f.items()]
        for off in (-2, -1, 1, 2):
            j = k + off
            if 0 <= j < n:
                g = base[j]
                out += [f"{off}:{a}={g[a]}" for a in ("w", "end", "start", "indent", "bb", "ba", "punct", "lead", "by", "cap", "len")]
            else:
                out.append(f"{off}:none")
        if k:
            p = base[k - 1]
            out.append(f"join={p['end']}>{f['start']}")
            out.append(f"prev_w_end={p['w']}/{p['end']}")
            out.append(f"numsplit={p['end'] == 'digit' and f['start'] == 'digit'}")
        if k + 1 < n:
            out.append(f"next_w_start={base[k + 1]['w']}/{base[k + 1]['start']}/{base[k + 1]['indent']}")
        out.append(f"w_end={f['w']}/{f['end']}")
        # A short line with no punctuation over a full one: a title, not a paragraph's start
        # (in a wrapped column a paragraph's first line is at most an indent short).
        if k + 1 < n:
            out.append(f"short_over={f['w']}/{f['punct']}/{base[k + 1]['w']}/{f['ba']}")
        out.append(f"w_bb_ba={f['w']}/{f['bb']}/{f['ba']}/{f['punct']}")
        feats.append(out)
    return idx, feats
