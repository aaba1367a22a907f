"""``annotate translate``: English for every sentence, and the glossary adherence report."""

from __future__ import annotations

import argparse
from pathlib import Path

from ._common import config_from_args, corpus_command


def register(sub: argparse._SubParsersAction) -> None:
    p = corpus_command(
        sub, "translate", main, translation=True, run=False,
        help="translate every sentence zh→en offline, with the glossary enforced",
        description="Translate a corpus sentence by sentence. Translations are cached; re-runs only translate changed sentences.",
    )
    p.add_argument("--report", action="store_true", help="print the glossary adherence report (rate and every miss)")
    p.add_argument("-o", "--output", type=Path, help="write the translated documents as JSON lines to this file")

def main(args: argparse.Namespace) -> int:
    import json
    import sys

    from ..context import Context, missing_model_message
    from ..errors import EnvironmentProblem
    from ..fsutil import write_text_atomic
    from ..pipeline import iter_documents
    from ..translate import AdherenceReport

    config = config_from_args(args)
    ctx = Context(config)
    translator = ctx.translator
    for warning in ctx.model_warnings:
        print(f"annotate: warning: {warning}", file=sys.stderr)
    if translator is None:
        raise EnvironmentProblem(missing_model_message(config))
    report = AdherenceReport()
    lines = []
    for doc, job in iter_documents(config.corpus, upto="translate", ctx=ctx):
        report.add_document(doc, ctx.glossary.by_id)
        c = job.counts
        print(f"{doc.id}: {c.get('translated', 0)} translated, {c.get('cached', 0)} from cache, {c.get('flagged', 0)} flagged")
        if args.output:
            lines.append(json.dumps(doc.to_dict(), ensure_ascii=False, sort_keys=True))
    if args.output:
        write_text_atomic(args.output, "\n".join(lines) + "\n")
    print(report.render(verbose=args.report))
    ctx.close()
    return 0
