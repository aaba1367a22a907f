"""``annotate translate``: English for every sentence, and the glossary adherence report."""

from __future__ import annotations

import argparse
from pathlib import Path

from ._common import add_corpus_arguments, add_translation_arguments, options_from


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "translate",
        help="translate every sentence zh→en offline (argostranslate), with the glossary enforced",
        description="Translate a corpus sentence by sentence. Translations are cached; re-runs only translate changed sentences.",
    )
    add_corpus_arguments(p)
    add_translation_arguments(p)
    p.add_argument("--report", action="store_true",
                   help="print the glossary adherence report (rate and every miss) and every translation flag")
    p.add_argument("-o", "--output", type=Path, help="write the translated documents as JSON lines to this file")
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    import json
    import sys

    from ..errors import EnvironmentProblem
    from ..fsutil import write_text_atomic
    from ..pipeline import load_documents, missing_model_message, open_translator

    options = options_from(args)
    translator, warnings = open_translator(options)
    for warning in warnings:
        print(f"annotate: warning: {warning}", file=sys.stderr)
    if translator is None:
        raise EnvironmentProblem(missing_model_message(options))
    from ..translate import AdherenceReport
    from ..translate.flag_report import FlagReport
    docs = load_documents(options.corpus, options=options)
    glossary = options_glossary(options)
    report = AdherenceReport()
    flags = FlagReport()
    lines = []
    for doc in docs:
        stats = translator.translate_document(doc, glossary.by_id)
        report.add_document(doc, glossary.by_id)
        flags.add_document(doc)
        print(f"{doc.id}: {stats.sentences_translated} translated, {stats.cache_hits} from cache, {stats.flagged} flagged")
        if args.output:
            lines.append(json.dumps(doc.to_dict(), ensure_ascii=False, sort_keys=True))
    if args.output:
        write_text_atomic(args.output, "\n".join(lines) + "\n")
    print(report.render(verbose=args.report))
    print(flags.render(verbose=args.report))
    return 0


def options_glossary(options):
    from ..pipeline import load_glossary_or_empty

    return load_glossary_or_empty(options.glossary)
