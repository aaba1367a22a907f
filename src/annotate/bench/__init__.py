"""Benchmarks: `annotate bench AREA`. Each module has run(argv) -> int."""
