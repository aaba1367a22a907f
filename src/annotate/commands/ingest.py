"""``annotate ingest PAGE.txt``: one page → articles, headlines, bylines, paragraphs, captions."""

from __future__ import annotations

import argparse
from pathlib import Path

from ._common import add_ingest_method_argument, encoding


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "ingest",
        help="structure one page: articles, headline, subheadline, byline, paragraphs, captions",
        description="Read a page (UTF-8, UTF-16, GB18030 or Big5; OCR line breaks welcome) and print its structure.",
    )
    p.add_argument("page", type=Path, help="the page, a plain-text file")
    p.add_argument("--json", action="store_true", help="print the interchange JSON on stdout")
    p.add_argument("--encoding", type=encoding, help="the page's encoding (default: detect)")
    add_ingest_method_argument(p)
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    import json
    import sys

    from ..ingest import ingest_file

    doc = ingest_file(args.page, encoding=args.encoding, method=args.ingest_method or "rules")
    if args.json:
        sys.stdout.write(json.dumps(doc.interchange(), ensure_ascii=False, indent=2) + "\n")
        return 0
    for article in doc.articles:
        print(f"{article.id}")
        for block in article.blocks:
            text = block.text if len(block.text) <= 40 else block.text[:39] + "…"
            print(f"  {block.kind:12} lines {block.lines[0]}-{block.lines[1]}  {text}")
    for caption in doc.captions:
        print(f"caption      lines {caption.lines[0]}-{caption.lines[1]}  {caption.text}")
    changed = {}
    for n in doc.normalisations:
        changed[n.kind] = changed.get(n.kind, 0) + 1
    if changed:
        print("normalised: " + ", ".join(f"{k} ×{v}" for k, v in sorted(changed.items())))
    return 0
