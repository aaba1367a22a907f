"""The ``annotate`` command line.

Each subcommand lives in ``annotate.commands.<name>`` and exposes
``register(subparsers)``.  Those modules import nothing heavy: spaCy, jieba,
argos and friends are imported inside the command functions, so ``annotate --help``
stays instant.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from . import __version__
from .errors import EXIT_INTERRUPTED, AnnotateError

#: Order in which ``--help`` lists subcommands (pipeline order); any other module in
#: ``annotate/commands/`` is listed after these.
ORDER = ("run", "ingest", "annotate_cmd", "glossary", "models", "translate", "export", "bench")


def _command_modules() -> list[str]:
    import pkgutil

    from . import commands

    found = {m.name for m in pkgutil.iter_modules(commands.__path__) if not m.name.startswith("_")}
    return [n for n in ORDER if n in found] + sorted(found - set(ORDER))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="annotate",
        description="Turn Chinese newspaper pages into annotated bilingual corpora (TEI, HTML, VRT, CoNLL-U, TMX, TBX).",
    )
    parser.add_argument("--version", action="version", version=f"annotate {__version__}")
    parser.add_argument("--config", type=Path, help="settings file (default: annotate.toml or [tool.annotate] found upward)")
    verbosity = parser.add_mutually_exclusive_group()
    verbosity.add_argument("-q", "--quiet", action="store_true", help="print errors and the final summary only")
    verbosity.add_argument("-v", "--verbose", action="store_true", help="print per-document detail")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _command_modules():
        module = importlib.import_module(f"annotate.commands.{name}")
        module.register(sub)
    # -q/-v also after the subcommand (`annotate run -q`); SUPPRESS keeps the global value otherwise.
    for subparser in sub.choices.values():
        group = subparser.add_mutually_exclusive_group()
        group.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        group.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return int(args.func(args) or 0)
    except AnnotateError as err:
        print(f"annotate: error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("annotate: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return 0


def config_from(args: argparse.Namespace):  # -> Config, imported lazily by commands
    from .config import load_config

    return load_config(getattr(args, "config", None))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
