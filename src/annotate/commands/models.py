"""``annotate models install FILE`` and ``annotate models list``: offline translation models."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "models", help="install and list offline zh→en translation models (Argos packages)",
        description="Manage Argos translation packages. Nothing is downloaded: get translate-zh_en-*.argosmodel "
                    "from the Argos package index (https://www.argosopentech.com/argospm/index/) and install the file.",
    )
    m = p.add_subparsers(dest="models_command", metavar="ACTION", required=True)
    i = m.add_parser("install", help="validate and install a .argosmodel file",
                     description="Check the package (zip with one folder, metadata.json saying zh→en, CTranslate2 "
                                 "model/, sentencepiece.model) and install it atomically.")
    i.add_argument("file", type=Path, help="the .argosmodel file")
    i.add_argument("--model-dir", type=Path, help="packages folder (default: ARGOS_PACKAGES_DIR or the user data dir)")
    i.set_defaults(func=install)
    ls = m.add_parser("list", help="installed models: name, version, direction, size",
                      description="List installed packages; '*' marks the zh→en model translation uses.")
    ls.add_argument("--model-dir", type=Path, help="packages folder (default: ARGOS_PACKAGES_DIR or the user data dir)")
    ls.set_defaults(func=list_)


def install(args: argparse.Namespace) -> int:
    from ..translate.models import install_model

    info = install_model(args.file, args.model_dir)
    print(f"installed {info.name} {info.version} ({info.from_code}→{info.to_code}, {info.size / 1e6:.1f} MB) in {info.path}")
    return 0


def list_(args: argparse.Namespace) -> int:
    from ..translate.models import find_model, list_models, packages_dir

    models = list_models(args.model_dir)
    if not models:
        print(f"no models in {packages_dir(args.model_dir)}")
        return 0
    used = find_model(args.model_dir)
    for m in models:
        if m.problem:
            print(f"{m.name}\t{m.version or '-'}\tbroken: {m.problem}\t{m.size / 1e6:.1f} MB\t{m.path}")
            continue
        mark = "\t*" if used is not None and m.path == used.path else ""
        print(f"{m.name}\t{m.version}\t{m.from_code}→{m.to_code}\t{m.size / 1e6:.1f} MB\t{m.path}{mark}")
    return 0
