"""Classify a unit of text: paragraph, title, byline, caption, photo credit or note.

Bylines and datelines are recognised by their form (patterns.py); a dateline opening a
paragraph (``本报讯 记者X报道 以…``) is split off.  Captions end with a photo credit or
open with 图为; titles are short units without sentence-final punctuation.  A photo
credit printed on its own line joins the caption above it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Normalisation
from ..zh import SENTENCE_END, ends_sentence
from .lines import Unit, join_lines
from .normalise import clean_unit, normalise_characters
from .patterns import CAPTION, CREDIT_ONLY, LEAD_BYLINE, NOTE, STANDALONE_BYLINE
from .spacing import collapse_spaces

TITLE_MAX = 48  # characters: longer lines without a full stop are body text


@dataclass
class Item:
    kind: str  # title, paragraph, byline, note, caption, credit (a photo credit line)
    text: str
    lines: tuple[int, int]
    lead_byline: str = ""  # a dateline/byline split off the start of a paragraph
    lead_lines: tuple[int, int] = (0, 0)


def classify(unit: Unit, notes: list[Normalisation]) -> Item:
    """What this unit is, with its cleaned text; changes made are appended to ``notes``."""
    span = (unit.first, unit.last)
    raw = join_lines(unit.lines, [])  # spacing intact, for byline matching
    flat = collapse_spaces(raw)
    if CREDIT_ONLY.match(flat):
        return Item("credit", clean_unit(unit.lines, notes), span)
    if STANDALONE_BYLINE.match(flat) and len(flat) <= 40:
        return Item("byline", normalise_characters(flat, unit.first, notes), span)
    lead = LEAD_BYLINE.match(flat)
    if lead and lead.end() > 0:
        rest_raw = flat[lead.end() :].strip()
        if rest_raw:
            body = _clean_rest(unit, lead.group(), notes)
            byline = normalise_characters(collapse_spaces(lead.group()), unit.first, notes)
            size = _visible_count(lead.group())
            byline_end, body_start = _line_of(unit, size - 1), _line_of(unit, size)
            return Item("paragraph", body, (body_start, unit.last), lead_byline=byline, lead_lines=(unit.first, byline_end))
    changes: list[Normalisation] = []
    text = clean_unit(unit.lines, changes)
    kind = "paragraph"
    if CAPTION.search(text) and len(unit.lines) <= 4 and len(text) <= 160:
        kind = "caption"
    elif NOTE.match(text):
        kind = "note"
    elif _title_like(text, unit):
        kind = "title"
        changes = []
        text = clean_unit(unit.lines, changes, phrase_gaps=True)
    notes.extend(changes)
    return Item(kind, text, span)


def _clean_rest(unit: Unit, byline_raw: str, notes: list[Normalisation]) -> str:
    """The paragraph after a lead byline (which may run over a line break: 王⏎明）).

    Cleaning only removes whitespace and maps characters one to one, so dropping as
    many non-space characters as the byline has removes exactly the byline."""
    text = clean_unit(unit.lines, notes)
    need = _visible_count(byline_raw)
    i = 0
    while need and i < len(text):
        if not text[i].isspace():
            need -= 1
        i += 1
    return text[i:].lstrip()


def _visible_count(text: str) -> int:
    return sum(1 for c in text if not c.isspace())


def _line_of(unit: Unit, n: int) -> int:
    """Source line holding the unit's n-th (0-based) non-space character."""
    for number, line in unit.lines:
        count = _visible_count(line)
        if n < count:
            return number
        n -= count
    return unit.last


def _title_like(text: str, unit: Unit) -> bool:
    if not text or len(text) > TITLE_MAX or ends_sentence(text) or text.endswith((".", "．")):
        return False
    if any(p in text for p in SENTENCE_END) or "。" in text:
        return False
    return len(unit.lines) <= 2


def split_title_pairs(units: list[Unit]) -> list[Unit]:
    """Two stacked title lines (headline over subheadline) look like one wrapped line;
    two lines with no punctuation at all that do not end a sentence are two titles."""
    out: list[Unit] = []
    for u in units:
        text = "".join(line.strip() for _, line in u.lines)
        plain = not any(p in text for p in "，。、；：！？,;:!?") and not NOTE.match(text) and not CAPTION.search(text)
        if len(u.lines) == 2 and plain and len(text) <= 2 * TITLE_MAX:
            out.append(Unit(lines=[u.lines[0]], indented=u.indented, after_blank=u.after_blank))
            out.append(Unit(lines=[u.lines[1]], indented=False, after_blank=False))
        else:
            out.append(u)
    return out


def attach_credits(items: list[Item]) -> list[Item]:
    """A photo credit printed on its own line under a caption belongs to that caption;
    anywhere else it is a caption by itself."""
    out: list[Item] = []
    for item in items:
        if item.kind != "credit":
            out.append(item)
        elif out and out[-1].kind == "caption" and item.lines[0] - out[-1].lines[1] <= 2:
            prev = out[-1]
            out[-1] = Item("caption", prev.text + item.text, (prev.lines[0], item.lines[1]))
        else:
            out.append(Item("caption", item.text, item.lines))
    return out
