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
    p.add_argument("--report", action="store_true", help="print the glossary adherence report (rate and every miss)")
    p.add_argument("--lines", metavar="FILE", help="translate FILE (or - for stdin), one Chinese sentence per line; "
                   "print one English line per input line on stdout (same model, cache, glossary and checks)")
    p.add_argument("-o", "--output", type=Path, help="write the translated documents as JSON lines to this file")
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    import json
    import sys

    from ..errors import EnvironmentProblem
    from ..fsutil import write_text_atomic
    from ..pipeline import load_documents, missing_model_message, open_translator

    options = options_from(args)
    if args.lines is not None:
        lines = _read_lines(args.lines)  # bad input fails before any model is opened
    translator, warnings = open_translator(options)
    for warning in warnings:
        print(f"annotate: warning: {warning}", file=sys.stderr)
    if translator is None:
        raise EnvironmentProblem(missing_model_message(options))
    if args.lines is not None:
        return translate_lines(translator, lines, options_glossary(options))
    from ..translate import AdherenceReport
    docs = load_documents(options.corpus, options=options)
    glossary = options_glossary(options)
    report = AdherenceReport()
    lines = []
    for doc in docs:
        stats = translator.translate_document(doc, glossary.by_id)
        report.add_document(doc, glossary.by_id)
        print(f"{doc.id}: {stats.sentences_translated} translated, {stats.cache_hits} from cache, {stats.flagged} flagged")
        if args.output:
            lines.append(json.dumps(doc.to_dict(), ensure_ascii=False, sort_keys=True))
    if args.output:
        write_text_atomic(args.output, "\n".join(lines) + "\n")
    print(report.render(verbose=args.report))
    return 0


def options_glossary(options):
    from ..pipeline import load_glossary_or_empty

    return load_glossary_or_empty(options.glossary)


def _read_lines(name: str) -> list[str]:
    """The lines of FILE (or stdin for ``-``), UTF-8; one error line naming file and line for bad input."""
    import sys

    from ..errors import InputError

    if name == "-":
        data = sys.stdin.buffer.read()
        where = "<stdin>"
    else:
        try:
            data = Path(name).read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror}", path=name) from None
        where = name
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    out = []
    for n, raw in enumerate(data.split(b"\n"), 1):
        try:
            out.append(raw.decode("utf-8").rstrip("\r"))
        except UnicodeDecodeError as exc:
            raise InputError(f"not UTF-8 ({exc.reason} at byte {exc.start})", path=where, line=n) from None
    if out and out[-1] == "":
        out.pop()  # the newline ending the last line
    return out


def translate_lines(translator, lines: list[str], glossary) -> int:
    """One English line per input line (an empty line stays empty); flags go to stderr."""
    import sys

    from ..translate import SentenceIn

    items = [SentenceIn(f"line{n}", text, glossary.matches(text), glossary.by_id) for n, text in enumerate(lines, 1)]
    todo = [it for it in items if it.text.strip()]
    results = dict(zip((it.id for it in todo), translator.translate(todo), strict=True))
    for n, it in enumerate(items, 1):
        r = results.get(it.id)
        print(r.text if r else "")
        if r and r.flags:
            print(f"annotate: line {n}: {', '.join(r.flags)}", file=sys.stderr)
    s = translator.last_stats
    print(f"annotate: {len(todo)} lines: {s.sentences_translated} translated, {s.cache_hits} from cache, "
          f"{s.repairs} repair requests, {s.model_sentences} model calls, {s.flagged} flagged", file=sys.stderr)
    return 0
