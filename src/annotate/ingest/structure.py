"""From tagged lines to articles: units of lines, their kinds, and the page's articles.

The line tagger (tagger.py) gives every non-blank line a label: which kind of unit it belongs
to (paragraph, headline, kicker, subheadline, section heading, byline, note, caption) and
whether it starts that unit or continues the one before (``-B``/``-I``).  Here consecutive
lines become units, each unit is cleaned (joined, print spacing removed, digits normalised;
every change recorded), and a dateline or byline that opens a paragraph is split off by its
form (patterns.py).  boundaries.py then decides the articles for the whole page.  Captions
go to the document, apart from the articles.

Reading order puts a kicker (stored as a subheadline block before the headline), then the
headline, then the subheadlines first, whatever the print order was.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Article, Block, Normalisation
from ..zh import SENTENCE_END, ends_sentence
from .boundaries import Part, group
from .lines import Unit, join_lines
from .normalise import clean_unit, normalise_characters
from .patterns import CAPTION, LEAD_BYLINE, NOTE, STANDALONE_BYLINE, squeeze
from .spacing import collapse_spaces
from .tagger import tag_lines

TITLE_MAX = 48  # characters: a unit without a sentence end that is longer is running text
_TITLE_KINDS = {"H": "headline", "K": "kicker", "SUB": "subheadline", "S": "section"}
_BLOCK_KIND = {"kicker": "subheadline"}  # the document model has no kicker kind
_ORDER = {"kicker": 0, "headline": 1, "subheadline": 2}  # reading order, whatever the print order


@dataclass
class _Unit:
    kind: str  # P, H, K, SUB, S, BY, N, C
    lines: list[tuple[int, str]]


def _dateline(text: str) -> int:
    """How many non-space characters of ``text`` a dateline/byline opening it takes (0: none)."""
    m = LEAD_BYLINE.match(squeeze(text))
    return m.end() if m else 0


def _units(text: str) -> list[_Unit]:
    lines = text.split("\n")
    idx, labels = tag_lines(lines)
    units: list[_Unit] = []
    for i, label in zip(idx, labels, strict=True):
        kind, _, pos = label.partition("-")
        # A dateline opens a paragraph, whatever the tagger says.
        dateline = kind == "P" and _dateline(lines[i]) > 0
        if pos == "I" and units and units[-1].kind == kind and not dateline:
            units[-1].lines.append((i + 1, lines[i]))
        else:
            units.append(_Unit(kind, [(i + 1, lines[i])]))
    # A caption is known by its photo credit or its opening (图为…): without one it is text.
    for u in units:
        if u.kind == "C" and not CAPTION.search("".join(ln.strip() for _, ln in u.lines)):
            u.kind = "P"
    # A short unit read as running text right before a dateline, without a sentence end, is
    # the headline of the article the dateline opens.
    for k in range(len(units) - 1):
        u, nxt = units[k], units[k + 1]
        if u.kind == "P" and nxt.kind == "P" and len(u.lines) <= 2 and _dateline(nxt.lines[0][1]) > 0:
            flat = "".join(ln.strip() for _, ln in u.lines)
            if len(flat) <= TITLE_MAX and not ends_sentence(flat) and not any(c in flat for c in SENTENCE_END) and not _dateline(flat):
                u.kind = "H"
    return units


def _visible(text: str) -> int:
    return sum(1 for c in text if not c.isspace())


def _line_of(unit: Unit, n: int) -> int:
    """Source line holding the unit's n-th (0-based) non-space character."""
    for number, line in unit.lines:
        count = _visible(line)
        if n < count:
            return number
        n -= count
    return unit.last


def _drop_visible(text: str, n: int) -> str:
    """``text`` without its first ``n`` non-space characters."""
    i = 0
    while n and i < len(text):
        if not text[i].isspace():
            n -= 1
        i += 1
    return text[i:].lstrip()


def _paragraph(unit: Unit, notes: list[Normalisation]) -> Part:
    """A paragraph, with the dateline or byline it opens with split off (it may run over a
    line break: 王⏎明）).  Cleaning only removes whitespace and maps characters one to one, so
    dropping as many non-space characters as the dateline has removes exactly the dateline."""
    span = (unit.first, unit.last)
    raw = join_lines(unit.lines, [])
    flat = collapse_spaces(raw)
    if STANDALONE_BYLINE.match(flat) and len(flat) <= 40:
        return Part("byline", normalise_characters(flat, unit.first, notes), span)
    size = _dateline(raw)
    if size and size < _visible(raw):
        body = _drop_visible(clean_unit(unit.lines, notes), size)
        head = raw.lstrip()
        byline = normalise_characters(collapse_spaces(head[: len(head) - len(_drop_visible(head, size))]), unit.first, notes)
        return Part("paragraph", body, (_line_of(unit, size), unit.last), byline, (unit.first, _line_of(unit, size - 1)))
    if size:
        return Part("byline", normalise_characters(flat, unit.first, notes), span)
    text = clean_unit(unit.lines, notes)
    return Part("note" if NOTE.match(text) else "paragraph", text, span)


def _part(u: _Unit, notes: list[Normalisation]) -> Part:
    unit = Unit(lines=u.lines)
    span = (unit.first, unit.last)
    if u.kind == "P":
        return _paragraph(unit, notes)
    if u.kind == "N":
        return Part("note", clean_unit(unit.lines, notes), span)
    if u.kind == "BY":
        flat = collapse_spaces(join_lines(unit.lines, []))
        if not STANDALONE_BYLINE.match(flat) and any(c in flat for c in SENTENCE_END):
            return _paragraph(unit, notes)  # running text after all
        return Part("byline", normalise_characters(flat, unit.first, notes), span)
    if u.kind == "C":
        return Part("caption", clean_unit(unit.lines, notes), span)
    return Part(_TITLE_KINDS.get(u.kind, "paragraph"), clean_unit(unit.lines, notes, phrase_gaps=True), span)


def build_articles(text: str, doc_id: str, notes: list[Normalisation]) -> tuple[list[Article], list[Block]]:
    """The page's articles (blocks in reading order) and its captions."""
    parts: list[Part] = []
    captions: list[Part] = []
    for u in _units(text):
        part = _part(u, notes)
        (captions if part.kind == "caption" else parts).append(part)
    articles: list[Article] = []
    for group_parts in group(parts):
        aid = f"{doc_id}.a{len(articles) + 1}"
        blocks: list[tuple[str, str, tuple[int, int]]] = []
        for p in group_parts:
            if p.lead_byline:
                blocks.append(("byline", p.lead_byline, p.lead_lines))
            if p.text:
                blocks.append((p.kind, p.text, p.lines))
        ordered = sorted(range(len(blocks)), key=lambda k: (_ORDER.get(blocks[k][0], 3), k))
        out = [Block(id=f"{aid}.p{n}", kind=_BLOCK_KIND.get(blocks[k][0], blocks[k][0]), text=blocks[k][1], lines=blocks[k][2])
               for n, k in enumerate(ordered, 1)]
        if out:
            articles.append(Article(id=aid, blocks=out))
    caption_blocks = [Block(id=f"{doc_id}.c{k}", kind="caption", text=c.text, lines=c.lines) for k, c in enumerate(captions, 1)]
    return articles, caption_blocks
