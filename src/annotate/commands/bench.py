"""``annotate bench AREA``: throughput benchmarks, each beside the raw library it wraps."""

from __future__ import annotations

import argparse

AREAS = ("ingest", "ingest_quality", "annotation", "annotation_quality", "glossary", "translate", "export", "html", "pipeline")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "bench",
        help="benchmarks (throughput and ratio to the raw libraries); figures go to docs/benchmarks.md",
        description="Run a benchmark. Extra arguments go to the benchmark itself (try: annotate bench annotation --help).",
    )
    p.add_argument("area", choices=(*AREAS, "all"), help="which stage to measure")
    p.add_argument("rest", nargs=argparse.REMAINDER, help="arguments for the benchmark")
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    import importlib

    areas = AREAS if args.area == "all" else (args.area,)
    code = 0
    for area in areas:
        module = importlib.import_module(f"annotate.bench.{area}")
        print(f"== {area} ==", flush=True)
        code = max(code, int(module.run(list(args.rest)) or 0))
    return code
