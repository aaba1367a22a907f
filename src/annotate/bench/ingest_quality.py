"""How well ingestion recovers articles from OCR-style pages of real articles.

    annotate bench ingest_quality [--split test|tune] [--pages N] [--show-failures K]

Pages come from :mod:`annotate.bench.ingest_pages` (real articles of three broadcasters and agencies,
laid out the way OCR prints a newspaper column).  Scores, each against the page's truth:

* headlines found: share of true headlines that ingestion gives as some article's headline;
* article count: share of pages with exactly the true number of articles;
* bylines: share of true bylines (an article's bylines, joined) matched exactly;
* body similarity: per true article, difflib ratio of its body text to the body of the article
  found under the same headline (0 when the headline was not found), averaged;
* paragraph-break F1: the offsets in each article's body where a new paragraph or section
  starts, true against found (mapped through the alignment of the two texts);
* caption recall: share of true captions found as captions, exactly;
* characters lost or invented: the multiset difference between the page's characters and the
  characters of everything ingestion output (both without whitespace, digits and % in one form).

Text is compared without whitespace and with full-width digits and ％ folded, since print
spacing and digit width are the page's, not the article's.
"""

from __future__ import annotations

import argparse
import difflib
import sys
import time
from collections import Counter
from dataclasses import dataclass, field

from ..ingest import METHODS, ingest_text
from ..model import Document
from ..textio import decode_page
from .ingest_pages import SPLITS, generate, page_bytes

_FOLD = str.maketrans("０１２３４５６７８９％", "0123456789%")


def fold(text: str) -> str:
    return "".join(text.translate(_FOLD).split())


@dataclass
class Scores:
    headlines: int = 0
    headlines_found: int = 0
    pages: int = 0
    pages_count_right: int = 0
    bylines: int = 0
    bylines_right: int = 0
    similarity: list[float] = field(default_factory=list)
    breaks_true: int = 0
    breaks_found: int = 0
    breaks_right: int = 0
    captions: int = 0
    captions_found: int = 0
    chars_lost: int = 0
    chars_invented: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)

    @property
    def f1(self) -> float:
        p = self.breaks_right / self.breaks_found if self.breaks_found else 1.0
        r = self.breaks_right / self.breaks_true if self.breaks_true else 1.0
        return 2 * p * r / (p + r) if p + r else 0.0

    def summary(self) -> dict[str, float]:
        def share(a: int, b: int) -> float:
            return a / b if b else 1.0

        return {
            "headlines": share(self.headlines_found, self.headlines),
            "article_count": share(self.pages_count_right, self.pages),
            "bylines": share(self.bylines_right, self.bylines),
            "body_similarity": sum(self.similarity) / len(self.similarity) if self.similarity else 1.0,
            "paragraph_f1": self.f1,
            "captions": share(self.captions_found, self.captions),
            "chars_lost": float(self.chars_lost),
            "chars_invented": float(self.chars_invented),
        }


def _body(blocks: list[tuple[str, str]]) -> tuple[str, set[int]]:
    """The body text (folded) and the offsets where its blocks start (the first excluded)."""
    text, starts = "", set()
    for _kind, t in blocks:
        if text:
            starts.add(len(text))
        text += fold(t)
    return text, starts


def _mapped(found_text: str, true_text: str, starts: set[int]) -> set[int]:
    """Found break offsets carried over to offsets in the true text (equal stretches only)."""
    out = set()
    sm = difflib.SequenceMatcher(None, found_text, true_text, autojunk=False)
    for tag, i1, i2, j1, _j2 in sm.get_opcodes():
        if tag == "equal":
            out |= {j1 + (s - i1) for s in starts if i1 <= s < i2}
    return out


def score_page(text: str, truth: dict, scores: Scores, method: str = "rules") -> None:
    # The page as a file would hold it (UTF-8, BOM and CRLF, GB18030), decoded as ingest_file does.
    decoded = decode_page(page_bytes(text, truth.get("encoding", "utf-8")), truth["page"]).text
    t0 = time.perf_counter()
    doc: Document = ingest_text(decoded, truth["page"], method=method)
    scores.seconds += time.perf_counter() - t0
    scores.pages += 1
    found = {}
    for art in doc.articles:
        found.setdefault(fold(art.headline), art)
    n_true = len(truth["articles"])
    if len(doc.articles) == n_true:
        scores.pages_count_right += 1
    else:
        scores.failures.append(f"{truth['page']}: {len(doc.articles)} articles, {n_true} true")
    for ta in truth["articles"]:
        scores.headlines += 1
        art = found.get(fold(ta["headline"]))
        if art is None:
            scores.failures.append(f"{truth['page']}: headline not found: {ta['headline']}")
        else:
            scores.headlines_found += 1
        true_text, true_starts = _body([(b["kind"], b["text"]) for b in ta["blocks"]])
        scores.breaks_true += len(true_starts)
        if ta["bylines"]:
            scores.bylines += 1
            if art is not None and fold("".join(b.text for b in art.blocks if b.kind == "byline")) == fold("".join(ta["bylines"])):
                scores.bylines_right += 1
            else:
                got = art.byline if art is not None else None
                scores.failures.append(f"{truth['page']}: byline {got!r}, true {ta['bylines']}")
        if art is None:
            scores.similarity.append(0.0)
            continue
        found_text, found_starts = _body([(b.kind, b.text) for b in art.body])
        scores.similarity.append(difflib.SequenceMatcher(None, found_text, true_text, autojunk=False).ratio())
        scores.breaks_found += len(found_starts)
        scores.breaks_right += len(_mapped(found_text, true_text, found_starts) & true_starts)
    found_caps = {fold(c.text) for c in doc.captions}
    for cap in truth["captions"]:
        scores.captions += 1
        if fold(cap) in found_caps:
            scores.captions_found += 1
        else:
            scores.failures.append(f"{truth['page']}: caption not found: {cap[:20]}…")
    page_chars = Counter(fold(text))
    out_chars = Counter()
    for b in doc.blocks():
        out_chars.update(fold(b.text))
    scores.chars_lost += sum((page_chars - out_chars).values())
    scores.chars_invented += sum((out_chars - page_chars).values())


def evaluate(split: str, pages: int | None = None, first: int = 0, method: str = "rules") -> Scores:
    """Score pages ``first`` … of the split (the tagger trains on tune-0 … tune-599; tune-600 … validate it)."""
    scores = Scores()
    for text, truth in (generate(split) if pages is None else generate(split, pages))[first:]:
        score_page(text, truth, scores, method)
    return scores


def run(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="annotate bench ingest_quality")
    ap.add_argument("--split", choices=SPLITS, default="test", help="which split to score (report the test split)")
    ap.add_argument("--pages", type=int, default=None, help="score only the first N pages")
    ap.add_argument("--first", type=int, default=0, help="skip the first N pages (--split tune --pages 700 --first 600: the validation pages)")
    ap.add_argument("--method", choices=METHODS, default="rules", help="ingestion method to score")
    ap.add_argument("--show-failures", type=int, default=0, metavar="K", help="print the first K failures")
    args = ap.parse_args(argv)
    s = evaluate(args.split, args.pages, args.first, args.method)
    m = s.summary()
    print(f"method {args.method}, split {args.split}: {s.pages} pages, {s.headlines} articles, {s.bylines} with bylines, {s.captions} captions")
    print(f"  headlines found          {m['headlines']:7.1%}")
    print(f"  exact article count      {m['article_count']:7.1%} of pages")
    print(f"  bylines exact            {m['bylines']:7.1%}")
    print(f"  body similarity          {m['body_similarity']:7.3f}")
    print(f"  paragraph-break F1       {m['paragraph_f1']:7.3f}")
    print(f"  captions found           {m['captions']:7.1%}")
    print(f"  characters lost/invented {s.chars_lost} / {s.chars_invented}")
    print(f"  ingestion time           {s.seconds / max(1, s.pages) * 1000:7.2f} ms per page (mean)")
    for f in s.failures[: args.show_failures]:
        print("   ", f)
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
