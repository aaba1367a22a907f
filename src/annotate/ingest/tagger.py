"""The line tagger: a linear-chain CRF (CRFsuite) that labels each non-blank line of a page.

Labels (structure.py turns them into articles): ``P-B``/``P-I`` a paragraph's first / further
line, ``H``, ``K`` (kicker, 引题), ``SUB`` (subheadline), ``C`` (caption) likewise with ``-B``/``-I``,
``S-B`` a section heading, ``BY-B`` a byline on its own line; an ``A`` in front marks the first
printed line of an article.  The weights are package data (``data/ingest-lines.crfsuite``,
provenance beside it), trained by ``scripts/train_ingest_tagger.py`` on the tuning split.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from .features import line_features

MODEL = Path(__file__).resolve().parents[1] / "data" / "ingest-lines.crfsuite"
PROVENANCE = MODEL.with_suffix(".provenance.json")


@lru_cache(maxsize=1)
def _tagger() -> Any:
    import pycrfsuite  # small C extension; imported only when a page is ingested

    t = pycrfsuite.Tagger()
    t.open(str(MODEL))
    return t


def tag_lines(lines: list[str]) -> tuple[list[int], list[str]]:
    """Indices of the non-blank lines and their labels."""
    idx, feats = line_features(lines)
    if not idx:
        return idx, []
    return idx, list(_tagger().tag(feats))
