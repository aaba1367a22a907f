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
    p.add_argument("--report", action="store_true",
                   help="print the glossary adherence report (rate and every miss) and every translation flag")
    p.add_argument("--lines", metavar="FILE", help="translate FILE (or - for stdin), one Chinese sentence per line; "
                   "print one English line per input line on stdout (same model, cache, glossary and checks)")
    p.add_argument("-o", "--output", type=Path, help="write the translated documents as JSON lines to this file")


def main(args: argparse.Namespace) -> int:
    import json
    import sys

    from ..context import Context, missing_model_message
    from ..errors import EnvironmentProblem
    from ..fsutil import write_text_atomic
    from ..pipeline import iter_documents
    from ..translate import AdherenceReport
    from ..translate.flag_report import FlagReport

    config = config_from_args(args)
    if args.lines is not None:
        text_lines = _read_lines(args.lines)  # bad input fails before any model is opened
    ctx = Context(config)
    translator = ctx.translator
    for warning in ctx.model_warnings:
        print(f"annotate: warning: {warning}", file=sys.stderr)
    if translator is None:
        raise EnvironmentProblem(missing_model_message(config))
    if args.lines is not None:
        code = translate_lines(translator, text_lines, ctx.glossary)
        ctx.close()
        return code
    report = AdherenceReport()
    flags = FlagReport()
    lines = []
    for doc, job in iter_documents(config.corpus, upto="translate", ctx=ctx):
        report.add_document(doc, ctx.glossary.by_id)
        flags.add_document(doc)
        c = job.counts
        print(f"{doc.id}: {c.get('translated', 0)} translated, {c.get('cached', 0)} from cache, {c.get('flagged', 0)} flagged")
        if args.output:
            lines.append(json.dumps(doc.to_dict(), ensure_ascii=False, sort_keys=True))
    if args.output:
        write_text_atomic(args.output, "\n".join(lines) + "\n")
    print(report.render(verbose=args.report))
    print(flags.render(verbose=args.report))
    ctx.close()
    return 0


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
