"""Rejoin hard-wrapped lines into units (paragraphs, headlines, captions ...).

OCR of a newspaper column wraps every line at the column width, breaks words and
numbers across lines (``2019\\n年``), and even inserts blank lines where the text
continues in the next column (``工业装\\n\\n备轴承``).  A line continues into the next
one when it fills the column and does not end a sentence; a new unit starts after a
sentence end, at an indented line, or at a line that is much wider than the column
(a headline or caption spanning columns).
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass, field

from .patterns import LEAD_BYLINE, STANDALONE_BYLINE, ends_sentence

_WINDOW = 6  # lines either side used to estimate the local column width
_FULL = 0.8  # a line at least this share of the column width "fills" it
_OVERSIZE = 1.25  # a line this much wider than the column is not part of it


@dataclass
class Unit:
    """Consecutive source lines that belong together."""

    lines: list[tuple[int, str]] = field(default_factory=list)  # (1-based line number, raw line)
    indented: bool = False  # first line starts with indentation
    after_blank: bool = True  # a blank line (or the page start) precedes it

    @property
    def first(self) -> int:
        return self.lines[0][0]

    @property
    def last(self) -> int:
        return self.lines[-1][0]


def display_width(s: str) -> int:
    """Printed width of a line: CJK counts 2, and whitespace not at all (justified print
    pads lines with spaces, which says nothing about how much text the line holds)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s if not c.isspace())


# A line that opens with a word fragment and then clause punctuation ("题，大连…")
# is the tail of a word broken at the line end, never the start of a new paragraph.
_FRAGMENT_START = re.compile(r"^[\u3400-\u9fff]{1,2}[，、。；：！？,;:]")


def _is_indented(line: str) -> bool:
    return line[:1] in (" ", "\t", "\u3000")


def split_units(text: str) -> list[Unit]:
    lines = text.split("\n")
    widths = [display_width(ln.strip()) for ln in lines]
    nonblank = [i for i, ln in enumerate(lines) if ln.strip()]
    pos = {i: k for k, i in enumerate(nonblank)}

    def column(i: int) -> float:
        k = pos[i]
        near = [widths[j] for j in nonblank[max(0, k - _WINDOW) : k + _WINDOW + 1] if j != i]
        return statistics.median(near) if near else float(widths[i])

    # A page without hard wraps (one paragraph per line) has no column: every line stands alone.
    wrapped = _looks_hard_wrapped([widths[i] for i in nonblank])

    def continues(i: int, j: int, across_blank: bool, unit_len: int) -> bool:
        """Does non-blank line i continue into non-blank line j?"""
        if not wrapped:
            return False
        a, b = lines[i], lines[j]
        col = column(i)
        # A dateline line (本报讯 记者X报道 …) opens a paragraph; its print spacing makes it look short.
        short = widths[i] < _FULL * col and not (unit_len == 1 and LEAD_BYLINE.match(a.strip()))
        if ends_sentence(a) or short or widths[i] > _OVERSIZE * col:
            return False
        if _is_indented(b) or widths[j] > _OVERSIZE * column(j) or LEAD_BYLINE.match(b.strip()):
            return False
        if STANDALONE_BYLINE.match(a.strip()) or STANDALONE_BYLINE.match(b.strip()):
            return False
        # A single full-width line before a blank line, with no clause punctuation,
        # is a headline, not the start of a paragraph broken by a column jump.
        lone_title = across_blank and unit_len == 1 and not any(p in a for p in "，、；：,;:")
        return not lone_title or bool(_FRAGMENT_START.match(b.strip()))

    units: list[Unit] = []
    current: Unit | None = None
    prev: int | None = None
    blank_since_prev = True
    for i, line in enumerate(lines):
        if not line.strip():
            blank_since_prev = True
            continue
        if current is not None and prev is not None and continues(prev, i, blank_since_prev, len(current.lines)):
            current.lines.append((i + 1, line))
        else:
            current = Unit(lines=[(i + 1, line)], indented=_is_indented(line), after_blank=blank_since_prev)
            units.append(current)
        prev = i
        blank_since_prev = False
    return units


def _looks_hard_wrapped(widths: list[int]) -> bool:
    """Hard-wrapped pages have many lines of (nearly) the same width."""
    if len(widths) < 4:
        return False
    common = statistics.median_high(widths)
    near = sum(1 for w in widths if abs(w - common) <= 4)
    return near >= 0.5 * len(widths)
