"""Retrain the ingestion line tagger on the tuning split; writes its weights and their provenance.

    .venv/bin/python scripts/train_ingest_tagger.py

Deterministic: the tuning pages are generated from a seed (annotate.bench.ingest_pages) and
CRFsuite's L-BFGS training has no randomness.  The test split is never read.  CRFsuite fits
the weights; they are exported to JSON (annotate.ingest.tagger reads them, no CRFsuite needed
at run time).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import sys
import tempfile
import time
from pathlib import Path

import pycrfsuite

from annotate.bench.ingest_pages import SOURCES, generate
from annotate.fsutil import write_text_atomic
from annotate.ingest.features import line_features
from annotate.ingest.tagger import MODEL, PROVENANCE, crfsuite_weights

TRAIN_PAGES = 600  # tuning-split pages (seeds tune-0 … tune-599); tune-600 … tune-699 choose PARAMS
PARAMS = {"c1": 0.2, "c2": 0.05, "max_iterations": 300, "feature.possible_transitions": True}


def train(pages: list[tuple[str, dict]], params: dict, model_file: Path) -> int:
    """Fit a CRF on the pages' line labels; returns the number of lines."""
    trainer = pycrfsuite.Trainer(verbose=False)
    lines_seen = 0
    for text, truth in pages:
        feats = line_features(text.split("\n"))
        trainer.append(feats.attributes(), [truth["line_labels"][i] for i in feats.idx])
        lines_seen += len(feats.idx)
    trainer.set_params(params)
    trainer.train(str(model_file))
    return lines_seen


def main() -> int:
    t = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        model_file = Path(tmp) / "lines.crfsuite"
        lines_seen = train(generate("tune", TRAIN_PAGES), PARAMS, model_file)
        weights = crfsuite_weights(model_file)
    write_text_atomic(MODEL, json.dumps(weights, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n")
    sources = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(SOURCES.glob("*.jsonl"))}
    write_text_atomic(PROVENANCE, json.dumps({
        "what": "linear-chain CRF over page lines (annotate.ingest.features), labels in annotate.ingest.tagger",
        "trained_on": f"tuning split of annotate.bench.ingest_pages: pages tune-0 to tune-{TRAIN_PAGES - 1}, {lines_seen} lines",
        "sources_sha256": sources,
        "params": PARAMS,
        "script": "scripts/train_ingest_tagger.py",
        "trainer": f"CRFsuite (python-crfsuite {importlib.metadata.version('python-crfsuite')})",
        "weights_sha256": hashlib.sha256(MODEL.read_bytes()).hexdigest(),
    }, indent=1, ensure_ascii=False) + "\n")
    print(f"trained on {lines_seen} lines in {time.perf_counter() - t:.1f} s -> {MODEL} ({MODEL.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
