"""Candidate terms the glossary lacks, with CC-CEDICT draft glosses.

Three sources of candidates, typical of Chinese policy language: expressions in
Chinese quotation marks (“双轮驱动”), frequent multi-character words that jieba's
dictionary does not know, and abbreviations of existing entries (a shorter form
whose characters appear in order in an entry's source).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from ..model import Document, GlossaryEntry
from .cedict import first_sense
from .core import Glossary

_QUOTED = re.compile(r"[“「『]([\u3400-\u9fff]{2,12})[”」』]")
_HAN_RUN = re.compile(r"^[\u3400-\u9fff]{3,8}$")


@dataclass
class Candidate:
    term: str
    kind: str  # quoted, unknown-word, abbreviation
    count: int
    example: str
    gloss: str
    related: str = ""  # entry ID for an abbreviation

    def as_entry(self) -> GlossaryEntry:
        note = f"suggested: {self.kind}, {self.count}x; e.g. {self.example[:60]}"
        if self.related:
            note += f"; abbreviation of {self.related}?"
        return GlossaryEntry(id="", source=self.term, target=self.gloss or "TODO", comment=note, status="draft")


def suggest(docs: Iterable[Document], glossary: Glossary, limit: int = 50) -> list[Candidate]:
    import jieba

    known = set(glossary.forms())
    counts: Counter = Counter()
    kinds: dict[str, str] = {}
    examples: dict[str, str] = {}
    for doc in docs:
        for block in doc.blocks():
            for s in block.sentences or []:
                for m in _QUOTED.finditer(s.text):
                    _note(m.group(1), "quoted", s.text, counts, kinds, examples)
                for t in s.tokens:
                    if _HAN_RUN.match(t.text) and t.text not in jieba.dt.FREQ:
                        _note(t.text, "unknown-word", s.text, counts, kinds, examples)
    out: list[Candidate] = []
    for term, n in counts.items():
        if term in known or any(term in f for f in known if len(f) > len(term) and kinds[term] != "quoted"):
            continue
        related = _abbreviation_of(term, glossary.entries)
        kind = "abbreviation" if related else kinds[term]
        out.append(Candidate(term, kind, n, examples[term], first_sense(term) or _composed(term), related))
    rank = {"quoted": 0, "abbreviation": 1, "unknown-word": 2}
    out.sort(key=lambda c: (rank[c.kind], -c.count, c.term))
    return out[:limit]


def _composed(term: str) -> str:
    """A word-by-word draft when CC-CEDICT lacks the whole expression: 一事一议 → 'one matter one discuss'."""
    import jieba

    senses = [first_sense(w) for w in jieba.lcut(term)]
    return " ".join(s for s in senses if s) if all(senses) else ""


def _note(term: str, kind: str, example: str, counts: Counter, kinds: dict, examples: dict) -> None:
    counts[term] += 1
    kinds.setdefault(term, kind)
    examples.setdefault(term, example)


def _abbreviation_of(term: str, entries: list[GlossaryEntry]) -> str:
    for e in entries:
        if len(term) < len(e.source) and _subsequence(term, e.source) and term[0] == e.source[0]:
            return e.id
    return ""


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(c in it for c in short)
