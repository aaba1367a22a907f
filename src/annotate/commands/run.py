"""``annotate run``: raw pages → every export, incrementally."""

from __future__ import annotations

import argparse
from pathlib import Path

from ._common import add_corpus_arguments, add_translation_arguments, options_from, parse_layers


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "run",
        help="the whole pipeline: ingest, annotate, link terms, translate (or gloss), export",
        description="Run every stage on a corpus and write every export. Unchanged pages are skipped.",
    )
    add_corpus_arguments(p)
    add_translation_arguments(p)
    add_run_arguments(p)
    p.set_defaults(func=main)


def add_run_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", type=Path, help="exports folder (default: exports/)")
    p.add_argument("-j", "--jobs", type=int, help="worker processes (default 1)")
    p.add_argument("--force", action="store_true", default=None, help="redo every stage for every page")
    p.add_argument("--layers", type=parse_layers, help="exports to write, comma-separated (default: all)")


def main(args: argparse.Namespace) -> int:
    from ..report import run_with_progress

    return run_with_progress(options_from(args), quiet=args.quiet, verbose=args.verbose)
