"""Arguments shared by the corpus-level commands (run, export, annotate, translate)."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_corpus_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("corpus", nargs="?", type=Path, help="a page .txt or a corpus folder (default: from config, corpus/)")
    p.add_argument("--glossary", type=Path, help="glossary file or folder (default: glossary/)")
    p.add_argument("--cache", type=Path, help="cache folder for stage results (default: .annotate-cache/)")
    p.add_argument("--no-ner", dest="ner", action="store_false", default=None, help="skip named-entity recognition")
    p.add_argument("--encoding", help="encoding of the pages (default: detect UTF-8/UTF-16/GB18030/Big5)")


def add_translation_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model-dir", type=Path, help="argos packages folder (default: ARGOS_PACKAGES_DIR or the user data dir)")
    p.add_argument("--beam-size", type=int, help="beam size for translation (default 2)")
    p.add_argument("--threads", type=int, help="CTranslate2 threads (default: let it choose)")
    p.add_argument("--batch-size", type=int, help="sentences per CTranslate2 batch (default 32)")


def options_from(args: argparse.Namespace, **extra):  # -> RunOptions
    from ..cli import config_from
    from ..pipeline import RunOptions

    config = config_from(args)
    layers = getattr(args, "layers", None)
    return RunOptions.from_config(
        config,
        corpus=args.corpus,
        exports=getattr(args, "output", None),
        glossary=args.glossary,
        cache=args.cache,
        ner=args.ner,
        encoding=args.encoding,
        jobs=getattr(args, "jobs", None),
        force=getattr(args, "force", None),
        model_dir=getattr(args, "model_dir", None),
        beam_size=getattr(args, "beam_size", None),
        threads=getattr(args, "threads", None),
        batch_size=getattr(args, "batch_size", None),
        layers=tuple(layers) if layers else None,
        **extra,
    )


def parse_layers(value: str) -> list[str]:
    from ..config import EXPORT_LAYERS

    layers = [v.strip() for v in value.split(",") if v.strip()]
    bad = [v for v in layers if v not in EXPORT_LAYERS]
    if bad:
        raise argparse.ArgumentTypeError(f"unknown layer(s) {', '.join(bad)}; choose from {','.join(EXPORT_LAYERS)}")
    return layers
