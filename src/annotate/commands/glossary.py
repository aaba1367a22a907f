"""``annotate glossary check|report|suggest|export|import``."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("glossary", help="check, report on, grow and exchange the glossary (glossary/*.tsv)",
                       description="Work with the translators' term base in glossary/*.tsv.")
    g = p.add_subparsers(dest="glossary_command", metavar="ACTION", required=True)

    c = g.add_parser("check", help="validate glossary files; every problem with file:line; exit 1 on errors")
    c.add_argument("path", nargs="?", type=Path, help="a .tsv file or a folder (default: glossary/)")
    c.set_defaults(func=check)

    r = g.add_parser("report", help="which entries occur where and how often, which never occur")
    r.add_argument("corpus", nargs="?", type=Path, help="page or corpus folder (default: corpus/)")
    r.add_argument("--glossary", type=Path)
    r.add_argument("--json", action="store_true", help="machine-readable report")
    r.set_defaults(func=report)

    s = g.add_parser("suggest", help="candidate terms the glossary lacks, as draft TSV rows with CC-CEDICT glosses")
    s.add_argument("corpus", nargs="?", type=Path, help="page or corpus folder (default: corpus/)")
    s.add_argument("--glossary", type=Path)
    s.add_argument("-o", "--output", type=Path, help="write the draft rows to this TSV (default: print them)")
    s.add_argument("--limit", type=int, default=50)
    s.set_defaults(func=suggest)

    e = g.add_parser("export", help="export the glossary as TBX, CSV or OmegaT TSV")
    e.add_argument("--format", choices=("tbx", "csv", "omegat"), required=True)
    e.add_argument("-o", "--output", type=Path, required=True)
    e.add_argument("--glossary", type=Path)
    e.set_defaults(func=export)

    i = g.add_parser("import", help="import a TBX, CSV or OmegaT file into a glossary TSV")
    i.add_argument("file", type=Path)
    i.add_argument("-o", "--output", type=Path, required=True, help="the glossary .tsv to write")
    i.set_defaults(func=import_)


def _glossary(args: argparse.Namespace, attr: str = "glossary"):
    from ..cli import config_from
    from ..glossary import load_glossary

    return load_glossary(getattr(args, attr, None) or config_from(args).glossary)


def check(args: argparse.Namespace) -> int:
    from ..cli import config_from
    from ..errors import EXIT_FINDINGS
    from ..glossary import load_glossary

    path = args.path or config_from(args).glossary
    g = load_glossary(path)
    for p in g.problems:
        print(p)
    errors = len(g.errors)
    print(f"{len(g.entries)} entries, {errors} errors, {len(g.problems) - errors} warnings")
    return EXIT_FINDINGS if errors else 0


def _docs(args: argparse.Namespace, glossary):
    from ..cli import config_from
    from ..pipeline import RunOptions, load_documents

    config = config_from(args)
    corpus = args.corpus or config.corpus
    return load_documents(corpus, glossary=glossary, options=RunOptions.from_config(config, corpus=corpus))


def report(args: argparse.Namespace) -> int:
    import json

    from ..glossary.report import term_report

    g = _glossary(args)
    rep = term_report(_docs(args, g), g)
    print(json.dumps(rep.to_dict(), ensure_ascii=False, indent=2) if args.json else rep.render(g))
    return 0


def suggest(args: argparse.Namespace) -> int:
    from ..glossary.suggest import suggest as find
    from ..glossary.tsv import COLUMNS, entry_row, write_tsv

    g = _glossary(args)
    candidates = find(_docs(args, g), g, limit=args.limit)
    entries = [c.as_entry() for c in candidates]
    if args.output:
        write_tsv(entries, args.output)
        print(f"{len(entries)} candidates written to {args.output}")
    else:
        print("\t".join(COLUMNS))
        for e in entries:
            print("\t".join(entry_row(e)))
    return 0


def export(args: argparse.Namespace) -> int:
    from ..glossary.formats import export_glossary

    g = _glossary(args)
    export_glossary(g.entries, args.output, args.format)
    print(f"{len(g.entries)} entries written to {args.output}")
    return 0


def import_(args: argparse.Namespace) -> int:
    from ..glossary.formats import import_glossary
    from ..glossary.tsv import write_tsv

    entries = import_glossary(args.file)
    write_tsv(entries, args.output)
    print(f"{len(entries)} entries written to {args.output}; run: annotate glossary check {args.output}")
    return 0
