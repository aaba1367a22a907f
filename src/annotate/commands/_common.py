"""Arguments shared by the corpus-level commands (run, export, annotate, translate, glossary)."""

from __future__ import annotations

import argparse
from pathlib import Path


def count(minimum: int):  # -> Callable[[str], int]
    """An argparse type: a whole number of at least ``minimum`` (one-line error otherwise, exit 2)."""

    def parse(value: str) -> int:
        try:
            n = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
        if n < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, not {n}")
        return n

    parse.__name__ = "count"
    return parse


def encoding(value: str) -> str:
    """An argparse type: a text encoding Python knows."""
    from ..textio import text_encoding

    try:
        return text_encoding(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def cluster_address(value: str) -> str:
    """An argparse type: tcp://HOST:PORT or local:N."""
    from ..cluster import check_address

    try:
        return check_address(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def corpus_command(sub: argparse._SubParsersAction, name: str, main, *, help: str, description: str,
                   translation: bool = False, run: bool = False) -> argparse.ArgumentParser:
    """A subcommand over a corpus, with the shared arguments (and the translation and run ones if asked)."""
    p = sub.add_parser(name, help=help, description=description)
    add_corpus_arguments(p)
    if translation:
        add_translation_arguments(p)
    if run:
        add_run_arguments(p)
    p.set_defaults(func=main)
    return p


def add_run_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", dest="exports", type=Path, help="exports folder (default: exports/)")
    p.add_argument("-j", "--jobs", type=count(1), help="worker processes (default 1)")
    p.add_argument("--cluster", type=cluster_address, metavar="ADDRESS",
                   help="run the pages on Dask: a scheduler's tcp://HOST:PORT, or local:N for N worker "
                        "processes here (instead of --jobs; docs/scale.md)")
    p.add_argument("--force", action="store_true", default=None, help="redo every stage for every page")
    p.add_argument("--layers", type=parse_layers, help="exports to write, comma-separated (default: all)")


def add_corpus_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("corpus", nargs="?", type=Path, help="a page .txt or a corpus folder (default: from config, corpus/)")
    p.add_argument("--glossary", type=Path, help="glossary file or folder (default: glossary/)")
    p.add_argument("--cache", type=Path, help="cache folder for stage results (default: .annotate-cache/)")
    p.add_argument("--no-ner", dest="ner", action="store_false", default=None, help="skip named-entity recognition")
    p.add_argument("--encoding", type=encoding, help="encoding of the pages (default: detect UTF-8/UTF-16/GB18030/Big5)")
    add_ingest_method_argument(p)


def add_ingest_method_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("--ingest-method", choices=("rules", "tagger"),
                   help="how lines become articles: rules (default) or the CRF line tagger, better on other "
                        "papers' pages (docs/ingest.md)")


def add_translation_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model-dir", type=Path, help="translation models folder (default: ARGOS_PACKAGES_DIR or the user data dir)")
    p.add_argument("--beam-size", type=count(1), help="beam size for translation (default 2)")
    p.add_argument("--threads", type=count(0), help="model threads (default: let the runtime choose)")
    p.add_argument("--batch-size", type=count(1), help="sentences per model batch (default 32)")
    p.add_argument("--llm-repair", dest="llm_repair", action="store_true", default=None,
                   help="with an LLM: one repair request for an answer that lacks a glossary term (slower; docs/translation.md)")


#: Flags that override a setting of the same name (``--output`` of run/export is ``exports``).
_SETTING_FLAGS = ("corpus", "exports", "glossary", "cache", "ner", "encoding", "ingest_method", "jobs", "cluster", "force", "model_dir",
                  "beam_size", "threads", "batch_size", "llm_repair", "layers")


def config_from_args(args: argparse.Namespace):  # -> Config
    """The project's settings with every flag the user gave applied on top."""
    from ..cli import config_from

    return config_from(args).with_overrides(**{name: getattr(args, name, None) for name in _SETTING_FLAGS})


def parse_layers(value: str) -> list[str]:
    from ..exporters import LAYERS

    layers = [v.strip() for v in value.split(",") if v.strip()]
    bad = [v for v in layers if v not in LAYERS]
    if bad:
        raise argparse.ArgumentTypeError(f"unknown layer(s) {', '.join(bad)}; choose from {','.join(LAYERS)}")
    if not layers:
        raise argparse.ArgumentTypeError(f"give at least one layer: {','.join(LAYERS)}")
    return layers
