"""``annotate annotate``: add the linguistic layer and save it as JSON lines."""

from __future__ import annotations

import argparse
from pathlib import Path

from ._common import add_corpus_arguments, options_from


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "annotate",
        help="sentences, words, UPOS, entities, pinyin and term links (cached; saved as JSON lines)",
        description="Ingest and annotate pages. Results are cached: unchanged pages are not re-annotated.",
    )
    add_corpus_arguments(p)
    p.add_argument("-o", "--output", type=Path, help="write the documents as JSON lines to this file (default: a summary)")
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    import json

    from ..fsutil import write_text_atomic
    from ..pipeline import RunOptions, load_documents

    options: RunOptions = options_from(args)
    docs = load_documents(options.corpus, options=options)
    if args.output:
        lines = [json.dumps(d.to_dict(), ensure_ascii=False, sort_keys=True) for d in docs]
        write_text_atomic(args.output, "\n".join(lines) + "\n")
    for d in docs:
        print(f"{d.id}: {len(d.sentences)} sentences, {len(d.tokens)} tokens, {len(d.entities)} entities, {len(d.terms)} term links")
    return 0
