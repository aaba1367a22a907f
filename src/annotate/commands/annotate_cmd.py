"""``annotate annotate``: add the linguistic layer and save it as JSON lines."""

from __future__ import annotations

import argparse
from pathlib import Path

from ._common import config_from_args, corpus_command


def register(sub: argparse._SubParsersAction) -> None:
    p = corpus_command(
        sub, "annotate", main, translation=False, run=False,
        help="sentences, words, UPOS, entities, pinyin and term links (cached; saved as JSON lines)",
        description="Ingest and annotate pages. Results are cached: unchanged pages are not re-annotated.",
    )
    p.add_argument("-o", "--output", type=Path, help="write the documents as JSON lines to this file (default: a summary)")

def main(args: argparse.Namespace) -> int:
    import json

    from ..fsutil import write_text_atomic
    from ..pipeline import load_documents

    config = config_from_args(args)
    docs = load_documents(config.corpus, config=config)
    if args.output:
        lines = [json.dumps(d.to_dict(), ensure_ascii=False, sort_keys=True) for d in docs]
        write_text_atomic(args.output, "\n".join(lines) + "\n")
    for d in docs:
        print(f"{d.id}: {len(d.sentences)} sentences, {len(d.tokens)} tokens, {len(d.entities)} entities, {len(d.terms)} term links")
    return 0
