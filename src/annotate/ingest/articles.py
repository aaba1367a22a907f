"""Group classified items into articles, headline first.

Headlines may come before or after their article: a page whose first text is body
copy prints headlines *after* the article (as many Chinese papers' OCR comes out);
otherwise they come first.  A run of title lines between two bodies is an article
boundary when the next body opens with a dateline (本报讯, 新华社…电) or when a title
is longer than a section heading; short or numbered title lines inside an article are
section headings.  A dateline always opens a new article.
"""

from __future__ import annotations

from ..model import Article, Block, Normalisation
from .classify import Item, attach_credits, classify, split_title_pairs
from .lines import Unit
from .patterns import ENUMERATOR

_HEADING_MAX = 10  # characters: a section heading is short
_NUMBERED_HEADING_MAX = 24  # a numbered heading (一、… （二）…) may be longer


def _is_heading(item: Item) -> bool:
    """A section heading: short, no clause punctuation, or numbered (一、 （二） 3.)."""
    if ENUMERATOR.match(item.text):
        return len(item.text) <= _NUMBERED_HEADING_MAX
    return len(item.text) <= _HEADING_MAX and not any(p in item.text for p in "，、,：:；; ")


_TITLE_ORDER = {"headline": 0, "subheadline": 1}


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
        self.articles[-1].append((kind, text, lines))

    def has_headline(self) -> bool:
        return self.current is not None and any(k == "headline" for k, _, _ in self.current)

    def has_body(self) -> bool:
        return self.current is not None and any(k == "paragraph" for k, _, _ in self.current)

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
            self._headline_group(titles)
            if next_item is not None:
                self.new_article()
            for t in tail:
                self.add("section", t.text, t.lines)
            return
        self.new_article()
        self._headline_group(titles)

    def _headline_group(self, titles: list[Item]) -> None:
        """The first title is the headline (unless the article has one); the rest are subheadlines."""
        for i, t in enumerate(titles):
            self.add("headline" if i == 0 and not self.has_headline() else "subheadline", t.text, t.lines)


def build_articles(units: list[Unit], doc_id: str, notes: list[Normalisation]) -> tuple[list[Article], list[Block]]:
    items = attach_credits([classify(u, notes) for u in split_title_pairs(units)])
    captions = [i for i in items if i.kind == "caption"]
    flow = [i for i in items if i.kind != "caption"]
    # A page that opens with body text prints its headlines after their articles (an
    # editor's note or a byline may come before either).
    opening = next((i for i in flow if i.kind in ("title", "paragraph")), None)
    headline_last = opening is not None and opening.kind == "paragraph"

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
            b.add("byline", item.lead_byline, item.lead_lines)
        if item.text:
            b.add(item.kind, item.text, item.lines)
    if pending:
        b.titles(pending, None)

    articles: list[Article] = []
    for n, blocks in enumerate((a for a in b.articles if a), 1):
        aid = f"{doc_id}.a{n}"
        # Reading order: headline, subheadline(s), then everything else as printed.
        ordered = sorted(enumerate(blocks), key=lambda ib: (_TITLE_ORDER.get(ib[1][0], 2), ib[0]))
        numbered = [Block(id=f"{aid}.p{k}", kind=kind, text=text, lines=lines) for k, (_, (kind, text, lines)) in enumerate(ordered, 1)]
        articles.append(Article(id=aid, blocks=numbered))
    caption_blocks = [Block(id=f"{doc_id}.c{k}", kind="caption", text=c.text, lines=c.lines) for k, c in enumerate(captions, 1)]
    return articles, caption_blocks
