"""From tagged lines to articles: units of lines, their kinds, and article boundaries.

The line tagger (tagger.py) gives every non-blank line a label: which kind of unit it belongs
to (paragraph, headline, kicker, subheadline, section heading, byline, caption), whether it
starts that unit or continues the one before (``-B``/``-I``), and whether it is the first
printed line of an article (``A``).  Here consecutive lines become units, each unit is cleaned
(joined, print spacing removed, digits normalised; every change recorded), a dateline or
byline that opens a paragraph is split off by its form (patterns.py), and units are grouped
into articles at the ``A`` marks.  Captions go to the document, apart from the articles.

Reading order puts a kicker (stored as a subheadline, printed above the headline), then the
headline, then the subheadlines first, whatever the print order was.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Article, Block, Normalisation
from ..zh import ends_sentence
from .classify import TITLE_MAX, Item, classify
from .lines import Unit, join_lines
from .normalise import clean_unit, normalise_characters
from .patterns import LEAD_BYLINE, NOTE
from .spacing import collapse_spaces
from .tagger import tag_lines

_TITLE_KINDS = {"H": "headline", "K": "kicker", "SUB": "subheadline", "S": "section"}
_ORDER = {"kicker": 0, "headline": 1, "subheadline": 2}


@dataclass
class _Unit:
    kind: str  # P, H, K, SUB, S, BY, C
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


def _item(u: _Unit, notes: list[Normalisation]) -> Item:
    unit = Unit(lines=u.lines)
    span = (unit.first, unit.last)
    if u.kind == "P":
        item = classify(unit, notes)
        if item.kind == "paragraph" and item.lead_byline:
            return item
        if item.kind == "note" or NOTE.match(item.text):
            return Item("note", item.text, span)
        if item.kind == "title":
            # The tagger read it as running text; clean it as such (no phrase gaps kept).
            return Item("paragraph", clean_unit(unit.lines, notes), span)
        return Item("paragraph" if item.kind != "byline" else "byline", item.text, span, item.lead_byline, item.lead_lines)
    if u.kind == "BY":
        return Item("byline", normalise_characters(collapse_spaces(join_lines(unit.lines, [])), unit.first, notes), span)
    if u.kind == "C":
        return Item("caption", clean_unit(unit.lines, notes), span)
    return Item(_TITLE_KINDS.get(u.kind, "paragraph"), clean_unit(unit.lines, notes, phrase_gaps=True), span)


def build_articles(text: str, doc_id: str, notes: list[Normalisation]) -> tuple[list[Article], list[Block]]:
    items: list[Item] = []
    captions: list[tuple[str, tuple[int, int]]] = []
    for u in _units(text):
        item = _item(u, notes)
        if item.kind == "caption":
            captions.append((item.text, item.lines))
        else:
            items.append(item)
    groups = _group(items)
    articles: list[Article] = []
    articles: list[Article] = []
    for blocks in groups:
        if not blocks:
            continue
        aid = f"{doc_id}.a{len(articles) + 1}"
        seen_headline = False
        kinds = []
        for kind, _text, _lines in blocks:
            if kind == "headline":
                kind = "subheadline" if seen_headline else "headline"
                seen_headline = True
            kinds.append(kind)
        ordered = sorted(range(len(blocks)), key=lambda k: (_ORDER.get(kinds[k], 3), k))
        out = []
        for n, k in enumerate(ordered, 1):
            kind = "subheadline" if kinds[k] == "kicker" else kinds[k]
            out.append(Block(id=f"{aid}.p{n}", kind=kind, text=blocks[k][1], lines=blocks[k][2]))
        articles.append(Article(id=aid, blocks=out))
    caption_blocks = [Block(id=f"{doc_id}.c{k}", kind="caption", text=t, lines=ln) for k, (t, ln) in enumerate(captions, 1)]
    return articles, caption_blocks


_HEADS = ("headline", "kicker", "subheadline")


def _group(items: list[Item]) -> list[list[tuple[str, str, tuple[int, int]]]]:
    """Articles from the sequence of items.  A page whose first text is a title prints
    headlines before their bodies: each run of titles after body text opens an article.
    Otherwise headlines follow their bodies: body text after a run of titles opens one."""
    first = next((i for i in items if i.kind in (*_HEADS, "paragraph", "section", "note")), None)
    headline_first = first is not None and first.kind in _HEADS
    groups: list[list[tuple[str, str, tuple[int, int]]]] = [[]]
    prev_title = False  # the previous item was a title
    has_body = False  # the current article has body text
    for it in items:
        title = it.kind in _HEADS
        if headline_first and title and not prev_title and has_body or not headline_first and not title and prev_title and it.kind != "byline":
            groups.append([])
            has_body = False
        if it.lead_byline:
            groups[-1].append(("byline", it.lead_byline, it.lead_lines))
        if it.text:
            groups[-1].append((it.kind, it.text, it.lines))
        has_body = has_body or it.kind in ("paragraph", "section", "note")
        prev_title = title or (headline_first and prev_title and it.kind == "byline")
    return groups
