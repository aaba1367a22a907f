"""Classify units (paragraph, title, byline, caption, note) and group them into articles.

Headlines may come before or after their article: a page whose first text is body
copy prints headlines *after* the article (as many Chinese papers' OCR comes out);
otherwise they come first.  A run of title lines between two bodies is an article
boundary when the next body opens with a dateline (本报讯, 新华社…电) or when a title
is longer than a section heading; short title lines inside an article are section
headings.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Article, Block, Normalisation
from .cleaning import clean_unit, collapse_spaces, join_lines, normalise_characters, remove_print_spacing
from .lines import Unit
from .patterns import CAPTION, FINAL, LEAD_BYLINE, NOTE, STANDALONE_BYLINE, ends_sentence

_TITLE_MAX = 48  # characters: longer lines without a full stop are body text
_HEADING_MAX = 10  # characters: a section heading is short


@dataclass
class Item:
    kind: str  # title, paragraph, byline, note, caption
    text: str
    lines: tuple[int, int]
    lead_byline: str = ""  # a dateline/byline split off the start of a paragraph
    lead_line: int = 0


def classify(unit: Unit, notes: list[Normalisation]) -> Item:
    span = (unit.first, unit.last)
    raw = join_lines(unit.lines, [])  # spacing intact, for byline matching
    flat = collapse_spaces(raw)
    if STANDALONE_BYLINE.match(flat) and len(flat) <= 40:
        return Item("byline", normalise_characters(flat, unit.first, notes), span)
    lead = LEAD_BYLINE.match(flat)
    if lead and lead.end() > 0:
        rest_raw = flat[lead.end() :].strip()
        if rest_raw:
            body = _clean_rest(unit, lead.group(), notes)
            byline = normalise_characters(collapse_spaces(lead.group()), unit.first, notes)
            return Item("paragraph", body, span, lead_byline=byline, lead_line=unit.first)
    text = clean_unit(unit.lines, notes)
    if CAPTION.search(text) and len(unit.lines) <= 4 and len(text) <= 160:
        return Item("caption", text, span)
    if NOTE.match(text):
        return Item("note", text, span)
    if _title_like(text, unit):
        return Item("title", text, span)
    return Item("paragraph", text, span)


def _clean_rest(unit: Unit, byline_raw: str, notes: list[Normalisation]) -> str:
    """The paragraph after a lead byline (which may run over a line break, 王\n明）).

    Cleaning only removes whitespace and maps characters one to one, so dropping as
    many non-space characters as the byline has removes exactly the byline."""
    text = clean_unit(unit.lines, notes)
    need = sum(1 for c in byline_raw if not c.isspace())
    i = 0
    while need and i < len(text):
        if not text[i].isspace():
            need -= 1
        i += 1
    return text[i:].lstrip()


def _title_like(text: str, unit: Unit) -> bool:
    if not text or len(text) > _TITLE_MAX or ends_sentence(text) or text.endswith((".", "．")):
        return False
    if any(p in text for p in FINAL) or "。" in text:
        return False
    return len(unit.lines) <= 2


def _is_heading(item: Item) -> bool:
    return len(item.text) <= _HEADING_MAX and not any(p in item.text for p in "，、,：:；;")


class _Builder:
    """Collects blocks per article; orders them headline-first at the end."""

    def __init__(self, headline_last: bool) -> None:
        self.headline_last = headline_last
        self.articles: list[list[tuple[str, str, tuple[int, int]]]] = []
        self.current: list[tuple[str, str, tuple[int, int]]] | None = None

    def new_article(self) -> None:
        self.current = []
        self.articles.append(self.current)

    def add(self, kind: str, text: str, lines: tuple[int, int]) -> None:
        if self.current is None:
            self.new_article()
        assert self.current is not None
        self.current.append((kind, text, lines))

    def has_headline(self) -> bool:
        return self.current is not None and any(k == "headline" for k, _, _ in self.current)

    def has_body(self) -> bool:
        return self.current is not None and any(k in ("paragraph", "note") for k, _, _ in self.current)

    def titles(self, titles: list[Item], next_item: Item | None) -> None:
        boundary = next_item is None or bool(next_item.lead_byline) or not all(_is_heading(t) for t in titles)
        if self.current is None or not self.has_body():
            # Page start (or an article so far without body): headline(s) of the article that follows.
            self._headline_group(titles)
            return
        if not boundary:
            for t in titles:
                self.add("section", t.text, t.lines)
            return
        if self.headline_last and not self.has_headline():
            # Headline (and subheadline) printed after their article; short trailing
            # lines are the section headings that open the next text.
            tail: list[Item] = []
            while len(titles) > 1 and _is_heading(titles[-1]):
                tail.insert(0, titles.pop())
            self._headline_group(titles, same_article=True)
            if next_item is not None:
                self.new_article()
            for t in tail:
                self.add("section", t.text, t.lines)
            return
        self.new_article()
        self._headline_group(titles)

    def _headline_group(self, titles: list[Item], same_article: bool = True) -> None:
        for i, t in enumerate(titles):
            self.add("headline" if i == 0 and not self.has_headline() else "subheadline", t.text, t.lines)


def _split_title_pairs(units: list[Unit]) -> list[Unit]:
    """Two stacked title lines (headline over subheadline) look like one wrapped line;
    two lines with no punctuation at all that do not end a sentence are two titles."""
    out: list[Unit] = []
    for u in units:
        text = "".join(line.strip() for _, line in u.lines)
        plain = not any(p in text for p in "，。、；：！？,;:!?") and not NOTE.match(text) and not CAPTION.search(text)
        if len(u.lines) == 2 and plain and len(text) <= 2 * _TITLE_MAX:
            out.append(Unit(lines=[u.lines[0]], indented=u.indented, after_blank=u.after_blank))
            out.append(Unit(lines=[u.lines[1]], indented=False, after_blank=False))
        else:
            out.append(u)
    return out


def build_articles(units: list[Unit], doc_id: str, notes: list[Normalisation]) -> tuple[list[Article], list[Block]]:
    items = [classify(u, notes) for u in _split_title_pairs(units)]
    captions = [i for i in items if i.kind == "caption"]
    flow = [i for i in items if i.kind != "caption"]
    first_text = next((i for i in flow if i.kind != "title"), None)
    headline_last = bool(flow) and flow[0].kind != "title" and first_text is not None

    b = _Builder(headline_last)
    pending: list[Item] = []
    for item in flow:
        if item.kind == "title":
            pending.append(item)
            continue
        if pending:
            b.titles(pending, item)
            pending = []
        elif item.lead_byline and b.has_body():
            b.new_article()  # a dateline always opens a new article
        if item.lead_byline:
            b.add("byline", item.lead_byline, (item.lead_line, item.lead_line))
        if item.text:
            b.add(item.kind, item.text, item.lines)
    if pending:
        b.titles(pending, None)

    articles: list[Article] = []
    for n, blocks in enumerate((a for a in b.articles if a), 1):
        aid = f"{doc_id}.a{n}"
        order = {"headline": 0, "subheadline": 1}
        ordered = sorted(enumerate(blocks), key=lambda ib: (order.get(ib[1][0], 2), ib[0]))
        articles.append(
            Article(
                id=aid,
                blocks=[Block(id=f"{aid}.p{k}", kind=kind, text=text, lines=lines) for k, (_, (kind, text, lines)) in enumerate(ordered, 1)],
            )
        )
    caption_blocks = [Block(id=f"{doc_id}.c{k}", kind="caption", text=c.text, lines=c.lines) for k, c in enumerate(captions, 1)]
    return articles, caption_blocks


__all__ = ["build_articles", "classify", "remove_print_spacing"]
