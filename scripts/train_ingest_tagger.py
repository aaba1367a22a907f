"""Retrain the ingestion line tagger on the tuning split; writes the model and its provenance.

    .venv/bin/python scripts/train_ingest_tagger.py

Deterministic: the tuning pages are generated from a seed (annotate.bench.ingest_pages) and
CRFsuite's L-BFGS training has no randomness.  The test split is never read.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time

import pycrfsuite

from annotate.bench.ingest_pages import SOURCES, generate
from annotate.ingest.features import line_features
from annotate.ingest.tagger import MODEL, PROVENANCE

TRAIN_PAGES = 600  # tuning-split pages (seeds tune-0 … tune-599); tune-600 … tune-699 choose PARAMS
PARAMS = {"c1": 0.5, "c2": 0.1, "max_iterations": 200, "feature.possible_transitions": True}


def main() -> int:
    trainer = pycrfsuite.Trainer(verbose=False)
    lines_seen = 0
    for text, truth in generate("tune", TRAIN_PAGES):
        lines = text.split("\n")
        idx, feats = line_features(lines)
        labels = [truth["line_labels"][i] for i in idx]
        trainer.append(feats, labels)
        lines_seen += len(labels)
    trainer.set_params(PARAMS)
    t = time.perf_counter()
    MODEL.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(MODEL))
    sources = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(SOURCES.glob("*.jsonl"))}
    PROVENANCE.write_text(json.dumps({
        "what": "CRFsuite linear-chain CRF over page lines (annotate.ingest.features), labels in annotate.ingest.structure",
        "trained_on": f"tuning split of annotate.bench.ingest_pages: pages tune-0 to tune-{TRAIN_PAGES - 1}, {lines_seen} lines",
        "sources_sha256": sources,
        "params": PARAMS,
        "script": "scripts/train_ingest_tagger.py",
        "python_crfsuite": pycrfsuite.__version__ if hasattr(pycrfsuite, "__version__") else "",
        "model_sha256": hashlib.sha256(MODEL.read_bytes()).hexdigest(),
    }, indent=1, ensure_ascii=False) + "\n", "utf-8")
    print(f"trained on {lines_seen} lines in {time.perf_counter() - t:.1f} s -> {MODEL} ({MODEL.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
