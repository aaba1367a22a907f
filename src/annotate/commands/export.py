"""``annotate export``: write (and optionally validate) the exports of a corpus."""

from __future__ import annotations

import argparse

from ._common import config_from_args, corpus_command


def register(sub: argparse._SubParsersAction) -> None:
    p = corpus_command(
        sub, "export", main, translation=True, run=True,
        help="write TEI, VRT, CoNLL-U, TMX, TBX and HTML (runs the stages it needs, incrementally)",
        description="Write the exports of a corpus. Stages whose results are cached are not re-run.",
    )
    p.add_argument("--validate", action="store_true", help="validate every TEI file against TEI P5 (tei_all.rng)")

def main(args: argparse.Namespace) -> int:
    from ..errors import EXIT_FINDINGS
    from ..report import run_with_progress, validate_exports

    config = config_from_args(args)
    code = run_with_progress(config, quiet=args.quiet, verbose=args.verbose)
    if code == 0 and args.validate:
        errors = validate_exports(config.exports)
        if errors:
            return EXIT_FINDINGS
    return code
