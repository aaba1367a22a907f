"""Rejoin hard-wrapped lines into units (paragraphs, headlines, captions ...).

OCR of a newspaper column wraps every line at the column width, breaks words and
numbers across lines (``2019\\n年``), and even inserts blank lines where the text
continues in the next column (``工业装\\n\\n备轴承``).  A line continues into the next
one when it fills the column and does not end a sentence; a new unit starts at an
indented line, at a short line that runs on (a paragraph start whose indent OCR
dropped), at a line much wider than the column (a headline or caption spanning
columns), and after a sentence end unless both lines are full (the paragraph goes on).
See docs/ingest.md.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from ..model import Normalisation
from ..zh import HAN, display_width, ends_sentence, padded_width
from .patterns import CAPTION, ENUMERATOR, LEAD_BYLINE, STANDALONE_BYLINE

_WINDOW = 6  # lines either side used to estimate the local column width
_FULL = 0.8  # a line at least this share of the column width "fills" it
_OVERSIZE = 1.25  # a line this much wider than the column is not part of it
_INDENT = 3  # display units (1.5 Chinese characters): a line this much narrower than the column is indented
_CLAUSE = "，、；：。！？,;:!?"
_BROKEN_SHARE = 1 / 3  # share of running-text lines ending mid-sentence that marks a hard-wrapped page


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


# A line that opens with a word fragment and then clause punctuation ("题，大连…")
# is the tail of a word broken at the line end, never the start of a new paragraph.
_FRAGMENT_START = re.compile(f"^[{HAN}]{{1,2}}[，、。；：！？,;:]")


def _is_indented(line: str) -> bool:
    return line[:1] in (" ", "\t", "\u3000")


def split_units(text: str) -> list[Unit]:
    lines = text.split("\n")
    widths = [display_width(ln.strip()) for ln in lines]  # how much text: for the column estimate
    padded = [padded_width(ln) for ln in lines]  # how far the line reaches: is it full?
    nonblank = [i for i, ln in enumerate(lines) if ln.strip()]
    pos = {i: k for k, i in enumerate(nonblank)}

    # Lines inside a paragraph (a line before and after, the previous one not ending a
    # sentence, this one not ending one) most surely fill the column; paragraph starts and
    # ends and titles are shorter and would pull an estimate down.
    interior = [
        0 < i < len(lines) - 1
        and bool(lines[i - 1].strip())
        and bool(lines[i + 1].strip())
        and not ends_sentence(lines[i - 1])
        and not ends_sentence(lines[i])
        for i in range(len(lines))
    ]
    columns: dict[int, float] = {}

    def column(i: int) -> float:
        if i not in columns:
            k = pos[i]
            full = [widths[j] for j in nonblank[max(0, k - 2 * _WINDOW) : k + 2 * _WINDOW + 1] if j != i and interior[j]]
            if len(full) >= 3:
                columns[i] = statistics.median(full)
            else:
                # Few lines to go by: the upper quartile, since full lines are the widest
                # that still belong to the column.
                near = sorted(widths[j] for j in nonblank[max(0, k - _WINDOW) : k + _WINDOW + 1] if j != i)
                columns[i] = float(near[(3 * len(near)) // 4]) if near else float(widths[i])
        return columns[i]

    # A page without hard wraps (one paragraph per line) has no column: every line stands alone.
    wrapped = _looks_hard_wrapped([lines[i].strip() for i in nonblank], [widths[i] for i in nonblank])

    def continues(i: int, j: int, across_blank: bool, unit_len: int) -> bool:
        """Does non-blank line i continue into non-blank line j?"""
        if not wrapped:
            return False
        a, b = lines[i], lines[j]
        col = column(i)
        if widths[i] > _OVERSIZE * col:
            return False
        if _is_indented(b) or widths[j] > _OVERSIZE * column(j) or LEAD_BYLINE.match(b.strip()):
            return False
        if STANDALONE_BYLINE.match(a.strip()) or STANDALONE_BYLINE.match(b.strip()):
            return False
        if opens_paragraph(j):
            return False
        if ends_sentence(a):
            # A sentence ending exactly at the line end: the paragraph goes on unless the
            # next line is short (its indent was lost in OCR) or the page left a blank line.
            return (
                not across_blank
                and padded[i] >= col - _INDENT
                and padded[j] >= column(j) - _INDENT
                and not CAPTION.search(b.strip())
                and _runs_on(j)
            )
        # A dateline line (本报讯 记者X报道 …) opens a paragraph; its print spacing makes it look short.
        short = padded[i] < _FULL * col and not (unit_len == 1 and LEAD_BYLINE.match(a.strip()))
        if short:
            return False
        # A single full-width line before a blank line, with no clause punctuation,
        # is a headline, not the start of a paragraph broken by a column jump.
        lone_title = across_blank and unit_len == 1 and not any(p in a for p in "，、；：,;:")
        return not lone_title or bool(_FRAGMENT_START.match(b.strip()))

    def opens_paragraph(j: int) -> bool:
        """Line j is narrower than the column yet runs on into the next line: the first
        line of a paragraph whose indent OCR dropped.  (Width here counts the spaces of
        justified print, which fill a line out to the column.)"""
        follows = j + 1 < len(lines) and bool(lines[j + 1].strip())
        return follows and not ends_sentence(lines[j]) and padded[j] < column(j) - _INDENT

    def _runs_on(j: int) -> bool:
        """Line j reads as running text: clause punctuation, or the next line follows at once
        (a headline has neither; it stands alone)."""
        follows = j + 1 < len(lines) and bool(lines[j + 1].strip())
        return follows or any(p in lines[j] for p in _CLAUSE)

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


def _looks_hard_wrapped(lines: list[str], widths: list[int]) -> bool:
    """Hard-wrapped pages break sentences at the line end; pages with one paragraph per
    line end their running-text lines with a sentence.  Running text = lines with clause
    punctuation or as wide as typical lines (titles are neither)."""
    if len(lines) < 2:
        return False
    typical = statistics.median(widths)
    # A numbered heading's 、 (一、稳定外贸主体) is not running text's punctuation.
    bare = [ENUMERATOR.sub("", ln) for ln in lines]
    running = [ln for ln, w in zip(bare[:-1], widths, strict=False) if w >= _FULL * typical or any(p in ln for p in _CLAUSE)]
    broken = sum(1 for ln in running if not ends_sentence(ln))
    return bool(running) and broken >= _BROKEN_SHARE * len(running)


def join_lines(lines: list[tuple[int, str]], notes: list[Normalisation]) -> str:
    """The text of a unit's lines, joined.  A space goes only between two Latin words
    (``World Economic⏎Forum``); digits broken over a line (``1⏎2345``) are one number."""
    parts: list[str] = []
    prev = ""  # the text so far, or at least its last characters
    for k, (_, raw) in enumerate(lines):
        piece = raw.strip()
        if k and prev and piece:
            glue = " " if _latin_word_break(prev[-1], piece[0]) else ""
            notes.append(Normalisation("join-line", lines[k - 1][0], prev[-6:] + "⏎" + piece[:6], prev[-6:] + glue + piece[:6]))
            parts.append(glue)
        if piece:
            parts.append(piece)
            prev = (prev + piece)[-6:] if len(piece) < 6 else piece
    return "".join(parts)


def _latin_word_break(left: str, right: str) -> bool:
    both_alnum = left.isascii() and left.isalnum() and right.isascii() and right.isalnum()
    return both_alnum and not (left.isdigit() and right.isdigit())
