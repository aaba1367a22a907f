"""``annotate run``: raw pages → every export, incrementally."""

from __future__ import annotations

import argparse

from ._common import config_from_args, corpus_command


def register(sub: argparse._SubParsersAction) -> None:
    corpus_command(
        sub, "run", main, translation=True, run=True,
        help="the whole pipeline: ingest, annotate, link terms, translate (or gloss), export",
        description="Run every stage on a corpus and write every export. Unchanged pages are skipped.",
    )


def main(args: argparse.Namespace) -> int:
    from ..report import run_with_progress

    return run_with_progress(config_from_args(args), quiet=args.quiet, verbose=args.verbose)
