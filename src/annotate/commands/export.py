"""``annotate export``: write (and optionally validate) the exports of a corpus."""

from __future__ import annotations

import argparse

from ._common import add_corpus_arguments, add_translation_arguments, options_from
from .run import add_run_arguments


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export",
        help="write TEI, VRT, CoNLL-U, TMX, TBX and HTML (runs the stages it needs, incrementally)",
        description="Write the exports of a corpus. Stages whose results are cached are not re-run.",
    )
    add_corpus_arguments(p)
    add_translation_arguments(p)
    add_run_arguments(p)
    p.add_argument("--validate", action="store_true", help="validate every TEI file against TEI P5 (tei_all.rng)")
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from ..errors import EXIT_FINDINGS
    from ..report import run_with_progress, validate_exports

    options = options_from(args)
    code = run_with_progress(options, quiet=args.quiet, verbose=args.verbose)
    if code == 0 and args.validate:
        errors = validate_exports(options.exports)
        if errors:
            return EXIT_FINDINGS
    return code
