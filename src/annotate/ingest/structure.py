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
from ..zh import ends_sentence
from .boundaries import Part, group
from .classify import TITLE_MAX, classify
from .lines import Unit, join_lines
from .normalise import clean_unit, normalise_characters
from .patterns import LEAD_BYLINE, NOTE
from .spacing import collapse_spaces
from .tagger import tag_lines

_TITLE_KINDS = {"H": "headline", "K": "kicker", "SUB": "subheadline", "S": "section"}
_BLOCK_KIND = {"kicker": "subheadline"}  # the document model has no kicker kind
_ORDER = {"kicker": 0, "headline": 1, "subheadline": 2}  # reading order, whatever the print order


@dataclass
class _Unit:
    kind: str  # P, H, K, SUB, S, BY, N, C
    starts_article: bool
    lines: list[tuple[int, str]]


def _units(text: str) -> list[_Unit]:
    lines = text.split("\n")
    idx, labels = tag_lines(lines)
    units: list[_Unit] = []
    for i, label in zip(idx, labels, strict=True):
        start = label.startswith("A")
        kind, _, pos = (label[1:] if start else label).partition("-")
        # A dateline opens a paragraph, whatever the tagger says.
        dateline = kind == "P" and bool(LEAD_BYLINE.match(lines[i].strip())) and LEAD_BYLINE.match(lines[i].strip()).end() > 0
        if pos == "I" and units and units[-1].kind == kind and not start and not dateline:
            units[-1].lines.append((i + 1, lines[i]))
        else:
            units.append(_Unit(kind, start, [(i + 1, lines[i])]))
    # A short unit read as running text right before a dateline, without a sentence end, is
    # the headline of the article the dateline opens.
    for k in range(len(units) - 1):
        u, nxt = units[k], units[k + 1]
        if u.kind == "P" and nxt.kind == "P" and len(u.lines) <= 2 and _opens_with_dateline(nxt):
            flat = "".join(ln.strip() for _, ln in u.lines)
            if len(flat) <= TITLE_MAX and not ends_sentence(flat) and not any(c in flat for c in "。！？!?"):
                u.kind = "H"
    return units


def _opens_with_dateline(u: _Unit) -> bool:
    m = LEAD_BYLINE.match(u.lines[0][1].strip())
    return m is not None and m.end() > 0


def _part(u: _Unit, notes: list[Normalisation]) -> Part:
    unit = Unit(lines=u.lines)
    span = (unit.first, unit.last)
    if u.kind in ("P", "N"):
        item = classify(unit, notes)
        if item.kind == "paragraph" and item.lead_byline:
            return Part("paragraph", item.text, item.lines, item.lead_byline, item.lead_lines)
        if u.kind == "N" or item.kind == "note" or NOTE.match(item.text):
            return Part("note", item.text, span)
        if item.kind in ("title", "caption", "credit"):
            # The tagger read it as running text; clean it as such (no phrase gaps kept).
            return Part("paragraph", clean_unit(unit.lines, notes), span)
        return Part("byline" if item.kind == "byline" else "paragraph", item.text, span)
    if u.kind == "BY":
        return Part("byline", normalise_characters(collapse_spaces(join_lines(unit.lines, [])), unit.first, notes), span)
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
