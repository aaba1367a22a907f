"""The second pass: articles from the sequence of labelled units, under page-level constraints.

The line tagger labels each unit (headline, kicker, subheadline, section heading, paragraph,
byline, note).  Where one article ends and the next begins is decided here, for the whole
page at once:

* A page whose first text (bylines and captions aside) is a title prints headlines before
  their bodies; otherwise after them, as OCR of many Chinese pages gives them.
* Each run of title units is one article's title block: exactly one headline, a kicker
  (引题) attached to the headline under it, subheadlines to the headline above them.  A block
  without a headline label takes its first title as the headline.
* Headline first: each title block that follows body text opens an article.  Headline last:
  the first unit after a title block opens the next article.  Either way a standalone byline
  stays with the article whose body it precedes or follows on the same side of the title
  block, so an end-of-article byline is not given to the neighbour.
* A paragraph that opens with a dateline (本报讯, 新华社…电) starts an article of its own when
  the current one already has body text and no title block came between.
"""

from __future__ import annotations

from dataclasses import dataclass

TITLES = ("kicker", "headline", "subheadline")
BODY = ("paragraph", "section", "note")


@dataclass
class Part:
    """A unit of an article: its kind, cleaned text, source lines; a dateline split off it."""

    kind: str  # kicker, headline, subheadline, section, paragraph, note, byline
    text: str
    lines: tuple[int, int]
    lead_byline: str = ""
    lead_lines: tuple[int, int] = (0, 0)


def _title_block(parts: list[Part]) -> list[Part]:
    """One headline per block: the first headline-labelled unit (or the first title), kickers
    before it, everything after it a subheadline."""
    at = next((k for k, p in enumerate(parts) if p.kind == "headline"), None)
    if at is None:
        at = next((k for k, p in enumerate(parts) if p.kind != "kicker"), len(parts) - 1)
    out = []
    for k, p in enumerate(parts):
        kind = "kicker" if k < at else "headline" if k == at else "subheadline"
        out.append(Part(kind, p.text, p.lines))
    return out


def group(parts: list[Part]) -> list[list[Part]]:
    """Articles (lists of parts in printed order) from the page's parts."""
    first = next((p for p in parts if p.kind in (*TITLES, *BODY)), None)
    headline_first = first is not None and first.kind in TITLES
    # Runs of titles become title blocks; everything else stays as it is.
    items: list[list[Part] | Part] = []
    for p in parts:
        if p.kind in TITLES:
            if items and isinstance(items[-1], list):
                items[-1].append(p)
            else:
                items.append([p])
        else:
            items.append(p)
    articles: list[list[Part]] = [[]]
    has_body = False
    after_titles = False  # headline last: the current article's title block has been printed
    for it in items:
        if isinstance(it, list):
            block = _title_block(it)
            if headline_first:
                if has_body:
                    articles.append([])
                    has_body = False
            elif after_titles:
                articles.append([])  # two title blocks in a row: an article of titles only
                has_body = False
            articles[-1].extend(block)
            after_titles = True
            continue
        if headline_first:
            if it.lead_byline and has_body and not _just_titled(articles[-1]):
                articles.append([])
                has_body = False
        else:
            if after_titles or (it.lead_byline and has_body):
                articles.append([])
                has_body = False
            after_titles = False
        articles[-1].append(it)
        has_body = has_body or it.kind in BODY
    return [a for a in articles if a]


def _just_titled(article: list[Part]) -> bool:
    """The article has a title block and no body yet (its dateline paragraph is coming)."""
    return any(p.kind in TITLES for p in article) and not any(p.kind in BODY for p in article)
