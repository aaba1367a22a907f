"""Benchmark input: the bundled page's paragraphs, shuffled and repeated to a target size."""

from __future__ import annotations

import random
from pathlib import Path

from ..ingest import ingest_file
from ..model import Document

PAGE = Path(__file__).resolve().parents[3] / "corpus" / "raw" / "dalian-daily-2019-economy.txt"


def paragraphs() -> list[str]:
    return [b.text for b in ingest_file(PAGE).blocks() if b.kind == "paragraph"]


def text_of_size(chars: int, seed: int = 1) -> list[str]:
    """Paragraphs (shuffled copies of the bundled ones) totalling at least ``chars`` characters."""
    rng = random.Random(seed)
    base = paragraphs()
    out: list[str] = []
    total = 0
    while total < chars:
        p = rng.choice(base)
        out.append(p)
        total += len(p)
    return out


def documents(chars: int, per_doc: int = 6000, seed: int = 1) -> list[Document]:
    """Ingested pages of about ``per_doc`` characters, ``chars`` in all."""
    from ..ingest import ingest_text

    paras = text_of_size(chars, seed)
    docs, page, size = [], [], 0
    for p in paras:
        page.append(p)
        size += len(p)
        if size >= per_doc:
            docs.append(ingest_text("\n\n".join(page) + "\n", f"bench-{len(docs):04d}"))
            page, size = [], 0
    if page:
        docs.append(ingest_text("\n\n".join(page) + "\n", f"bench-{len(docs):04d}"))
    return docs
