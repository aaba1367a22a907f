"""Readable, stable entry IDs made from the pinyin of a term (放管服 → fang-guan-fu)."""

from __future__ import annotations

import hashlib
import re

ID_RE = re.compile(r"^[a-z][a-z0-9-]*$")


def pinyin_id(term: str, taken: set[str] | None = None) -> str:
    """An ID in the glossary's form for ``term``, different from every ID in ``taken``."""
    from pypinyin import lazy_pinyin

    parts = [re.sub(r"[^a-z0-9]+", "", p.lower()) for p in lazy_pinyin(term)]
    base = "-".join(p for p in parts if p)
    if not base:  # nothing pinyin or ASCII can spell
        base = "term-" + hashlib.sha1(term.encode("utf-8")).hexdigest()[:8]
    elif not base[0].isalpha():
        base = "t-" + base  # 8890营商… → t-8890-ying-shang-…
    candidate, n = base, 2
    while taken is not None and candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate
