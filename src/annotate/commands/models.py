"""``annotate models install FILE`` and ``annotate models list``: offline translation models."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("models", help="install and list offline zh→en translation models (Argos packages)",
                       description="Manage Argos translation packages. Nothing is downloaded: install from a file.")
    m = p.add_subparsers(dest="models_command", metavar="ACTION", required=True)
    i = m.add_parser("install", help="validate and install a .argosmodel file")
    i.add_argument("file", type=Path)
    i.add_argument("--model-dir", type=Path, help="packages folder (default: ARGOS_PACKAGES_DIR or the user data dir)")
    i.set_defaults(func=install)
    ls = m.add_parser("list", help="installed models: name, version, direction, size")
    ls.add_argument("--model-dir", type=Path)
    ls.set_defaults(func=list_)


def install(args: argparse.Namespace) -> int:
    from ..translate.models import install_model

    info = install_model(args.file, args.model_dir)
    print(f"installed {info.name} {info.version} ({info.from_code}→{info.to_code}, {info.size / 1e6:.1f} MB) in {info.path}")
    return 0


def list_(args: argparse.Namespace) -> int:
    from ..translate.models import list_models, packages_dir

    models = list_models(args.model_dir)
    if not models:
        print(f"no models in {packages_dir(args.model_dir)}")
        return 0
    for m in models:
        print(f"{m.name}\t{m.version}\t{m.from_code}→{m.to_code}\t{m.size / 1e6:.1f} MB\t{m.path}")
    return 0
